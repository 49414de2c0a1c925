// The unified order view: fiat and escrow orders in one list, scoped to a user, a seller or an
// admin; escrow status and history come from the indexer's views (here a stand-in schema with the
// same columns), and the list still answers when the views are absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import {
  AWAITING_INDEXER,
  AWAITING_PAYMENT,
  createEscrowCheckout,
  createFiatOrder,
  listOrders,
  QUOTE_EXPIRED,
} from "../../../lib/orders/index.ts";
import { InvalidInputError } from "../../../lib/pricing/index.ts";
import { loadQuoteSigners } from "../../../lib/quotes/index.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { seedFxRates, seedOffer, seedSeller, seedUser } from "./support/seed-catalog.ts";

const CHAIN = {
  chainId: 31337,
  escrow: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  reviews: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
} as const;
const BUYER = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
const VIEWS = "stand_in_views";
const TX = `0x${"ab".repeat(32)}`;

let t: TestDatabase;
let alice: string;
let bob: string;
let sellerA: string;
let sellerB: string;
const ids: Record<string, { id: string; chainOrderId: string }> = {};

async function cartOf(owner: string, lines: [string, number][]) {
  const cart = await createCart(t.db, { ownerUserId: owner });
  for (const [offerId, quantity] of lines) {
    await addCartItem(t.db, { via: "owner", cartId: cart.id, userId: owner }, { offerId, quantity });
  }
  return cart.id;
}

beforeAll(async () => {
  t = await createTestDatabase("orders_list", 5555);
  await seedFxRates(t.db, [["ETH", "USD", "3500"]]);
  alice = await seedUser(t.db);
  bob = await seedUser(t.db);
  sellerA = await seedSeller(t.db, "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
  sellerB = await seedSeller(t.db, "0x90f79bf6eb2c4f870365e785982e1f101e93b906");
  const a1 = await seedOffer(t.db, { sellerId: sellerA, priceMinor: 1000 });
  const b1 = await seedOffer(t.db, { sellerId: sellerB, priceMinor: 2000 });
  const base = { chain: CHAIN, signers: loadQuoteSigners({}) };

  const fiat = await createFiatOrder(t.db, {
    cartId: await cartOf(alice, [
      [a1.offerId, 1],
      [b1.offerId, 2],
    ]),
    userId: alice,
    currency: "USD",
    contact: {
      shippingAddress: { name: "Alice", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
    },
  });
  ids.fiat = fiat.order;
  const paid = await createEscrowCheckout(
    t.db,
    { cartId: await cartOf(alice, [[a1.offerId, 1]]), userId: alice, buyerAddress: BUYER, currency: "USD" },
    base,
  );
  ids.paid = paid.order;
  const pending = await createEscrowCheckout(
    t.db,
    { cartId: await cartOf(alice, [[b1.offerId, 1]]), userId: alice, buyerAddress: BUYER, currency: "USD" },
    base,
  );
  ids.pending = pending.order;
  const expired = await createEscrowCheckout(
    t.db,
    { cartId: await cartOf(bob, [[a1.offerId, 1]]), userId: bob, buyerAddress: BUYER, currency: "USD" },
    { ...base, now: () => Date.now() - 3_600_000 },
  );
  ids.expired = expired.order;
});
afterAll(async () => {
  await t?.stop();
});

async function publishStandInViews() {
  await t.db.$client.query(`
    create schema ${VIEWS};
    create table ${VIEWS}.escrow_order (id text primary key, buyer text, seller text, state text, created_at numeric, updated_at numeric);
    create table ${VIEWS}.escrow_order_event (id text primary key, order_id text, kind text, tx_hash text, block_number numeric, timestamp numeric);`);
  const paid = ids.paid?.chainOrderId;
  const at = Math.floor(Date.now() / 1000) + 5;
  await t.db.$client.query(`insert into ${VIEWS}.escrow_order values ($1, $2, $3, 'shipped', $4, $5)`, [
    paid,
    BUYER,
    "0xseller",
    at,
    at + 10,
  ]);
  await t.db.$client.query(
    `insert into ${VIEWS}.escrow_order_event values ('1', $1, 'paid', $2, 41, $3), ('2', $1, 'shipped', $2, 42, $4)`,
    [paid, TX, at, at + 10],
  );
}

describe("listOrders", () => {
  it("without the views schema, escrow orders show 'awaiting indexer'; fiat orders their own status", async () => {
    const list = await listOrders(t.db, { userId: alice });
    expect(list.map((o) => o.id).sort()).toEqual([ids.fiat?.id, ids.paid?.id, ids.pending?.id].sort());
    const byId = new Map(list.map((o) => [o.id, o]));
    expect(byId.get(ids.fiat?.id as string)?.status).toBe("pending_payment");
    expect(byId.get(ids.paid?.id as string)?.status).toBe(AWAITING_INDEXER);
    expect(byId.get(ids.fiat?.id as string)?.items).toHaveLength(2);
  });

  it("with the views, escrow status and history come from the chain (state, tx hash, block)", async () => {
    await publishStandInViews();
    const list = await listOrders(t.db, { admin: true, viewsSchema: VIEWS });
    const byId = new Map(list.map((o) => [o.id, o]));
    const paid = byId.get(ids.paid?.id as string);
    expect(paid?.status).toBe("shipped");
    expect(paid?.history.map((h) => [h.source, h.status])).toEqual([
      ["commerce", "awaiting_payment"],
      ["chain", "paid"],
      ["chain", "shipped"],
    ]);
    expect(paid?.history[1]).toMatchObject({ txHash: TX, blockNumber: 41n });
    expect(byId.get(ids.pending?.id as string)?.status).toBe(AWAITING_PAYMENT);
    expect(byId.get(ids.expired?.id as string)?.status).toBe(QUOTE_EXPIRED);
    expect(list).toHaveLength(4);
  });

  it("a seller sees only orders with its lines, and only its own lines", async () => {
    const list = await listOrders(t.db, { sellerId: sellerB, viewsSchema: VIEWS });
    expect(list.map((o) => o.id).sort()).toEqual([ids.fiat?.id, ids.pending?.id].sort());
    const fiat = list.find((o) => o.id === ids.fiat?.id);
    expect(fiat?.items.map((i) => [i.sellerId, i.quantity])).toEqual([[sellerB, 2]]);
  });

  it("a user sees only their own orders", async () => {
    const list = await listOrders(t.db, { userId: bob, viewsSchema: VIEWS });
    expect(list.map((o) => o.id)).toEqual([ids.expired?.id]);
  });

  it("views dropped (a deployment swapping builds) read as absent, not as an error", async () => {
    await t.db.$client.query(`drop schema ${VIEWS} cascade`);
    const list = await listOrders(t.db, { userId: alice, viewsSchema: VIEWS });
    expect(list.find((o) => o.id === ids.paid?.id)?.status).toBe(AWAITING_INDEXER);
  });

  it("refuses an unclear scope or a schema name that is not an identifier", async () => {
    await expect(listOrders(t.db, {} as never)).rejects.toThrow(InvalidInputError);
    await expect(listOrders(t.db, { userId: alice, admin: true } as never)).rejects.toThrow(InvalidInputError);
    await expect(listOrders(t.db, { admin: true, viewsSchema: 'x"; drop table y; --' })).rejects.toThrow(
      InvalidInputError,
    );
  });
});
