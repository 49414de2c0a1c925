// Stock taken by an escrow checkout comes back when its quote expires unpaid, and only when the
// indexer has indexed past the expiry without seeing the order paid.
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import { createEscrowCheckout, QUOTE_EXPIRED_STATUS, releaseExpiredQuotes } from "../../../lib/orders/index.ts";
import { loadQuoteSigners } from "../../../lib/quotes/index.ts";
import { publishViews } from "../../../scripts/stack/publish-views.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { seedFxRates, seedOffer, seedSeller, stockOf } from "./support/seed-catalog.ts";

const BUYER = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const CHAIN = {
  chainId: 31337,
  escrow: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  reviews: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  stablecoin: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
} as const;
const NOW_SECONDS = Math.floor(Date.UTC(2026, 10, 25, 12, 0, 0) / 1000);
const TTL = 900;
const VIEWS = "release_views";
// Stands for the indexer's schema: the two tables the job reads, in Ponder's shapes.
const INDEXER = "release_indexer";

let t: TestDatabase;
let sellerId: string;

/** Sets how far (chain time) the "indexer" has indexed, as Ponder's checkpoint encodes it. */
async function indexedThrough(seconds: number) {
  const checkpoint = `${String(seconds).padStart(10, "0")}${"0".repeat(65)}`;
  await t.db.$client.query(`update ${INDEXER}._ponder_checkpoint set latest_checkpoint = $1`, [checkpoint]);
}

async function escrowCheckout(quantity: number) {
  const offer = await seedOffer(t.db, { sellerId, priceMinor: 1000, stock: 10 });
  const cart = await createCart(t.db);
  await addCartItem(t.db, { via: "owner", cartId: cart.id }, { offerId: offer.offerId, quantity });
  const checkout = await createEscrowCheckout(
    t.db,
    { cartId: cart.id, buyerAddress: BUYER, currency: "USD", quoteTtlSeconds: TTL },
    { chain: CHAIN, signers: loadQuoteSigners({}), now: () => NOW_SECONDS * 1000 },
  );
  return { offerId: offer.offerId, orderId: checkout.order.id, chainOrderId: checkout.order.chainOrderId };
}

async function statusOf(orderId: string) {
  const { rows } = await t.db.$client.query<{ status: string }>("select status from commerce.orders where id = $1", [
    orderId,
  ]);
  return rows[0]?.status;
}

beforeAll(async () => {
  t = await createTestDatabase("orders_release", 5556);
  await seedFxRates(t.db, [["ETH", "USD", "3500"]]);
  sellerId = await seedSeller(t.db, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
});
afterAll(async () => {
  await t?.stop();
});

describe("releasing the stock of expired escrow quotes", () => {
  it("does nothing while no indexer views are published", async () => {
    const order = await escrowCheckout(3);
    expect(await stockOf(t.db, order.offerId)).toBe(7);
    expect(await releaseExpiredQuotes(t.db, { viewsSchema: VIEWS })).toEqual({ released: 0, indexedThrough: null });
    expect(await stockOf(t.db, order.offerId)).toBe(7);
  });

  it("waits for the indexer to pass the expiry, skips paid orders, then releases once", async () => {
    await t.db.$client.query(`create schema ${INDEXER};
      create table ${INDEXER}.escrow_order (id text primary key, state text not null);
      create table ${INDEXER}._ponder_checkpoint (chain_name text primary key, chain_id bigint, safe_checkpoint varchar(75),
        latest_checkpoint varchar(75), finalized_checkpoint varchar(75));
      insert into ${INDEXER}._ponder_checkpoint values ('local', 31337, '', '', '');`);
    await publishViews({ databaseUrl: t.url, schema: INDEXER, viewsSchema: VIEWS });

    const unpaid = await escrowCheckout(2);
    const paid = await escrowCheckout(4);
    await t.db.$client.query(`insert into ${INDEXER}.escrow_order (id, state) values ($1, 'paid')`, [
      paid.chainOrderId,
    ]);

    // The indexer has not reached the expiry yet: it might still see the payment.
    await indexedThrough(NOW_SECONDS + TTL - 1);
    expect((await releaseExpiredQuotes(t.db, { viewsSchema: VIEWS })).released).toBe(0);
    expect(await stockOf(t.db, unpaid.offerId)).toBe(8);

    await indexedThrough(NOW_SECONDS + TTL + 60);
    const result = await releaseExpiredQuotes(t.db, { viewsSchema: VIEWS });
    // The first test's order (3 units) expired unpaid too.
    expect(result).toEqual({ released: 2, indexedThrough: NOW_SECONDS + TTL + 60 });
    expect(await stockOf(t.db, unpaid.offerId)).toBe(10);
    expect(await statusOf(unpaid.orderId)).toBe(QUOTE_EXPIRED_STATUS);
    expect(await stockOf(t.db, paid.offerId)).toBe(6);
    expect(await statusOf(paid.orderId)).toBe("awaiting_payment");
    const { rows } = await t.db.$client.query(
      "select note from commerce.order_status_history where order_id = $1 and status = $2",
      [unpaid.orderId, QUOTE_EXPIRED_STATUS],
    );
    expect(rows).toHaveLength(1);

    expect((await releaseExpiredQuotes(t.db, { viewsSchema: VIEWS })).released).toBe(0);
    expect(await stockOf(t.db, unpaid.offerId)).toBe(10);
  });

  it("refuses a bad schema name", async () => {
    await expect(releaseExpiredQuotes(t.db, { viewsSchema: "x; drop table y" })).rejects.toThrow(/schema name/);
  });
});
