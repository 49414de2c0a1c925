// Sign-in nonces: issued by the server, stored, used at most once, and short-lived, so a signed
// message cannot be replayed (EIP-4361 leaves replay protection to the relying party).
import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { siweNonces } from "../db/schema.ts";
import { AuthError } from "./errors.ts";

export const DEFAULT_NONCE_TTL_SECONDS = 10 * 60;

type Queryable = Pick<Db, "insert" | "update" | "select" | "delete">;

export async function issueNonce(
  db: Db,
  options: { now?: Date; ttlSeconds?: number } = {},
): Promise<{ nonce: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (options.ttlSeconds ?? DEFAULT_NONCE_TTL_SECONDS) * 1000);
  // 128 random bits in hex: letters and digits only, as EIP-4361 requires.
  const nonce = randomBytes(16).toString("hex");
  await db.insert(siweNonces).values({ nonce, createdAt: now, expiresAt });
  return { nonce, expiresAt };
}

/**
 * Marks the nonce used, or explains why it cannot be. The conditional UPDATE is the whole
 * guarantee: under concurrent requests Postgres lets exactly one of them see `used_at is null`.
 */
export async function consumeNonce(db: Queryable, nonce: string, now: Date): Promise<void> {
  const consumed = await db
    .update(siweNonces)
    .set({ usedAt: now })
    .where(and(eq(siweNonces.nonce, nonce), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, now)))
    .returning({ nonce: siweNonces.nonce });
  if (consumed.length === 1) return;

  const [row] = await db.select().from(siweNonces).where(eq(siweNonces.nonce, nonce));
  if (!row) {
    throw new AuthError(
      "unknown_nonce",
      "The sign-in message's nonce was not issued by this site; request a new nonce and sign again.",
    );
  }
  if (row.usedAt) {
    throw new AuthError("nonce_used", "This sign-in message was already used; request a new nonce and sign again.");
  }
  throw new AuthError("nonce_expired", "The sign-in nonce has expired; request a new nonce and sign again.");
}

/** Deletes nonces that expired before `olderThan` (run from a periodic job). */
export async function purgeExpiredNonces(db: Db, olderThan: Date): Promise<number> {
  const removed = await db
    .delete(siweNonces)
    .where(lte(siweNonces.expiresAt, olderThan))
    .returning({ nonce: siweNonces.nonce });
  return removed.length;
}
