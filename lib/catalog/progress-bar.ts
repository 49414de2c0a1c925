// A one-line progress bar (percent, rows per second, ETA) for long seeds. On a terminal it
// redraws in place; in a log (CI, piped output) it prints a line every few seconds instead.

export type ProgressBar = { update(done: number, rows: number): void; finish(): void };

const formatDuration = (seconds: number) => {
  if (!Number.isFinite(seconds)) return "--:--";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
};
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export function createProgressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  logEveryMs = 5_000,
): ProgressBar {
  const started = performance.now();
  const interactive = stream.isTTY === true;
  let lastLog = 0;
  let lastLine = "";
  const render = (done: number, rows: number) => {
    const elapsed = (performance.now() - started) / 1000;
    const fraction = total === 0 ? 1 : done / total;
    const width = 24;
    const filled = Math.round(fraction * width);
    const eta = done === 0 ? Number.NaN : (elapsed / done) * (total - done);
    return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}% ${fmt(done)}/${fmt(total)} · ${fmt(rows / Math.max(elapsed, 0.001))} rows/s · ETA ${formatDuration(eta)}`;
  };
  return {
    update(done, rows) {
      lastLine = render(done, rows);
      if (interactive) stream.write(`\r${lastLine}\x1b[K`);
      else if (performance.now() - lastLog >= logEveryMs) {
        lastLog = performance.now();
        stream.write(`${lastLine}\n`);
      }
    },
    finish() {
      if (interactive) stream.write("\n");
      else if (lastLine) stream.write(`${lastLine}\n`);
    },
  };
}
