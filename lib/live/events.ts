// Live events: creating one, reading it for its pages, and who may host it (the seller's own
// account or an admin, read from the database on every call, so a revoked role stops at once).
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { hasRole } from "../auth/roles.ts";
import type { Db } from "../db/client.ts";
import { sellers } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { describeIssues, VideoInputError } from "../video/errors.ts";
import { mediaSourceSchema, posterSchema, slugSchema } from "../video/media-url.ts";
import { LiveEventNotFoundError, LiveForbiddenError } from "./errors.ts";
import { type LiveEventStatus, liveEvents } from "./tables.ts";

export const liveEventInputSchema = z.strictObject({
  slug: slugSchema,
  sellerId: z.uuid("must be a seller id (UUID)"),
  title: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: z.string().trim().max(2000, "must be at most 2,000 characters").default(""),
  sourceUrl: mediaSourceSchema,
  posterUrl: posterSchema.optional(),
});
export type LiveEventInput = z.input<typeof liveEventInputSchema>;

export type LiveEventView = {
  id: string;
  title: string;
  description: string;
  sourceUrl: string;
  posterUrl: string | null;
  status: LiveEventStatus;
  startedAt: Date;
  endedAt: Date | null;
  sellerId: string;
  sellerName: string;
  sellerUserId: string | null;
};

export const eventIdSchema = z.uuid("The live event id must be a UUID.");

export async function createLiveEvent(db: Db, input: LiveEventInput): Promise<{ id: string }> {
  const parsed = liveEventInputSchema.safeParse(input);
  if (!parsed.success) throw new VideoInputError(describeIssues("The live event", parsed.error.issues));
  const event = parsed.data;
  const [seller] = await db.select({ id: sellers.id }).from(sellers).where(eq(sellers.id, event.sellerId));
  if (!seller) throw new VideoInputError(`No seller has id ${event.sellerId}; check the seller.`);
  const [row] = await db
    .insert(liveEvents)
    .values({ ...event, posterUrl: event.posterUrl ?? null })
    .onConflictDoNothing({ target: liveEvents.slug })
    .returning({ id: liveEvents.id });
  if (!row) throw new VideoInputError(`A live event with slug "${event.slug}" exists already; choose another slug.`);
  return row;
}

const viewColumns = {
  id: liveEvents.id,
  title: liveEvents.title,
  description: liveEvents.description,
  sourceUrl: liveEvents.sourceUrl,
  posterUrl: liveEvents.posterUrl,
  status: liveEvents.status,
  startedAt: liveEvents.startedAt,
  endedAt: liveEvents.endedAt,
  sellerId: liveEvents.sellerId,
  sellerName: sellers.name,
  sellerUserId: sellers.userId,
};

/** The event, or null for an unknown or malformed id. */
export async function readLiveEvent(db: Executor, eventId: string): Promise<LiveEventView | null> {
  if (!eventIdSchema.safeParse(eventId).success) return null;
  const [row] = await db
    .select(viewColumns)
    .from(liveEvents)
    .innerJoin(sellers, eq(sellers.id, liveEvents.sellerId))
    .where(eq(liveEvents.id, eventId));
  return row ?? null;
}

/** Live events first, then ended ones, newest first. */
export async function listLiveEvents(db: Db, options: { limit?: number } = {}): Promise<LiveEventView[]> {
  return db
    .select(viewColumns)
    .from(liveEvents)
    .innerJoin(sellers, eq(sellers.id, liveEvents.sellerId))
    .orderBy(desc(eq(liveEvents.status, "live")), desc(liveEvents.startedAt), liveEvents.id)
    .limit(options.limit ?? 50);
}

export async function canHostLiveEvent(db: Executor, event: LiveEventView, userId: string): Promise<boolean> {
  if (event.sellerUserId === userId) return true;
  return hasRole(db, userId, "admin");
}

/** The event, if `userId` may host it; LiveForbiddenError otherwise (also for an unknown event). */
export async function requireLiveHost(db: Executor, eventId: string, userId: string): Promise<LiveEventView> {
  const event = await readLiveEvent(db, eventId);
  if (!event) throw new LiveEventNotFoundError(eventId);
  if (!(await canHostLiveEvent(db, event, userId))) throw new LiveForbiddenError();
  return event;
}

/** Whether the live event exists and is still on (for posting and adding pinned products). */
export async function isLive(db: Executor, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: liveEvents.id })
    .from(liveEvents)
    .where(and(eq(liveEvents.id, eventId), eq(liveEvents.status, "live")));
  return row !== undefined;
}
