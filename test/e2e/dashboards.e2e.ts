// The dashboards end to end: a shopper confirms delivery of an escrow order and writes a review
// that shows verified; a seller withdraws the proceeds of a completed order; the arbiter resolves
// a dispute with a split; anyone without the admin or arbiter role is refused /admin. Orders are
// arranged from Node through the commerce modules and the chain (the checkout page has its own
// tests); every step the dashboards own goes through the browser and the injected wallet.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addCartItem, createCart } from "../../lib/cart/index.ts";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { createEscrowCheckout } from "../../lib/orders/index.ts";
import { loadQuoteSigners } from "../../lib/quotes/signer-keys.ts";
import type { DevAccount } from "../../scripts/web/dev-accounts.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const INDEXED_TIMEOUT_MS = 60_000;

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

function walletOf(who: DevAccount) {
  const stack = webStack();
  return createWalletClient({
    account: privateKeyToAccount(who.privateKey),
    chain: { ...hardhat, id: stack.chainId },
    transport: http(stack.urls.rpc),
  });
}

const publicClient = () => createPublicClient({ transport: http(webStack().urls.rpc) });

async function mined(sent: Promise<Hex>) {
  const receipt = await publicClient().waitForTransactionReceipt({ hash: await sent });
  expect(receipt.status).toBe("success");
}

async function chainState(orderId: string): Promise<{ state: string; buyer_bps: number | null } | undefined> {
  const [row] = await query<{ state: string; buyer_bps: number | null }>(
    `select state, buyer_bps from "${webStack().viewsSchema}".escrow_order where id = $1`,
    [orderId],
  );
  return row;
}

async function waitForState(orderId: string, state: string) {
  await expect
    .poll(async () => (await chainState(orderId))?.state, { timeout: INDEXED_TIMEOUT_MS, interval: 300 })
    .toBe(state);
}

type ArrangedOrder = {
  id: string;
  chainOrderId: Hex;
  order: Awaited<ReturnType<typeof createEscrowCheckout>>["quote"]["order"];
};

/** A paid escrow order of the e2e product, bought by `buyer` in ETH, as the checkout page makes it. */
async function paidEscrowOrder(buyer: "shopper" | "shopper2"): Promise<ArrangedOrder> {
  const stack = webStack();
  const who = account(buyer);
  const userId = stack.fixtures.userIds[buyer];
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
  return { id: checkout.order.id, chainOrderId: checkout.quote.orderId, order: checkout.quote.order };
}

async function escrowCall(
  who: DevAccount,
  functionName: "markShipped" | "confirmDelivery" | "openDispute",
  o: ArrangedOrder,
) {
  await mined(
    walletOf(who).writeContract({
      address: contracts.Escrow,
      abi: escrowAbi,
      functionName,
      args: [o.chainOrderId, o.order],
    }),
  );
}

/** Connects the injected wallet through RainbowKit when a dashboard widget asks for it. */
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
    const order = await paidEscrowOrder("shopper");
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
    const order = await paidEscrowOrder("shopper2");
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
    const order = await paidEscrowOrder("shopper2");
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
