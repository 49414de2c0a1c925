// The signed-in shopper's orders, card and escrow alike, newest first: status, lines, history
// (chain steps with their transactions) and, for escrow orders, the buyer's on-chain actions and
// the review of a completed order.
import type { Metadata } from "next";
import type { Address, Hex } from "viem";
import { OrderDeliverySummary } from "../../components/cart/order-delivery-summary.tsx";
import { AccessDenied } from "../../components/dashboard/access-denied.tsx";
import { explorerBase } from "../../components/dashboard/chain-links.tsx";
import { txStrings, walletGateStrings } from "../../components/dashboard/shared-strings.ts";
import { StatusBadge } from "../../components/dashboard/status-badge.tsx";
import { formatTokenAmount } from "../../components/dashboard/token-amount.ts";
import { EscrowBuyerActions } from "../../components/orders/escrow-buyer-actions.tsx";
import { OrderHistory } from "../../components/orders/order-history.tsx";
import { ReviewForm, type ReviewStrings } from "../../components/orders/review-form.tsx";
import { OrderTracking } from "../../components/tracking/order-tracking.tsx";
import { readOrderTracking } from "../../components/tracking/read-order-tracking.ts";
import { trackingStrings } from "../../components/tracking/tracking-strings.ts";
import { WalletSection } from "../../components/wallet/wallet-section.tsx";
import { contractAddresses } from "../../lib/dashboards/contract-addresses.ts";
import { readEscrowOrders } from "../../lib/dashboards/escrow-terms.ts";
import { REVIEW_MAX_CHARS, REVIEW_MIN_CHARS, readReviewStatuses } from "../../lib/dashboards/order-review.ts";
import { formatDate, formatMoney } from "../../lib/i18n/format.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { listOrders } from "../../lib/orders/list-orders.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { saveReview } from "./actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Orders", robots: { index: false } };

function reviewStrings(t: Translate): ReviewStrings {
  return {
    heading: t("orders.review.heading"),
    rating: t("orders.review.rating"),
    stars: t("orders.review.stars"),
    text: t("orders.review.text"),
    hint: t("orders.review.hint", { min: REVIEW_MIN_CHARS, max: REVIEW_MAX_CHARS }),
    submit: t("orders.review.submit"),
    saving: t("orders.review.saving"),
    verified: t("orders.review.verified"),
    onChainOnly: t("orders.review.onChainOnly"),
    gate: walletGateStrings(t),
    tx: txStrings(t),
  };
}

export default async function OrdersPage() {
  const { locale, t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) {
    return <AccessDenied title={t("orders.title")} message={t("signin.required")} signInLabel={t("signin.action")} />;
  }
  const settings = webSettings();
  const db = database();
  const views = settings.NEOCART_VIEWS_SCHEMA;
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);
  const addresses = contractAddresses(settings.NEOCART_CHAIN_ID);
  const orders = await listOrders(db, { userId: viewer.userId, viewsSchema: views });
  const escrowIds = orders.filter((o) => o.kind === "escrow").map((o) => o.chainOrderId);
  const chainOrders = await readEscrowOrders(db, views, escrowIds);
  const completedIds = orders.filter((o) => o.kind === "escrow" && o.status === "completed").map((o) => o.chainOrderId);
  const reviews = await readReviewStatuses(db, views, completedIds);
  const tracking = await readOrderTracking(db, {
    userId: viewer.userId,
    orderIds: orders.map((o) => o.id),
    viewsSchema: views,
  });
  const trackingText = trackingStrings(t);
  const strings = {
    confirm: t("orders.confirm"),
    dispute: t("orders.dispute"),
    disputeConfirm: t("orders.disputeConfirm"),
    gate: walletGateStrings(t),
    tx: txStrings(t),
  };

  return (
    <section className="stack" aria-labelledby="orders-title">
      <h1 id="orders-title">{t("orders.title")}</h1>
      {orders.length === 0 ? (
        <p className="muted" data-testid="orders-empty">
          {t("orders.empty")}
        </p>
      ) : (
        <WalletSection>
          <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
            {orders.map((order) => {
              const chain = chainOrders.get(order.chainOrderId);
              const review = reviews.get(order.chainOrderId);
              const product = order.items[0];
              return (
                <li
                  key={order.id}
                  className="card stack"
                  data-testid="order-row"
                  data-order-id={order.id}
                  data-chain-order-id={order.chainOrderId}
                  data-kind={order.kind}
                >
                  <div className="row" style={{ justifyContent: "space-between" }}>
                    <h2 style={{ fontSize: "1.05rem", margin: 0 }}>
                      {t("orders.number", { id: order.id.slice(0, 8) })}{" "}
                      <span className="badge">
                        {t(order.kind === "escrow" ? "orders.kind.escrow" : "orders.kind.fiat")}
                      </span>
                    </h2>
                    <StatusBadge t={t} status={order.status} testId="order-status" />
                  </div>
                  <p className="muted">
                    {formatDate(order.createdAt, locale)} · {formatMoney(order.totalMinor, order.currency, locale)}
                    {order.escrow && (
                      <> · {formatTokenAmount(order.escrow.amount, order.escrow.token, addresses.stablecoin)}</>
                    )}
                  </p>
                  <ul>
                    {order.items.map((item) => (
                      <li key={item.offerId}>
                        {item.title} × {item.quantity}
                      </li>
                    ))}
                  </ul>
                  <OrderDeliverySummary order={order} t={t} locale={locale} />
                  <OrderHistory history={order.history} t={t} locale={locale} explorerUrl={explorerUrl} />
                  <OrderTracking
                    shipments={tracking.shipments.get(order.id) ?? []}
                    // Same rule as delivered-awaiting-confirmation: the escrow accepts confirmDelivery when "shipped".
                    confirmable={tracking.deliveredConfirmable.has(order.id) || chain?.state === "shipped"}
                    locale={locale}
                    strings={trackingText}
                  />
                  {chain && (chain.state === "paid" || chain.state === "shipped") && (
                    <EscrowBuyerActions
                      chainId={addresses.chainId}
                      escrow={addresses.escrow}
                      orderId={chain.id as Hex}
                      state={chain.state}
                      terms={chain.terms}
                      explorerUrl={explorerUrl}
                      strings={strings}
                    />
                  )}
                  {chain && chain.state === "completed" && product && (
                    <ReviewForm
                      orderId={order.id}
                      productId={product.productId}
                      buyer={chain.terms.buyer as Address}
                      chainId={addresses.chainId}
                      reviews={addresses.reviews}
                      locale={locale}
                      status={review ? (review.verified ? "verified" : "reviewed") : "none"}
                      explorerUrl={explorerUrl}
                      minChars={REVIEW_MIN_CHARS}
                      maxChars={REVIEW_MAX_CHARS}
                      save={saveReview}
                      strings={reviewStrings(t)}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </WalletSection>
      )}
    </section>
  );
}
