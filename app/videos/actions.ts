"use server";
// The video page's "Add to cart": the form names only the placement; which product and offer
// follow from the database.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { CommerceError } from "../../lib/pricing/errors.ts";
import { videoPlacements, videos } from "../../lib/video/tables.ts";
import { database } from "../_server/db.ts";
import type { CartActionState } from "../cart/actions.ts";
import { addFeaturedProductToCart, answer, parseFields } from "./_server/featured-product-cart.ts";

const placementSchema = z.strictObject({ placementId: z.uuid("placementId must be a placement id (UUID)") });

export async function addPlacementToCart(_: CartActionState, form: FormData): Promise<CartActionState> {
  const parsed = parseFields(placementSchema, form);
  if (!parsed.ok) return { status: "error", message: parsed.message };
  return answer(async (t) => {
    const [placement] = await database()
      .select({ productId: videoPlacements.productId, sellerId: videos.sellerId })
      .from(videoPlacements)
      .innerJoin(videos, eq(videos.id, videoPlacements.videoId))
      .where(eq(videoPlacements.id, parsed.data.placementId));
    if (!placement) throw new CommerceError("not_found", 404, t("video.error.unknownPlacement"));
    await addFeaturedProductToCart({ productId: placement.productId, featuringSellerId: placement.sellerId });
    return t("video.added");
  });
}
