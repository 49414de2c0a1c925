// Subscription renewals on our books, inside the webhook's transaction (after its event id was
// recorded). The order the shopper placed is the subscription (commerce.subscriptions, one row
// per order); each later billing period is a payment row keyed by the provider's invoice id plus
// a commerce.subscription_renewals row with the period it pays for. Why this shape:
// - a provider sends several events per invoice (Stripe: invoice.paid AND
//   invoice.payment_succeeded, each with its own event id), so the event-id guard alone would
//   count a renewal twice; the unique (provider, provider_payment_id) key counts the invoice once;
// - every event of one subscription first locks its row, so concurrent deliveries of different
//   events for it apply one after another, each seeing what the previous one wrote;
// - the order keeps its own status: a past-due or cancelled subscription does not un-pay the
//   period the order paid for, and purchase receipts keep working.
import { and, eq, sql } from "drizzle-orm";
import { orders, payments } from "../db/schema.ts";
import type { EventOutcome, Tx } from "./apply-event.ts";
import { amountMismatch } from "./money.ts";
import type { NormalizedEvent, ProviderName } from "./provider.ts";
import { type SubscriptionStatus, subscriptionRenewals, subscriptions } from "./tables.ts";

type LockedSubscription = {
  orderId: string;
  status: SubscriptionStatus;
  totalMinor: bigint;
  currency: string;
};

/** Links a provider subscription to the order whose payment started it; a repeat changes nothing. */
export async function linkSubscription(
  tx: Tx,
  provider: ProviderName,
  orderId: string,
  providerSubscriptionId: string,
): Promise<void> {
  // No conflict target: the order already having a subscription (a second checkout for it,
  // itself flagged for refund) and the subscription already being linked are both "keep the first".
  await tx
    .insert(subscriptions)
    .values({ orderId, provider, providerSubscriptionId, status: "active" })
    .onConflictDoNothing();
}

async function selectForUpdate(
  tx: Tx,
  provider: ProviderName,
  providerSubscriptionId: string,
): Promise<LockedSubscription | undefined> {
  // Only the subscription row is locked (the order's total and currency do not change): locking
  // the order too could deadlock with the first payment's event, which locks the order and then
  // links the subscription.
  const [sub] = await tx
    .select({ orderId: subscriptions.orderId, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(subscriptions.provider, provider), eq(subscriptions.providerSubscriptionId, providerSubscriptionId)))
    .for("update");
  if (!sub) return undefined;
  const [order] = await tx
    .select({ totalMinor: orders.totalMinor, currency: orders.currency })
    .from(orders)
    .where(eq(orders.id, sub.orderId));
  return order && { ...sub, ...order };
}

/**
 * The subscription row, locked. A subscription whose first payment was recorded before
 * subscriptions were linked (or whose linking event was lost) is found through the order id the
 * provider echoes from the metadata we set, but only when that order really was paid through a
 * subscription checkout with this provider.
 */
async function lockSubscription(
  tx: Tx,
  provider: ProviderName,
  providerSubscriptionId: string,
  orderId: string | undefined,
): Promise<LockedSubscription | undefined> {
  const found = await selectForUpdate(tx, provider, providerSubscriptionId);
  if (found || !orderId) return found;
  const [started] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.provider, provider), eq(payments.method, "subscription")))
    .limit(1);
  if (!started) return undefined;
  await linkSubscription(tx, provider, orderId, providerSubscriptionId);
  // Another subscription may already be linked to that order: then this one stays unknown.
  return selectForUpdate(tx, provider, providerSubscriptionId);
}

/** Past due while any renewal invoice of the subscription stands unpaid; cancelled stays cancelled. */
async function refreshStatus(tx: Tx, orderId: string, current: SubscriptionStatus): Promise<SubscriptionStatus> {
  if (current === "canceled") return current;
  const [unpaid] = await tx
    .select({ id: payments.id })
    .from(subscriptionRenewals)
    .innerJoin(payments, eq(payments.id, subscriptionRenewals.paymentId))
    .where(and(eq(subscriptionRenewals.orderId, orderId), eq(payments.status, "failed")))
    .limit(1);
  const status: SubscriptionStatus = unpaid ? "past_due" : "active";
  if (status !== current) {
    await tx.update(subscriptions).set({ status, updatedAt: sql`now()` }).where(eq(subscriptions.orderId, orderId));
  }
  return status;
}

