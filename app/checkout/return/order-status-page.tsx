// Where the payment provider sends the shopper back: the order's status, live until it settles.
// Shared by /checkout/return?order=<id> and /checkout/return/<id> (the providers' return URL form).
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OrderStatusLive } from "../../../components/cart/order-status-live.tsx";
import { formatMoney } from "../../../lib/i18n/format.ts";
import type { Translate } from "../../../lib/i18n/translate.ts";
import { OrderNotFoundError } from "../../../lib/orders/index.ts";
import { GUEST_ORDER_COOKIE } from "../../../lib/web-cart/cart-cookie.ts";
import { tokenFromGuestCookie } from "../../../lib/web-cart/guest-order-token.ts";
import { readOrderStatus } from "../../../lib/web-cart/order-access.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";

const STATUS_KEYS = [
  "pending_payment",
  "payment_failed",
  "payment_review",
  "paid",
  "shipped",
  "delivered",
  "completed",
  "refunded",
  "partially_refunded",
  "canceled",
] as const;

function statusNames(t: Translate): Record<string, string> {
  return Object.fromEntries(STATUS_KEYS.map((s) => [s, t(`fiat.status.${s}`)]));
}

export async function OrderStatusPage(props: { orderId: string | undefined; canceled: boolean }) {
  const { locale, t } = await preferences();
  if (!props.orderId) notFound();
  const viewer = await currentViewer();
  const guestToken = tokenFromGuestCookie((await cookies()).get(GUEST_ORDER_COOKIE)?.value, props.orderId);
  let status: Awaited<ReturnType<typeof readOrderStatus>>;
  try {
    status = await readOrderStatus(database(), props.orderId, { userId: viewer?.userId, guestToken });
  } catch (error) {
    if (error instanceof OrderNotFoundError) notFound();
    throw error;
  }
  return (
    <div className="stack">
      <h1>{t("fiat.return.title")}</h1>
      {props.canceled && !status.paid && <p className="notice">{t("fiat.return.canceled")}</p>}
      <p>
        {t("fiat.return.order")} <span className="mono">{status.orderId}</span> ·{" "}
        {formatMoney(BigInt(status.totalMinor), status.currency, locale)}
      </p>
      <ul>
        {status.items.map((item) => (
          <li key={item.productChainId}>
            {item.title} × {item.quantity}
          </li>
        ))}
      </ul>
      <OrderStatusLive
        orderId={status.orderId}
        initial={status}
        labels={{
          statusNames: statusNames(t),
          current: t("fiat.return.current"),
          polling: t("fiat.return.polling"),
          pollFailed: t("fiat.return.pollFailed"),
          paid: t("fiat.return.paid"),
          receipt: t("fiat.receipt"),
          receiptFor: t("fiat.receipt.for", { title: "{title}" }),
          receiptPending: t("fiat.receipt.pending"),
          receiptReady: t("fiat.receipt.ready"),
          receiptFailed: t("fiat.receipt.failed"),
        }}
      />
      {viewer && (
        <p>
          <Link href="/orders">{t("fiat.return.allOrders")}</Link>
        </p>
      )}
    </div>
  );
}
