// Categories as horizontal bars (orders by state, by kind), drawn on the server as SVG with
// role="img", <title>, <desc> and the data table.
import { useId } from "react";
import { ChartTable } from "./chart-table.tsx";
import { type ChartPoint, type ChartText, niceMax } from "./chart-types.ts";

const W = 640;
const ROW = 26;
const LABEL_W = 170;
const VALUE_W = 60;

export function BarChart(props: { points: ChartPoint[]; text: ChartText; testId?: string }) {
  const id = useId();
  const max = niceMax(Math.max(0, ...props.points.map((p) => p.value)));
  const H = Math.max(1, props.points.length) * ROW + 8;
  const plotW = W - LABEL_W - VALUE_W;
  return (
    <figure className="chart stack" data-testid={props.testId}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        width="100%"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-t`}>{props.text.title}</title>
        <desc id={`${id}-d`}>{props.text.description}</desc>
        {props.points.map((p, i) => {
          const y = 4 + i * ROW;
          const w = (p.value / max) * plotW;
          return (
            <g key={p.label}>
              <text x={LABEL_W - 8} y={y + ROW / 2 + 4} textAnchor="end" fontSize={12} fill="currentColor">
                {p.label}
              </text>
              <rect x={LABEL_W} y={y + 4} width={Math.max(w, 1)} height={ROW - 8} fill="#0f766e" />
              <text x={LABEL_W + w + 6} y={y + ROW / 2 + 4} fontSize={12} fill="currentColor">
                {p.display}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">{props.text.description}</figcaption>
      <ChartTable points={props.points} text={props.text} />
    </figure>
  );
}
