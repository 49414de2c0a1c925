// Turns indexed facts into rewards owed: one ledger row per reward, under a unique key, so running
// this again (or on two machines) finds nothing new. Only facts at or below `safeBlock` count:
// rewards are off-chain effects of chain events and must not follow a block a reorg can remove
// (TESTPLAN F6). Sending the rewards is send-awards.ts's job.
import { type SQL, sql } from "drizzle-orm";
import { keccak256, stringToBytes } from "viem";
import { chainView, readChainViews } from "../chain/views.ts";
import { PAID_FIAT_STATUSES } from "../orders/issue-purchase-receipt.ts";
import type { Executor } from "../pricing/executor.ts";
import { BADGE_RULES, type BadgeRule, pointUnits, REFEREE_POINTS, REFERRER_POINTS, REVIEW_POINTS } from "./rules.ts";
import { rewardAwards } from "./tables.ts";

export type DiscoverOptions = {
  viewsSchema: string;
  /** Highest block whose facts may be rewarded (chain head minus the confirmations required). */
  safeBlock: bigint;
  /** Most candidates read per rule and pass; the rest are found on the next pass. */
  batchSize?: number;
};

export type Discovered = {
  /** False when the indexer has not published its views yet: nothing could be read. */
  indexed: boolean;
  reviewPoints: number;
  referralPoints: number;
  badges: number;
  /** Reviews on chain whose stored text does not hash to the on-chain hash (not rewarded). */
  unverifiedReviews: number;
};

type NewAward = typeof rewardAwards.$inferInsert;

