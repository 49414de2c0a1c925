// `npm run bench:charts`: draws bench/*.svg from the committed bench/*.json figures (gas per
// action against its budget, indexer throughput and latency, search latency by load, webhook
// throughput, storefront weight and latency, model quality against baselines), so a review shows
// at a glance what moved.
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

type WebBench = {
  baselineJsKb: number;
  routes: { route: string; jsOverBaselineKb: number; lcpMs: number | null }[];
  load: { route: string; p95Ms: number }[];
};
const web = await readJson<WebBench>("web.json");
if (web) {
  const watched = new Set(["home", "search", "product"]);
  charts["web-js.svg"] = {
    title: `JavaScript loaded before interactive, above the empty page (${web.baselineJsKb} kB)`,
    unit: "kB",
    bars: web.routes
      .filter((r) => r.route !== "baseline")
      .map((r) => ({ label: r.route, value: r.jsOverBaselineKb, max: watched.has(r.route) ? 30 : undefined })),
  };
  charts["web-latency.svg"] = {
    title: "Storefront pages: LCP in Chromium, and server p95 under 32 concurrent clients",
    unit: "ms",
    bars: [
      ...web.routes
        .filter((r) => watched.has(r.route) && r.lcpMs !== null)
        .map((r) => ({ label: `${r.route} LCP`, value: r.lcpMs ?? 0, max: 1_500 })),
      ...web.load.map((l) => ({
        label: `${l.route === "baseline" ? "empty page (floor)" : l.route} p95, 32 clients`,
        value: l.p95Ms,
        max: l.route === "baseline" ? undefined : 100,
      })),
    ],
  };
}

type MlBench = {
  recommender: { model: { hitRate10: number; ndcg10: number }; popularity: { hitRate10: number; ndcg10: number } };
  demand: { mape: number; baselineMape: number };
  fraud: { model: { precision: number; recall: number }; rules: { precision: number; recall: number } };
};
const ml = await readJson<MlBench>("ml.json");
if (ml) {
  charts["ml.svg"] = {
    title: "Model quality on held-out data (dashed line: the baseline to beat)",
    unit: "",
    bars: [
      {
        label: "recommender HR@10 vs popularity",
        value: ml.recommender.model.hitRate10,
        min: ml.recommender.popularity.hitRate10,
      },
      {
        label: "recommender NDCG@10 vs popularity",
        value: ml.recommender.model.ndcg10,
        min: ml.recommender.popularity.ndcg10,
      },
      { label: "fraud precision vs rules", value: ml.fraud.model.precision, min: ml.fraud.rules.precision },
      { label: "fraud recall vs rules", value: ml.fraud.model.recall, min: ml.fraud.rules.recall },
    ],
  };
  charts["ml-demand.svg"] = {
    title: "Demand forecast error on held-out weeks (lower is better; dashed: seasonal naive)",
    unit: "% MAPE",
    bars: [{ label: "demand forecast", value: ml.demand.mape, max: ml.demand.baselineMape }],
  };
}

for (const [file, chart] of Object.entries(charts)) {
  await writeFile(path.join(benchDir, file), renderBarChart(chart));
  console.log(`wrote bench/${file}`);
}
