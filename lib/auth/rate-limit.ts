// Fixed-window counters in Postgres. One atomic upsert per attempt both counts and reads, so
// concurrent requests and several app replicas share one budget, and a restart does not reset it.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { AuthError } from "./errors.ts";
import { authRateLimits } from "./tables.ts";

export type RateLimit = {
  max: number;
  windowSeconds: number;
  /** Named in the refusal, e.g. "data exports" → "Too many data exports; wait …". */
  what?: string;
};

/** Sign-in attempts per client (IP address) per window. */
export const SIGN_IN_RATE_LIMIT: RateLimit = {
  max: 10,
  windowSeconds: 15 * 60,
  what: "sign-in attempts from this network",
};

/**
 * Counts one attempt in `bucket` and throws `rate_limited` once more than `limit.max` attempts
 * fall in the current window. Refused attempts still count, so hammering does not help.
 */
export async function hitRateLimit(db: Db, bucket: string, limit: RateLimit, now: Date = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - limit.windowSeconds * 1000);
  const t = authRateLimits;
  const [row] = await db
    .insert(t)
    .values({ bucket, windowStartedAt: now, hits: 1 })
    .onConflictDoUpdate({
      target: t.bucket,
      set: {
        hits: sql`case when ${t.windowStartedAt} <= ${windowStart} then 1 else ${t.hits} + 1 end`,
        windowStartedAt: sql`case when ${t.windowStartedAt} <= ${windowStart} then ${now} else ${t.windowStartedAt} end`,
      },
    })
    .returning({ hits: t.hits, windowStartedAt: t.windowStartedAt });
  if (row && row.hits > limit.max) {
    const resetsAt = row.windowStartedAt.getTime() + limit.windowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000));
    throw new AuthError(
      "rate_limited",
      `Too many ${limit.what ?? "attempts"}; wait ${retryAfterSeconds} seconds and try again.`,
      { retryAfterSeconds },
    );
  }
}
