// Add-to-cart as a recommender signal: what the cart action records (lib/ml/record-cart-add.ts),
// that a double click or a burst of retries counts once, and that the event reaches the training
// data and the shopper's personal feed.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { clearModelCache, recommendFor, recordCartAdd, trainAllModels } from "../../lib/ml/index.ts";
import { KIND_CODES, readTrainingEvents } from "../../lib/ml/read-training-data.ts";
import { createTestDatabase, type TestDatabase } from "../commerce/support/test-database.ts";

let t: TestDatabase;
let modelsDir: string;
let offers: { id: string; product_id: string; price_minor: string }[];

async function cartEvents(userId: string) {
  const { rows } = await t.db.$client.query<{ product_id: string; offer_id: string; quantity: number; usd: string }>(
    `select product_id, offer_id, quantity, unit_price_usd_minor as usd from commerce.interactions
      where user_id = $1 and kind = 'cart' order by id`,
    [userId],
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestDatabase("ml-cart-add", 5641);
  modelsDir = await mkdtemp(path.join(os.tmpdir(), "neocart-cart-models-"));
  await seedCatalog(t.db, { products: 120 });
  ({ rows: offers } = await t.db.$client.query(
    "select id, product_id, price_minor from commerce.offers where active and currency = 'USD' order by id limit 3",
  ));
});

afterAll(async () => {
  clearModelCache();
  await t?.stop();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe("recordCartAdd", () => {
  it("records the product, offer, quantity and price the shopper added", async () => {
    const user = randomUUID();
    const offer = offers[0] as (typeof offers)[number];
    expect(await recordCartAdd(t.db, { userId: user, offerId: offer.id, quantity: 2 })).toEqual({
      recorded: true,
      productId: offer.product_id,
    });
    expect(await cartEvents(user)).toEqual([
      { product_id: offer.product_id, offer_id: offer.id, quantity: 2, usd: offer.price_minor },
    ]);
  });

  it("a double click, or ten concurrent retries, counts once", async () => {
    const user = randomUUID();
    const offer = offers[1] as (typeof offers)[number];
    await recordCartAdd(t.db, { userId: user, offerId: offer.id });
    expect((await recordCartAdd(t.db, { userId: user, offerId: offer.id })).recorded).toBe(false);
    const other = randomUUID();
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => recordCartAdd(t.db, { userId: other, offerId: offer.id })),
    );
    expect(burst.filter((r) => r.recorded)).toHaveLength(1);
    expect(await cartEvents(user)).toHaveLength(1);
    expect(await cartEvents(other)).toHaveLength(1);
  });

  it("another product, another shopper, or the same add after the window is a new event", async () => {
    const user = randomUUID();
    const [a, b] = offers as [(typeof offers)[number], (typeof offers)[number]];
    await recordCartAdd(t.db, { userId: user, offerId: a.id });
    expect((await recordCartAdd(t.db, { userId: user, offerId: b.id })).recorded).toBe(true);
    expect((await recordCartAdd(t.db, { userId: randomUUID(), offerId: a.id })).recorded).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await recordCartAdd(t.db, { userId: user, offerId: a.id }, { windowMs: 50 })).recorded).toBe(true);
    expect((await cartEvents(user)).map((e) => e.offer_id)).toEqual([a.id, b.id, a.id]);
  });

  it("refuses malformed input and records nothing for an unknown offer", async () => {
    const user = randomUUID();
    await expect(recordCartAdd(t.db, { userId: "not-a-user", offerId: offers[0]?.id as string })).rejects.toThrow(
      /userId must be a user id/,
    );
    await expect(
      recordCartAdd(t.db, { userId: user, offerId: offers[0]?.id as string, quantity: 0 }),
    ).rejects.toThrow();
    expect(await recordCartAdd(t.db, { userId: user, offerId: randomUUID() })).toEqual({
      recorded: false,
      productId: null,
    });
    expect(await cartEvents(user)).toHaveLength(0);
  });
});

describe("the recommender sees add-to-cart", () => {
  it("the event is in the training data as a cart event of that shopper and product", async () => {
    const user = randomUUID();
    const offer = offers[2] as (typeof offers)[number];
    await recordCartAdd(t.db, { userId: user, offerId: offer.id, quantity: 3 });
    const events = await readTrainingEvents(t.db);
    const u = events.users.indexOf(user);
    const p = events.products.indexOf(offer.product_id);
    expect(u).toBeGreaterThanOrEqual(0);
    const mine = Array.from({ length: events.count }, (_, k) => k).filter((k) => events.user[k] === u);
    expect(mine).toHaveLength(1);
    const k = mine[0] as number;
    expect(events.item[k]).toBe(p);
    expect(events.kind[k]).toBe(KIND_CODES.cart);
    expect(events.quantity[k]).toBe(3);
    expect(events.price[k]).toBe(Number(offer.price_minor));
  });

  it("after training, a shopper whose only history is one add-to-cart gets a personal feed", async () => {
    await trainAllModels(t.db, {
      modelsDir,
      synthetic: { seed: "cart-add-test", users: 120, weeks: 104 },
      fraudExamples: 1_000,
    });
    // An offer of a product the model learned (one that shoppers in the synthetic history touched).
    const { rows } = await t.db.$client.query<{ id: string }>(
      `select o.id from commerce.offers o
        where o.active and o.product_id = (select product_id from commerce.interactions
                                             where synthetic_seed = 'cart-add-test'
                                             group by product_id order by count(*) desc, product_id limit 1)
        order by o.id limit 1`,
    );
    const user = randomUUID();
    expect((await recommendFor(t.db, user, { modelsDir, limit: 5 })).source).toBe("popularity");
    await recordCartAdd(t.db, { userId: user, offerId: rows[0]?.id as string });
    const feed = await recommendFor(t.db, user, { modelsDir, limit: 5 });
    expect(feed.source).toBe("model");
    expect(feed.items).toHaveLength(5);
  });
});
