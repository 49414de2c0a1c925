// Top shoppers by points earned (every mint to an account: escrow cashback, review and referral
// rewards), this calendar month (UTC) and all time. Ranking means summing every mint, so it is done
// at most once a minute into commerce.leaderboard_entries (by the rewards runner, or by the first
// page view that finds it stale) and the page reads a handful of indexed rows.
import { and, asc, eq, sql } from "drizzle-orm";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";
import { type LeaderboardPeriod, leaderboardEntries, leaderboardPeriods, leaderboardRefreshes } from "./tables.ts";

export const LEADERBOARD_MAX_AGE_MS = 60_000;
/** Advisory lock keys (shared by every NeoCart process), one per period. */
const REFRESH_LOCK_KEYS: Record<LeaderboardPeriod, number> = { month: 7_340_112_021, all: 7_340_112_022 };

export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export type RefreshOptions = { now?: Date; force?: boolean; maxAgeMs?: number };

/** Re-ranks each period whose ranking is older than maxAgeMs (or from another month). False when the views are missing. */
export async function refreshLeaderboard(
  db: Executor,
  viewsSchema: string,
  options: RefreshOptions = {},
): Promise<boolean> {
  const now = options.now ?? new Date();
  const transfers = chainView(viewsSchema, "points_transfer");
  const present = await readChainViews(db, sql`select 1 from ${transfers} limit 1`);
  if (!present) return false;
  for (const period of leaderboardPeriods) {
    const start = period === "month" ? monthStart(now) : null;
    const [last] = await db.select().from(leaderboardRefreshes).where(eq(leaderboardRefreshes.period, period));
    const fresh =
      last &&
      now.getTime() - last.refreshedAt.getTime() < (options.maxAgeMs ?? LEADERBOARD_MAX_AGE_MS) &&
      (start === null || last.periodStart?.getTime() === start.getTime());
    if (fresh && !options.force) continue;
    await db.transaction(async (tx) => {
      // One refresher at a time; the others keep reading the previous ranking meanwhile.
      const { rows } = await tx.execute<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(${REFRESH_LOCK_KEYS[period]}::bigint) as locked`,
      );
      if (!rows[0]?.locked) return;
      const since = start === null ? sql`` : sql`and timestamp >= ${Math.floor(start.getTime() / 1000)}`;
      await tx.delete(leaderboardEntries).where(eq(leaderboardEntries.period, period));
      await tx.execute(sql`
        insert into commerce.leaderboard_entries (period, address, rank, points)
        select ${period}, address, rank() over (order by earned desc), earned
        from (select lower("to") as address, sum(value) as earned from ${transfers}
              where kind = 'mint' ${since} group by 1) e
        where earned > 0`);
      await tx
        .insert(leaderboardRefreshes)
        .values({ period, periodStart: start, refreshedAt: now })
        .onConflictDoUpdate({ target: leaderboardRefreshes.period, set: { periodStart: start, refreshedAt: now } });
    });
  }
  return true;
}

export type LeaderboardEntry = { rank: number; address: string; displayName: string | null; points: bigint };
export type Leaderboard = {
  indexed: boolean;
  period: LeaderboardPeriod;
  entries: LeaderboardEntry[];
  /** The viewer's own row, also when outside the top entries; null when they earned nothing. */
  viewer: LeaderboardEntry | null;
  refreshedAt: Date | null;
};

function entryOf(r: { rank: number; address: string; points: string; displayName: string | null }): LeaderboardEntry {
  return { rank: r.rank, address: r.address, displayName: r.displayName, points: BigInt(r.points) };
}

export async function readLeaderboard(
  db: Executor,
  viewsSchema: string,
  options: { period: LeaderboardPeriod; viewerAddress?: string; limit?: number; now?: Date },
): Promise<Leaderboard> {
  const indexed = await refreshLeaderboard(db, viewsSchema, { now: options.now });
  const select = {
    rank: leaderboardEntries.rank,
    address: leaderboardEntries.address,
    points: sql<string>`${leaderboardEntries.points}::text`,
    displayName: sql<
      string | null
    >`(select u.display_name from commerce.wallets w join commerce.users u on u.id = w.user_id
                                     where w.address = "leaderboard_entries"."address" and u.deleted_at is null)`,
  };
  const top = await db
    .select(select)
    .from(leaderboardEntries)
    .where(eq(leaderboardEntries.period, options.period))
    .orderBy(asc(leaderboardEntries.rank), asc(leaderboardEntries.address))
    .limit(options.limit ?? 10);
  const viewerAddress = options.viewerAddress?.toLowerCase();
  const [mine] = viewerAddress
    ? await db
        .select(select)
        .from(leaderboardEntries)
        .where(and(eq(leaderboardEntries.period, options.period), eq(leaderboardEntries.address, viewerAddress)))
    : [];
  const [refreshed] = await db
    .select({ at: leaderboardRefreshes.refreshedAt })
    .from(leaderboardRefreshes)
    .where(eq(leaderboardRefreshes.period, options.period));
  return {
    indexed,
    period: options.period,
    entries: top.map(entryOf),
    viewer: mine ? entryOf(mine) : null,
    refreshedAt: refreshed?.at ?? null,
  };
}
