// The effect of one verified webhook event on our books, run inside the transaction that
// recorded the event id: payment status, order status and its history, once. Amount or currency
// not matching the order flags the payment for review instead of fulfilling the order.
// Subscription renewals and cancellations are applied by ./subscriptions.ts.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { orderStatusHistory, orders, payments } from "../db/schema.ts";
import { owePointsBack } from "../orders/points-redemption.ts";
import { amountMismatch } from "./money.ts";
import type { NormalizedEvent, ProviderName } from "./provider.ts";
import { applySubscriptionEvent, linkSubscription } from "./subscriptions.ts";
import { paymentCaptures } from "./tables.ts";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type EventOutcome =
  | "ignored"
  | "unknown_payment"
  | "paid"
  | "already_paid"
  | "pending"
  | "failed"
  | "flagged"
  | "refunded"
  | "stale"
  // Subscriptions: a renewal recorded and matching the order, a failed renewal (subscription
  // past due), the subscription ended, or an event for a subscription we never linked.
  | "renewed"
  | "past_due"
  | "canceled"
  | "unknown_subscription";

/** Order statuses in which an order may still be paid (an order is paid, failed or refunded once). */
export const AWAITING_PAYMENT: readonly string[] = ["pending_payment", "payment_failed"];

/**
 * The payment and its order, both locked (one round trip): concurrent events for them queue here.
 * `providerPaymentId` is the id the payment was created as, or the capture recorded for it (a
 * Stripe charge.refunded names the PaymentIntent behind a Checkout Session).
 */
async function lockPaymentAndOrder(tx: Tx, provider: ProviderName, providerPaymentId: string) {
  const [row] = await tx
    .select({
      payment: {
        id: payments.id,
        amountMinor: payments.amountMinor,
        status: payments.status,
        refundedMinor: payments.refundedMinor,
      },
      order: { id: orders.id, status: orders.status, totalMinor: orders.totalMinor, currency: orders.currency },
    })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.provider, provider),
        or(
          eq(payments.providerPaymentId, providerPaymentId),
          inArray(
            payments.id,
            tx
              .select({ id: paymentCaptures.paymentId })
              .from(paymentCaptures)
              .where(and(eq(paymentCaptures.provider, provider), eq(paymentCaptures.captureId, providerPaymentId))),
          ),
        ),
      ),
    )
    .for("update");
  return row;
}

export async function setOrderStatus(tx: Tx, orderId: string, status: string, note: string): Promise<void> {
  await tx.update(orders).set({ status, updatedAt: sql`now()` }).where(eq(orders.id, orderId));
  await tx.insert(orderStatusHistory).values({ orderId, status, note });
}

async function setPayment(tx: Tx, paymentId: string, values: Partial<typeof payments.$inferInsert>) {
  await tx
    .update(payments)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(payments.id, paymentId));
}

export async function applyEvent(tx: Tx, provider: ProviderName, event: NormalizedEvent): Promise<EventOutcome> {
  const type = event.type;
  if (type === "ignored") return "ignored";
  if (
    type === "subscription.renewal_paid" ||
    type === "subscription.renewal_failed" ||
    type === "subscription.canceled"
  ) {
    return applySubscriptionEvent(tx, provider, event);
  }
  const locked = event.providerPaymentId ? await lockPaymentAndOrder(tx, provider, event.providerPaymentId) : undefined;
  if (!locked) return "unknown_payment";
  const { payment, order } = locked;
  const label = `${provider} ${event.providerType} (${event.eventId})`;

  // The payment that started a subscription links it to the order, whatever the outcome below:
  // its renewals then find the order (and are checked against it) even if this one is flagged.
  if (event.subscription) await linkSubscription(tx, provider, order.id, event.subscription.id);

  switch (type) {
    case "payment.succeeded": {
      // Whatever becomes of it (paid, flagged), the money sits there and is refunded from there.
      if (event.captureId) {
        await tx
          .insert(paymentCaptures)
          .values({ paymentId: payment.id, provider, captureId: event.captureId })
          .onConflictDoNothing();
      }
      if (payment.status === "succeeded") return "already_paid";
      if (payment.status === "flagged") return "stale";
      if (!AWAITING_PAYMENT.includes(order.status)) {
        // Money taken for an order that was already settled (another provider, a second tab):
        // keep it visible for a refund instead of silently dropping it.
        const reason = `order was already ${order.status} when this payment succeeded; refund it`;
        await setPayment(tx, payment.id, { status: "flagged", flaggedReason: reason, method: event.method });
        return "flagged";
      }
      const reason = amountMismatch(event, order);
      if (reason) {
        await setPayment(tx, payment.id, { status: "flagged", flaggedReason: reason, method: event.method });
        await setOrderStatus(tx, order.id, "payment_review", `payment flagged, not fulfilled: ${reason}; ${label}`);
        return "flagged";
      }
      await setPayment(tx, payment.id, { status: "succeeded", method: event.method ?? undefined });
      await setOrderStatus(tx, order.id, "paid", `paid via ${label}`);
      return "paid";
    }
    case "payment.pending": {
      if (payment.status !== "pending") return "stale";
      await setPayment(tx, payment.id, { status: "processing" });
      return "pending";
    }
    case "payment.failed": {
      if (payment.status !== "pending" && payment.status !== "processing") return "stale";
      await setPayment(tx, payment.id, { status: "failed" });
      if (AWAITING_PAYMENT.includes(order.status) && (await owePointsBack(tx, order.id, `payment failed: ${label}`))) {
        // The discount was paid for with burned points: the order cannot be retried at that
        // price once they are given back, so it ends here.
        await setOrderStatus(tx, order.id, "canceled", `payment failed, redeemed points to be returned: ${label}`);
      } else if (AWAITING_PAYMENT.includes(order.status) && order.status !== "payment_failed") {
        await setOrderStatus(tx, order.id, "payment_failed", `payment failed: ${label}`);
      }
      return "failed";
    }
    case "payment.refunded": {
      // Providers report the cumulative refunded amount; taking the larger value makes the
      // refund we recorded ourselves (refund()) and its webhook count once.
      const total = event.amountMinor ?? payment.amountMinor;
      if (total <= payment.refundedMinor) return "stale";
      await applyRefundedTotal(tx, payment, order.id, total, label);
      return "refunded";
    }
  }
}

/** Sets the cumulative refunded amount of a payment and moves payment and order along. */
export async function applyRefundedTotal(
  tx: Tx,
  payment: { id: string; amountMinor: bigint },
  orderId: string,
  refundedMinor: bigint,
  note: string,
): Promise<void> {
  const full = refundedMinor >= payment.amountMinor;
  const status = full ? "refunded" : "partially_refunded";
  await setPayment(tx, payment.id, { refundedMinor, status });
  await setOrderStatus(tx, orderId, status, `${status.replace("_", " ")} (${refundedMinor}): ${note}`);
  if (full) await owePointsBack(tx, orderId, `refunded: ${note}`);
}
