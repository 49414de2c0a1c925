// What every chart takes: points with a numeric value (for drawing) and the text a person reads.
export type ChartPoint = { label: string; value: number; display: string };

export type ChartText = {
  title: string;
  description: string;
  /** Headers of the data table shown as the chart's text alternative. */
  labelHeader: string;
  valueHeader: string;
  tableSummary: string;
};

export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}
