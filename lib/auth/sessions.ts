// Server-side sessions. The cookie carries a random token; the table keeps only its sha256, so a
// leaked table (or backup) cannot be replayed as cookies.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { sessions, users } from "../db/schema.ts";

export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

/** 32 random bytes, base64url: 43 characters. */
export const sessionTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not a session token");

export type Session = { userId: string; address: string; createdAt: Date; expiresAt: Date };

type Queryable = Pick<Db, "insert" | "update" | "select">;

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(
  db: Queryable,
  input: { userId: string; address: string; now: Date; ttlSeconds?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const expiresAt = new Date(input.now.getTime() + (input.ttlSeconds ?? SESSION_TTL_SECONDS) * 1000);
  await db.insert(sessions).values({
    tokenHash: hashSessionToken(token),
    userId: input.userId,
    address: input.address,
    createdAt: input.now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** The live session behind a cookie token, or null (unknown, malformed, expired, revoked, or account deleted). */
export async function getSession(db: Db, token: unknown, now: Date = new Date()): Promise<Session | null> {
  const parsed = sessionTokenSchema.safeParse(token);
  if (!parsed.success) return null;
  const [row] = await db
    .select({
      userId: sessions.userId,
      address: sessions.address,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashSessionToken(parsed.data)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        isNull(users.deletedAt),
      ),
    );
  return row ?? null;
}

/** Revokes the session behind `token` (no error if it is already gone: signing out twice is fine). */
export async function revokeSession(db: Queryable, token: unknown, now: Date = new Date()): Promise<boolean> {
  const parsed = sessionTokenSchema.safeParse(token);
  if (!parsed.success) return false;
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.tokenHash, hashSessionToken(parsed.data)), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  return revoked.length > 0;
}

export async function signOut(db: Db, token: unknown, now: Date = new Date()): Promise<void> {
  await revokeSession(db, token, now);
}

/** Ends every session of a user (account deletion, "sign out everywhere"). */
export async function revokeAllSessions(db: Queryable, userId: string, now: Date = new Date()): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  return revoked.length;
}
