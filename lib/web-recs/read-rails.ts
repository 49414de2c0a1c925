// Recommendation rails for the storefront: the trained recommender's lists (lib/ml) turned into
// product cards, and shopper events recorded for it. A rail that fails to load is left out of the
// page (and logged): recommendations must never break the home or product page.
import { type ProductCard, readProductCards } from "../catalog/read-product-cards.ts";
import type { Db } from "../db/client.ts";
import { alsoBought, type RecommendationList, recommendFor, recordInteraction, similarProducts } from "../ml/index.ts";

export type Rail = { cards: ProductCard[]; source: RecommendationList["source"] };

type Options = { currency: string; locale: string; limit?: number };

async function cardsOf(db: Db, list: RecommendationList, options: Options): Promise<Rail> {
  const cards = await readProductCards(db, { ids: list.items.map((i) => i.productId) }, options);
  return { cards: cards.slice(0, options.limit ?? 6), source: list.source };
}

async function guarded(what: string, read: () => Promise<Rail>): Promise<Rail | null> {
  try {
    return await read();
  } catch (error) {
    console.error(`recommendations: ${what} failed`, error);
    return null;
  }
}

export function readHomeRail(db: Db, userId: string, options: Options): Promise<Rail | null> {
  return guarded("home feed", async () =>
    cardsOf(db, await recommendFor(db, userId, { limit: options.limit ?? 6 }), options),
  );
}

export async function readProductRails(
  db: Db,
  productId: string,
  options: Options,
): Promise<{ similar: Rail | null; alsoBought: Rail | null }> {
  const limit = options.limit ?? 6;
  const [similar, bought] = await Promise.all([
    guarded("similar", async () => cardsOf(db, await similarProducts(db, productId, { limit }), options)),
    guarded("also bought", async () => cardsOf(db, await alsoBought(db, productId, { limit }), options)),
  ]);
  return { similar, alsoBought: bought };
}

/** Records a shopper event without delaying the page; a failure is logged, never shown. */
export function recordEventInBackground(
  db: Db,
  event: { userId: string; productId: string; kind: "view" | "cart" | "purchase"; offerId?: string },
): void {
  recordInteraction(db, event).catch((error: unknown) => {
    console.error(`recommendations: recording a ${event.kind} event failed`, error);
  });
}
