// `npm run bench:web`: the storefront's weight and speed on the production build of the e2e
// stack (scripts/web/start-web-stack.ts; attaches to one already running, else starts and stops
// its own). In Debian's Chromium, each route loaded cold `--runs` times (median): compressed
// JavaScript before interactive against the empty page (/empty, the framework and layout alone),
// LCP and TBT. Then server response times for /, /search and /product under 32 concurrent clients
// (`--seconds` per route or `--requests`, whichever ends first). Prints a table, writes bench/web.json.
// Goals (issue 5): home/search/product JS ≤ baseline + 30 kB, LCP < 1.5 s, p95 < 100 ms.
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { repoRoot } from "../stack/child-process.ts";
import { type LoadResult, loadTest } from "../web/load-test.ts";
import { measurePage, type PageMeasurement } from "../web/measure-page.ts";
import { attachToWebStack, startWebStack, type WebStackInfo } from "../web/start-web-stack.ts";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "20" },
    requests: { type: "string", default: "2000" },
    clients: { type: "string", default: "32" },
  },
});
const RUNS = Number(args.runs);
const CLIENTS = Number(args.clients);
const GOAL_JS_OVER_BASELINE_KB = 30;
const GOAL_LCP_MS = 1_500;
const GOAL_P95_MS = 100;
const outFile = path.join(repoRoot, "bench", "web.json");
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-dev-shm-usage",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
];

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

type RouteName = "baseline" | "home" | "search" | "product" | "cart" | "checkout";
type RouteResult = {
  route: RouteName;
  path: string;
  jsKb: number;
  jsOverBaselineKb: number;
  scripts: number;
  totalKb: number;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number;
  interactiveMs: number;
  runs: PageMeasurement[];
};

function routesOf(stack: WebStackInfo): { route: RouteName; path: string }[] {
  return [
    { route: "baseline", path: "/empty" },
    { route: "home", path: "/" },
    { route: "search", path: "/search?q=phone" },
    { route: "product", path: `/product/${stack.fixtures.modelProduct.slug}` },
    { route: "cart", path: "/cart" },
    { route: "checkout", path: `/checkout/wallet?offer=${stack.fixtures.offer.id}&qty=1` },
  ];
}

