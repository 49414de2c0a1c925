// One cold page load in Chromium, measured the way a shopper's first visit feels it: the
// compressed JavaScript transferred before the page is interactive (load event, then no request
// for 500 ms), Largest Contentful Paint, and Total Blocking Time (long tasks beyond 50 ms after
// First Contentful Paint, up to that quiet point).
import type { Browser } from "playwright-core";

export type PageMeasurement = {
  /** Bytes on the wire (compressed, with headers) of every script response before interactive. */
  jsBytes: number;
  scripts: number;
  /** Every response's bytes, for context (HTML, CSS, fonts, images, RSC prefetches). */
  totalBytes: number;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number;
  /** When the page went quiet (ms after navigation start). */
  interactiveMs: number;
  status: number;
};

// Runs before the page's own scripts; not subject to the page's CSP.
const observers = `(() => {
  const m = { lcp: null, fcp: null, longTasks: [] };
  Object.defineProperty(window, "__neocartBench", { value: m });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) m.lcp = e.renderTime || e.loadTime || e.startTime; })
      .observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === "first-contentful-paint") m.fcp = e.startTime; })
      .observe({ type: "paint", buffered: true });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) m.longTasks.push([e.startTime, e.duration]); })
      .observe({ type: "longtask", buffered: true });
  } catch (error) { console.error("bench observers", error); }
})();`;

export async function measurePage(
  browser: Browser,
  url: string,
  options: { quietMs?: number; maxWaitMs?: number } = {},
): Promise<PageMeasurement> {
  const quietMs = options.quietMs ?? 500;
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  try {
    await context.addInitScript({ content: observers });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });

    const typeOf = new Map<string, string>();
    const inflight = new Set<string>();
    let lastActivity = performance.now();
    let jsBytes = 0;
    let scripts = 0;
    let totalBytes = 0;
    let counting = true;
    cdp.on("Network.requestWillBeSent", (e) => {
      inflight.add(e.requestId);
      typeOf.set(e.requestId, e.type ?? "Other");
      lastActivity = performance.now();
    });
    cdp.on("Network.responseReceived", (e) => typeOf.set(e.requestId, e.type));
    cdp.on("Network.loadingFinished", (e) => {
      inflight.delete(e.requestId);
      lastActivity = performance.now();
      if (!counting) return;
      totalBytes += e.encodedDataLength;
      if (typeOf.get(e.requestId) === "Script") {
        jsBytes += e.encodedDataLength;
        scripts += 1;
      }
    });
    cdp.on("Network.loadingFailed", (e) => {
      inflight.delete(e.requestId);
      lastActivity = performance.now();
    });

    const started = performance.now();
    const response = await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    while (performance.now() - started < maxWaitMs) {
      if (inflight.size === 0 && performance.now() - lastActivity >= quietMs) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    counting = false;
    const interactiveMs = performance.now() - started;
    const raw = (await page.evaluate("JSON.stringify(window.__neocartBench)")) as string;
    const m = JSON.parse(raw) as { lcp: number | null; fcp: number | null; longTasks: [number, number][] };
    const fcp = m.fcp ?? 0;
    const tbtMs = m.longTasks
      .filter(([start]) => start >= fcp && start <= interactiveMs)
      .reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);
    return {
      jsBytes,
      scripts,
      totalBytes,
      fcpMs: m.fcp,
      lcpMs: m.lcp,
      tbtMs,
      interactiveMs,
      status: response?.status() ?? 0,
    };
  } finally {
    await context.close();
  }
}
