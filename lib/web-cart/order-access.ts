// An order's status for the one who placed it: its signed-in owner, or the guest holding its token.
// Anyone else gets the same "not found" as for a missing order, so order ids cannot be probed.
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { orderItems, orderStatusHistory, orders, products } from "../db/schema.ts";
import { OrderNotFoundError, PAID_FIAT_STATUSES } from "../orders/index.ts";
import type { Executor } from "../pricing/executor.ts";
import { isGuestOrderToken } from "./guest-order-token.ts";

export const orderIdSchema = z.uuid("an order id (UUID)");

export type OrderStatusView = {
  orderId: string;
  kind: "fiat" | "escrow";
  status: string;
  paid: boolean;
  /** No further change is expected without the shopper (paid, failed, under review). */
  settled: boolean;
  totalMinor: string;
  currency: string;
  signedIn: boolean;
  history: { status: string; at: string }[];
  /** The products bought, for the receipt request (one receipt per product). */
  items: { title: string; productChainId: string; quantity: number }[];
};

const SETTLED = new Set<string>([
  ...PAID_FIAT_STATUSES,
  "payment_failed",
  "payment_review",
  "refunded",
  "partially_refunded",
  "canceled",
]);

export async function readOrderStatus(
  db: Executor,
  orderId: string,
  caller: { userId?: string | undefined; guestToken?: string | undefined },
): Promise<OrderStatusView> {
  const parsed = orderIdSchema.safeParse(orderId);
  if (!parsed.success) throw new OrderNotFoundError(String(orderId).slice(0, 64));
  const [order] = await db.select().from(orders).where(eq(orders.id, parsed.data));
  const isOwner = order?.userId != null && order.userId === caller.userId;
  if (!order || !(isOwner || isGuestOrderToken(order.id, caller.guestToken))) throw new OrderNotFoundError(parsed.data);
  const history = await db
    .select({ status: orderStatusHistory.status, at: orderStatusHistory.at })
    .from(orderStatusHistory)
    .where(eq(orderStatusHistory.orderId, order.id))
    .orderBy(asc(orderStatusHistory.id));
  const items = await db
    .select({ title: products.title, productChainId: products.chainIdHash, quantity: orderItems.quantity })
    .from(orderItems)
    .innerJoin(products, eq(products.id, orderItems.productId))
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(products.title));
  return {
    orderId: order.id,
    kind: order.kind,
    status: order.status,
    paid: (PAID_FIAT_STATUSES as readonly string[]).includes(order.status),
    settled: SETTLED.has(order.status),
    totalMinor: order.totalMinor.toString(),
    currency: order.currency.trim(),
    signedIn: isOwner,
    history: history.map((h) => ({ status: h.status, at: h.at.toISOString() })),
    items,
  };
}