/** The renewal invoice's payment row, locked (the subscription lock already serializes writers). */
async function invoicePayment(tx: Tx, provider: ProviderName, invoiceId: string) {
  const [row] = await tx
    .select({ id: payments.id, status: payments.status })
    .from(payments)
    .where(and(eq(payments.provider, provider), eq(payments.providerPaymentId, invoiceId)))
    .for("update");
  return row;
}

export async function applySubscriptionEvent(
  tx: Tx,
  provider: ProviderName,
  event: NormalizedEvent,
): Promise<EventOutcome> {
  if (!event.subscription) return "unknown_subscription";
  const sub = await lockSubscription(tx, provider, event.subscription.id, event.orderId);
  if (!sub) return "unknown_subscription";
  const { invoiceId, periodStart, periodEnd } = event.subscription;

  if (event.type === "subscription.canceled") {
    if (sub.status === "canceled") return "stale";
    await tx
      .update(subscriptions)
      .set({ status: "canceled", canceledAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(subscriptions.orderId, sub.orderId));
    return "canceled";
  }
  // The normalizers give every renewal event its invoice id; without one there is nothing to record.
  if (!invoiceId) return "ignored";
  const existing = await invoicePayment(tx, provider, invoiceId);

  if (event.type === "subscription.renewal_failed") {
    // A failure reported after the invoice was paid (providers do not order deliveries) is old news.
    if (existing && existing.status !== "failed") return "stale";
    if (!existing) {
      await insertRenewal(tx, provider, sub, invoiceId, {
        status: "failed",
        amountMinor: event.amountMinor ?? sub.totalMinor,
        currency: event.currency ?? sub.currency,
        periodStart,
        periodEnd,
      });
    }
    // A cancelled subscription stays cancelled; otherwise the unpaid invoice makes it past due.
    return (await refreshStatus(tx, sub.orderId, sub.status)) === "past_due" ? "past_due" : "stale";
  }

  if (event.type !== "subscription.renewal_paid") return "ignored";
  // Paid already (the invoice's other event, a retry): the unique key and this check count it once.
  if (existing && existing.status !== "failed" && existing.status !== "pending") return "already_paid";
  const reason = amountMismatch(event, sub);
  const values = {
    status: reason ? "flagged" : "succeeded",
    amountMinor: event.amountMinor ?? 0n,
    currency: event.currency ?? sub.currency,
    flaggedReason: reason ?? null,
  };
  if (existing) {
    // A renewal that failed first and was paid on a later attempt: same invoice, same row.
    await tx
      .update(payments)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(payments.id, existing.id));
  } else {
    const inserted = await insertRenewal(tx, provider, sub, invoiceId, { ...values, periodStart, periodEnd });
    if (!inserted) return "already_paid";
  }
  if (!reason && periodEnd) {
    // Only a renewal that matches the order extends what the shopper has paid for.
    await tx
      .update(subscriptions)
      .set({
        paidThrough: sql`greatest(${subscriptions.paidThrough}, ${periodEnd.toISOString()}::timestamptz)`,
        updatedAt: sql`now()`,
      })
      .where(eq(subscriptions.orderId, sub.orderId));
  }
  await refreshStatus(tx, sub.orderId, sub.status);
  return reason ? "flagged" : "renewed";
}

/** The payment row of a renewal invoice and its period; false when the invoice was recorded already. */
async function insertRenewal(
  tx: Tx,
  provider: ProviderName,
  sub: LockedSubscription,
  invoiceId: string,
  values: {
    status: string;
    amountMinor: bigint;
    currency: string;
    flaggedReason?: string | null;
    periodStart?: Date;
    periodEnd?: Date;
  },
): Promise<boolean> {
  const [payment] = await tx
    .insert(payments)
    .values({
      orderId: sub.orderId,
      provider,
      providerPaymentId: invoiceId,
      method: "subscription",
      amountMinor: values.amountMinor,
      currency: values.currency,
      status: values.status,
      flaggedReason: values.flaggedReason ?? null,
    })
    .onConflictDoNothing({ target: [payments.provider, payments.providerPaymentId] })
    .returning({ id: payments.id });
  if (!payment) return false;
  await tx.insert(subscriptionRenewals).values({
    paymentId: payment.id,
    orderId: sub.orderId,
    periodStart: values.periodStart ?? null,
    periodEnd: values.periodEnd ?? null,
  });
  return true;
}
