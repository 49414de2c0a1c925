// Live parcel tracking on /orders: an escrow order bought and marked shipped on chain, a shipment
// created for it, then telemetry stored the way the ingester stores it (recordTelemetry, which
// NOTIFYs); the page's EventSource must move the panel to in_transit and then delivered, and then
// prompt the buyer to confirm delivery, pointing at the escrow's confirm button.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, expect, test } from "vitest";
import { addCartItem, createCart } from "../../lib/cart/index.ts";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { createEscrowCheckout } from "../../lib/orders/index.ts";
import { loadQuoteSigners } from "../../lib/quotes/signer-keys.ts";
import { recordTelemetry } from "../../lib/tracking/record-telemetry.ts";
import { type CreatedShipment, createShipment } from "../../lib/tracking/shipments.ts";
import type { ShipmentStatus } from "../../lib/tracking/statuses.ts";
import type { DevAccount } from "../../scripts/web/dev-accounts.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const INDEXED_TIMEOUT_MS = 60_000;
// The app never sees device tokens: the test stores telemetry itself, so any secret will do as
// long as createShipment and recordTelemetry agree.
const SECRET = "neocart e2e tracking secret, only for this test file";

let db: Db;
let contracts: { Escrow: Address; Reviews: Address };

beforeAll(async () => {
  const stack = webStack();
  db = createDb(stack.urls.database, { max: 2 });
  const record = JSON.parse(await readFile(stack.deploymentFile, "utf8")) as {
    contracts: Record<string, { address: Address }>;
  };
  contracts = {
    Escrow: record.contracts.Escrow?.address as Address,
    Reviews: record.contracts.Reviews?.address as Address,
  };
});

afterAll(async () => {
  await closeDb(db);
});

const walletOf = (who: DevAccount) =>
  createWalletClient({
    account: privateKeyToAccount(who.privateKey),
    chain: { ...hardhat, id: webStack().chainId },
    transport: http(webStack().urls.rpc),
  });

async function mined(sent: Promise<Hex>) {
  const receipt = await createPublicClient({ transport: http(webStack().urls.rpc) }).waitForTransactionReceipt({
    hash: await sent,
  });
  expect(receipt.status).toBe("success");
}

async function waitForState(orderId: string, state: string) {
  await expect
    .poll(
      async () =>
        (
          await query<{ state: string }>(`select state from "${webStack().viewsSchema}".escrow_order where id = $1`, [
            orderId,
          ])
        )[0]?.state,
      { timeout: INDEXED_TIMEOUT_MS, interval: 300 },
    )
    .toBe(state);
}

/** An escrow order of the e2e product, paid by the shopper and marked shipped by the seller. */
async function shippedEscrowOrder() {
  const stack = webStack();
  const who = account("shopper");
  const userId = stack.fixtures.userIds.shopper;
  const cart = await createCart(db, { ownerUserId: userId });
  await addCartItem(db, { via: "owner", cartId: cart.id, userId }, { offerId: stack.fixtures.offer.id, quantity: 1 });
  const checkout = await createEscrowCheckout(
    db,
    { cartId: cart.id, buyerAddress: who.address, userId, currency: "USD" },
    {
      signers: loadQuoteSigners(stack.appEnv),
      chain: { chainId: stack.chainId, escrow: contracts.Escrow, reviews: contracts.Reviews },
    },
  );
  await mined(
    walletOf(who).writeContract({
      address: contracts.Escrow,
      abi: escrowAbi,
      functionName: "checkout",
      args: [checkout.quote, checkout.signature],
      value: checkout.value,
    }),
  );
  await waitForState(checkout.quote.orderId, "paid");
  await mined(
    walletOf(account("seller")).writeContract({
      address: contracts.Escrow,
      abi: escrowAbi,
      functionName: "markShipped",
      args: [checkout.quote.orderId, checkout.quote.order],
    }),
  );
  await waitForState(checkout.quote.orderId, "shipped");
  return { id: checkout.order.id };
}

/** Stores one reading as the ingester would (checked, stored, NOTIFYed). */
async function report(
  created: CreatedShipment,
  seq: number,
  status: ShipmentStatus,
  position: { lat: number; lon: number },
  carbon: number,
) {
  const payload = JSON.stringify({
    shipmentId: created.shipment.id,
    deviceId: "e2e-tracker-1",
    seq,
    timestamp: new Date().toISOString(),
    position,
    status,
    temperatureC: 18.5 + seq / 10,
    carbonGramsCo2e: carbon,
    token: created.deviceToken,
  });
  const outcome = await recordTelemetry(db, { topic: created.topic, payload }, { secret: SECRET });
  expect(outcome.kind).toBe("stored");
}

