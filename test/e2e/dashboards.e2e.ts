import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import {
  chainState,
  connectIfAsked,
  escrowCall,
  INDEXED_TIMEOUT_MS,
  paidEscrowOrder,
  publicClient,
  stackContracts,
  waitForState,
} from "./support/escrow-orders.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);

let db: Db;
let contracts: { Escrow: Address; Reviews: Address };

beforeAll(async () => {
  const stack = webStack();
  db = createDb(stack.urls.database, { max: 2 });
  contracts = await stackContracts();
});

afterAll(async () => {
  await closeDb(db);
});

async function signedInPage(part: "admin" | "arbiter" | "seller" | "shopper" | "shopper2", withWallet = true) {
  const who = account(part);
  const context = await browser.newContext();
  if (withWallet) await installTestWallet(context, { privateKey: who.privateKey, rpcUrl: webStack().urls.rpc });
  await signIn(context, who);
  return trackProblems(await context.newPage());
}

const serverErrors = (page: { problems: string[] }) =>
  page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"));

describe("dashboards", () => {
  test("a non-admin is refused /admin and sees none of its data", async () => {
    for (const part of ["shopper", "seller"] as const) {
      const page = await signedInPage(part, false);
      await page.goto("/admin");
      await page.getByTestId("access-denied").waitFor();
      expect(await page.getByTestId("dispute-row").count()).toBe(0);
      expect(await page.getByTestId("user-row").count()).toBe(0);
      expect(await page.getByTestId("fraud-queue").count()).toBe(0);
      if (part === "shopper") await screenshot(page, "admin-refused");
    }
    const anonymous = await browser.newPage();
    await anonymous.goto("/admin");
    await anonymous.getByTestId("access-denied").waitFor();
  });

  test("the shopper confirms delivery, writes a review and sees it verified", async () => {
    const order = await paidEscrowOrder(db, "shopper");
    await escrowCall(account("seller"), "markShipped", order);
    await waitForState(order.chainOrderId, "shipped");

    const page = await signedInPage("shopper");
    await page.goto("/orders");
    const row = page.locator(`[data-testid="order-row"][data-order-id="${order.id}"]`);
    await expect.poll(() => row.getByTestId("order-status").getAttribute("data-status")).toBe("shipped");
    await connectIfAsked(page);
    await row.getByTestId("confirm-delivery").click();
    await expect
      .poll(() => row.getByTestId("order-status").getAttribute("data-status"), { timeout: INDEXED_TIMEOUT_MS })
      .toBe("completed");
    await waitForState(order.chainOrderId, "completed");

    const text = `Arrived fast and works well (e2e ${order.chainOrderId.slice(2, 10)}).`;
    await row.getByTestId("review-rating").selectOption("4");
    await row.getByTestId("review-text").fill(text);
    await row.getByTestId("submit-review").click();
    await row.getByTestId("review-verified").waitFor({ timeout: INDEXED_TIMEOUT_MS });
    await screenshot(page, "orders-review-verified");

    const [review] = await query<{ rating: number; product_id: string }>(
      `select rating, product_id from "${webStack().viewsSchema}".review where id = $1`,
      [order.chainOrderId],
    );
    expect(review).toEqual({ rating: 4, product_id: webStack().fixtures.product.chainIdHash.toLowerCase() });
    const [stored] = await query<{ body: string }>("select body from commerce.review_texts where chain_order_id = $1", [
      order.chainOrderId,
    ]);
    expect(stored?.body).toBe(text);

    // The auditor sees every step of it, each with its transaction.
    await page.goto(`/explorer?q=${order.chainOrderId}`);
    const kinds = await page
      .getByTestId("explorer-event")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-kind")));
    expect(kinds).toEqual(expect.arrayContaining(["paid", "shipped", "completed", "reviewed"]));
    await screenshot(page, "explorer-order");
    expect(serverErrors(page)).toEqual([]);
  });

  test("a seller withdraws the proceeds of a completed order", async () => {
    const seller = account("seller");
    const order = await paidEscrowOrder(db, "shopper2");
    await escrowCall(seller, "markShipped", order);
    await escrowCall(account("shopper2"), "confirmDelivery", order);
    await waitForState(order.chainOrderId, "completed");
    const credit = await publicClient().readContract({
      address: contracts.Escrow,
      abi: escrowAbi,
      functionName: "creditOf",
      args: ["0x0000000000000000000000000000000000000000", seller.address],
    });
    expect(credit).toBeGreaterThan(0n);

    const page = await signedInPage("seller");
    await page.goto("/seller");
    const balance = page.getByTestId("withdrawable-balance").first();
    await expect.poll(() => balance.getAttribute("data-raw"), { timeout: INDEXED_TIMEOUT_MS }).toBe(credit.toString());
    await screenshot(page, "seller-dashboard");
    await connectIfAsked(page);
    await page.getByTestId("withdraw-button").first().click();
    await expect.poll(() => balance.getAttribute("data-raw"), { timeout: INDEXED_TIMEOUT_MS }).toBe("0");
    expect(
      await publicClient().readContract({
        address: contracts.Escrow,
        abi: escrowAbi,
        functionName: "creditOf",
        args: ["0x0000000000000000000000000000000000000000", seller.address],
      }),
    ).toBe(0n);
    expect(await page.getByTestId("withdraw-button").count()).toBe(0);
    expect(serverErrors(page)).toEqual([]);
  });

  test("the arbiter resolves a dispute with a split in basis points", async () => {
    const order = await paidEscrowOrder(db, "shopper2");
    await escrowCall(account("shopper2"), "openDispute", order);
    await waitForState(order.chainOrderId, "disputed");

    const page = await signedInPage("arbiter");
    await page.goto("/admin");
    const row = page.locator(`[data-testid="dispute-row"][data-chain-order-id="${order.chainOrderId}"]`);
    await row.waitFor();
    await screenshot(page, "admin-disputes");
    await connectIfAsked(page);
    await row.getByTestId("split-bps").fill("3000");
    await row.getByTestId("resolve-dispute").click();
    await expect
      .poll(() => chainState(order.chainOrderId), { timeout: INDEXED_TIMEOUT_MS, interval: 300 })
      .toEqual({
        state: "resolved",
        buyer_bps: 3000,
      });
    await expect.poll(() => row.count(), { timeout: INDEXED_TIMEOUT_MS }).toBe(0);
    expect(serverErrors(page)).toEqual([]);
  });

  test("loyalty, explorer and admin analytics render with their charts", async () => {
    const admin = await signedInPage("admin", false);
    await admin.goto("/admin");
    await admin.getByTestId("user-roles").waitFor();
    expect(await admin.locator('svg[role="img"] title').count()).toBeGreaterThanOrEqual(3);
    await screenshot(admin, "admin-dashboard");

    const shopper = await signedInPage("shopper", false);
    await shopper.goto("/loyalty");
    await shopper.getByTestId("points-balance").waitFor();
    await screenshot(shopper, "loyalty");

    const visitor = await browser.newPage();
    await visitor.goto(`/explorer?q=${webStack().fixtures.product.slug}`);
    expect(await visitor.getByTestId("contract-row").count()).toBeGreaterThanOrEqual(5);
    await screenshot(visitor, "explorer");
  });
});
