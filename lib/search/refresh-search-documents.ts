// Rebuilds search documents on demand. Triggers already keep them current for writes to products,
// offers, translations and categories (migrations 0002 and 0007); this is for what they cannot see
// or skip: a bulk load run with neocart.search_refresh = 'deferred', a repair, a seller whose whole
// range changed. It also empties this process's result cache at once, where other processes
// notice the new search generation within a fraction of a second.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { invalidateSearchCache } from "./search-cache.ts";
import { SearchInputError } from "./search-input.ts";

export type RefreshTarget =
  | { productIds: readonly string[] }
  /** A category slug: every product in it or below it. */
  | { categoryId: string }
  /** A seller id or slug: every product the seller offers (active or not). */
  | { sellerId: string };

const targetSchema = z.union([
  z.strictObject({
    productIds: z
      .array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i))
      .max(100_000),
  }),
  z.strictObject({ categoryId: z.string().regex(/^[a-z0-9-]{1,64}$/, "categoryId must be a category slug") }),
  z.strictObject({ sellerId: z.string().min(1).max(100) }),
]);

/** Rebuilds the documents of the target's products; returns how many were written. */
export async function refreshSearchDocuments(db: Db, target: RefreshTarget): Promise<number> {
  const parsed = targetSchema.safeParse(target);
  if (!parsed.success) {
    throw new SearchInputError(["refresh needs exactly one of productIds, categoryId (a slug) or sellerId"]);
  }
  const t = parsed.data;
  // Categories are matched through the stored category_path (every ancestor), and through the
  // products table too, for products whose document does not exist yet.
  const ids =
    "productIds" in t
      ? { sql: "$1::uuid[]", param: t.productIds }
      : "categoryId" in t
        ? {
            sql: `array(
              with recursive below as (
                select slug from commerce.categories where slug = $1
                union select c.slug from commerce.categories c join below b on c.parent_slug = b.slug)
              select p.id from commerce.products p where p.category_slug in (select slug from below)
              union select d.product_id from commerce.search_documents d where d.category_path @> array[$1::text])`,
            param: t.categoryId,
          }
        : {
            sql: `array(select distinct o.product_id from commerce.offers o join commerce.sellers s on s.id = o.seller_id
              where s.slug = $1 or s.id::text = $1)`,
            param: t.sellerId,
          };
  const { rows } = await db.$client.query<{ n: number }>(`select commerce.refresh_search_documents(${ids.sql}) as n`, [
    ids.param,
  ]);
  invalidateSearchCache(db);
  return rows[0]?.n ?? 0;
}
