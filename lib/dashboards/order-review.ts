// Review texts of escrow orders: the text is kept here keyed by keccak256(text), the hash goes on
// chain (Reviews.review). Only the order's buyer, only once the chain shows the order completed,
// only for the product the order bought; the product page shows "verified" when the hashes match.
import { and, eq, sql } from "drizzle-orm";
import { keccak256, stringToBytes } from "viem";
import { z } from "zod";
import { chainView, readChainViews } from "../chain/views.ts";
import { orderItems, orders, products, reviewTexts } from "../db/schema.ts";
import { CommerceError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";

export const REVIEW_MIN_CHARS = 10;
export const REVIEW_MAX_CHARS = 2000;

export const reviewTextSchema = z
  .object({
    orderId: z.uuid("Choose one of your orders."),
    productId: z.uuid("Choose the product you bought."),
    body: z
      .string()
      .trim()
      .min(REVIEW_MIN_CHARS, `Write at least ${REVIEW_MIN_CHARS} characters.`)
      .max(REVIEW_MAX_CHARS, `Keep the review under ${REVIEW_MAX_CHARS} characters.`),
    locale: z.enum(["en", "es"]).default("en"),
  })
  .strict();

export type SavedReviewText = {
  contentHash: `0x${string}`;
  chainOrderId: `0x${string}`;
  productChainId: `0x${string}`;
};

export function reviewContentHash(body: string): `0x${string}` {
  return keccak256(stringToBytes(body));
}

/** Stores the text of the user's review and returns what the wallet sends to Reviews.review. */
export async function saveReviewText(
  db: Executor,
  viewsSchema: string,
  userId: string,
  input: unknown,
): Promise<SavedReviewText> {
  const args = parseInput(reviewTextSchema, input, "review");
  const [line] = await db
    .select({ kind: orders.kind, chainOrderId: orders.chainOrderId, productChainId: products.chainIdHash })
    .from(orders)
    .innerJoin(orderItems, eq(orderItems.orderId, orders.id))
    .innerJoin(products, eq(products.id, orderItems.productId))
    .where(and(eq(orders.id, args.orderId), eq(orders.userId, userId), eq(orderItems.productId, args.productId)));
  if (!line) throw new CommerceError("not_found", 404, "None of your orders bought that product; reload the page.");
  if (line.kind !== "escrow") {
    throw new CommerceError("wrong_kind", 409, "Reviews of card orders are not available here yet.");
  }
  const state = await readChainViews<{ state: string; product_id: string }>(
    db,
    sql`select state, product_id from ${chainView(viewsSchema, "escrow_order")} where id = ${line.chainOrderId}`,
  );
  const onChain = state?.[0];
  if (onChain?.state !== "completed") {
    throw new CommerceError("not_completed", 409, "Confirm delivery first: only completed orders can be reviewed.");
  }
  if (onChain.product_id.toLowerCase() !== line.productChainId.toLowerCase()) {
    throw new CommerceError("product_mismatch", 409, "This order paid for another product on chain.");
  }
  const contentHash = reviewContentHash(args.body);
  await db
    .insert(reviewTexts)
    .values({
      contentHash,
      chainOrderId: line.chainOrderId,
      productId: args.productId,
      authorUserId: userId,
      body: args.body,
      locale: args.locale,
    })
    .onConflictDoNothing();
  const [stored] = await db
    .select({ chainOrderId: reviewTexts.chainOrderId })
    .from(reviewTexts)
    .where(eq(reviewTexts.contentHash, contentHash));
  // Texts are keyed by their hash: the very same words stored for another order would show
  // under that order's product, not this one.
  if (stored && stored.chainOrderId !== line.chainOrderId) {
    throw new CommerceError(
      "duplicate_text",
      409,
      "Exactly this text was already used in a review; write your own words.",
    );
  }
  return {
    contentHash,
    chainOrderId: line.chainOrderId as `0x${string}`,
    productChainId: line.productChainId as `0x${string}`,
  };
}

export type ReviewStatus = { reviewed: boolean; verified: boolean; txHash: string | null; rating: number | null };

/** Whether the indexer has the order's review and its content hash matches a stored text. */
export async function readReviewStatus(
  db: Executor,
  viewsSchema: string,
  userId: string,
  orderId: string,
): Promise<ReviewStatus> {
  const id = z.uuid().parse(orderId);
  const [order] = await db
    .select({ chainOrderId: orders.chainOrderId })
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.userId, userId)));
  if (!order) throw new CommerceError("not_found", 404, "None of your orders has that id; reload the page.");
  const statuses = await readReviewStatuses(db, viewsSchema, [order.chainOrderId]);
  return statuses.get(order.chainOrderId) ?? { reviewed: false, verified: false, txHash: null, rating: null };
}

/** Review status of several orders (by chain order id, lowercase hex). */
export async function readReviewStatuses(
  db: Executor,
  viewsSchema: string,
  chainOrderIds: readonly string[],
): Promise<Map<string, ReviewStatus>> {
  if (chainOrderIds.length === 0) return new Map();
  const ids = sql.join(
    chainOrderIds.map((id) => sql`${id.toLowerCase()}`),
    sql`, `,
  );
  const rows = await readChainViews<{
    id: string;
    rating: number;
    tx_hash: string;
    content_hash: string;
    body: string | null;
  }>(
    db,
    sql`select r.id, r.rating, r.tx_hash, r.content_hash, t.body
        from ${chainView(viewsSchema, "review")} r
        left join commerce.review_texts t on t.content_hash = r.content_hash
        where r.id in (${ids})`,
  );
  return new Map(
    (rows ?? []).map((r) => [
      r.id.toLowerCase(),
      {
        reviewed: true,
        // The stored text must hash to what the chain holds (it could have been edited in the database).
        verified: r.body !== null && reviewContentHash(r.body) === r.content_hash.toLowerCase(),
        txHash: r.tx_hash,
        rating: r.rating,
      },
    ]),
  );
}
