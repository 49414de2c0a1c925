// Checkout without a wallet: card, BNPL and subscription (Stripe), UPI (Razorpay, INR only),
// crypto (Coinbase), bitcoin (BTCPay) — the methods every offer in the cart accepts and whose
// provider is configured. A method the cart could use in another currency only (UPI while the cart
// is priced in USD) is explained, with a button that switches the shopper's currency. Delivery:
// the shopper picks a delivery area and the options every item allows are priced for it there.
import type { Metadata } from "next";
import Link from "next/link";
import { CartLinesTable } from "../../components/cart/cart-lines-table.tsx";
import { FiatCheckoutForm } from "../../components/cart/fiat-checkout-form.tsx";
import { WalletSection } from "../../components/wallet/wallet-section.tsx";
import { formatMoney } from "../../lib/i18n/format.ts";
import { isDisplayCurrency } from "../../lib/i18n/locales.ts";
import type { MessageKey } from "../../lib/i18n/translate.ts";
import { PaymentSettingsError } from "../../lib/payments/errors.ts";
import type { ProviderName } from "../../lib/payments/provider.ts";
import { loadCartView } from "../../lib/web-cart/cart-view.ts";
import { deliveryAreaViews, deliveryChooserLabels } from "../../lib/web-cart/delivery-choice-view.ts";
import { availableFiatChoices, fiatChoicesNeedingCurrency } from "../../lib/web-cart/fiat-methods.ts";
import { configuredPayments } from "../../lib/web-cart/payment-providers.ts";
import { pointsBalanceOf, previewPoints } from "../../lib/web-cart/points-preview.ts";
import { savePreferences } from "../_actions/preferences.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { currentCart } from "../cart/_server/current-cart.ts";
import { quoteCheckoutDelivery } from "./delivery/actions.ts";
import { placeFiatOrder, preparePointsConsent } from "./fiat/actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Checkout", robots: { index: false } };

function configuredProviders(): ProviderName[] | undefined {
  try {
    return Object.keys(configuredPayments().providers) as ProviderName[];
  } catch (error) {
    if (error instanceof PaymentSettingsError) {
      console.error(error.message);
      return undefined;
    }
    throw error;
  }
}

