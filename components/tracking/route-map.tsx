// The parcel's route as a small inline SVG (no map tiles, nothing to fetch) with a text list of
// the positions for screen readers and anyone who cannot read the drawing.
import styles from "./live-tracking.module.css";
import { type LatLon, projectRoute } from "./route-projection.ts";

const WIDTH = 320;
const HEIGHT = 180;
/** The text list shows the newest positions only; the drawing keeps them all. */
const LISTED = 10;

export function RouteMap(props: { positions: LatLon[]; title: string; empty: string; listLabel: string }) {
  const { positions } = props;
  if (positions.length === 0) {
    return (
      <p className="muted" data-testid="tracking-map-empty">
        {props.empty}
      </p>
    );
  }
  const points = projectRoute(positions, WIDTH, HEIGHT);
  const last = points[points.length - 1];
  const first = points[0];
  const fmt = (p: LatLon) => `${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}`;
  return (
    <div className="stack">
      <svg
        className={styles.map}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        data-testid="tracking-map"
        data-points={positions.length}
      >
        <title>{props.title}</title>
        <polyline
          points={points.map((p) => `${p.x},${p.y}`).join(" ")}
          fill="none"
          stroke="currentColor"
          strokeWidth={2}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
        {first && <circle cx={first.x} cy={first.y} r={3} className={styles.start} />}
        {last && <circle cx={last.x} cy={last.y} r={5} className={styles.current} />}
      </svg>
      <details>
        <summary>{props.listLabel}</summary>
        <ol className="mono" data-testid="tracking-points" start={Math.max(1, positions.length - LISTED + 1)}>
          {positions.slice(-LISTED).map((p, i) => (
            // Positions repeat (a parcel waiting at a depot), so the index is part of the key.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is append-only and rendered in order
            <li key={`${i}-${p.lat}-${p.lon}`}>{fmt(p)}</li>
          ))}
        </ol>
      </details>
    </div>
  );
}
