// A time series as vertical columns (one per day), drawn on the server as SVG: no chart library
// shipped to the browser. role="img" with <title> and <desc>, plus the data table.
import { useId } from "react";
import { ChartTable } from "./chart-table.tsx";
import { type ChartPoint, type ChartText, niceMax } from "./chart-types.ts";

const W = 640;
const H = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 56 };

export function ColumnChart(props: {
  points: ChartPoint[];
  text: ChartText;
  formatAxis: (v: number) => string;
  testId?: string;
}) {
  const id = useId();
  const max = niceMax(Math.max(0, ...props.points.map((p) => p.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, props.points.length);
  const barW = Math.max(2, slot * 0.7);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.ceil(props.points.length / 6);
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
        {ticks.map((v) => {
          const y = PAD.top + plotH - (v / max) * plotH;
          return (
            <g key={v}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} stroke="currentColor" strokeOpacity={0.15} />
              <text x={PAD.left - 6} y={y + 4} textAnchor="end" fontSize={11} fill="currentColor">
                {props.formatAxis(v)}
              </text>
            </g>
          );
        })}
        {props.points.map((p, i) => {
          const h = (p.value / max) * plotH;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={p.label}>
              <rect x={x} y={PAD.top + plotH - h} width={barW} height={h} fill="#0f766e">
                <title>{`${p.label}: ${p.display}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={H - 8} textAnchor="middle" fontSize={11} fill="currentColor">
                  {p.label.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">{props.text.description}</figcaption>
      <ChartTable points={props.points} text={props.text} />
    </figure>
  );
}