async function main() {
  const started = performance.now();
  let stop: (() => Promise<void>) | undefined;
  let stack = await attachToWebStack();
  if (stack) log(`web bench: using the e2e stack running at ${stack.urls.app}`);
  else {
    log("web bench: starting the e2e stack (production build)…");
    const started = await startWebStack({ log });
    stop = started.stop;
    stack = started;
  }
  try {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
    const pages: RouteResult[] = [];
    const missing: { route: RouteName; path: string; status: number }[] = [];
    try {
      // One unmeasured visit per route: the server's first render of a route compiles and caches.
      for (const { route, path: p } of routesOf(stack)) {
        log(`web bench: warming ${route}…`);
        await measurePage(browser, `${stack.urls.app}${p}`);
      }
      for (const { route, path: p } of routesOf(stack)) {
        const runs: PageMeasurement[] = [];
        for (let i = 0; i < RUNS; i++) {
          const m = await measurePage(browser, `${stack.urls.app}${p}`);
          runs.push(m);
          if (m.status >= 400) {
            log(`  ${route.padEnd(9)} ${p} answered ${m.status}: not measured (is the build older than the page?)`);
            break;
          }
          log(
            `  ${route.padEnd(9)} run ${i + 1}/${RUNS}: JS ${kb(m.jsBytes)} kB in ${m.scripts} scripts, LCP ${Math.round(m.lcpMs ?? 0)} ms, TBT ${Math.round(m.tbtMs)} ms`,
          );
        }
        if (runs.some((r) => r.status >= 400)) {
          missing.push({ route, path: p, status: runs.at(-1)?.status ?? 0 });
          continue;
        }
        const lcps = runs.map((r) => r.lcpMs).filter((v): v is number => v !== null);
        const fcps = runs.map((r) => r.fcpMs).filter((v): v is number => v !== null);
        pages.push({
          route,
          path: p,
          jsKb: kb(median(runs.map((r) => r.jsBytes))),
          jsOverBaselineKb: 0,
          scripts: median(runs.map((r) => r.scripts)),
          totalKb: kb(median(runs.map((r) => r.totalBytes))),
          fcpMs: fcps.length ? Math.round(median(fcps)) : null,
          lcpMs: lcps.length ? Math.round(median(lcps)) : null,
          tbtMs: Math.round(median(runs.map((r) => r.tbtMs))),
          interactiveMs: Math.round(median(runs.map((r) => r.interactiveMs))),
          runs,
        });
      }
    } finally {
      await browser.close();
    }
    const baseline = pages.find((p) => p.route === "baseline")?.jsKb ?? 0;
    for (const p of pages) p.jsOverBaselineKb = Math.round((p.jsKb - baseline) * 10) / 10;

    const load: (LoadResult & { route: RouteName; path: string })[] = [];
    // The empty page under the same load is the framework's own floor on this machine: it shows how
    // much of each page's latency is ours.
    for (const { route, path: p } of routesOf(stack).filter((r) =>
      ["baseline", "home", "search", "product"].includes(r.route),
    )) {
      log(`web bench: ${route} under ${CLIENTS} clients…`);
      const result = await loadTest({
        url: `${stack.urls.app}${p}`,
        clients: CLIENTS,
        durationMs: Number(args.seconds) * 1000,
        maxRequests: Number(args.requests),
        onProgress: (done, ms) => log(`  ${done} requests in ${(ms / 1000).toFixed(0)} s`),
      });
      load.push({ route, path: p, ...result });
    }

    const watched = pages.filter((p) => ["home", "search", "product"].includes(p.route));
    const goals = {
      jsOverBaseline: {
        goalKb: GOAL_JS_OVER_BASELINE_KB,
        met: watched.length === 3 && watched.every((p) => p.jsOverBaselineKb <= GOAL_JS_OVER_BASELINE_KB),
      },
      lcp: { goalMs: GOAL_LCP_MS, met: watched.every((p) => p.lcpMs !== null && p.lcpMs < GOAL_LCP_MS) },
      p95: {
        goalMs: GOAL_P95_MS,
        met: load.filter((l) => l.route !== "baseline").every((l) => l.p95Ms < GOAL_P95_MS && l.errors === 0),
      },
    };

    console.log("\nroute      path                                   JS kB  +base kB  scripts  FCP ms  LCP ms  TBT ms");
    for (const p of pages) {
      console.log(
        `${p.route.padEnd(10)} ${p.path.slice(0, 38).padEnd(38)} ${String(p.jsKb).padStart(6)}  ${String(p.jsOverBaselineKb).padStart(8)}  ${String(p.scripts).padStart(7)}  ${String(p.fcpMs ?? "-").padStart(6)}  ${String(p.lcpMs ?? "-").padStart(6)}  ${String(p.tbtMs).padStart(6)}`,
      );
    }
    for (const m of missing)
      console.log(`${m.route.padEnd(10)} ${m.path.slice(0, 38).padEnd(38)} answered ${m.status}`);
    console.log(
      `\nserver, ${CLIENTS} concurrent clients:\nroute      requests  errors    rps   p50 ms  p95 ms  p99 ms`,
    );
    for (const l of load) {
      console.log(
        `${l.route.padEnd(10)} ${String(l.requests).padStart(8)}  ${String(l.errors).padStart(6)}  ${String(l.rps).padStart(5)}  ${String(l.p50Ms).padStart(7)}  ${String(l.p95Ms).padStart(6)}  ${String(l.p99Ms).padStart(6)}`,
      );
    }
    console.log(
      `\ngoals: JS ≤ baseline + ${GOAL_JS_OVER_BASELINE_KB} kB ${goals.jsOverBaseline.met ? "met" : "NOT met"}; LCP < ${GOAL_LCP_MS} ms ${goals.lcp.met ? "met" : "NOT met"}; p95 < ${GOAL_P95_MS} ms ${goals.p95.met ? "met" : "NOT met"}`,
    );

    const report = {
      generatedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadAverage: os.loadavg(),
        node: process.version,
      },
      setup: {
        build: `next build (production) in ${stack.distDir}, served by next start`,
        browser: "Debian Chromium, headless, cold context per run (cache disabled), no CPU or network throttling",
        runsPerRoute: RUNS,
        jsBytes:
          "sum of CDP Network.loadingFinished encodedDataLength (compressed, with headers) of Script responses until the load event plus 500 ms without requests",
        tbt: "long tasks after FCP until that quiet point, minus 50 ms each",
        load: `${CLIENTS} concurrent fetch loops per route for ${args.seconds} s or ${args.requests} requests, after 50 warm-up requests`,
        catalogProducts: 300,
      },
      baselineJsKb: baseline,
      routes: pages,
      notMeasured: missing,
      load,
      goals,
      seconds: Math.round((performance.now() - started) / 1000),
    };
    await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${path.relative(repoRoot, outFile)}`);
  } finally {
    await stop?.();
  }
}

await main();
