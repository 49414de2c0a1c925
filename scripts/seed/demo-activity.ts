// The demo chain activity refers to real catalog products (the first SKUs of the deterministic
// catalog), so the storefront shows its reviews, ratings and group buy on those product pages.
// Shared by the chain seed (hardhat) and the dev orchestration (which stores the review texts).
import { sql } from "drizzle-orm";
import { keccakText } from "../../lib/catalog/deterministic-ids.ts";
import { productSku } from "../../lib/catalog/generate-product.ts";
import type { Db } from "../../lib/db/client.ts";

export const demoProducts = {
  phone: productSku(0),
  lamp: productSku(1),
  kettle: productSku(2),
} as const;

/** On-chain reviews the demo seeds; their texts live in commerce.review_texts keyed by hash. */
export const demoReviews = [
  { orderLabel: "demo-1", sku: demoProducts.phone, rating: 5, text: "Great phone, fast shipping." },
  { orderLabel: "demo-fiat-1", sku: demoProducts.lamp, rating: 4, text: "Nice lamp." },
] as const;

/**
 * Stores the demo reviews' texts (the chain keeps only their hashes), so product pages show them
 * as verified. Idempotent; products missing from a smaller catalog are skipped.
 */
export async function storeDemoReviewTexts(db: Db): Promise<number> {
  let stored = 0;
  for (const review of demoReviews) {
    const result = await db.execute(sql`
      insert into commerce.review_texts (content_hash, chain_order_id, product_id, body, locale)
      select ${keccakText(review.text)}, ${keccakText(review.orderLabel)}, p.id, ${review.text}, 'en'
      from commerce.products p where p.sku = ${review.sku}
      on conflict (content_hash) do nothing`);
    stored += result.rowCount ?? 0;
  }
  return stored;
}
