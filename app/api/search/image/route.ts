// Search by photo: POST /api/search/image with { features, version } — the vector the image search
// page computed in the browser with lib/ml/image-features.ts — answers the nearest products as
// cards in the shopper's currency. The photo itself never leaves the shopper's device.
import { AuthError, assertSameOrigin } from "../../../../lib/auth/index.ts";
import { readProductCards } from "../../../../lib/catalog/read-product-cards.ts";
import { imageQuerySchema, nearestProductsByImage } from "../../../../lib/ml/image-index.ts";
import { authErrorResponse } from "../../../../lib/web-auth/auth-response.ts";
import { database } from "../../../_server/db.ts";
import { webSettings } from "../../../_server/settings.ts";
import { requestPreferences } from "../../assistant/request.ts";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  try {
    assertSameOrigin(request, webSettings().NEOCART_ORIGIN);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      throw new AuthError("invalid_input", 'Send JSON: { "features": [ … ], "version": "…" }.');
    }
    const parsed = imageQuerySchema.safeParse(body);
    if (!parsed.success) {
      throw new AuthError("invalid_input", parsed.error.issues.map((i) => i.message).join("; "));
    }
    const db = database();
    const matches = await nearestProductsByImage(db, parsed.data.features, parsed.data.limit);
    const cards = await readProductCards(db, { ids: matches.map((m) => m.productId) }, requestPreferences(request));
    const byId = new Map(cards.map((c) => [c.id, c]));
    const results = matches.flatMap((m) => {
      const product = byId.get(m.productId);
      return product
        ? [{ similarity: Math.round(m.similarity * 10_000) / 10_000, matchedImage: m.imageUrl, product }]
        : [];
    });
    return Response.json({ results }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return authErrorResponse(error);
  }
}
