// A wallet's loyalty points (balance and every transfer, mint and burn) and its badges, from the
// indexer's views.
import { sql } from "drizzle-orm";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";

export type PointsTransfer = {
  id: string;
  from: string;
  to: string;
  value: bigint;
  kind: string;
  blockNumber: bigint;
  timestamp: number;
  txHash: string;
};
export type BadgeHeld = { badgeId: number; awardedAt: number | null; awardTx: string | null };
export type Loyalty = { indexed: boolean; balance: bigint; transfers: PointsTransfer[]; badges: BadgeHeld[] };

/** Badge ids of contracts/Badges.sol, named in the UI. */
export const BADGE_IDS = [1, 2, 3, 4, 5] as const;

export async function readLoyalty(db: Executor, viewsSchema: string, address: string, limit = 100): Promise<Loyalty> {
  const account = address.toLowerCase();
  const balance = await readChainViews<{ balance: string }>(
    db,
    sql`select balance::text as balance from ${chainView(viewsSchema, "points_balance")} where id = ${account}`,
  );
  const transfers = await readChainViews<{
    id: string;
    from: string;
    to: string;
    value: string;
    kind: string;
    block_number: string;
    timestamp: string;
    tx_hash: string;
  }>(
    db,
    sql`select id, "from", "to", value::text as value, kind, block_number::text as block_number,
               timestamp::text as timestamp, tx_hash
        from ${chainView(viewsSchema, "points_transfer")}
        where "from" = ${account} or "to" = ${account}
        order by block_number desc, id desc limit ${limit}`,
  );
  const badges = await readChainViews<{ badge_id: string; awarded_at: string | null; award_tx: string | null }>(
    db,
    sql`select badge_id::text as badge_id, awarded_at::text as awarded_at, award_tx
        from ${chainView(viewsSchema, "badge")} where holder = ${account} and balance > 0 order by badge_id`,
  );
  return {
    indexed: balance !== undefined,
    balance: BigInt(balance?.[0]?.balance ?? "0"),
    transfers: (transfers ?? []).map((t) => ({
      id: t.id,
      from: t.from,
      to: t.to,
      value: BigInt(t.value),
      kind: t.kind,
      blockNumber: BigInt(t.block_number),
      timestamp: Number(t.timestamp),
      txHash: t.tx_hash,
    })),
    badges: (badges ?? []).map((b) => ({
      badgeId: Number(b.badge_id),
      awardedAt: b.awarded_at === null ? null : Number(b.awarded_at),
      awardTx: b.award_tx,
    })),
  };
}
