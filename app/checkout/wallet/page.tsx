// Wallet checkout: one product paid into the on-chain escrow. Input is a shared cart
// (?cart=<shareToken>) or one offer bought now (?offer=<offerId>&qty=N). A cart with several
// products cannot be one escrow order, so the page explains that and offers each item alone. The
// buyer picks a delivery area; the options the product allows are priced for it, and the chosen
// option's fee is part of the signed quote's amount.
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { signInStrings } from "../../../components/wallet/sign-in-strings.ts";
import { SignInWithWallet } from "../../../components/wallet/sign-in-with-wallet.tsx";
import { WalletCheckout, type WalletCheckoutStrings } from "../../../components/wallet/wallet-checkout.tsx";
import { WalletSection } from "../../../components/wallet/wallet-section.tsx";
import { shareTokenSchema } from "../../../lib/cart/index.ts";
import { formatMoney } from "../../../lib/i18n/format.ts";
import type { Translate } from "../../../lib/i18n/translate.ts";
import { CommerceError } from "../../../lib/pricing/errors.ts";
import { resolveChainConfig } from "../../../lib/quotes/index.ts";
import {
  type CheckoutLine,
  readOfferLine,
  readPointsBalance,
  readSharedCartLines,
} from "../../../lib/web-auth/wallet-checkout-source.ts";
import { deliveryAreaViews, deliveryChooserLabels } from "../../../lib/web-cart/delivery-choice-view.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { webSettings } from "../../_server/settings.ts";
import { quoteCheckoutDelivery } from "../delivery/actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Wallet checkout" };

const searchSchema = z.union([
  z.object({ cart: shareTokenSchema }),
  z.object({
    offer: z.uuid("the offer must be an offer id"),
    qty: z.coerce.number().int().min(1, "the quantity must be at least 1").max(99).default(1),
  }),
]);

function checkoutStrings(t: Translate): WalletCheckoutStrings {
  return {
    connect: t("walletAuth.connect"),
    wrongNetwork: t("walletAuth.wrongNetwork"),
    noWallet: t("walletAuth.noWallet"),
    rejected: t("walletAuth.rejected"),
    failed: t("walletAuth.failed"),
    token: t("walletCheckout.token"),
    tokenEth: t("walletCheckout.tokenEth"),
    tokenStable: t("walletCheckout.tokenStable"),
    delivery: t("walletCheckout.delivery"),
    points: t("walletCheckout.points"),
    pointsBalance: t("walletCheckout.pointsBalance"),
    pointsUnknown: t("walletCheckout.pointsUnknown"),
    pay: t("walletCheckout.pay"),
    preparing: t("walletCheckout.preparing"),
    signPermit: t("walletCheckout.signPermit"),
    confirmTx: t("walletCheckout.confirmTx"),
    mining: t("walletCheckout.mining"),
    indexing: t("walletCheckout.indexing"),
    paid: t("walletCheckout.paid"),
    amount: t("walletCheckout.amount"),
    expires: t("walletCheckout.expires"),
    tx: t("walletCheckout.tx"),
    viewOrders: t("walletCheckout.viewOrders"),
    wrongWallet: t("walletCheckout.wrongWallet"),
    quoteExpired: t("walletCheckout.quoteExpired"),
    retry: t("walletCheckout.retry"),
    orderStatus: t("walletCheckout.orderStatus"),
  };
}

/** Why this single line cannot be paid by wallet, or null. */
function unavailableReason(line: CheckoutLine, t: Translate): string | null {
  if (!line.active) return t("walletCheckout.inactive");
  if (!line.acceptsWallet) return t("walletCheckout.notWallet");
  if (!line.payable) return t("walletCheckout.noPayout");
  if (line.stock < line.quantity) return t("walletCheckout.outOfStock", { stock: line.stock });
  return null;
}

function stablecoinConfigured(): boolean {
  try {
    return resolveChainConfig().stablecoin !== undefined;
  } catch {
    return false;
  }
}

