// The shopper's cart: lines with server prices in the shopper's currency, quantity edit, remove,
// subtotal, a points preview for signed-in shoppers, sharing, and the two ways to check out.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { ActionForm } from "../../components/cart/action-form.tsx";
import { CartLinesTable } from "../../components/cart/cart-lines-table.tsx";
import { ShareLink } from "../../components/cart/share-link.tsx";
import { formatMoney, formatNumber } from "../../lib/i18n/format.ts";
import { COLLAB_TARGET_COOKIE } from "../../lib/web-cart/cart-cookie.ts";
import { loadCartView } from "../../lib/web-cart/cart-view.ts";
import { pointsBalanceOf, previewPoints } from "../../lib/web-cart/points-preview.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { currentCart } from "./_server/current-cart.ts";
import { removeCartLine, setCollaborative, stopShoppingForSharedCart, updateCartLine } from "./actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cart", robots: { index: false } };

export default async function CartPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale, currency, t } = await preferences();
  const viewer = await currentViewer();
  const cart = await currentCart(viewer);
  const search = await props.searchParams;
  const shoppingFor = (await cookies()).get(COLLAB_TARGET_COOKIE)?.value;
  const db = database();
  const view = cart ? await loadCartView(db, cart.access, currency) : undefined;
  const settings = webSettings();

  const points =
    viewer && view?.priced
      ? await previewPoints(
          db,
          view.id,
          view.priced.currency,
          view.priced.subtotalMinor,
          await pointsBalanceOf(db, settings.NEOCART_VIEWS_SCHEMA, viewer.address),
        )
      : undefined;

  return (
    <div className="stack">
      <h1>{t("cart.title")}</h1>
      {search.error === "add" && (
        <p className="error" role="alert">
          {t("cart.error.add")}
        </p>
      )}
      {shoppingFor && (
        <div className="notice row" data-testid="cart-shopping-for">
          <p>
            {t("cart.shopFor.banner")} <Link href={`/cart/shared/${shoppingFor}`}>{t("cart.shopFor.open")}</Link>
          </p>
          <ActionForm
            action={stopShoppingForSharedCart}
            submitLabel={t("cart.shopFor.stop")}
            pendingLabel={t("cart.pending")}
            buttonClassName="button-secondary"
          />
        </div>
      )}
      {!view || view.lines.length === 0 ? (
        <div className="card stack" data-testid="cart-empty">
          <p>{t("cart.empty")}</p>
          <p>
            <Link href="/search">{t("cart.browse")}</Link>
          </p>
        </div>
      ) : (
        <>
          <CartLinesTable view={view} t={t} locale={locale} edit={{ update: updateCartLine, remove: removeCartLine }} />
          {view.problem && (
            <p className="error" role="alert" data-testid="cart-problem">
              {view.problem.message}
            </p>
          )}
          {view.priced && (
            <section aria-labelledby="cart-summary" className="card stack">
              <h2 id="cart-summary">{t("cart.summary")}</h2>
              <p className="row">
                <span>{t("cart.subtotal")}</span>
                <strong data-testid="cart-subtotal">
                  {formatMoney(view.priced.subtotalMinor, view.priced.currency, locale)}
                </strong>
              </p>
              {viewer &&
                (points && points.usable > 0 ? (
                  <p data-testid="cart-points-preview">
                    {t("cart.points.preview", {
                      balance: formatNumber(points.balance, locale),
                      points: formatNumber(points.usable, locale),
                      discount: formatMoney(points.discountMinor, view.priced.currency, locale),
                      total: formatMoney(points.totalMinor, view.priced.currency, locale),
                    })}
                  </p>
                ) : (
                  <p className="muted" data-testid="cart-points-preview">
                    {t("cart.points.none")}
                  </p>
                ))}
              {!viewer && <p className="muted">{t("cart.points.signIn")}</p>}
            </section>
          )}
          <section aria-labelledby="cart-checkout" className="stack">
            <h2 id="cart-checkout">{t("cart.checkout")}</h2>
            <div className="row">
              <Link
                className="button"
                href={`/checkout/wallet?cart=${encodeURIComponent(view.shareToken)}`}
                data-testid="checkout-wallet"
              >
                {t("cart.checkout.wallet")}
              </Link>
              <Link className="button button-secondary" href="/checkout" data-testid="checkout-card">
                {t("cart.checkout.card")}
              </Link>
            </div>
          </section>
        </>
      )}
      {view && (
        <section aria-labelledby="cart-share" className="card stack">
          <h2 id="cart-share">{t("cart.share")}</h2>
          <p className="muted">{view.collaborative ? t("cart.share.collaborative") : t("cart.share.readOnly")}</p>
          <ShareLink
            url={`${settings.NEOCART_ORIGIN}/cart/shared/${view.shareToken}`}
            label={t("cart.share.link")}
            copy={t("cart.share.copy")}
            copied={t("cart.share.copied")}
          />
          <ActionForm
            action={setCollaborative}
            hidden={{ collaborative: view.collaborative ? "off" : "on" }}
            submitLabel={view.collaborative ? t("cart.collaborative.stop") : t("cart.collaborative.make")}
            pendingLabel={t("cart.pending")}
            buttonClassName="button-secondary"
            testId="cart-collaborative"
          />
        </section>
      )}
    </div>
  );
}
