"use server";
// Cart edits posted by the product, cart and shared-cart pages. Every action re-reads the session
// and the cart cookie; prices are never taken from the form (pricing reads the offers).
import { refresh } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  addCartItem,
  type CartAccess,
  QuantityLimitError,
  readSharedCart,
  removeCartItem,
  shareTokenSchema,
  updateCartItem,
} from "../../lib/cart/index.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { recordCartAddQuietly } from "../../lib/ml/record-cart-add.ts";
import { COLLAB_TARGET_COOKIE, privateCookieOptions } from "../../lib/web-cart/cart-cookie.ts";
import { shopperMessage } from "../../lib/web-cart/error-message.ts";
import { setCartCollaborative } from "../../lib/web-cart/set-collaborative.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { ensureCurrentCart } from "./_server/current-cart.ts";

export type CartActionState = { status: "idle" | "ok" | "error"; message: string };

const quantity = z.coerce
  .number({ error: "quantity must be a number" })
  .int("quantity must be a whole number")
  .min(1, "quantity must be at least 1")
  .max(999, "quantity must be at most 999");
const offerId = z.uuid("offerId must be an offer id (UUID)");
const lineSchema = z.object({ offerId, quantity });
const addSchema = z.object({ offerId, quantity: quantity.default(1) });
const removeSchema = z.object({ offerId });
const collaborativeSchema = z.object({ collaborative: z.enum(["on", "off"]) });
const tokenSchema = z.object({ token: shareTokenSchema });
const sharedLineSchema = z.object({ token: shareTokenSchema, offerId, quantity });
const sharedRemoveSchema = z.object({ token: shareTokenSchema, offerId });

/** Form fields without Next's internal $ACTION_* entries; absent fields are left out. */
function fieldsOf(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("$ACTION") && typeof value === "string" && value !== "") fields[key] = value;
  }
  return fields;
}

function parseForm<T>(schema: z.ZodType<T>, form: FormData): T {
  const parsed = schema.safeParse(fieldsOf(form));
  if (!parsed.success) throw new FormError(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

class FormError extends Error {}

async function run(action: (t: Translate) => Promise<string>): Promise<CartActionState> {
  const { t } = await preferences();
  try {
    const message = await action(t);
    // The page's prices and lines come from the server: have the client fetch them again.
    refresh();
    return { status: "ok", message };
  } catch (error) {
    if (error instanceof FormError) return { status: "error", message: error.message };
    const message = shopperMessage(error, t);
    if (message === undefined) throw error;
    return { status: "error", message };
  }
}

/** The collaborative cart the shopper chose to shop for, when it is still collaborative. */
async function collaborativeTarget(): Promise<string | undefined> {
  const token = (await cookies()).get(COLLAB_TARGET_COOKIE)?.value;
  if (!token || !shareTokenSchema.safeParse(token).success) return undefined;
  try {
    const shared = await readSharedCart(database(), token);
    return shared.collaborative ? token : undefined;
  } catch {
    return undefined;
  }
}

async function addLine(form: FormData, t: Translate): Promise<string> {
  const line = parseForm(addSchema, form);
  const viewer = await currentViewer();
  const target = await collaborativeTarget();
  const access: CartAccess = target
    ? { via: "link", shareToken: target, userId: viewer?.userId }
    : (await ensureCurrentCart(viewer, (await preferences()).currency)).access;
  await addCartItem(database(), access, line);
  // Signed-in adds feed the recommender (a double click counts once; a failure never fails the add).
  if (viewer) {
    await recordCartAddQuietly(database(), { userId: viewer.userId, offerId: line.offerId, quantity: line.quantity });
  }
  return t(target ? "cart.added.shared" : "cart.added");
}

/**
 * "Add to cart" for the product page. As a plain form action (`action={addToCart}`) it goes to the
 * cart, or back to the cart with the reason when the add is refused; with useActionState
 * (`addToCart(previousState, formData)`) it answers a state for the page to announce.
 */
export async function addToCart(form: FormData): Promise<void>;
export async function addToCart(state: CartActionState | undefined, form: FormData): Promise<CartActionState>;
export async function addToCart(
  stateOrForm: CartActionState | FormData | undefined,
  maybeForm?: FormData,
): Promise<unknown> {
  if (stateOrForm instanceof FormData) {
    const state = await run((t) => addLine(stateOrForm, t));
    const target = state.status === "ok" && (await collaborativeTarget());
    redirect(state.status === "ok" ? (target ? `/cart/shared/${target}` : "/cart") : "/cart?error=add");
  }
  if (!maybeForm) return { status: "error", message: "The add-to-cart form sent no fields." };
  return run((t) => addLine(maybeForm, t));
}

async function ownAccess() {
  const viewer = await currentViewer();
  return (await ensureCurrentCart(viewer, (await preferences()).currency)).access;
}

export async function updateCartLine(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    const line = parseForm(lineSchema, form);
    await updateCartItem(database(), await ownAccess(), line);
    return t("cart.updated");
  });
}

export async function removeCartLine(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    await removeCartItem(database(), await ownAccess(), parseForm(removeSchema, form));
    return t("cart.removed");
  });
}

export async function setCollaborative(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    const { collaborative } = parseForm(collaborativeSchema, form);
    const access = await ownAccess();
    await setCartCollaborative(database(), access, collaborative === "on");
    return t(collaborative === "on" ? "cart.collaborative.on" : "cart.collaborative.off");
  });
}

export async function updateSharedCartLine(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    const { token, ...line } = parseForm(sharedLineSchema, form);
    const viewer = await currentViewer();
    await updateCartItem(database(), { via: "link", shareToken: token, userId: viewer?.userId }, line);
    return t("cart.updated");
  });
}

export async function removeSharedCartLine(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    const { token, offerId: id } = parseForm(sharedRemoveSchema, form);
    const viewer = await currentViewer();
    await removeCartItem(database(), { via: "link", shareToken: token, userId: viewer?.userId }, { offerId: id });
    return t("cart.removed");
  });
}

/** Product pages' "Add to cart" then adds to this collaborative cart until the shopper stops. */
export async function shopForSharedCart(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    const { token } = parseForm(tokenSchema, form);
    const shared = await readSharedCart(database(), token);
    if (!shared.collaborative) return t("cart.error.notCollaborative");
    (await cookies()).set(COLLAB_TARGET_COOKIE, token, privateCookieOptions(webSettings().NEOCART_ORIGIN, 86_400));
    return t("cart.shopFor.started");
  });
}

export async function stopShoppingForSharedCart(_: CartActionState, _form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    (await cookies()).delete(COLLAB_TARGET_COOKIE);
    return t("cart.shopFor.stopped");
  });
}

/** Copies a shared cart's lines into the shopper's own cart (quantities add up, capped at 999). */
export async function copySharedCart(_: CartActionState, form: FormData): Promise<CartActionState> {
  return run(async (t) => {
    const { token } = parseForm(tokenSchema, form);
    const db = database();
    const shared = await readSharedCart(db, token);
    const access = await ownAccess();
    if (access.cartId === shared.id) return t("cart.copy.same");
    let skipped = 0;
    for (const item of shared.items) {
      try {
        await addCartItem(db, access, { offerId: item.offerId, quantity: item.quantity });
      } catch (error) {
        // A line already near the limit, or an offer withdrawn since: copy the rest.
        if (error instanceof QuantityLimitError || shopperMessage(error, t) !== undefined) skipped++;
        else throw error;
      }
    }
    return skipped === 0 ? t("cart.copy.done") : t("cart.copy.partial", { skipped });
  });
}
