// `npm run bench:charts`: draws bench/*.svg from the committed bench/*.json figures (gas per
// action against its budget, indexer throughput and latency, search latency by load, webhook
// throughput), so a review shows at a glance what moved.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type BarChart, renderBarChart } from "./bar-chart.ts";

const benchDir = path.resolve(import.meta.dirname, "..", "..", "bench");

async function readJson<T>(name: string): Promise<T | undefined> {
  const file = path.join(benchDir, name);
  return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as T) : undefined;
}

type GasBench = { actions: Record<string, { gas: number; budget: number | null }> };
type IndexerBench = {
  backfill: { eventsPerSecond: number; eventsPerSecondIncludingStartup: number };
  latency: { medianMs: number; p95Ms: number; maxMs: number };
};
type SearchLevel = { clients: number; p50: number; p95: number; p99: number };
type SearchBench = {
  runs: Record<string, { levels: SearchLevel[]; uncachedLevels?: SearchLevel[]; goal: { p95MsAt16Clients: number } }>;
};
type WebhookBench = { deliveriesPerSecond: number; latencyMs: { p50: number; p95: number; p99: number } };

const charts: Record<string, BarChart> = {};

const gas = await readJson<GasBench>("gas.json");
if (gas) {
  charts["gas.svg"] = {
    title: "Gas per user action, receipt gas incl. 21,000 base",
    unit: "gas",
    bars: Object.entries(gas.actions).map(([label, a]) => ({ label, value: a.gas, max: a.budget ?? undefined })),
  };
}

const indexer = await readJson<IndexerBench>("indexer.json");
if (indexer) {
  charts["indexer-throughput.svg"] = {
    title: "Indexer backfill throughput",
    unit: "events/s",
    bars: [
      { label: "backfill (Ponder's own window)", value: indexer.backfill.eventsPerSecond, min: 3_000 },
      { label: "including process start", value: indexer.backfill.eventsPerSecondIncludingStartup },
    ],
  };
  charts["indexer-latency.svg"] = {
    title: "Mined block to row visible through the REST API",
    unit: "ms",
    bars: [
      { label: "median", value: indexer.latency.medianMs },
      { label: "p95", value: indexer.latency.p95Ms, max: 500 },
      { label: "max", value: indexer.latency.maxMs },
    ],
  };
}

const search = await readJson<SearchBench>("search.json");
if (search) {
  charts["search.svg"] = {
    title: "Search latency by catalog size and concurrent clients",
    unit: "ms",
    // Cached and uncached side by side: the result cache helps repeated queries only, so the
    // uncached bars are the honest figure for a query nobody asked in the last 30 s.
    bars: Object.entries(search.runs).flatMap(([products, run]) =>
      (
        [
          ["result cache warm", run.levels],
          ["no cache", run.uncachedLevels ?? []],
        ] as const
      ).flatMap(([mode, levels]) =>
        levels.map((level) => ({
          label: `${Number(products).toLocaleString("en-US")} products, ${level.clients} clients, ${mode}, p95`,
          value: level.p95,
          max: level.clients === 16 ? run.goal.p95MsAt16Clients : undefined,
        })),
      ),
    ),
  };
}

const webhooks = await readJson<WebhookBench>("webhooks.json");
if (webhooks) {
  charts["webhooks.svg"] = {
    title: "Webhook handling, 20% duplicates and 5% forged",
    unit: "ms",
    bars: [
      { label: "p50", value: webhooks.latencyMs.p50 },
      { label: "p95", value: webhooks.latencyMs.p95 },
      { label: "p99", value: webhooks.latencyMs.p99 },
    ],
  };
}

for (const [file, chart] of Object.entries(charts)) {
  await writeFile(path.join(benchDir, file), renderBarChart(chart));
  console.log(`wrote bench/${file}`);
}
