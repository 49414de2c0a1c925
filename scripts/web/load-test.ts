// Server response times under concurrent clients: `clients` loops each fetching `url` (reading
// the whole body) until `durationMs` has passed or `maxRequests` were sent, after a warm-up.
export type LoadResult = {
  clients: number;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

export async function loadTest(opts: {
  url: string;
  clients: number;
  durationMs: number;
  maxRequests: number;
  warmup?: number;
  headers?: Record<string, string>;
  onProgress?: (done: number, elapsedMs: number) => void;
}): Promise<LoadResult> {
  const once = async (): Promise<boolean> => {
    const res = await fetch(opts.url, { headers: opts.headers });
    await res.arrayBuffer();
    return res.ok;
  };
  for (let i = 0; i < (opts.warmup ?? 50); i++) await once().catch(() => false);

  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const ticker = setInterval(() => opts.onProgress?.(latencies.length + errors, performance.now() - started), 1_000);
  const client = async () => {
    while (sent < opts.maxRequests && performance.now() < deadline) {
      sent++;
      const t = performance.now();
      const ok = await once().catch(() => false);
      if (ok) latencies.push(performance.now() - t);
      else errors++;
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.clients }, client));
  } finally {
    clearInterval(ticker);
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    clients: opts.clients,
    requests: sorted.length + errors,
    errors,
    seconds: round(seconds),
    rps: round((sorted.length + errors) / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}
