// The unified order view: fiat and escrow orders in one list, each with its status and history.
//
// Fiat orders take their status from commerce.orders (set by checkout and the payment webhooks).
// Escrow orders take theirs from the chain, through the indexer's tables published as views in
// `viewsSchema` (escrow_order joined on chain_order_id, escrow_order_event for the history with
// transaction hashes). When the views schema is absent (no indexer published yet) escrow orders
// show "awaiting indexer"; when the indexer has no row for the order yet, "awaiting payment" until
// the quote expires, then "quote expired".
import { and, asc, desc, eq, exists, inArray, type SQL, sql } from "drizzle-orm";
import pg from "pg";
import { z } from "zod";
import { orderItems, orderStatusHistory, orders, products } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { escrowQuotes, orderDeliveries } from "./tables.ts";

export const listOrdersSchema = z
  .union([
    z.object({ userId: z.uuid() }).strict(),
    z.object({ sellerId: z.uuid() }).strict(),
    z.object({ admin: z.literal(true) }).strict(),
  ])
  .and(
    z.object({
      viewsSchema: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, "a schema name (letters, digits, _ or -)")
        .default("neocart_chain"),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  );
export type ListOrdersInput = z.input<typeof listOrdersSchema>;

export const AWAITING_INDEXER = "awaiting indexer";
export const AWAITING_PAYMENT = "awaiting payment";
export const QUOTE_EXPIRED = "quote expired";

export type OrderHistoryEntry = {
  status: string;
  at: Date;
  source: "commerce" | "chain";
  note?: string | null;
  txHash?: string;
  blockNumber?: bigint;
};

export type UnifiedOrder = {
  id: string;
  kind: "fiat" | "escrow";
  chainOrderId: string;
  userId: string | null;
  currency: string;
  subtotalMinor: bigint;
  discountMinor: bigint;
  totalMinor: bigint;
  pointsRedeemed: string;
  deliveryOption: string;
  /** The delivery priced at checkout (fee included in totalMinor), when the order has one. */
  delivery: {
    option: string;
    feeMinor: bigint;
    offsetMinor: bigint | null;
    carbonGrams: number;
    estimatedHours: number;
    droneRegion: string | null;
    originLabel: string;
    destinationLabel: string;
  } | null;
  createdAt: Date;
  /** Fiat: the commerce status. Escrow: the chain state (paid, shipped, completed, disputed, resolved, refunded) or one of the awaiting states. */
  status: string;
  items: {
    offerId: string;
    productId: string;
    title: string;
    sellerId: string;
    quantity: number;
    unitPriceMinor: bigint;
  }[];
  escrow?: { token: string; amount: bigint; expiresAt: Date; buyer?: string; seller?: string };
  history: OrderHistoryEntry[];
};

type ChainOrderRow = { id: string; state: string; buyer: string; seller: string };
type ChainEventRow = { order_id: string; kind: string; tx_hash: string; block_number: string; timestamp: string };

const ident = (name: string) => sql.raw(pg.escapeIdentifier(name));

/** Reads the indexer's views, or undefined when they are not (or no longer) there. */
async function readChainState(db: Executor, viewsSchema: string, chainOrderIds: string[]) {
  const present = await db.execute<{ orders: string | null; events: string | null }>(
    sql`select to_regclass(${`"${viewsSchema}".escrow_order`})::text as orders,
               to_regclass(${`"${viewsSchema}".escrow_order_event`})::text as events`,
  );
  const row = present.rows[0];
  if (!row?.orders || !row.events) return undefined;
  if (chainOrderIds.length === 0) return { orders: [], events: [] };
  const ids = sql.join(
    chainOrderIds.map((id) => sql`${id}`),
    sql`, `,
  );
  try {
    const chainOrders = await db.execute<ChainOrderRow>(
      sql`select id, state, buyer, seller from ${ident(viewsSchema)}.escrow_order where id in (${ids})`,
    );
    const events = await db.execute<ChainEventRow>(
      sql`select order_id, kind, tx_hash, block_number::text as block_number, timestamp::text as timestamp
          from ${ident(viewsSchema)}.escrow_order_event where order_id in (${ids}) order by id`,
    );
    return { orders: chainOrders.rows, events: events.rows };
  } catch (error) {
    // A deployment may drop the views between our check and our read: same as absent.
    if (
      (error as { code?: string }).code === "42P01" ||
      (error as { cause?: { code?: string } }).cause?.code === "42P01"
    ) {
      return undefined;
    }
    throw error;
  }
}

export async function listOrders(db: Executor, input: ListOrdersInput): Promise<UnifiedOrder[]> {
  const args = parseInput(listOrdersSchema, input, "order list");
  let scope: SQL | undefined;
  let sellerId: string | undefined;
  if ("userId" in args) scope = eq(orders.userId, args.userId);
  else if ("sellerId" in args) {
    sellerId = args.sellerId;
    scope = exists(
      db
        .select({ one: sql`1` })
        .from(orderItems)
        .where(and(eq(orderItems.orderId, orders.id), eq(orderItems.sellerId, args.sellerId))),
    );
  }

  const rows = await db
    .select({ order: orders, quote: escrowQuotes, delivery: orderDeliveries })
    .from(orders)
    .leftJoin(escrowQuotes, eq(escrowQuotes.orderId, orders.id))
    .leftJoin(orderDeliveries, eq(orderDeliveries.orderId, orders.id))
    .where(scope)
    .orderBy(desc(orders.createdAt), asc(orders.id))
    .limit(args.limit);
  if (rows.length === 0) return [];
  const orderIds = rows.map((r) => r.order.id);

  // A seller sees only its own lines of a multi-seller order.
  const items = await db
    .select({
      orderId: orderItems.orderId,
      offerId: orderItems.offerId,
      productId: orderItems.productId,
      title: products.title,
      sellerId: orderItems.sellerId,
      quantity: orderItems.quantity,
      unitPriceMinor: orderItems.unitPriceMinor,
    })
    .from(orderItems)
    .innerJoin(products, eq(products.id, orderItems.productId))
    .where(and(inArray(orderItems.orderId, orderIds), sellerId ? eq(orderItems.sellerId, sellerId) : undefined))
    .orderBy(asc(orderItems.offerId));
  const history = await db
    .select()
    .from(orderStatusHistory)
    .where(inArray(orderStatusHistory.orderId, orderIds))
    .orderBy(asc(orderStatusHistory.id));

  const escrowIds = rows.filter((r) => r.order.kind === "escrow").map((r) => r.order.chainOrderId);
  const chain = escrowIds.length > 0 ? await readChainState(db, args.viewsSchema, escrowIds) : undefined;
  const chainOrders = new Map((chain?.orders ?? []).map((o) => [o.id.toLowerCase(), o]));
  const now = Date.now();

  return rows.map(({ order, quote, delivery }) => {
    const own: OrderHistoryEntry[] = history
      .filter((h) => h.orderId === order.id)
      .map((h) => ({ status: h.status, at: h.at, note: h.note, source: "commerce" }));
    const base = {
      id: order.id,
      kind: order.kind,
      chainOrderId: order.chainOrderId,
      userId: order.userId,
      currency: order.currency,
      subtotalMinor: order.subtotalMinor,
      discountMinor: order.discountMinor,
      totalMinor: order.totalMinor,
      pointsRedeemed: order.pointsRedeemed,
      deliveryOption: order.deliveryOption,
      delivery: delivery
        ? {
            option: delivery.option,
            feeMinor: delivery.feeMinor,
            offsetMinor: delivery.offsetMinor,
            carbonGrams: delivery.carbonGrams,
            estimatedHours: delivery.estimatedHours,
            droneRegion: delivery.droneRegion,
            originLabel: delivery.originLabel,
            destinationLabel: delivery.destinationLabel,
          }
        : null,
      createdAt: order.createdAt,
      items: items.filter((i) => i.orderId === order.id).map(({ orderId: _, ...item }) => item),
    };
    if (order.kind === "fiat") return { ...base, status: order.status, history: own };

    const onChain = chainOrders.get(order.chainOrderId);
    const events: OrderHistoryEntry[] = (chain?.events ?? [])
      .filter((e) => e.order_id.toLowerCase() === order.chainOrderId)
      .map((e) => ({
        status: e.kind,
        at: new Date(Number(e.timestamp) * 1000),
        source: "chain",
        txHash: e.tx_hash,
        blockNumber: BigInt(e.block_number),
      }));
    let status: string;
    if (!chain) status = AWAITING_INDEXER;
    else if (onChain) status = onChain.state;
    else status = quote && quote.expiresAt.getTime() < now ? QUOTE_EXPIRED : AWAITING_PAYMENT;
    return {
      ...base,
      status,
      escrow: quote
        ? {
            token: quote.token,
            amount: BigInt(quote.amount),
            expiresAt: quote.expiresAt,
            ...(onChain ? { buyer: onChain.buyer, seller: onChain.seller } : {}),
          }
        : undefined,
      history: [...own, ...events].sort((a, b) => a.at.getTime() - b.at.getTime()),
    };
  });
}
