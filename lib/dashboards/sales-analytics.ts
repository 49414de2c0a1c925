// Sales figures for the seller dashboard and the platform analytics: revenue (GMV) per day in the
// viewer's display currency and orders by state, over fiat and escrow orders alike. Escrow orders
// take their state from the chain (indexer views); fiat orders from commerce.orders.
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { chainView, readChainViews } from "../chain/views.ts";
import { PAID_FIAT_STATUSES } from "../orders/issue-purchase-receipt.ts";
import type { Executor } from "../pricing/executor.ts";
import { createConverter } from "../pricing/fx-rates.ts";
import { parseInput } from "../pricing/parse-input.ts";

const inputSchema = z
  .object({
    sellerId: z.uuid().optional(),
    viewsSchema: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code"),
    days: z.number().int().min(1).max(366).default(30),
    now: z.date().optional(),
  })
  .strict();

/** Chain states in which the buyer's money was taken and not (wholly) given back. */
const SOLD_CHAIN_STATES = ["paid", "shipped", "completed", "disputed", "resolved"];

export type DayPoint = { day: string; minor: bigint; orders: number };
export type CountPoint = { label: string; count: number };
export type SalesAnalytics = {
  currency: string;
  revenuePerDay: DayPoint[];
  ordersByState: CountPoint[];
  ordersByKind: CountPoint[];
  totalMinor: bigint;
  /** Orders left out of the revenue because no FX rate converts their currency. */
  unconverted: number;
};

type Row = {
  kind: "fiat" | "escrow";
  currency: string;
  day: string;
  commerce_status: string;
  chain_state: string | null;
  amount: string;
};

function orderRowsQuery(sellerId: string | undefined, since: Date, join: SQL | undefined): SQL {
  const amount = sellerId
    ? sql`(select coalesce(sum(i.quantity * i.unit_price_minor), 0) from commerce.order_items i
            where i.order_id = o.id and i.seller_id = ${sellerId})`
    : sql`o.total_minor`;
  const scope = sellerId
    ? sql`and exists (select 1 from commerce.order_items i where i.order_id = o.id and i.seller_id = ${sellerId})`
    : sql``;
  return sql`select o.kind, o.currency, to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
                    o.status as commerce_status, ${join ? sql`eo.state` : sql`null::text`} as chain_state,
                    ${amount}::text as amount
             from commerce.orders o ${join ?? sql``}
             where o.created_at >= ${since} ${scope}`;
}

/** Every day from `since` to `now` (UTC), oldest first. */
export function daysBetween(since: Date, now: Date): string[] {
  const out: string[] = [];
  const cursor = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  while (cursor.getTime() <= now.getTime()) {
    out.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return out;
}

export async function readSalesAnalytics(db: Executor, input: z.input<typeof inputSchema>): Promise<SalesAnalytics> {
  const args = parseInput(inputSchema, input, "analytics request");
  const now = args.now ?? new Date();
  const since = new Date(now.getTime() - (args.days - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const join = sql`left join ${chainView(args.viewsSchema, "escrow_order")} eo
                   on o.kind = 'escrow' and eo.id = o.chain_order_id`;
  const rows =
    (await readChainViews<Row>(db, orderRowsQuery(args.sellerId, since, join))) ??
    (await db.execute<Row>(orderRowsQuery(args.sellerId, since, undefined))).rows;

  const convert = await createConverter(db, [...new Set([args.currency, ...rows.map((r) => r.currency)])]);
  const perDay = new Map(daysBetween(since, now).map((d) => [d, { minor: 0n, orders: 0 }]));
  const byState = new Map<string, number>();
  const byKind = new Map<string, number>();
  let unconverted = 0;
  let total = 0n;
  for (const row of rows) {
    const state = row.kind === "fiat" ? row.commerce_status : (row.chain_state ?? "awaiting payment");
    byState.set(state, (byState.get(state) ?? 0) + 1);
    byKind.set(row.kind, (byKind.get(row.kind) ?? 0) + 1);
    const sold =
      row.kind === "fiat"
        ? (PAID_FIAT_STATUSES as readonly string[]).includes(row.commerce_status)
        : SOLD_CHAIN_STATES.includes(row.chain_state ?? "");
    if (!sold) continue;
    let minor: bigint;
    try {
      minor = convert(BigInt(row.amount), row.currency, args.currency);
    } catch {
      unconverted += 1;
      continue;
    }
    const bucket = perDay.get(row.day) ?? { minor: 0n, orders: 0 };
    bucket.minor += minor;
    bucket.orders += 1;
    perDay.set(row.day, bucket);
    total += minor;
  }
  const sortedCounts = (m: Map<string, number>) =>
    [...m.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
  return {
    currency: args.currency,
    revenuePerDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, v]) => ({ day, ...v })),
    ordersByState: sortedCounts(byState),
    ordersByKind: sortedCounts(byKind),
    totalMinor: total,
    unconverted,
  };
}

/** Reviews written on chain per day (platform analytics). */
export async function readReviewsPerDay(
  db: Executor,
  viewsSchema: string,
  days = 30,
  now: Date = new Date(),
): Promise<CountPoint[]> {
  const since = new Date(now.getTime() - (days - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const rows =
    (await readChainViews<{ day: string; count: number }>(
      db,
      sql`select to_char(to_timestamp(timestamp::double precision) at time zone 'UTC', 'YYYY-MM-DD') as day,
                 count(*)::int as count
          from ${chainView(viewsSchema, "review")}
          where timestamp >= ${Math.floor(since.getTime() / 1000)}
          group by 1`,
    )) ?? [];
  const byDay = new Map(rows.map((r) => [r.day, r.count]));
  return daysBetween(since, now).map((day) => ({ label: day, count: byDay.get(day) ?? 0 }));
}
