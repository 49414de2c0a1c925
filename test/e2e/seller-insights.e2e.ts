// The models' inputs and widgets in Chromium: a signed-in shopper's add-to-cart is recorded for
// the recommender once, however hard they click; a seller sees the demand forecast (with a low-stock alert) and
// a price suggestion with its expected effect for their own product, and sets the limits the
// suggestion must stay in; an admin sees the fraud model's score beside the rules' in the queue.
// The models are trained here on the stack's own catalog (small synthetic history) into a folder
// of this file's, served by a second `next start` of the same build pointed at that folder, so the
// stack's app and the other test files never see them.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { keccakText } from "../../lib/catalog/deterministic-ids.ts";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { type TrainAllReport, trainAllModels } from "../../lib/ml/index.ts";
import { type AppServer, startApp } from "../../scripts/web/next-app.ts";
import { browserHarness, screenshot } from "./support/browser.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const SEED = "e2e-seller-insights";
let db: Db;
let modelsDir: string;
let report: TrainAllReport;
let app: AppServer;
let origin: string;
/** A buyer ordering in a burst from a brand-new wallet: a fraud queue case. */
const burstUser = randomUUID();
const burstWallet = `0x${randomUUID().replace(/-/g, "")}${"0".repeat(8)}`;
const burstOrders: string[] = [];

const browser = browserHarness(() => origin);

beforeAll(async () => {
  const stack = webStack();
  db = createDb(stack.urls.database, { max: 4 });
  modelsDir = await mkdtemp(path.join(os.tmpdir(), "neocart-e2e-models-"));
  report = await trainAllModels(db, {
    modelsDir,
    synthetic: { seed: SEED, users: 150, weeks: 104 },
    fraudExamples: 4_000,
  });
  // The test phone (only the e2e seller offers it) is forecast to sell more over the 2-week lead
  // time than its stock: the dashboard must warn.
  const version = report.models.find((m) => m.kind === "demand")?.version as string;
  const product = stack.fixtures.product.id;
  const weekly = Math.ceil(stack.fixtures.offer.stock / 2) + 50;
  await query("delete from commerce.demand_forecasts where product_id = $1", [product]);
  await query(
    `insert into commerce.demand_forecasts (product_id, week_start, units, model_version)
     select $1, (date_trunc('week', now()) + make_interval(weeks => h))::date, $2, $3 from generate_series(1, 8) h`,
    [product, weekly, version],
  );

  await query("insert into commerce.users (id, currency) values ($1, 'EUR')", [burstUser]);
  await query(
    "insert into commerce.wallets (address, user_id, linked_at) values ($1, $2, now() - interval '20 minutes')",
    [burstWallet, burstUser],
  );
  for (let k = 4; k >= 0; k--) {
    const id = randomUUID();
    await query(
      `insert into commerce.orders (id, kind, user_id, chain_order_id, currency, subtotal_minor, total_minor, status, created_at)
       values ($1, 'fiat', $2, $3, 'USD', $4, $4, 'paid', now() - make_interval(mins => $5))`,
      [id, burstUser, keccakText(`order:${id}`), stack.fixtures.offer.priceMinor, k * 3],
    );
    await query(
      `insert into commerce.order_items (order_id, offer_id, product_id, seller_id, quantity, unit_price_minor)
       values ($1, $2, $3, $4, 1, $5)`,
      [id, stack.fixtures.offer.id, product, stack.fixtures.sellerId, stack.fixtures.offer.priceMinor],
    );
    burstOrders.push(id);
  }

  // Beside the stack's app (+50: between the ports stacks at offsets of 100 use; +1500, as the
  // intelligence file once had, lands on the PostgreSQL of the stack at offset 0 when ours is 900).
  const port = stack.ports.app + 50;
  origin = `http://127.0.0.1:${port}`;
  app = await startApp({
    distDir: stack.distDir,
    port,
    env: { ...stack.appEnv, NEOCART_ORIGIN: origin, NEOCART_MODELS_DIR: modelsDir },
  });
}, 600_000);

