// Live chat: signed-in people post short single-line messages; each is stored once (the browser
// names every message, so a retried post is not doubled), counted against a per-user rate limit
// kept in PostgreSQL (shared by every replica, kept across restarts), and NOTIFYed to the event's
// viewers. Bodies are plain text: the pages render them as text, never as HTML.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { hitRateLimit, type RateLimit } from "../auth/rate-limit.ts";
import type { Db } from "../db/client.ts";
import type { Executor } from "../pricing/executor.ts";
import { describeIssues, VideoInputError } from "../video/errors.ts";
import { LiveEndedError, LiveEventNotFoundError } from "./errors.ts";
import { type ChatMessageView, publishLiveNotice } from "./notifications.ts";
import { liveChatMessages, liveEvents } from "./tables.ts";

export const CHAT_MAX_LENGTH = 500;
/** How many of the newest messages a page or a (re)connecting stream starts with. */
export const CHAT_HISTORY = 50;
export const CHAT_RATE_LIMIT: RateLimit = { max: 5, windowSeconds: 10, what: "chat messages" };

// Control characters would break the single-line layout; bidirectional overrides can make a
// message read as something else (e.g. reversing a link). Both are refused, not silently removed.
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

export const chatPostSchema = z.strictObject({
  eventId: z.uuid("The live event id must be a UUID."),
  clientMessageId: z.uuid("clientMessageId must be a UUID made by the browser for this message."),
  body: z
    .string({ error: "Write a message." })
    .trim()
    .min(1, "Write a message.")
    .max(CHAT_MAX_LENGTH, `Messages are at most ${CHAT_MAX_LENGTH} characters.`)
    .refine((s) => !FORBIDDEN.test(s), "Messages are one line of text without control characters."),
});
export type ChatPost = z.input<typeof chatPostSchema>;

/** Shown instead of a wallet address: enough to tell people apart, no more. */
const authorSql = sql<string>`coalesce(
  nullif(u.display_name, ''),
  (select substr(w.address, 1, 6) || '…' || right(w.address, 4) from commerce.wallets w
    where w.user_id = u.id order by w.linked_at limit 1),
  'Shopper')`;

type MessageRow = { id: string; author: string; body: string; created_at: Date | string };
const toView = (r: MessageRow): ChatMessageView => ({
  id: Number(r.id),
  author: r.author,
  body: r.body,
  createdAt: new Date(r.created_at).toISOString(),
});

async function readMessage(db: Executor, id: number): Promise<ChatMessageView> {
  const { rows } = await db.execute<MessageRow>(sql`
    select m.id, ${authorSql} as author, m.body, m.created_at
    from commerce.live_chat_messages m join commerce.users u on u.id = m.user_id where m.id = ${id}`);
  const row = rows[0];
  if (!row) throw new Error(`chat message ${id} vanished`);
  return toView(row);
}

/** The newest `limit` messages, oldest first (the order a chat log reads in). */
export async function listRecentChat(db: Executor, eventId: string, limit = CHAT_HISTORY): Promise<ChatMessageView[]> {
  const { rows } = await db.execute<MessageRow>(sql`
    select * from (
      select m.id, ${authorSql} as author, m.body, m.created_at
      from commerce.live_chat_messages m join commerce.users u on u.id = m.user_id
      where m.event_id = ${eventId} order by m.id desc limit ${limit}
    ) newest order by id`);
  return rows.map(toView);
}

/**
 * Stores and broadcasts a message from `userId` (the caller checked the session). Returns the
 * stored message; posting the same clientMessageId again returns the first one unchanged.
 */
export async function postChatMessage(
  db: Db,
  userId: string,
  post: ChatPost,
  now: Date = new Date(),
): Promise<ChatMessageView> {
  const parsed = chatPostSchema.safeParse(post);
  if (!parsed.success) throw new VideoInputError(describeIssues("The chat message", parsed.error.issues));
  const { eventId, clientMessageId, body } = parsed.data;

  const existing = async () => {
    const [row] = await db
      .select({ id: liveChatMessages.id })
      .from(liveChatMessages)
      .where(and(eq(liveChatMessages.userId, userId), eq(liveChatMessages.clientMessageId, clientMessageId)));
    return row ? readMessage(db, row.id) : undefined;
  };
  const retried = await existing();
  if (retried) return retried;

  const [event] = await db.select({ status: liveEvents.status }).from(liveEvents).where(eq(liveEvents.id, eventId));
  if (!event) throw new LiveEventNotFoundError(eventId);
  if (event.status !== "live") throw new LiveEndedError();
  await hitRateLimit(db, `live-chat:${userId}`, CHAT_RATE_LIMIT, now);

  const stored = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(liveChatMessages)
      .values({ eventId, userId, clientMessageId, body, createdAt: now })
      .onConflictDoNothing({ target: [liveChatMessages.userId, liveChatMessages.clientMessageId] })
      .returning({ id: liveChatMessages.id });
    if (!row) return undefined; // The same post raced itself; the other one broadcast it.
    const message = await readMessage(tx, row.id);
    await publishLiveNotice(tx, eventId, { type: "chat", message });
    return message;
  });
  return stored ?? ((await existing()) as ChatMessageView);
}
