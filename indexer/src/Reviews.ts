// Reviews: one row per purchase reviewed, and per-product rating aggregates.
import { ponder } from "ponder:registry";
import { productRating, review } from "ponder:schema";
import { ADMIN_RULES_EVENTS, registerAdminEvents } from "../lib/admin-events.ts";

ponder.on("Reviews:Reviewed", async ({ event, context }) => {
  const { orderId, productId, author, rating, contentHash, viaReceipt } = event.args;
  await context.db.insert(review).values({
    id: orderId,
    productId,
    author,
    rating,
    contentHash,
    viaReceipt,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  const star = (n: number) => (rating === n ? 1 : 0);
  await context.db
    .insert(productRating)
    .values({
      id: productId,
      reviewCount: 1,
      ratingSum: rating,
      averageCentiStars: rating * 100,
      stars1: star(1),
      stars2: star(2),
      stars3: star(3),
      stars4: star(4),
      stars5: star(5),
      updatedAt: event.block.timestamp,
    })
    .onConflictDoUpdate((row) => {
      const reviewCount = row.reviewCount + 1;
      const ratingSum = row.ratingSum + rating;
      return {
        reviewCount,
        ratingSum,
        // Same rounding as Reviews.averageRating: floor(sum * 100 / count).
        averageCentiStars: Math.floor((ratingSum * 100) / reviewCount),
        stars1: row.stars1 + star(1),
        stars2: row.stars2 + star(2),
        stars3: row.stars3 + star(3),
        stars4: row.stars4 + star(4),
        stars5: row.stars5 + star(5),
        updatedAt: event.block.timestamp,
      };
    });
});

registerAdminEvents("Reviews", [...ADMIN_RULES_EVENTS, "EIP712DomainChanged"]);
