// Accessibility and small screens: every main page, as the people who use it, checked with axe-core
// (WCAG 2 A/AA rules, in the page itself) and at a phone's width (360 px) for sideways scrolling.
// The root type check has no DOM library, so code run inside the page names what it reads.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { browserHarness, screenshot } from "./support/browser.ts";
import { signIn } from "./support/sign-in.ts";
import { account, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
type PageGlobals = {
  axe: { run(context: unknown, options: object): Promise<{ violations: Violation[] }> };
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    activeElement: { id: string; textContent: string | null } | null;
  };
};

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as PageGlobals;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

/** The page rendered itself, not the error page (which would pass axe just as well). */
async function expectRendered(page: Page, path: string): Promise<void> {
  expect(await page.locator("main h1").count(), `${path} has a heading`).toBeGreaterThan(0);
  expect(await page.getByText("Something went wrong").count(), `${path} rendered without an error`).toBe(0);
}

async function overflowX(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as PageGlobals).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

const publicPages = () => {
  const product = webStack().fixtures.product.slug;
  return [
    "/",
    "/search?q=phone",
    `/product/${product}`,
    "/cart",
    "/checkout",
    "/account",
    "/explorer",
    "/group-buys",
    "/search/image",
    "/empty",
  ];
};
const signedInPages = [
  { role: "shopper", paths: ["/orders", "/loyalty", "/account"] },
  { role: "seller", paths: ["/seller"] },
  { role: "admin", paths: ["/admin"] },
] as const;

describe("accessibility", () => {
  test("public pages have no serious WCAG 2 AA violations, in English and Spanish", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const found: Record<string, string[]> = {};
    for (const locale of ["en", "es"]) {
      await context.addCookies([{ name: "neocart_locale", value: locale, url: webStack().urls.app }]);
      for (const path of publicPages()) {
        await page.goto(path);
        await expectRendered(page, path);
        const problems = await seriousViolations(page);
        if (problems.length > 0) found[`${locale} ${path}`] = problems;
      }
    }
    expect(found).toEqual({});
  });

  test("signed-in pages have no serious WCAG 2 AA violations", async () => {
    const found: Record<string, string[]> = {};
    for (const { role, paths } of signedInPages) {
      const context = await browser.newContext();
      await signIn(context, account(role));
      const page = await context.newPage();
      for (const path of paths) {
        await page.goto(path);
        await expectRendered(page, path);
        const problems = await seriousViolations(page);
        if (problems.length > 0) found[`${role} ${path}`] = problems;
      }
    }
    expect(found).toEqual({});
  });

  test("pages fit a phone's width (360 px) without sideways scrolling", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const overflowing: Record<string, number> = {};
    for (const path of publicPages()) {
      await page.goto(path);
      const extra = await overflowX(page);
      if (extra > 1) overflowing[path] = extra;
    }
    await page.goto(`/product/${webStack().fixtures.product.slug}`);
    await screenshot(page, "product-phone-width");
    expect(overflowing).toEqual({});
  });

  test("the keyboard reaches the search box first after the skip link", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    await page.keyboard.press("Tab");
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent),
    ).toMatch(/skip/i);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe("main");
  });
});
