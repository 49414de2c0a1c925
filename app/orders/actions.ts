"use server";
// Server actions of the orders page. Each re-checks the session itself; ids and text are checked
// with zod in lib/dashboards and the order must be the viewer's.
import { z } from "zod";
import type { SaveReviewResult } from "../../components/orders/review-form.tsx";
import { AuthError, hitRateLimit } from "../../lib/auth/index.ts";
import { saveReviewText } from "../../lib/dashboards/order-review.ts";
import type { MessageKey } from "../../lib/i18n/translate.ts";
import { CommerceError } from "../../lib/pricing/errors.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";

/** Reviews per user per hour: enough for a real shopper, too few to spam the text store. */
const REVIEW_RATE_LIMIT = { max: 10, windowSeconds: 3600, what: "reviews in an hour" };

const inputSchema = z
  .object({ orderId: z.string(), productId: z.string(), body: z.string().max(10_000), locale: z.string() })
  .strict();

/** Errors a shopper can act on, in their language; others keep the module's (English) message. */
const TRANSLATED = new Set([
  "not_found",
  "wrong_kind",
  "not_completed",
  "product_mismatch",
  "duplicate_text",
  "rate_limited",
]);

export async function saveReview(input: unknown): Promise<SaveReviewResult> {
  const { t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) return { ok: false, error: t("signin.required") };
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: t("orders.error.form") };
  const db = database();
  try {
    await hitRateLimit(db, `review:${viewer.userId}`, REVIEW_RATE_LIMIT);
    const saved = await saveReviewText(db, webSettings().NEOCART_VIEWS_SCHEMA, viewer.userId, {
      ...parsed.data,
      locale: parsed.data.locale === "es" ? "es" : "en",
    });
    return { ok: true, ...saved };
  } catch (error) {
    if (error instanceof CommerceError || error instanceof AuthError) {
      const key = `orders.error.${error.code}` as MessageKey;
      return { ok: false, error: TRANSLATED.has(error.code) ? t(key) : error.message };
    }
    throw error;
  }
}
