"use server";
// Live event forms: chat (signed in), "Add to cart" on a pinned product, and the host's pin, unpin
// and end. Each re-reads the session itself; lib/live re-checks hosting rights and the event's
// status inside its transaction, so a page that went stale cannot act on an ended event.
import { refresh } from "next/cache";
import { z } from "zod";
import { postChatMessage } from "../../lib/live/chat.ts";
import { LiveEndedError } from "../../lib/live/errors.ts";
import { isLive, readLiveEvent } from "../../lib/live/events.ts";
import { endLiveEvent, listPinnedProductIds, pinProduct, unpinProduct } from "../../lib/live/pins.ts";
import { CommerceError } from "../../lib/pricing/errors.ts";
import { database } from "../_server/db.ts";
import { currentViewer } from "../_server/session.ts";
import type { CartActionState } from "../cart/actions.ts";
import { addFeaturedProductToCart, answer, parseFields } from "../videos/_server/featured-product-cart.ts";

const eventId = z.uuid("eventId must be a live event id (UUID)");
const productId = z.uuid("productId must be a product id (UUID)");
const chatSchema = z.strictObject({ eventId, clientMessageId: z.string(), body: z.string() });
const pinSchema = z.strictObject({ eventId, productId });
const endSchema = z.strictObject({ eventId });

/** Signed-out visitors get the sign-in sentence rather than an exception. */
async function signedInUser(): Promise<string | null> {
  return (await currentViewer())?.userId ?? null;
}

export async function postLiveChat(_: CartActionState, form: FormData): Promise<CartActionState> {
  const parsed = parseFields(chatSchema, form);
  if (!parsed.ok) return { status: "error", message: parsed.message };
  return answer(async (t) => {
    const userId = await signedInUser();
    if (!userId) throw new CommerceError("no_session", 403, t("live.error.signIn"));
    // lib/live validates the text (length, one line) and the rate limit, and stores it once.
    await postChatMessage(database(), userId, parsed.data);
    return t("live.sent");
  });
}

export async function addPinnedToCart(_: CartActionState, form: FormData): Promise<CartActionState> {
  const parsed = parseFields(pinSchema, form);
  if (!parsed.ok) return { status: "error", message: parsed.message };
  return answer(async (t) => {
    const db = database();
    const event = await readLiveEvent(db, parsed.data.eventId);
    // Only what the host pins right now is offered, and only while the event runs.
    if (!event || !(await isLive(db, event.id))) throw new LiveEndedError();
    const pinned = await listPinnedProductIds(db, event.id);
    if (!pinned.includes(parsed.data.productId)) {
      throw new CommerceError("not_pinned", 409, t("live.error.notPinned"));
    }
    await addFeaturedProductToCart({ productId: parsed.data.productId, featuringSellerId: event.sellerId });
    return t("video.added");
  });
}

async function hostAction(
  form: FormData,
  act: (userId: string, input: { eventId: string; productId: string }) => Promise<boolean>,
  done: "live.host.pinnedNow" | "live.host.unpinnedNow",
): Promise<CartActionState> {
  const parsed = parseFields(pinSchema, form);
  if (!parsed.ok) return { status: "error", message: parsed.message };
  return answer(async (t) => {
    const userId = await signedInUser();
    if (!userId) throw new CommerceError("no_session", 403, t("live.error.signIn"));
    const changed = await act(userId, parsed.data);
    refresh();
    return t(changed ? done : "live.host.unchanged");
  });
}

export async function pinLiveProduct(_: CartActionState, form: FormData): Promise<CartActionState> {
  return hostAction(form, (userId, input) => pinProduct(database(), userId, input), "live.host.pinnedNow");
}

export async function unpinLiveProduct(_: CartActionState, form: FormData): Promise<CartActionState> {
  return hostAction(form, (userId, input) => unpinProduct(database(), userId, input), "live.host.unpinnedNow");
}

export async function endLiveEventNow(_: CartActionState, form: FormData): Promise<CartActionState> {
  const parsed = parseFields(endSchema, form);
  if (!parsed.ok) return { status: "error", message: parsed.message };
  return answer(async (t) => {
    const userId = await signedInUser();
    if (!userId) throw new CommerceError("no_session", 403, t("live.error.signIn"));
    const changed = await endLiveEvent(database(), userId, parsed.data.eventId);
    refresh();
    return t(changed ? "live.host.endedNow" : "live.host.unchanged");
  });
}
