// Escrow orders whose parcels have all been delivered while the buyer has not yet confirmed on
// chain, so the order page can prompt "Received it? Confirm delivery to release the payment".
// Confirmation is the Escrow's `confirmDelivery`, which accepts only a Shipped order: an order
// still "paid" on chain (the seller has not marked it shipped) is listed but not confirmable; a
// completed, disputed, resolved or refunded one is not listed. The chain state comes from the
// indexer's views (as in lib/orders/list-orders.ts); without them nothing is confirmable.
import { sql } from "drizzle-orm";
import pg from "pg";
import { z } from "zod";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";

export const listDeliveredAwaitingConfirmationSchema = z
  .object({
    userId: z.uuid(),
    viewsSchema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, "a schema name (letters, digits, _ or -)")
      .default("neocart_chain"),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type ListDeliveredAwaitingConfirmationInput = z.input<typeof listDeliveredAwaitingConfirmationSchema>;

export type DeliveredAwaitingConfirmation = {
  orderId: string;
  chainOrderId: string;
  shipmentIds: string[];
  /** When the last of its parcels was delivered. */
  deliveredAt: Date;
  /** The order's state on chain ("paid" or "shipped"), null when the indexer has not got it. */
  chainState: string | null;
  /** Whether confirmDelivery would be accepted now (state "shipped"). */
  confirmable: boolean;
};

const SETTLED = new Set(["completed", "disputed", "resolved", "refunded"]);

export async function listDeliveredAwaitingConfirmation(
  db: Executor,
  input: ListDeliveredAwaitingConfirmationInput,
): Promise<DeliveredAwaitingConfirmation[]> {
  const args = parseInput(listDeliveredAwaitingConfirmationSchema, input, "delivered orders request");
  const delivered = await db.execute<{
    order_id: string;
    chain_order_id: string;
    shipment_ids: string[];
    delivered_at: Date | string;
  }>(sql`
    select o.id as order_id, o.chain_order_id, array_agg(s.id order by s.id) as shipment_ids,
           max(coalesce(s.delivered_at, s.last_event_at, s.updated_at)) as delivered_at
    from commerce.orders o
    join commerce.shipments s on s.order_id = o.id
    where o.kind = 'escrow' and o.user_id = ${args.userId}
    group by o.id, o.chain_order_id
    -- Every parcel of the order, not just one of them, has to have arrived.
    having bool_and(s.status = 'delivered')
    order by delivered_at desc, o.id
    limit ${args.limit}`);
  if (delivered.rows.length === 0) return [];

  const states = await readChainStates(
    db,
    args.viewsSchema,
    delivered.rows.map((r) => r.chain_order_id),
  );
  return delivered.rows
    .map((r) => {
      const chainState = states?.get(r.chain_order_id.toLowerCase()) ?? null;
      return {
        orderId: r.order_id,
        chainOrderId: r.chain_order_id,
        shipmentIds: r.shipment_ids,
        deliveredAt: new Date(r.delivered_at),
        chainState,
        confirmable: chainState === "shipped",
      };
    })
    .filter((o) => o.chainState === null || !SETTLED.has(o.chainState));
}

/** Chain state per order id, or undefined when the views are not published. */
async function readChainStates(db: Executor, viewsSchema: string, chainOrderIds: string[]) {
  const present = await db.execute<{ orders: string | null }>(
    sql`select to_regclass(${`"${viewsSchema}".escrow_order`})::text as orders`,
  );
  if (!present.rows[0]?.orders) return undefined;
  const ids = sql.join(
    chainOrderIds.map((id) => sql`${id}`),
    sql`, `,
  );
  try {
    const rows = await db.execute<{ id: string; state: string }>(
      sql`select id, state from ${sql.raw(pg.escapeIdentifier(viewsSchema))}.escrow_order where lower(id) in (${ids})`,
    );
    return new Map(rows.rows.map((r) => [r.id.toLowerCase(), r.state]));
  } catch (error) {
    // The views may be swapped out between the check and the read: same as absent.
    const code =
      (error as { code?: string; cause?: { code?: string } }).code ??
      (error as { cause?: { code?: string } }).cause?.code;
    if (code === "42P01") return undefined;
    throw error;
  }
}