export default async function WalletCheckoutPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale, t } = await preferences();
  const params = await props.searchParams;
  const viewer = await currentViewer();
  const settings = webSettings();
  const db = database();

  const header = (
    <>
      <h1>{t("walletCheckout.title")}</h1>
      <p className="muted">{t("walletCheckout.intro")}</p>
    </>
  );

  if (params.cart === undefined && params.offer === undefined) {
    return (
      <div className="stack">
        {header}
        <p className="notice">{t("walletCheckout.noInput")}</p>
      </div>
    );
  }
  const parsed = searchSchema.safeParse(params);
  if (!parsed.success) {
    return (
      <div className="stack">
        {header}
        <p role="alert" className="error">
          {t("walletCheckout.badInput", { reason: parsed.error.issues[0]?.message ?? "" })}
        </p>
      </div>
    );
  }

  let lines: CheckoutLine[];
  try {
    lines =
      "cart" in parsed.data
        ? await readSharedCartLines(db, parsed.data.cart)
        : await readOfferLine(db, parsed.data.offer, parsed.data.qty);
  } catch (error) {
    if (!(error instanceof CommerceError)) throw error;
    return (
      <div className="stack">
        {header}
        <p role="alert" className="error">
          {t("walletCheckout.badInput", { reason: error.message })}
        </p>
      </div>
    );
  }
  if (lines.length === 0) {
    return (
      <div className="stack">
        {header}
        <p className="notice">{t("walletCheckout.noInput")}</p>
      </div>
    );
  }

  const productCount = new Set(lines.map((l) => l.productId)).size;
  const single = productCount === 1;
  const [first] = lines;
  const reason = single && first ? unavailableReason(first, t) : null;
  const source =
    "cart" in parsed.data
      ? { kind: "cart" as const, shareToken: parsed.data.cart }
      : { kind: "offer" as const, offerId: parsed.data.offer, quantity: parsed.data.qty };

  const table = (
    <div className="table-scroll">
      <table data-testid="checkout-lines">
        <thead>
          <tr>
            <th scope="col">{t("walletCheckout.item")}</th>
            <th scope="col">{t("walletCheckout.seller")}</th>
            <th scope="col">{t("walletCheckout.quantity")}</th>
            <th scope="col">{t("walletCheckout.price")}</th>
            {single ? null : (
              <th scope="col">
                <span className="visually-hidden">{t("walletCheckout.buyAlone")}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.offerId}>
              <td>{line.title}</td>
              <td>{line.sellerName}</td>
              <td>{line.quantity}</td>
              <td>{formatMoney(line.priceMinor * BigInt(line.quantity), line.currency, locale)}</td>
              {single ? null : (
                <td>
                  <Link
                    href={`/checkout/wallet?offer=${line.offerId}&qty=${line.quantity}`}
                    data-testid="buy-alone"
                    aria-label={`${t("walletCheckout.buyAlone")}: ${line.title}`}
                  >
                    {t("walletCheckout.buyAlone")}
                  </Link>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  let body: React.ReactNode;
  if (!single) {
    body = (
      <section className="card stack" aria-labelledby="checkout-multi" data-testid="checkout-multi-product">
        <h2 id="checkout-multi">{t("walletCheckout.multiTitle")}</h2>
        <p>{t("walletCheckout.multiBody", { count: productCount })}</p>
      </section>
    );
  } else if (reason) {
    body = (
      <p role="alert" className="error">
        {t("walletCheckout.unavailable", { reason })}
      </p>
    );
  } else if (!viewer) {
    body = (
      <section className="card stack">
        <p>{t("walletCheckout.signInFirst")}</p>
        <WalletSection>
          <SignInWithWallet signedInAddress={null} strings={signInStrings(t)} />
        </WalletSection>
      </section>
    );
  } else {
    const points = await readPointsBalance(db, settings.NEOCART_VIEWS_SCHEMA, viewer.address);
    body = (
      <section className="card">
        <WalletSection>
          <WalletCheckout
            source={source}
            signedInAddress={viewer.address as `0x${string}`}
            delivery={{ areas: deliveryAreaViews(), quote: quoteCheckoutDelivery, labels: deliveryChooserLabels(t) }}
            stablecoinAvailable={stablecoinConfigured()}
            pointsBalance={points === undefined ? null : points.toString()}
            explorerUrl={settings.NEOCART_EXPLORER_URL ?? null}
            locale={locale}
            strings={checkoutStrings(t)}
          />
        </WalletSection>
      </section>
    );
  }

  return (
    <div className="stack">
      {header}
      {table}
      {body}
    </div>
  );
}
