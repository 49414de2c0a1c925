// Everything the models train on, read once: shopper events (synthetic and real interactions, plus
// purchases from real orders, which need no separate logging) as compact typed arrays, and weekly
// price histories.
import type { Db } from "../db/client.ts";
import { weekStart } from "./weeks.ts";

export const KIND_CODES = { view: 0, cart: 1, purchase: 2 } as const;

export type TrainingEvents = {
  users: string[];
  products: string[];
  /** Index into `users` / `products` per event; events are in time order. */
  user: Int32Array;
  item: Int32Array;
  kind: Uint8Array;
  quantity: Int32Array;
  /** Unit price in USD minor units (NaN when unknown). */
  price: Float64Array;
  time: Float64Array;
  count: number;
};

/** Real orders that count as purchases: paid fiat orders, and escrow orders (paid on chain). */
const PAID_FIAT = ["paid", "shipped", "delivered", "completed"];

export async function readTrainingEvents(db: Db): Promise<TrainingEvents> {
  const { rows } = await db.$client.query<{
    user_id: string;
    product_id: string;
    kind: "view" | "cart" | "purchase";
    quantity: number;
    price: string | null;
    at: Date;
  }>(
    `select user_id, product_id, kind, quantity, unit_price_usd_minor as price, occurred_at as at
       from commerce.interactions
     union all
     select o.user_id, oi.product_id, 'purchase', oi.quantity,
            commerce.to_usd_minor(oi.unit_price_minor, o.currency), o.created_at
       from commerce.orders o join commerce.order_items oi on oi.order_id = o.id
      where o.user_id is not null and (o.kind = 'escrow' or o.status = any($1))
     order by at`,
    [PAID_FIAT],
  );
  const users: string[] = [];
  const products: string[] = [];
  const userIndex = new Map<string, number>();
  const productIndex = new Map<string, number>();
  const n = rows.length;
  const events: TrainingEvents = {
    users,
    products,
    user: new Int32Array(n),
    item: new Int32Array(n),
    kind: new Uint8Array(n),
    quantity: new Int32Array(n),
    price: new Float64Array(n),
    time: new Float64Array(n),
    count: n,
  };
  rows.forEach((row, k) => {
    let u = userIndex.get(row.user_id);
    if (u === undefined) {
      u = users.length;
      users.push(row.user_id);
      userIndex.set(row.user_id, u);
    }
    let i = productIndex.get(row.product_id);
    if (i === undefined) {
      i = products.length;
      products.push(row.product_id);
      productIndex.set(row.product_id, i);
    }
    events.user[k] = u;
    events.item[k] = i;
    events.kind[k] = KIND_CODES[row.kind];
    events.quantity[k] = row.quantity;
    events.price[k] = row.price === null ? Number.NaN : Number(row.price);
    events.time[k] = row.at.getTime();
  });
  return events;
}

export type WeeklySeries = {
  products: string[];
  /** Monday of week 0. */
  start: Date;
  weeks: number;
  /** units[p][w]: units sold of product p in week w. */
  units: Float64Array[];
  /** logPrice[p][w]: log(price / the product's median price); 0 when unknown. */
  logPrice: Float64Array[];
};

/** Weekly units sold per product (purchases), with each week's relative price. */
export async function readWeeklySeries(db: Db, events: TrainingEvents): Promise<WeeklySeries> {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < events.count; k++) {
    if (events.kind[k] !== KIND_CODES.purchase) continue;
    const t = events.time[k] as number;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const products = events.products;
  if (!Number.isFinite(first)) return { products, start: weekStart(new Date()), weeks: 0, units: [], logPrice: [] };
  const start = weekStart(new Date(first));
  const weeks = Math.round((weekStart(new Date(last)).getTime() - start.getTime()) / (7 * 86_400_000)) + 1;
  const units = products.map(() => new Float64Array(weeks));
  for (let k = 0; k < events.count; k++) {
    if (events.kind[k] !== KIND_CODES.purchase) continue;
    const w = Math.floor(((events.time[k] as number) - start.getTime()) / (7 * 86_400_000));
    const row = units[events.item[k] as number];
    if (row && w >= 0 && w < weeks) row[w] = (row[w] ?? 0) + (events.quantity[k] as number);
  }
  const index = new Map(products.map((p, i) => [p, i]));
  const prices = products.map(() => new Float64Array(weeks).fill(Number.NaN));
  const { rows } = await db.$client.query<{ product_id: string; week_start: Date; price: string }>(
    `select product_id, week_start::timestamp at time zone 'UTC' as week_start, price_usd_minor as price
       from commerce.product_price_weeks where week_start >= $1::date`,
    [start.toISOString().slice(0, 10)],
  );
  for (const row of rows) {
    const p = index.get(row.product_id);
    const w = Math.round((row.week_start.getTime() - start.getTime()) / (7 * 86_400_000));
    const series = p === undefined ? undefined : prices[p];
    if (series && w >= 0 && w < weeks) series[w] = Number(row.price);
  }
  const logPrice = prices.map((series) => {
    const known = [...series].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const median = known[Math.floor(known.length / 2)];
    const out = new Float64Array(weeks);
    if (median === undefined) return out;
    series.forEach((v, w) => {
      out[w] = Number.isFinite(v) ? Math.log(v / median) : 0;
    });
    return out;
  });
  return { products, start, weeks, units, logPrice };
}
