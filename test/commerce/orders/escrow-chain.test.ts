// End to end on a real chain: a Hardhat node with the marketplace deployed, a commerce database on
// the stack's PostgreSQL, the Ponder indexer and its published views. The server-signed quote
// from createEscrowCheckout is paid by the buyer's wallet on the Escrow; the indexer sees the
// order, and listOrders shows it "paid" with the checkout's transaction hash. A quote whose amount
// was changed after signing, and an expired quote, are refused by the contract.
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import { escrowAbi } from "../../../lib/contracts/abis.ts";
import type { EscrowQuote } from "../../../lib/contracts/typed-data.ts";
import { closeDb, createDb, type Db } from "../../../lib/db/client.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import {
  AWAITING_INDEXER,
  AWAITING_PAYMENT,
  createEscrowCheckout,
  type EscrowCheckoutOptions,
  listOrders,
} from "../../../lib/orders/index.ts";
import { loadQuoteSigners } from "../../../lib/quotes/index.ts";
import type { IndexerProcess } from "../../../scripts/stack/indexer-process.ts";
import { publishViews } from "../../../scripts/stack/publish-views.ts";
import { createScratchDatabase, type ScratchDatabase } from "../../indexer/support/scratch-database.ts";
import { mineBlock, startTestStack, type TestStack } from "../../indexer/support/test-stack.ts";
import { seedFxRates, seedOffer, seedSeller, seedUser, stockOf } from "./support/seed-catalog.ts";

let stack: TestStack;
let db: Db;
let databaseUrl: string;
let scratch: ScratchDatabase | undefined;
let indexer: IndexerProcess | undefined;
let buyer: Address;
let sellerPayout: Address;
let userId: string;
let offerId: string;
let options: EscrowCheckoutOptions;

async function checkoutCart(quantity = 1, extra: { quoteTtlSeconds?: number } = {}) {
  const cart = await createCart(db, { ownerUserId: userId });
  await addCartItem(db, { via: "owner", cartId: cart.id, userId }, { offerId, quantity });
  return createEscrowCheckout(db, { cartId: cart.id, buyerAddress: buyer, userId, currency: "USD", ...extra }, options);
}

function pay(quote: EscrowQuote, signature: `0x${string}`, value: bigint) {
  return stack.driver.send(buyer, {
    address: stack.driver.contracts.Escrow.address,
    abi: escrowAbi,
    functionName: "checkout",
    args: [quote, signature],
    value,
  });
}

function simulatePay(quote: EscrowQuote, signature: `0x${string}`, value: bigint) {
  return stack.driver.publicClient.simulateContract({
    account: buyer,
    address: stack.driver.contracts.Escrow.address,
    abi: escrowAbi,
    functionName: "checkout",
    args: [quote, signature],
    value,
  });
}

async function chainState(orderId: `0x${string}`) {
  const [state] = (await stack.driver.publicClient.readContract({
    address: stack.driver.contracts.Escrow.address,
    abi: escrowAbi,
    functionName: "orderState",
    args: [orderId],
  })) as readonly [number, number];
  return state;
}

beforeAll(async () => {
  stack = await startTestStack("commerce-quote", { chain: 8611, postgres: 5559, indexer: 22141 });
  scratch = await createScratchDatabase(stack.postgres.url, "neocart_cq");
  databaseUrl = scratch.url;
  await migrate(databaseUrl);
  db = createDb(databaseUrl, { max: 5, onIdleError: () => {} });

  const d = stack.driver;
  buyer = d.accounts[4] as Address;
  sellerPayout = d.accounts[5] as Address;
  const record = d.record;
  options = {
    // The dev key (Hardhat #1) holds QUOTE_SIGNER_ROLE in the local deployment.
    signers: loadQuoteSigners({}),
    chain: {
      chainId: record.chainId,
      escrow: record.contracts.Escrow.address,
      reviews: record.contracts.Reviews.address,
      stablecoin: record.contracts.TestStablecoin.address,
    },
    // Quotes expire by the chain's clock, which tests may move forward.
    now: () => chainNowMs,
  };
  await seedFxRates(db, [["ETH", "USD", "3500"]]);
  const sellerId = await seedSeller(db, sellerPayout);
  offerId = (await seedOffer(db, { sellerId, priceMinor: 1750, stock: 5 })).offerId;
  userId = await seedUser(db, buyer);
});

