// The fraud queue: payments the webhooks flagged (amount or currency not matching the order, see
// lib/payments/apply-event.ts) and buyers ordering at a suspicious pace. The score is a plain
// rules-based stand-in, shown as such in the UI, until the trained fraud model lands.
import { sql } from "drizzle-orm";
import type { Executor } from "../pricing/executor.ts";

export type FraudReason =
  | { code: "payment_flagged"; detail: string }
  | { code: "orders_last_hour"; count: number }
  | { code: "orders_last_day"; count: number }
  | { code: "failed_payments"; count: number };

export type FraudCase = {
  kind: "payment" | "buyer";
  /** Order id (payment cases) or user id (buyer cases). */
  ref: string;
  userId: string | null;
  wallet: string | null;
  score: number;
  reasons: FraudReason[];
  at: Date;
};

/** Buyers are listed from this many orders in an hour, or this many in a day. */
export const VELOCITY_HOUR = 3;
export const VELOCITY_DAY = 8;

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));

export async function listFraudCases(db: Executor, now: Date = new Date()): Promise<FraudCase[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const flagged = await db.execute<{
    order_id: string;
    user_id: string | null;
    wallet: string | null;
    reason: string | null;
    provider: string;
    updated_at: Date;
    failed: number;
  }>(
    sql`select p.order_id::text as order_id, o.user_id::text as user_id, p.flagged_reason as reason, p.provider,
               p.updated_at,
               (select w.address from commerce.wallets w where w.user_id = o.user_id order by w.linked_at limit 1) as wallet,
               (select count(*)::int from commerce.payments p2 join commerce.orders o2 on o2.id = p2.order_id
                 where o.user_id is not null and o2.user_id = o.user_id and p2.status = 'failed'
                   and p2.updated_at >= ${dayAgo}) as failed
        from commerce.payments p join commerce.orders o on o.id = p.order_id
        where p.status = 'flagged'
        order by p.updated_at desc limit 200`,
  );
  const velocity = await db.execute<{
    user_id: string;
    wallet: string | null;
    last_hour: number;
    last_day: number;
    failed: number;
    latest: Date;
  }>(
    sql`select o.user_id::text as user_id,
               (select w.address from commerce.wallets w where w.user_id = o.user_id order by w.linked_at limit 1) as wallet,
               count(*) filter (where o.created_at >= ${hourAgo})::int as last_hour,
               count(*)::int as last_day,
               (select count(*)::int from commerce.payments p join commerce.orders o2 on o2.id = p.order_id
                 where o2.user_id = o.user_id and p.status = 'failed' and p.updated_at >= ${dayAgo}) as failed,
               max(o.created_at) as latest
        from commerce.orders o
        where o.user_id is not null and o.created_at >= ${dayAgo}
        group by o.user_id
        having count(*) filter (where o.created_at >= ${hourAgo}) >= ${VELOCITY_HOUR} or count(*) >= ${VELOCITY_DAY}
        order by last_hour desc, last_day desc limit 100`,
  );
  const cases: FraudCase[] = [
    ...flagged.rows.map((r) => ({
      kind: "payment" as const,
      ref: r.order_id,
      userId: r.user_id,
      wallet: r.wallet,
      // A mismatched payment is the strongest signal we have; repeated failures add to it.
      score: clamp(70 + 10 * r.failed),
      reasons: [
        { code: "payment_flagged" as const, detail: `${r.provider}: ${r.reason ?? "amount or currency mismatch"}` },
        ...(r.failed > 0 ? [{ code: "failed_payments" as const, count: r.failed }] : []),
      ],
      at: new Date(r.updated_at),
    })),
    ...velocity.rows.map((r) => ({
      kind: "buyer" as const,
      ref: r.user_id,
      userId: r.user_id,
      wallet: r.wallet,
      score: clamp(15 * r.last_hour + 4 * r.last_day + 10 * r.failed),
      reasons: [
        { code: "orders_last_hour" as const, count: r.last_hour },
        { code: "orders_last_day" as const, count: r.last_day },
        ...(r.failed > 0 ? [{ code: "failed_payments" as const, count: r.failed }] : []),
      ],
      at: new Date(r.latest),
    })),
  ];
  return cases.sort((a, b) => b.score - a.score || b.at.getTime() - a.at.getTime());
}
