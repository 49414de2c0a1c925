// Writes the synthetic behaviour into commerce.interactions and commerce.product_price_weeks. The
// generator's rows carry its seed: a re-run first deletes exactly those rows (real events, which
// have no seed, are never touched), so the tables always hold one consistent synthetic history.
import { insertRows } from "../catalog/insert-rows.ts";
import type { Db } from "../db/client.ts";
import {
  generateInteractions,
  readCatalogItems,
  type SyntheticData,
  type SyntheticOptions,
} from "./generate-interactions.ts";
import { isoDate } from "./weeks.ts";

export type SeedInteractionsResult = {
  interactions: number;
  priceWeeks: number;
  products: number;
  data: SyntheticData;
};

const CHUNK = 20_000;

export async function seedInteractions(
  db: Db,
  options: SyntheticOptions & { onProgress?: (done: number, total: number) => void },
): Promise<SeedInteractionsResult> {
  const seed = options.seed ?? "neocart";
  const items = await readCatalogItems(db);
  if (items.length === 0) {
    throw new Error("The catalog is empty: seed it first (`npm run seed:catalog`), then generate interactions.");
  }
  const data = generateInteractions(items, { ...options, seed });
  const total = data.interactions.length + data.priceWeeks.length;
  const client = await db.$client.connect();
  try {
    await client.query("begin");
    await client.query("delete from commerce.interactions where synthetic_seed = $1", [seed]);
    await client.query("delete from commerce.product_price_weeks where synthetic_seed = $1", [seed]);
    let done = 0;
    for (let i = 0; i < data.interactions.length; i += CHUNK) {
      const chunk = data.interactions.slice(i, i + CHUNK);
      await insertRows(
        client,
        "commerce.interactions",
        [
          { name: "user_id", type: "uuid" },
          { name: "product_id", type: "uuid" },
          { name: "offer_id", type: "uuid" },
          { name: "kind", type: "text" },
          { name: "quantity", type: "integer" },
          { name: "unit_price_usd_minor", type: "bigint" },
          { name: "occurred_at", type: "timestamptz" },
          { name: "synthetic_seed", type: "text" },
        ],
        chunk.map((e) => [
          e.userId,
          e.productId,
          e.offerId,
          e.kind,
          e.quantity,
          e.unitPriceUsdMinor,
          e.occurredAt.toISOString(),
          seed,
        ]),
      );
      done += chunk.length;
      options.onProgress?.(done, total);
    }
    for (let i = 0; i < data.priceWeeks.length; i += CHUNK) {
      const chunk = data.priceWeeks.slice(i, i + CHUNK);
      await insertRows(
        client,
        "commerce.product_price_weeks",
        [
          { name: "product_id", type: "uuid" },
          { name: "week_start", type: "date" },
          { name: "price_usd_minor", type: "bigint" },
          { name: "synthetic_seed", type: "text" },
        ],
        chunk.map((p) => [p.productId, isoDate(p.weekStart), p.priceUsdMinor, seed]),
        // A real price history for that week wins over the synthetic one.
        "on conflict (product_id, week_start) do nothing",
      );
      done += chunk.length;
      options.onProgress?.(done, total);
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  await db.$client.query("analyze commerce.interactions, commerce.product_price_weeks");
  return { interactions: data.interactions.length, priceWeeks: data.priceWeeks.length, products: items.length, data };
}

/** Records one real shopper event (the app calls this on product views and add-to-cart). */
export async function recordInteraction(
  db: Db,
  event: { userId: string; productId: string; kind: "view" | "cart" | "purchase"; offerId?: string; quantity?: number },
): Promise<void> {
  await db.$client.query(
    `insert into commerce.interactions (user_id, product_id, offer_id, kind, quantity, unit_price_usd_minor, occurred_at)
     select $1, $2, $3, $4, $5,
            (select commerce.to_usd_minor(o.price_minor, o.currency) from commerce.offers o where o.id = $3),
            now()`,
    [event.userId, event.productId, event.offerId ?? null, event.kind, event.quantity ?? 1],
  );
}