let chainNowMs = Date.now();
async function syncClock() {
  chainNowMs = Number(await stack.driver.now()) * 1000;
}

afterAll(async () => {
  await indexer?.stop("SIGKILL").catch(() => {});
  if (db) await closeDb(db);
  await scratch?.drop();
  await stack?.stop();
});

describe("escrow checkout on a real chain", () => {
  let paidOrderId: string;
  let paidTx: `0x${string}`;
  let paidBlock: bigint;
  let tamperedOrderId: string;

  it("the buyer pays the server-signed quote; the contract holds the order as Paid", async () => {
    await syncClock();
    const checkout = await checkoutCart(2);
    expect(checkout.quote.order.amount).toBe(10n ** 16n); // $35.00 at 3500 USD/ETH
    expect(await stockOf(db, offerId)).toBe(3);
    const before = await listOrders(db, { userId, viewsSchema: stack.schema("absent") });
    expect(before.find((o) => o.id === checkout.order.id)?.status).toBe(AWAITING_INDEXER);

    await simulatePay(checkout.quote, checkout.signature, checkout.value);
    const receipt = await stack.driver.mined(pay(checkout.quote, checkout.signature, checkout.value));
    paidOrderId = checkout.order.id;
    paidTx = receipt.transactionHash;
    paidBlock = receipt.blockNumber;
    expect(await chainState(checkout.quote.orderId)).toBe(1); // Paid
  });

  it("a tampered price (amount changed after signing) is refused by the contract", async () => {
    await syncClock();
    const checkout = await checkoutCart(1);
    tamperedOrderId = checkout.order.id;
    const cheaper = checkout.quote.order.amount / 2n;
    const tampered = { ...checkout.quote, order: { ...checkout.quote.order, amount: cheaper } };
    await expect(simulatePay(tampered, checkout.signature, cheaper)).rejects.toThrow(
      /QuoteSignerUnauthorized|InvalidSignature/,
    );
    await expect(stack.driver.mined(pay(tampered, checkout.signature, cheaper))).rejects.toThrow();
    expect(await chainState(checkout.quote.orderId)).toBe(0); // None: nothing was paid
  });

  it("listOrders shows the escrow order with the indexer's state and its transaction", async () => {
    const schema = stack.schema("idx");
    const viewsSchema = stack.schema("views");
    indexer = stack.startIndexer(schema, { databaseUrl });
    await indexer.waitForBlock(await mineBlock(stack.driver));
    await publishViews({ databaseUrl, schema, viewsSchema });

    const orders = await listOrders(db, { userId, viewsSchema });
    const paid = orders.find((o) => o.id === paidOrderId);
    expect(paid?.kind).toBe("escrow");
    expect(paid?.status).toBe("paid");
    expect(paid?.escrow?.buyer?.toLowerCase()).toBe(buyer.toLowerCase());
    expect(paid?.escrow?.seller?.toLowerCase()).toBe(sellerPayout.toLowerCase());
    const chainEntry = paid?.history.find((h) => h.source === "chain");
    expect(chainEntry).toMatchObject({ status: "paid", txHash: paidTx, blockNumber: paidBlock });
    expect(paid?.history[0]).toMatchObject({ source: "commerce", status: "awaiting_payment" });
    expect(orders.find((o) => o.id === tamperedOrderId)?.status).toBe(AWAITING_PAYMENT);

    const bySeller = await listOrders(db, { admin: true, viewsSchema });
    expect(bySeller.map((o) => o.id)).toContain(paidOrderId);
  });

  it("an expired quote is refused by the contract", async () => {
    await syncClock();
    const checkout = await checkoutCart(1, { quoteTtlSeconds: 60 });
    await stack.driver.increaseTime(120);
    await expect(simulatePay(checkout.quote, checkout.signature, checkout.value)).rejects.toThrow(/QuoteExpired/);
    await expect(stack.driver.mined(pay(checkout.quote, checkout.signature, checkout.value))).rejects.toThrow();
    expect(await chainState(checkout.quote.orderId)).toBe(0);
  });
});