async function connectIfAsked(page: Page) {
  const gate = page.getByTestId("wallet-connect").first();
  if ((await gate.count()) === 0) return;
  await gate.getByTestId("rk-connect-button").click();
  await page
    .locator('[data-testid="rk-wallet-option-dev.neocart.testwallet"], [data-testid="rk-wallet-option-injected"]')
    .first()
    .click();
  await expect.poll(() => page.getByTestId("wallet-connect").count(), { timeout: 15_000 }).toBe(0);
}

test("the order page follows a parcel live and prompts to confirm once it is delivered", async () => {
  const order = await shippedEscrowOrder();
  const created = await createShipment(
    db,
    {
      orderId: order.id,
      carrier: "NeoCart Drone",
      deliveryOption: "drone",
      eta: new Date(Date.now() + 3_600_000),
      carbonEstimateGrams: 40,
    },
    { secret: SECRET },
  );

  const context = await browser.newContext();
  await installTestWallet(context, { privateKey: account("shopper").privateKey, rpcUrl: webStack().urls.rpc });
  await signIn(context, account("shopper"));
  const page = trackProblems(await context.newPage());
  await page.goto("/orders");
  const row = page.locator(`[data-testid="order-row"][data-order-id="${order.id}"]`);
  const panel = row.locator(`[data-testid="tracking-panel"][data-shipment-id="${created.shipment.id}"]`);
  await panel.waitFor();
  // The stream is open (snapshot received) before anything is reported, so what follows is live.
  await expect.poll(() => panel.getAttribute("data-connection"), { timeout: 20_000 }).toBe("open");
  expect(await panel.getAttribute("data-status")).toBe("label_created");
  expect(await panel.getByTestId("tracking-map-empty").count()).toBe(1);
  expect(await panel.getByTestId("tracking-confirm-prompt").count()).toBe(0);

  await report(created, 0, "picked_up", { lat: 37.7705, lon: -122.387 }, 2);
  await report(created, 1, "in_transit", { lat: 37.7665, lon: -122.398 }, 12.5);
  await expect.poll(() => panel.getAttribute("data-status"), { timeout: 20_000 }).toBe("in_transit");
  await expect.poll(() => panel.getByTestId("tracking-position").textContent()).toBe("37.7665, -122.3980");
  expect(await panel.getByTestId("tracking-carbon").textContent()).toContain("12.5");
  expect(await panel.getByTestId("tracking-temperature").textContent()).toContain("18.6");
  expect(await panel.getByTestId("tracking-announcement").textContent()).toContain("In transit");
  expect(await panel.getByTestId("tracking-map").getAttribute("data-points")).toBe("2");
  expect(await panel.getByTestId("tracking-map").getAttribute("role")).toBe("img");
  expect(await panel.getByTestId("tracking-confirm-prompt").count()).toBe(0);
  await screenshot(page, "orders-tracking-in-transit");

  await report(created, 2, "out_for_delivery", { lat: 37.7621, lon: -122.409 }, 18);
  await report(created, 3, "delivered", { lat: 37.7599, lon: -122.4148 }, 21.25);
  await expect.poll(() => panel.getAttribute("data-status"), { timeout: 20_000 }).toBe("delivered");
  expect(await panel.getByTestId("tracking-map").getAttribute("data-points")).toBe("4");
  const prompt = panel.getByTestId("tracking-confirm-prompt");
  await prompt.waitFor();
  expect(await prompt.textContent()).toContain("Delivered — confirm to release payment");
  await screenshot(page, "orders-tracking-delivered");

  // The prompt leads to the escrow's own confirm control (there once the wallet is connected).
  await connectIfAsked(page);
  await row.getByTestId("confirm-delivery").waitFor();
  await panel.getByTestId("tracking-confirm-go").click();
  await expect
    .poll(() =>
      page.evaluate(() => {
        const active = (
          globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
        ).document.activeElement;
        return active?.getAttribute("data-testid") ?? null;
      }),
    )
    .toBe("confirm-delivery");
  expect(page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"))).toEqual([]);
});