afterAll(async () => {
  await app?.stop();
  // Leave the stack as we found it: no models, forecasts, synthetic history or test orders.
  const versions = report?.models.map((m) => m.version) ?? [];
  if (db) {
    await query("delete from commerce.order_items where order_id = any($1::uuid[])", [burstOrders]);
    await query("delete from commerce.orders where id = any($1::uuid[])", [burstOrders]);
    await query("delete from commerce.wallets where user_id = $1", [burstUser]);
    await query("delete from commerce.users where id = $1", [burstUser]);
    await query("delete from commerce.offer_price_bounds where offer_id = $1", [webStack().fixtures.offer.id]);
    await query("delete from commerce.demand_forecasts where model_version = any($1)", [versions]);
    await query("delete from commerce.ml_models where version = any($1)", [versions]);
    await query("delete from commerce.interactions where synthetic_seed = $1", [SEED]);
    await query("delete from commerce.product_price_weeks where synthetic_seed = $1", [SEED]);
    await closeDb(db);
  }
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

test("a seller sees the demand forecast, a low-stock alert and a price suggestion for their product", async () => {
  const { fixtures } = webStack();
  const context = await browser.newContext();
  await signIn(context, account("seller"));
  const page = await context.newPage();
  await page.goto("/seller");
  const card = page.getByTestId("seller-ml");
  await card.getByRole("heading", { name: "Demand and pricing" }).waitFor();

  const alerts = card.getByTestId("ml-low-stock");
  await expect.poll(() => alerts.textContent()).toContain("NeoCart E2E Test Phone");
  // Other files' purchases take stock of the same offer: the alert shows what is left now.
  const [offer] = await query<{ stock: number }>("select stock from commerce.offers where id = $1", [
    fixtures.offer.id,
  ]);
  expect(await alerts.textContent()).toContain(`${offer?.stock} in stock`);

  const listing = card.locator(`[data-testid="ml-listing"][data-offer-id="${fixtures.offer.id}"]`);
  const forecast = listing.getByTestId("ml-forecast");
  await forecast.waitFor();
  expect(await forecast.textContent()).toContain("demand model");
  expect(await forecast.locator("tbody tr").count()).toBe(8);

  const price = listing.getByTestId("ml-price");
  expect(await price.textContent()).toMatch(/Now \$25\.00: about [\d.]+ units/);
  expect(await listing.getByTestId("ml-suggested-price").textContent()).toMatch(
    /Suggested \$[\d.,]+: about [\d.]+ units, \$[\d.,]+ \([+-]?[\d.]+% revenue, [+-]?[\d.]+% units\)/,
  );
  // The elasticity comes from the trained price model, not the ε = 1 fallback.
  expect(await price.textContent()).toContain("demand model");
  await screenshot(page, "seller-insights");

  // The seller narrows the range; the suggestion stays inside it.
  await listing.getByTestId("ml-min").fill("24.50");
  await listing.getByTestId("ml-max").fill("25.50");
  await listing.getByTestId("ml-save-bounds").click();
  await listing.getByText("Saved: suggestions stay between $24.50 and $25.50.").waitFor();
  const bounds = await query<{ min: string; max: string }>(
    "select min_price_minor as min, max_price_minor as max from commerce.offer_price_bounds where offer_id = $1",
    [fixtures.offer.id],
  );
  expect(bounds).toEqual([{ min: "2450", max: "2550" }]);
  await page.reload();
  const suggested = await card
    .locator(`[data-testid="ml-listing"][data-offer-id="${fixtures.offer.id}"]`)
    .getByTestId("ml-suggested-price")
    .textContent();
  const value = Number(/Suggested \$([\d.]+)/.exec(suggested ?? "")?.[1]);
  expect(value).toBeGreaterThanOrEqual(24.5);
  expect(value).toBeLessThanOrEqual(25.5);
});

test("an admin sees the fraud model's score beside the rules' in the fraud queue", async () => {
  const context = await browser.newContext();
  await signIn(context, account("admin"));
  const page = await context.newPage();
  await page.goto("/admin");
  const queue = page.getByTestId("fraud-queue");
  await queue.waitFor();
  // The burst buyer: five orders in 12 minutes from a 20-minute-old wallet, in another currency.
  const row = queue
    .getByTestId("fraud-row")
    .filter({ has: page.locator(`[title="${burstWallet}"], a[href*="${burstWallet}"]`) });
  await row.waitFor();
  expect(await row.textContent()).toContain("5 orders in the last hour");
  const score = row.getByTestId("fraud-model-score");
  expect(await score.getAttribute("data-source")).toBe("model");
  expect(await score.textContent()).toMatch(/^\d{1,3}%fraud model/);
  expect(await score.locator(".badge").getAttribute("class")).toContain("badge-bad");
  expect(await score.textContent()).toMatch(/Why: /);
  await screenshot(page, "admin-fraud-model");
});

test("add to cart is recorded for the recommender once, even on a double click", async () => {
  const { fixtures } = webStack();
  const who = account("arbiter");
  const userId = fixtures.userIds.arbiter;
  const cartQuantity = async () =>
    (
      await query<{ n: number }>(
        `select coalesce(sum(i.quantity), 0)::int as n from commerce.cart_items i
           join commerce.carts c on c.id = i.cart_id where c.owner_user_id = $1 and i.offer_id = $2`,
        [userId, fixtures.offer.id],
      )
    )[0]?.n ?? 0;
  const cartEvents = async () =>
    (
      await query<{ n: number }>(
        "select count(*)::int as n from commerce.interactions where user_id = $1 and product_id = $2 and kind = 'cart'",
        [userId, fixtures.product.id],
      )
    )[0]?.n ?? 0;
  const quantityBefore = await cartQuantity();
  const eventsBefore = await cartEvents();
  const context = await browser.newContext();
  await signIn(context, who);
  const page = await context.newPage();
  try {
    await page.goto(`/product/${fixtures.product.slug}`);
    await page.getByTestId("product-title").waitFor();
    await page.getByTestId("add-to-cart").first().dblclick();
    await page.waitForURL(/\/cart/);
    // Both clicks reached the cart (two units), the recommender got one signal.
    await expect.poll(cartQuantity).toBe(quantityBefore + 2);
    await expect.poll(cartEvents).toBe(eventsBefore + 1);
    const [event] = await query<{ offer_id: string; usd: string }>(
      `select offer_id, unit_price_usd_minor as usd from commerce.interactions
        where user_id = $1 and kind = 'cart' order by id desc limit 1`,
      [userId],
    );
    expect(event).toEqual({ offer_id: fixtures.offer.id, usd: String(fixtures.offer.priceMinor) });
  } finally {
    // The arbiter's cart as it was (other files do not shop as the arbiter, but be tidy).
    await query(
      `update commerce.cart_items i set quantity = $3 from commerce.carts c
        where c.id = i.cart_id and c.owner_user_id = $1 and i.offer_id = $2 and $3 > 0`,
      [userId, fixtures.offer.id, quantityBefore],
    );
    if (quantityBefore === 0) {
      await query(
        `delete from commerce.cart_items i using commerce.carts c
          where c.id = i.cart_id and c.owner_user_id = $1 and i.offer_id = $2`,
        [userId, fixtures.offer.id],
      );
    }
  }
});
