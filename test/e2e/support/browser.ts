// Debian's Chromium driven by playwright-core: one browser per test file, a fresh context (no
// cookies, storage or wallet permission carried over) per test, screenshots under
// test-results/screenshots/ (ignored by git).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { repoRoot } from "../../../scripts/stack/child-process.ts";

export const CHROMIUM_PATH = process.env.NEOCART_CHROMIUM ?? "/usr/bin/chromium";

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-dev-shm-usage",
  // WebGL (model-viewer) on the CPU through SwiftShader, in the GPU process. Not --disable-gpu:
  // with it WebGL runs inside the page's renderer and the first frame's shader compilation
  // freezes the page for 15-25 s.
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--ignore-gpu-blocklist",
];

export const screenshotDir = path.join(repoRoot, "test-results", "screenshots");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs, headless: true });
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^a-zA-Z0-9_.-]+/g, "-")}.png`);
  // Generous: the first frame after WebGL starts (model-viewer) takes SwiftShader ~30 s on a busy machine.
  await page.screenshot({ path: file, fullPage: true, timeout: 90_000 });
  return file;
}

export type BrowserHarness = {
  readonly browser: Browser;
  /** A fresh context (closed after the test) with the app's origin as baseURL. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh context; console errors and failed requests are collected on `problems`. */
  newPage(options?: BrowserContextOptions): Promise<Page & { problems: string[] }>;
};

/**
 * Registers the hooks: Chromium starts before the file's tests and closes after; every context
 * made through the harness closes after its test. `baseURL` makes `page.goto("/search")` work.
 */
export function browserHarness(baseURL: string | (() => string)): BrowserHarness {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const base = () => (typeof baseURL === "function" ? baseURL() : baseURL);

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => {});
  });
  afterAll(async () => {
    await browser?.close();
  });

  const harness: BrowserHarness = {
    get browser() {
      if (!browser) throw new Error("the browser starts in beforeAll; use it inside tests or hooks");
      return browser;
    },
    async newContext(options = {}) {
      const context = await harness.browser.newContext({ baseURL: base(), locale: "en-US", ...options });
      context.setDefaultTimeout(20_000);
      context.setDefaultNavigationTimeout(45_000);
      contexts.push(context);
      return context;
    },
    async newPage(options = {}) {
      const context = await harness.newContext(options);
      return trackProblems(await context.newPage());
    },
  };
  return harness;
}

/** Adds `problems`: console errors, uncaught page errors and failed or 5xx responses, for assertions and debugging. */
export function trackProblems(page: Page): Page & { problems: string[] } {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // Navigations away abort in-flight requests; that is not a problem of the page.
    if (failure !== "net::ERR_ABORTED") problems.push(`request failed: ${request.url()} (${failure})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return Object.assign(page, { problems });
}

/**
 * Waits until React has hydrated the element (its fiber is attached), so a click reaches the
 * component's handler instead of the server HTML. Without a locator: the page's <body>.
 */
export async function waitForHydration(page: Page, locator?: Locator, timeout = 30_000): Promise<void> {
  const target = locator ?? page.locator("body");
  await target.waitFor({ timeout });
  await target.evaluate(
    (element, until) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (Object.keys(element).some((key) => key.startsWith("__reactProps$"))) return resolve();
          if (Date.now() - started > until) return reject(new Error("the element was not hydrated by React"));
          setTimeout(check, 50);
        };
        check();
      }),
    timeout,
  );
}
