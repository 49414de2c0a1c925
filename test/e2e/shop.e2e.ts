// Browsing as a shopper: home, search (header box, typo tolerance, facets), a product page in
// another language and currency, the 3D viewer, and the admin page refusing people without the role.
import { describe, expect, test } from "vitest";
import { browserHarness, screenshot, waitForHydration } from "./support/browser.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
/** expect.poll gives up after 1 s by default; pages on a busy machine take longer. */
const POLL = { timeout: 20_000 };

type ProblemPage = { problems: string[] };
/** Uncaught errors and server failures fail the test; other console noise is only reported. */
function expectNoBreakage(page: ProblemPage) {
  expect(page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"))).toEqual([]);
}

/** The number in "1,234 results" / "at least 1,234 results". */
function countIn(text: string | null): number {
  const digits = (text ?? "").match(/\d[\d.,\s]*/)?.[0].replace(/[^\d]/g, "");
  if (!digits) throw new Error(`no count in "${text}"`);
  return Number(digits);
}

describe("shop", () => {
  test("home shows product cards", async () => {
    const page = await browser.newPage();
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await page.getByTestId("product-card").first().waitFor();
    expect(await page.getByTestId("product-card").count()).toBeGreaterThan(3);
    await screenshot(page, "home");
    expectNoBreakage(page);
  });

  test("search from the header, typo tolerance and a narrowing facet", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    await page.locator("#header-q").fill("phone");
    await page.locator("#header-q").press("Enter");
    await page.waitForURL(/\/search\?q=phone/);
    await page.getByTestId("product-card").first().waitFor();
    const total = countIn(await page.getByTestId("result-count").textContent());
    expect(total).toBeGreaterThan(0);
    await screenshot(page, "search");

    // A misspelt query still finds the phones.
    await page.goto("/search?q=phnoe");
    await page.getByTestId("product-card").first().waitFor();
    expect(countIn(await page.getByTestId("result-count").textContent())).toBeGreaterThan(0);
    await screenshot(page, "search-typo");

    // A facet value that covers only part of the results narrows them to its count.
    await page.goto("/search?q=phone");
    const facetLinks = page.locator('[data-testid^="facet-"] li');
    const facets = await facetLinks.evaluateAll((items) =>
      items.map((li, index) => ({ index, count: Number((li.textContent ?? "").match(/\((\d+)\)\s*$/)?.[1] ?? 0) })),
    );
    const narrowing = facets.find((f) => f.count > 0 && f.count < total);
    expect(narrowing, `a facet value with fewer than ${total} results among ${JSON.stringify(facets)}`).toBeDefined();
    await facetLinks
      .nth(narrowing?.index ?? 0)
      .locator("a")
      .click();
    await expect
      .poll(async () => countIn(await page.getByTestId("result-count").textContent()), POLL)
      .toBeLessThan(total);
    expect(countIn(await page.getByTestId("result-count").textContent())).toBe(narrowing?.count);
    await screenshot(page, "search-facet");
    expectNoBreakage(page);
  });

  test("product page: offers, then Spanish and euros", async () => {
    const { product, offer } = webStack().fixtures;
    const page = await browser.newPage();
    await page.goto(`/product/${product.slug}`);
    await expect.poll(() => page.getByTestId("product-title").textContent(), POLL).toContain(product.title);
    expect(await page.getByTestId("offer-row").count()).toBeGreaterThanOrEqual(1);
    const usd = (await page.getByTestId("offer-price").first().textContent()) ?? "";
    expect(usd).toContain(`$${(offer.priceMinor / 100).toFixed(2)}`);
    await screenshot(page, "product");

    await page.getByTestId("locale-select").selectOption("es");
    await page.getByTestId("currency-select").selectOption("EUR");
    await page.locator("form.prefs button[type=submit]").click();
    await expect.poll(() => page.locator("html").getAttribute("lang"), POLL).toBe("es");
    await page.waitForURL(new RegExp(`/product/${product.slug}$`));

    const [rate] = await query<{ rate: string }>(
      "select rate from commerce.fx_rates where base = 'USD' and quote = 'EUR'",
    );
    const eur = (await page.getByTestId("offer-price").first().textContent()) ?? "";
    expect(eur).toContain("€");
    const amount = Number(eur.replace(/[^\d,]/g, "").replace(",", "."));
    expect(amount).toBeCloseTo((offer.priceMinor / 100) * Number(rate?.rate), 0);
    expect(await page.getByTestId("view-3d").textContent()).toContain("Ver en 3D / RA");
    expect(await page.getByTestId("product-title").textContent()).toContain("Teléfono de prueba E2E de NeoCart");
    await screenshot(page, "product-es-eur");
    expectNoBreakage(page);
  });

  test("View in 3D / AR loads model-viewer and the model", async () => {
    const { product } = webStack().fixtures;
    const page = await browser.newPage();
    await page.goto(`/product/${product.slug}`);
    const before = await page.evaluate("customElements.get('model-viewer') === undefined");
    expect(before, "model-viewer is loaded only when asked for").toBe(true);
    await waitForHydration(page, page.getByTestId("view-3d"));
    await page.getByTestId("view-3d").click();
    const viewer = page.getByTestId("model-viewer");
    await viewer.waitFor();
    // A function, not a string: the page's CSP (no 'unsafe-eval') refuses string predicates.
    await viewer.evaluate(
      (element) =>
        new Promise<void>((resolve) => {
          const viewerElement = element as unknown as {
            loaded: boolean;
            addEventListener(t: string, f: () => void): void;
          };
          if (viewerElement.loaded) resolve();
          else viewerElement.addEventListener("load", () => resolve());
        }),
    );
    // React 19 sets a custom element's known properties as properties, not attributes.
    expect(await viewer.evaluate((element) => (element as unknown as { src: string }).src)).toMatch(/\.glb$/);
    await screenshot(page, "product-3d");
    expectNoBreakage(page);
  });

  test("the admin page refuses a signed-out visitor and a shopper, showing no admin data", async () => {
    const signedOut = await browser.newPage();
    await signedOut.goto("/admin");
    await signedOut.getByTestId("access-denied").waitFor();
    expect(await signedOut.getByTestId("access-denied").textContent()).toMatch(/sign in/i);
    expect(await signedOut.locator('[data-testid^="admin-"]').count()).toBe(0);
    await screenshot(signedOut, "admin-signed-out");

    const context = await browser.newContext();
    await signIn(context, account("shopper"));
    const shopper = await context.newPage();
    await shopper.goto("/admin");
    await shopper.getByTestId("access-denied").waitFor();
    expect(await shopper.getByTestId("access-denied").textContent()).toMatch(/role/i);
    expect(await shopper.locator('[data-testid^="admin-"]').count()).toBe(0);
    await screenshot(shopper, "admin-shopper");
  });
});
