// The host's controls: pin and unpin products, end the event. Each re-checks, inside itself, that
// the acting user may host this event (the event's seller or an admin) and that it is still live,
// writes in a transaction and NOTIFYs the viewers on commit. Pinning twice or unpinning what is
// not pinned changes nothing and notifies no one.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type ProductCard, readProductCards } from "../catalog/read-product-cards.ts";
import type { Db } from "../db/client.ts";
import { products } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { describeIssues, VideoInputError } from "../video/errors.ts";
import { LiveEndedError } from "./errors.ts";
import { requireLiveHost } from "./events.ts";
import { publishLiveNotice } from "./notifications.ts";
import { liveEvents, livePins } from "./tables.ts";

export const MAX_PINS = 12;

const pinSchema = z.strictObject({
  eventId: z.uuid("The live event id must be a UUID."),
  productId: z.uuid("The product id must be a UUID."),
});
export type PinInput = z.input<typeof pinSchema>;

function parsePin(input: PinInput) {
  const parsed = pinSchema.safeParse(input);
  if (!parsed.success) throw new VideoInputError(describeIssues("The pin", parsed.error.issues));
  return parsed.data;
}

/** Returns whether anything changed. */
export async function pinProduct(db: Db, actorUserId: string, input: PinInput): Promise<boolean> {
  const { eventId, productId } = parsePin(input);
  return db.transaction(async (tx) => {
    // Lock the event row: a concurrent "end" or pin waits, so the pin limit and status hold.
    await tx.execute(sql`select 1 from commerce.live_events where id = ${eventId} for update`);
    const event = await requireLiveHost(tx, eventId, actorUserId);
    if (event.status !== "live") throw new LiveEndedError();
    const [product] = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId));
    if (!product) throw new VideoInputError(`No product has id ${productId}; choose a product from the list.`);
    const pinned = await tx
      .select({ productId: livePins.productId })
      .from(livePins)
      .where(eq(livePins.eventId, eventId));
    if (pinned.some((p) => p.productId === productId)) return false;
    if (pinned.length >= MAX_PINS) {
      throw new VideoInputError(`At most ${MAX_PINS} products can be pinned at once; unpin one first.`);
    }
    await tx.insert(livePins).values({ eventId, productId, pinnedBy: actorUserId }).onConflictDoNothing();
    await publishLiveNotice(tx, eventId, { type: "pins" });
    return true;
  });
}

/** Returns whether anything changed. */
export async function unpinProduct(db: Db, actorUserId: string, input: PinInput): Promise<boolean> {
  const { eventId, productId } = parsePin(input);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from commerce.live_events where id = ${eventId} for update`);
    const event = await requireLiveHost(tx, eventId, actorUserId);
    if (event.status !== "live") throw new LiveEndedError();
    const removed = await tx
      .delete(livePins)
      .where(and(eq(livePins.eventId, eventId), eq(livePins.productId, productId)))
      .returning({ productId: livePins.productId });
    if (removed.length === 0) return false;
    await publishLiveNotice(tx, eventId, { type: "pins" });
    return true;
  });
}

/** Ends the event (chat and pins freeze). Returns whether it was still live. */
export async function endLiveEvent(db: Db, actorUserId: string, eventId: string): Promise<boolean> {
  const id = z.uuid("The live event id must be a UUID.").safeParse(eventId);
  if (!id.success) throw new VideoInputError(describeIssues("The live event id", id.error.issues));
  return db.transaction(async (tx) => {
    await requireLiveHost(tx, id.data, actorUserId);
    const ended = await tx
      .update(liveEvents)
      .set({ status: "ended", endedAt: sql`now()` })
      .where(and(eq(liveEvents.id, id.data), eq(liveEvents.status, "live")))
      .returning({ id: liveEvents.id });
    if (ended.length === 0) return false;
    await publishLiveNotice(tx, id.data, { type: "status", status: "ended" });
    return true;
  });
}

export async function listPinnedProductIds(db: Executor, eventId: string): Promise<string[]> {
  const rows = await db
    .select({ productId: livePins.productId })
    .from(livePins)
    .where(eq(livePins.eventId, eventId))
    .orderBy(asc(livePins.pinnedAt), asc(livePins.productId));
  return rows.map((r) => r.productId);
}

/** The pinned products' cards in pin order, priced in the viewer's currency. */
export async function readPinnedCards(
  db: Executor,
  eventId: string,
  options: { currency: string; locale: string },
): Promise<ProductCard[]> {
  return readProductCards(db, { ids: await listPinnedProductIds(db, eventId) }, options);
}
