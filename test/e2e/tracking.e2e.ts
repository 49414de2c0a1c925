import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { recordTelemetry } from "../../lib/tracking/record-telemetry.ts";
import { type CreatedShipment, createShipment } from "../../lib/tracking/shipments.ts";
import type { ShipmentStatus } from "../../lib/tracking/statuses.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import { connectIfAsked, escrowCall, paidEscrowOrder, waitForState } from "./support/escrow-orders.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
// The app never sees device tokens: the test stores telemetry itself, so any secret will do as
// long as createShipment and recordTelemetry agree.
const SECRET = "neocart e2e tracking secret, only for this test file";

let db: Db;

beforeAll(async () => {
  const stack = webStack();
  db = createDb(stack.urls.database, { max: 2 });
});

afterAll(async () => {
  await closeDb(db);
});

/** An escrow order of the e2e product, paid by the shopper and marked shipped by the seller. */
async function shippedEscrowOrder() {
  const order = await paidEscrowOrder(db, "shopper");
  await escrowCall(account("seller"), "markShipped", order);
  await waitForState(order.chainOrderId, "shipped");
  return { id: order.id };
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