async function insertAwards(db: Executor, rows: NewAward[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insert(rewardAwards)
    .values(rows)
    .onConflictDoNothing({ target: rewardAwards.awardKey })
    .returning({ key: rewardAwards.awardKey });
  return inserted.length;
}

const fiatPaid = sql.raw(`(${PAID_FIAT_STATUSES.map((s) => `'${s}'`).join(", ")})`);

/** The wallet a user's off-chain rewards go to: the first one they linked. */
const primaryWallet = (userId: SQL) =>
  sql`(select pw.address from commerce.wallets pw where pw.user_id = ${userId} order by pw.linked_at, pw.address limit 1)`;

export function isVerifiedReviewText(contentHash: string, body: string): boolean {
  return keccak256(stringToBytes(body)) === contentHash.toLowerCase();
}

async function discoverReviewPoints(db: Executor, o: Required<DiscoverOptions>) {
  const reviews = await readChainViews<{
    order_id: string;
    author: string;
    content_hash: string;
    body: string;
    user_id: string | null;
  }>(
    db,
    sql`select r.id as order_id, lower(r.author) as author, lower(r.content_hash) as content_hash, t.body, w.user_id
        from ${chainView(o.viewsSchema, "review")} r
        join commerce.review_texts t on t.content_hash = lower(r.content_hash)
        left join commerce.wallets w on w.address = lower(r.author)
        where r.block_number <= ${o.safeBlock.toString()}::numeric
          and not exists (select 1 from commerce.reward_awards a where a.award_key = 'review:' || lower(r.id))
        order by r.block_number, r.id limit ${o.batchSize}`,
  );
  if (!reviews) return undefined;
  const verified = reviews.filter((r) => isVerifiedReviewText(r.content_hash, r.body));
  const added = await insertAwards(
    db,
    verified.map((r) => ({
      awardKey: `review:${r.order_id.toLowerCase()}`,
      kind: "review_points" as const,
      recipient: r.author,
      userId: r.user_id,
      points: pointUnits(REVIEW_POINTS).toString(),
      reason: `verified review of order ${r.order_id.toLowerCase()}`,
    })),
  );
  return { added, unverified: reviews.length - verified.length };
}

async function discoverReferralPoints(db: Executor, o: Required<DiscoverOptions>) {
  const due = await readChainViews<{
    referee_user_id: string;
    referrer_user_id: string;
    referee_wallet: string | null;
    referrer_wallet: string | null;
    first_purchase: string | null;
  }>(
    db,
    sql`select * from (
          select r.referee_user_id, r.referrer_user_id,
                 ${primaryWallet(sql`r.referee_user_id`)} as referee_wallet,
                 ${primaryWallet(sql`r.referrer_user_id`)} as referrer_wallet,
                 coalesce(
                   (select 'escrow order ' || lower(eo.id) from ${chainView(o.viewsSchema, "escrow_order")} eo
                    join commerce.wallets ew on ew.address = lower(eo.buyer)
                    where ew.user_id = r.referee_user_id and eo.state = 'completed'
                      and eo.updated_block <= ${o.safeBlock.toString()}::numeric
                    order by eo.updated_block limit 1),
                   (select 'card order ' || f.id from commerce.orders f
                    where f.user_id = r.referee_user_id and f.kind = 'fiat' and f.status in ${fiatPaid}
                    order by f.created_at limit 1)
                 ) as first_purchase
          from commerce.referrals r
          where not exists (select 1 from commerce.reward_awards a
                            where a.award_key = 'referral:' || r.referee_user_id || ':referee')
        ) due
        where first_purchase is not null and referee_wallet is not null and referrer_wallet is not null
        order by referee_user_id limit ${o.batchSize}`,
  );
  if (!due) return undefined;
  let added = 0;
  for (const r of due) {
    // Both sides in one statement: either both are owed or neither is recorded yet.
    added += await insertAwards(db, [
      {
        awardKey: `referral:${r.referee_user_id}:referrer`,
        kind: "referral_points",
        recipient: r.referrer_wallet as string,
        userId: r.referrer_user_id,
        points: pointUnits(REFERRER_POINTS).toString(),
        reason: `referred a shopper whose first purchase was ${r.first_purchase}`,
      },
      {
        awardKey: `referral:${r.referee_user_id}:referee`,
        kind: "referral_points",
        recipient: r.referee_wallet as string,
        userId: r.referee_user_id,
        points: pointUnits(REFEREE_POINTS).toString(),
        reason: `first purchase as a referred shopper: ${r.first_purchase}`,
      },
    ]);
  }
  return added;
}

/** Accounts that meet `rule` by the facts at or below the safe block. */
function badgeCandidates(rule: BadgeRule, o: Required<DiscoverOptions>): SQL {
  const safe = sql`${o.safeBlock.toString()}::numeric`;
  const orders = chainView(o.viewsSchema, "escrow_order");
  switch (rule.measure) {
    case "purchases":
      return sql`select lower(buyer) as address from ${orders} where state = 'completed' and updated_block <= ${safe}
                 union
                 select ${primaryWallet(sql`f.user_id`)} from commerce.orders f
                 where f.kind = 'fiat' and f.status in ${fiatPaid} and f.user_id is not null`;
    case "verifiedReviews":
      // The review ledger is the list of verified reviews (each was checked against its text).
      return sql`select recipient as address from commerce.reward_awards where kind = 'review_points'
                 group by recipient having count(*) >= ${rule.target}`;
    case "poolsOpened":
      return sql`select lower(seller) as address from ${chainView(o.viewsSchema, "pool")}
                 where opened_block <= ${safe} group by 1 having count(*) >= ${rule.target}`;
    case "pledges":
      return sql`select lower(pledger) as address from ${chainView(o.viewsSchema, "pledge_event")}
                 where kind = 'pledged' and block_number <= ${safe}
                 group by 1 having count(distinct pool_id) >= ${rule.target}`;
    case "completedSales":
      return sql`select lower(seller) as address from ${orders} where state = 'completed' and updated_block <= ${safe}
                 group by 1 having count(*) >= ${rule.target}`;
  }
}

async function discoverBadges(db: Executor, o: Required<DiscoverOptions>) {
  let added = 0;
  for (const rule of BADGE_RULES) {
    const rows = await readChainViews<{ address: string; user_id: string | null }>(
      db,
      sql`select c.address, w.user_id from (${badgeCandidates(rule, o)}) c
          left join commerce.wallets w on w.address = c.address
          where c.address is not null
            and not exists (select 1 from ${chainView(o.viewsSchema, "badge")} b
                            where lower(b.holder) = c.address and b.badge_id = ${rule.id} and b.balance > 0)
            and not exists (select 1 from commerce.reward_awards a
                            where a.award_key = 'badge:' || c.address || ':' || ${String(rule.id)})
          order by c.address limit ${o.batchSize}`,
    );
    if (!rows) return undefined;
    added += await insertAwards(
      db,
      rows.map((r) => ({
        awardKey: `badge:${r.address}:${rule.id}`,
        kind: "badge" as const,
        recipient: r.address,
        userId: r.user_id,
        badgeId: rule.id,
        reason: `${rule.measure} reached ${rule.target}`,
      })),
    );
  }
  return added;
}

/** Records every reward the facts now earn and the ledger does not hold yet. */
export async function discoverAwards(db: Executor, options: DiscoverOptions): Promise<Discovered> {
  const o: Required<DiscoverOptions> = { batchSize: 500, ...options };
  const reviews = await discoverReviewPoints(db, o);
  if (!reviews) return { indexed: false, reviewPoints: 0, referralPoints: 0, badges: 0, unverifiedReviews: 0 };
  const referralPoints = (await discoverReferralPoints(db, o)) ?? 0;
  // After the review points, so a review rewarded in this pass counts towards REVIEWER at once.
  const badges = (await discoverBadges(db, o)) ?? 0;
  return {
    indexed: true,
    reviewPoints: reviews.added,
    referralPoints,
    badges,
    unverifiedReviews: reviews.unverified,
  };
}
