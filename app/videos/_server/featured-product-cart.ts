// "Add to cart" for a product a video or a live host features: the offer is chosen on the server
// (the featuring seller's own offer in stock, else the cheapest), never taken from the form, and
// goes into the shopper's own cart (created, and for a guest the cart cookie set, when missing).
import type { z } from "zod";
import { addCartItem } from "../../../lib/cart/index.ts";
import type { Translate } from "../../../lib/i18n/translate.ts";
import { chooseOfferForProduct } from "../../../lib/video/choose-offer.ts";
import { shopperMessage } from "../../../lib/web-cart/error-message.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { ensureCurrentCart } from "../../cart/_server/current-cart.ts";
import type { CartActionState } from "../../cart/actions.ts";

/** Form fields without Next's internal $ACTION_* entries. */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("$ACTION") && typeof value === "string") fields[key] = value;
  }
  return fields;
}

/** The form parsed by `schema`, or the first problems as a message for the form to show. */
export function parseFields<T>(
  schema: z.ZodType<T>,
  form: FormData,
): { ok: true; data: T } | { ok: false; message: string } {
  const parsed = schema.safeParse(formFields(form));
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") };
}

/** Runs `action`, turning refusals a shopper can act on into an error state in their language. */
export async function answer(action: (t: Translate) => Promise<string>): Promise<CartActionState> {
  const { t } = await preferences();
  try {
    return { status: "ok", message: await action(t) };
  } catch (error) {
    const message = shopperMessage(error, t);
    if (message === undefined) throw error;
    return { status: "error", message };
  }
}

export async function addFeaturedProductToCart(input: { productId: string; featuringSellerId: string }) {
  const viewer = await currentViewer();
  const db = database();
  const { offerId } = await chooseOfferForProduct(db, {
    productId: input.productId,
    preferSellerId: input.featuringSellerId,
  });
  const cart = await ensureCurrentCart(viewer, (await preferences()).currency);
  await addCartItem(db, cart.access, { offerId, quantity: 1 });
}
