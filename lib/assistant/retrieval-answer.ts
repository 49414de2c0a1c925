// The answer when no language model is configured: NeoCart's own search for the shopper's words and
// the recommender's picks for them, written out plainly, with a first sentence saying that no AI
// model took part. Streamed as text events like a model answer, so the UI needs no second path.

import { recommendFor } from "../ml/recommend.ts";
import { searchProducts } from "../search/search-products.ts";
import type { AssistantContext } from "./tools.ts";

export const NO_MODEL_NOTICE =
  "No AI model is configured (OPENAI_API_KEY is not set), so this answer comes straight from NeoCart's own search and recommendations.";

type Event = { type: "notice"; message: string } | { type: "text"; delta: string };

function money(price: { minor: number; currency: string } | null): string {
  if (!price) return "not on offer";
  const exponent = ["JPY", "KRW", "VND"].includes(price.currency) ? 0 : 2;
  return `${(price.minor / 10 ** exponent).toFixed(exponent)} ${price.currency}`;
}

export async function* answerFromRetrieval(ctx: AssistantContext, question: string): AsyncGenerator<Event> {
  yield { type: "notice", message: NO_MODEL_NOTICE };
  yield { type: "text", delta: `${NO_MODEL_NOTICE}\n\n` };
  const query = question.trim().slice(0, 200);
  if (query) {
    const result = await searchProducts(ctx.db, {
      q: query,
      currency: ctx.currency,
      locale: ctx.locale,
      pageSize: 5,
    });
    if (result.items.length === 0) {
      yield { type: "text", delta: `Search found nothing for "${query}".\n` };
    } else {
      const heading = result.correctedQuery
        ? `Search results for "${result.correctedQuery}" (corrected from "${query}"):\n`
        : `Search results for "${query}":\n`;
      yield { type: "text", delta: heading };
      for (const [k, item] of result.items.entries()) {
        const rating =
          item.rating.average === null ? "no ratings yet" : `${item.rating.average.toFixed(1)}★ (${item.rating.count})`;
        yield {
          type: "text",
          delta: `${k + 1}. ${item.title} — from ${money(item.price)}, ${rating} [/product/${item.slug}]\n`,
        };
      }
    }
  }
  if (ctx.userId) {
    const picks = await recommendFor(ctx.db, ctx.userId, { limit: 3, modelsDir: ctx.modelsDir });
    if (picks.items.length > 0) {
      const { rows } = await ctx.db.$client.query<{ id: string; title: string; slug: string }>(
        "select id, title, slug from commerce.products where id = any($1::uuid[])",
        [picks.items.map((i) => i.productId)],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const label = picks.source === "model" ? "Picked for you by our recommender" : "Popular right now";
      yield { type: "text", delta: `\n${label}:\n` };
      for (const pick of picks.items) {
        const product = byId.get(pick.productId);
        if (product) yield { type: "text", delta: `- ${product.title} [/product/${product.slug}]\n` };
      }
    }
  }
}
