// Where a shopper stands on each badge: held (on chain, per the indexer), on its way (the rule is
// met and the rewards service has it in its ledger), or how far along ("3 of 10 completed sales").
// Counts use the same facts as the service's rules (discover-awards.ts), read for one account.
import { sql } from "drizzle-orm";
import { chainView, readChainViews } from "../chain/views.ts";
import { PAID_FIAT_STATUSES } from "../orders/issue-purchase-receipt.ts";
import type { Executor } from "../pricing/executor.ts";
import { isVerifiedReviewText } from "./discover-awards.ts";
import { BADGE_RULES, type BadgeId, type BadgeMeasure } from "./rules.ts";

export type BadgeProgress = {
  id: BadgeId;
  measure: BadgeMeasure;
  target: number;
  /** Capped at target for display; the raw count can be higher. */
  current: number;
  state: "held" | "awarding" | "in_progress";
};

const fiatPaid = sql.raw(`(${PAID_FIAT_STATUSES.map((s) => `'${s}'`).join(", ")})`);

export async function readBadgeProgress(
  db: Executor,
  viewsSchema: string,
  viewer: { userId: string; address: string },
): Promise<{ indexed: boolean; badges: BadgeProgress[] }> {
  const account = viewer.address.toLowerCase();
  const orders = chainView(viewsSchema, "escrow_order");
  const counts = await readChainViews<{
    escrow_purchases: number;
    completed_sales: number;
    pools_opened: number;
    pledges: number;
    held: number[] | null;
  }>(
    db,
    sql`select
          (select count(*)::int from ${orders} where buyer = ${account} and state = 'completed') as escrow_purchases,
          (select count(*)::int from ${orders} where seller = ${account} and state = 'completed') as completed_sales,
          (select count(*)::int from ${chainView(viewsSchema, "pool")} where seller = ${account}) as pools_opened,
          (select count(distinct pool_id)::int from ${chainView(viewsSchema, "pledge_event")}
            where pledger = ${account} and kind = 'pledged') as pledges,
          (select array_agg(badge_id::int) from ${chainView(viewsSchema, "badge")}
            where holder = ${account} and balance > 0) as held`,
  );
  // Card orders count for the wallet their rewards go to: the user's first linked one.
  const fiat = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from commerce.orders f
        where f.user_id = ${viewer.userId} and f.kind = 'fiat' and f.status in ${fiatPaid}
          and ${account} = (select w.address from commerce.wallets w where w.user_id = ${viewer.userId}
                            order by w.linked_at, w.address limit 1)`,
  );
  const reviews = await readChainViews<{ content_hash: string; body: string }>(
    db,
    sql`select lower(r.content_hash) as content_hash, t.body from ${chainView(viewsSchema, "review")} r
        join commerce.review_texts t on t.content_hash = lower(r.content_hash)
        where r.author = ${account}`,
  );
  const queued = await db.execute<{ badge_id: number }>(
    sql`select badge_id from commerce.reward_awards where recipient = ${account} and kind = 'badge'`,
  );
  const row = counts?.[0];
  const measured: Record<BadgeMeasure, number> = {
    purchases: (row?.escrow_purchases ?? 0) + (fiat.rows[0]?.n ?? 0),
    verifiedReviews: (reviews ?? []).filter((r) => isVerifiedReviewText(r.content_hash, r.body)).length,
    poolsOpened: row?.pools_opened ?? 0,
    pledges: row?.pledges ?? 0,
    completedSales: row?.completed_sales ?? 0,
  };
  const held = new Set(row?.held ?? []);
  const awarding = new Set(queued.rows.map((r) => Number(r.badge_id)));
  return {
    indexed: counts !== undefined,
    badges: BADGE_RULES.map((rule) => {
      const count = measured[rule.measure];
      const state = held.has(rule.id)
        ? "held"
        : awarding.has(rule.id) || count >= rule.target
          ? "awarding"
          : "in_progress";
      return { id: rule.id, measure: rule.measure, target: rule.target, current: Math.min(count, rule.target), state };
    }),
  };
}