export default async function CheckoutPage() {
  const { locale, currency, t } = await preferences();
  const viewer = await currentViewer();
  const cart = await currentCart(viewer);
  const db = database();
  const view = cart ? await loadCartView(db, cart.access, currency) : undefined;

  if (!view || view.lines.length === 0) {
    return (
      <div className="stack">
        <h1>{t("fiat.title")}</h1>
        <p data-testid="cart-empty">{t("cart.empty")}</p>
        <p>
          <Link href="/search">{t("cart.browse")}</Link>
        </p>
      </div>
    );
  }
  const providers = configuredProviders();
  const linesMethods = view.lines.map((l) => l.paymentMethods);
  const choices = availableFiatChoices(linesMethods, providers ?? [], currency);
  const needCurrency = fiatChoicesNeedingCurrency(linesMethods, providers ?? [], currency);
  // What a signed-in holder could redeem (the indexer's balance; the burn itself is the real check).
  const points =
    viewer && view.priced
      ? await previewPoints(
          db,
          view.id,
          view.priced.currency,
          view.priced.subtotalMinor,
          await pointsBalanceOf(db, webSettings().NEOCART_VIEWS_SCHEMA, viewer.address),
        )
      : undefined;
  const deliveryOptions = (view.priced?.lines ?? []).reduce<string[]>(
    (common, line) => common.filter((o) => line.deliveryOptions.includes(o)),
    ["standard", "green", "drone"],
  );

  return (
    <div className="stack">
      <h1>{t("fiat.title")}</h1>
      <CartLinesTable view={view} t={t} locale={locale} />
      {view.problem && (
        <p className="error" role="alert">
          {view.problem.message} <Link href="/cart">{t("fiat.editCart")}</Link>
        </p>
      )}
      {view.priced && (
        <p className="row">
          <span>{t("fiat.total")}</span>
          <strong data-testid="fiat-total">{formatMoney(view.priced.totalMinor, view.priced.currency, locale)}</strong>
        </p>
      )}
      <p className="muted">
        {t("fiat.walletHint")}{" "}
        <Link href={`/checkout/wallet?cart=${encodeURIComponent(view.shareToken)}`}>{t("cart.checkout.wallet")}</Link>
      </p>
      {providers !== undefined &&
        needCurrency.map(({ choice, currency: needed }) => (
          <div key={choice.id} className="notice stack" data-testid={`fiat-needs-currency-${choice.id}`}>
            <p>
              {t("fiat.currencyNeeded", {
                method: t(`fiat.method.${choice.id}`),
                currency: needed,
                current: currency,
              })}
            </p>
            {isDisplayCurrency(needed) && (
              // The header's currency switch, for this one currency: back to /checkout, repriced.
              <form action={savePreferences}>
                <input type="hidden" name="locale" value={locale} />
                <input type="hidden" name="currency" value={needed} />
                <button type="submit" className="button-secondary" data-testid={`fiat-switch-currency-${needed}`}>
                  {t("fiat.currencySwitch", { currency: needed })}
                </button>
              </form>
            )}
          </div>
        ))}
      {providers === undefined ? (
        <p className="notice" role="alert">
          {t("fiat.providersMisconfigured")}
        </p>
      ) : choices.length === 0 ? (
        <p className="notice" data-testid="fiat-no-methods">
          {t("fiat.noMethods")}
        </p>
      ) : view.priced && deliveryOptions.length > 0 ? (
        <OptionalWallet withWallet={Boolean(points && points.usable > 0)}>
          <FiatCheckoutForm
            action={placeFiatOrder}
            askEmail={!viewer}
            methods={choices.map((c) => ({
              id: c.id,
              label: t(`fiat.method.${c.id}` as MessageKey),
              hint: t(`fiat.method.${c.id}.hint` as MessageKey),
            }))}
            delivery={{ areas: deliveryAreaViews(), quote: quoteCheckoutDelivery, labels: deliveryChooserLabels(t) }}
            labels={{
              method: t("fiat.method"),
              contact: t("fiat.contact"),
              email: t("fiat.email"),
              shipping: t("fiat.shipping"),
              shipName: t("fiat.shipName"),
              shipLine1: t("fiat.shipLine1"),
              shipLine2: t("fiat.shipLine2"),
              shipCity: t("fiat.shipCity"),
              shipPostalCode: t("fiat.shipPostalCode"),
              shipCountry: t("fiat.shipCountry"),
              submit: t("fiat.submit"),
              pending: t("fiat.pending"),
              orderStatus: t("fiat.orderStatus"),
            }}
            points={
              points && points.usable > 0
                ? {
                    usable: points.usable,
                    prepare: preparePointsConsent,
                    labels: {
                      legend: t("fiat.points.legend"),
                      use: t("fiat.points.use", {
                        points: points.usable,
                        discount: formatMoney(points.discountMinor, view.priced.currency, locale),
                        total: formatMoney(points.totalMinor, view.priced.currency, locale),
                      }),
                      hint: t("fiat.points.hint"),
                      signing: t("fiat.points.signing"),
                      declined: t("fiat.points.declined"),
                    },
                  }
                : undefined
            }
          />
        </OptionalWallet>
      ) : (
        <p className="notice">{t("fiat.noDelivery")}</p>
      )}
    </div>
  );
}

/** The wallet providers (wagmi) load only when the form needs the wallet to sign a points consent. */
function OptionalWallet(props: { withWallet: boolean; children: React.ReactNode }) {
  return props.withWallet ? <WalletSection>{props.children}</WalletSection> : props.children;
}
