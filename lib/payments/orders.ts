// What the providers need from our database: the order's amount and currency (never the
// browser's), the pending payment row they create, and the refundable payment of an order.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { orders, payments } from "../db/schema.ts";
import { AWAITING_PAYMENT, applyRefundedTotal } from "./apply-event.ts";
import { PaymentRequestError } from "./errors.ts";
import type { CreatedPayment, PaymentMethod, ProviderName, RefundResult } from "./provider.ts";
import { paymentCaptures } from "./tables.ts";

export type PayableOrder = { id: string; totalMinor: bigint; currency: string; status: string };

export async function loadPayableOrder(db: Db, orderId: string): Promise<PayableOrder> {
  const [order] = await db
    .select({
      id: orders.id,
      totalMinor: orders.totalMinor,
      currency: orders.currency,
      status: orders.status,
      kind: orders.kind,
    })
    .from(orders)
    .where(eq(orders.id, orderId));
  if (!order) throw new PaymentRequestError(`Order ${orderId} does not exist; create the order before paying it.`);
  if (order.kind !== "fiat") {
    throw new PaymentRequestError(`Order ${orderId} is an escrow order; it is paid on chain, not through a provider.`);
  }
  if (!AWAITING_PAYMENT.includes(order.status)) {
    throw new PaymentRequestError(`Order ${orderId} is ${order.status}; only an order awaiting payment can be paid.`);
  }
  if (order.totalMinor <= 0n) throw new PaymentRequestError(`Order ${orderId} has nothing to pay.`);
  return { id: order.id, totalMinor: order.totalMinor, currency: order.currency.toUpperCase(), status: order.status };
}

/** Records the provider-side payment as pending; a second call for the same payment changes nothing. */
export async function recordPendingPayment(
  db: Db,
  orderId: string,
  method: PaymentMethod,
  created: CreatedPayment,
): Promise<void> {
  await db
    .insert(payments)
    .values({
      orderId,
      provider: created.provider,
      providerPaymentId: created.providerPaymentId,
      method,
      amountMinor: created.amountMinor,
      currency: created.currency,
      status: "pending",
    })
    .onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] });
}

export type RefundablePayment = {
  id: string;
  providerPaymentId: string;
  /** The object that holds the money when it is not providerPaymentId (commerce.payment_captures). */
  captureId: string | null;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
};

/**
 * Refunds under a lock on the payment row: the provider is asked while the row is held, so two
 * refunds of the same payment (a double click, two admins) run one after the other, each seeing
 * what the other refunded; if the provider refuses, nothing is recorded. `ask` returns the
 * provider's refund id.
 */
export async function refundWithLock(
  db: Db,
  provider: ProviderName,
  orderId: string,
  requestedMinor: bigint | undefined,
  ask: (payment: RefundablePayment, amountMinor: bigint) => Promise<string>,
): Promise<RefundResult> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: payments.id,
        providerPaymentId: payments.providerPaymentId,
        amountMinor: payments.amountMinor,
        refundedMinor: payments.refundedMinor,
        currency: payments.currency,
        status: payments.status,
        // A subquery, not a join: FOR UPDATE then locks the payment rows only.
        captureId: sql<
          string | null
        >`(select ${paymentCaptures.captureId} from ${paymentCaptures} where ${paymentCaptures.paymentId} = ${payments.id})`,
      })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.provider, provider)))
      .for("update");
    const payment = rows.find((p) => p.status === "succeeded" || p.status === "partially_refunded");
    if (!payment) {
      throw new PaymentRequestError(`Order ${orderId} has no succeeded ${provider} payment to refund.`);
    }
    const remaining = payment.amountMinor - payment.refundedMinor;
    const amountMinor = requestedMinor ?? remaining;
    if (amountMinor <= 0n || amountMinor > remaining) {
      throw new PaymentRequestError(
        `Refund of ${amountMinor} refused: ${remaining} ${payment.currency} (minor units) remains refundable on order ${orderId}.`,
      );
    }
    const refundable = { ...payment, currency: payment.currency.toUpperCase() };
    const providerRefundId = await ask(refundable, amountMinor);
    const refundedMinor = payment.refundedMinor + amountMinor;
    await applyRefundedTotal(tx, payment, orderId, refundedMinor, `${provider} refund ${providerRefundId}`);
    return { providerRefundId, amountMinor, refundedMinor };
  });
}
