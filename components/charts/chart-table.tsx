// The data behind a chart as a table: the text alternative for screen readers and for anyone who
// wants the exact figures.
import type { ChartPoint, ChartText } from "./chart-types.ts";

export function ChartTable(props: { points: ChartPoint[]; text: ChartText; testId?: string }) {
  return (
    <details>
      <summary>{props.text.tableSummary}</summary>
      <div className="table-scroll">
        <table data-testid={props.testId}>
          <caption className="visually-hidden">{props.text.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.text.labelHeader}</th>
              <th scope="col">{props.text.valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            {props.points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.label}</th>
                <td>{p.display}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
