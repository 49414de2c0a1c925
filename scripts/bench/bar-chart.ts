// A dependency-free horizontal bar chart as SVG, for benchmark figures people would rather look
// at than read. Bars past their goal are drawn red, within it green; bars without a goal grey.
export type Bar = {
  label: string;
  value: number;
  /** Upper bound the value should stay under (budgets, latency goals)… */
  max?: number;
  /** …or lower bound it should reach (throughput goals). */
  min?: number;
};

export type BarChart = { title: string; unit: string; bars: Bar[] };

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const formatNumber = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

export function renderBarChart(chart: BarChart): string {
  const labelWidth = 360;
  const barArea = 420;
  const rowHeight = 26;
  const top = 44;
  const width = labelWidth + barArea + 140;
  const height = top + chart.bars.length * rowHeight + 16;
  const scaleMax = Math.max(...chart.bars.flatMap((b) => [b.value, b.max ?? 0, b.min ?? 0]), 1);
  const x = (value: number) => labelWidth + (value / scaleMax) * barArea;
  const rows = chart.bars.map((bar, i) => {
    const y = top + i * rowHeight;
    const within =
      bar.max !== undefined ? bar.value <= bar.max : bar.min !== undefined ? bar.value >= bar.min : undefined;
    const colour = within === undefined ? "#8a94a6" : within ? "#2f9e6b" : "#d9485f";
    const goal = bar.max ?? bar.min;
    const goalMark =
      goal === undefined
        ? ""
        : `<line x1="${x(goal)}" x2="${x(goal)}" y1="${y - 2}" y2="${y + rowHeight - 6}" stroke="#222" stroke-dasharray="3 2"/>`;
    return [
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${Math.max(1, x(bar.value) - labelWidth)}" height="${rowHeight - 8}" fill="${colour}"/>`,
      goalMark,
      `<text x="${x(bar.value) + 6}" y="${y + 14}">${formatNumber(bar.value)}${goal === undefined ? "" : ` (goal ${bar.max !== undefined ? "≤" : "≥"} ${formatNumber(goal)})`}</text>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(`${chart.title} (${chart.unit})`)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="24" font-size="15" font-weight="bold">${escapeXml(chart.title)} (${escapeXml(chart.unit)})</text>`,
    ...rows,
    "</svg>",
    "",
  ].join("\n");
}
