// Seller dashboard: listings and stock, escrow balances by state and what can be withdrawn,
// shipments to mark (on chain for escrow orders, here for card orders), and sales charts.
import type { Metadata } from "next";
import type { Address, Hex } from "viem";
import { AccessDenied } from "../../components/dashboard/access-denied.tsx";
import { ActionForm } from "../../components/dashboard/action-form.tsx";
import { AnalyticsSection } from "../../components/dashboard/analytics-section.tsx";
import { AddressLink, explorerBase } from "../../components/dashboard/chain-links.tsx";
import { MarkShippedButton } from "../../components/dashboard/mark-shipped-button.tsx";
import { txStrings, walletGateStrings } from "../../components/dashboard/shared-strings.ts";
import { statusLabel } from "../../components/dashboard/status-badge.tsx";
import { formatTokenAmount } from "../../components/dashboard/token-amount.ts";
import { WithdrawPanel } from "../../components/dashboard/withdraw-panel.tsx";
import { OpenPoolForm } from "../../components/group-buys/open-pool-form.tsx";
import { SellerInsights } from "../../components/ml/seller-insights.tsx";
import { WalletSection } from "../../components/wallet/wallet-section.tsx";
import { contractAddresses } from "../../lib/dashboards/contract-addresses.ts";
import { readSalesAnalytics } from "../../lib/dashboards/sales-analytics.ts";
import {
  findSellerOfUser,
  listSellerListings,
  listShipmentsToMark,
  readEscrowBalances,
} from "../../lib/dashboards/seller-dashboard.ts";
import { formatDate, formatMoney } from "../../lib/i18n/format.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { AccessDeniedError, requireViewerRole } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { markOrderShipped, updateStock } from "./actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Seller", robots: { index: false } };

export default async function SellerPage() {
  const { locale, currency, t } = await preferences();
  let viewer: Awaited<ReturnType<typeof requireViewerRole>>;
  try {
    viewer = await requireViewerRole("seller");
  } catch (error) {
    if (!(error instanceof AccessDeniedError)) throw error;
    return (
      <AccessDenied
        title={t("seller.title")}
        message={error.reason === "signed_out" ? t("signin.required") : t("role.missing", { role: "seller" })}
        signInLabel={error.reason === "signed_out" ? t("signin.action") : undefined}
      />
    );
  }
  const db = database();
  const seller = await findSellerOfUser(db, viewer.userId);
  if (!seller) return <AccessDenied title={t("seller.title")} message={t("seller.noSeller")} />;

  const settings = webSettings();
  const views = settings.NEOCART_VIEWS_SCHEMA;
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);
  const addresses = contractAddresses(settings.NEOCART_CHAIN_ID);
  const [listings, balances, shipments, analytics] = await Promise.all([
    listSellerListings(db, seller.id),
    readEscrowBalances(db, views, seller.payoutAddress),
    listShipmentsToMark(db, views, seller),
    readSalesAnalytics(db, { sellerId: seller.id, viewsSchema: views, currency }),
  ]);
  const gate = walletGateStrings(t);
  const tx = txStrings(t);
  const token = (amount: bigint | string, tokenAddress: string) =>
    formatTokenAmount(amount, tokenAddress, addresses.stablecoin);

  return (
    <div className="stack">
      <h1>{t("seller.title")}</h1>
      <p className="muted">
        {seller.name}
        {seller.payoutAddress && (
          <>
            {" · "}
            {t("seller.payout")} <AddressLink address={seller.payoutAddress} explorerUrl={explorerUrl} />
          </>
        )}
      </p>
      {!balances.indexed && <p className="notice">{t("dash.noIndexer")}</p>}
      <WalletSection>
        <section aria-labelledby="seller-balances" className="card stack">
          <h2 id="seller-balances">{t("seller.balances")}</h2>
          {balances.byState.length === 0 ? (
            <p className="muted">{t("seller.noEscrow")}</p>
          ) : (
            <div className="table-scroll">
              <table data-testid="escrow-balances">
                <thead>
                  <tr>
                    <th scope="col">{t("charts.state")}</th>
                    <th scope="col">{t("charts.orders")}</th>
                    <th scope="col">{t("seller.amount")}</th>
                  </tr>
                </thead>
                <tbody>
                  {balances.byState.map((b) => (
                    <tr key={`${b.state}-${b.token}`} data-testid="escrow-balance-row" data-state={b.state}>
                      <th scope="row">{statusLabel(t, b.state)}</th>
                      <td>{b.orders}</td>
                      <td>{token(b.amount, b.token)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t("seller.withdrawable")}</h3>
          {seller.payoutAddress ? (
            <WithdrawPanel
              chainId={addresses.chainId}
              escrow={addresses.escrow}
              payout={seller.payoutAddress as Address}
              explorerUrl={explorerUrl}
              credits={balances.credits.map((c) => ({
                token: c.token as Address,
                withdrawable: c.withdrawable.toString(),
                label: token(c.withdrawable, c.token),
              }))}
              strings={{
                withdraw: t("seller.withdraw"),
                nothing: t("seller.nothingToWithdraw"),
                withdrawable: t("seller.withdrawableNow"),
                gate,
                tx,
              }}
            />
          ) : (
            <p className="notice">{t("seller.noPayout")}</p>
          )}
        </section>

        {seller.payoutAddress && listings.some((l) => l.active) && (
          <section aria-labelledby="seller-open-pool" className="card stack">
            <h2 id="seller-open-pool">{t("groupBuys.open.title")}</h2>
            <OpenPoolForm
              chainId={addresses.chainId}
              groupBuy={addresses.groupBuy}
              payout={seller.payoutAddress as Address}
              listings={listings
                .filter((l) => l.active)
                .map((l) => ({ productId: l.productChainId, title: l.productTitle }))}
              strings={{
                product: t("groupBuys.open.product"),
                unitPrice: t("groupBuys.open.unitPrice"),
                minUnits: t("groupBuys.open.minUnits"),
                maxUnits: t("groupBuys.open.maxUnits"),
                days: t("groupBuys.open.days"),
                deliveryDays: t("groupBuys.open.deliveryDays"),
                open: t("groupBuys.open.submit"),
                connectPayout: t("groupBuys.open.connectPayout"),
                signing: t("groupBuys.open.signing"),
                mining: t("groupBuys.open.mining"),
                opened: t("groupBuys.open.opened"),
                failed: t("groupBuys.open.failed"),
              }}
            />
          </section>
        )}

        <section aria-labelledby="seller-shipments" className="card stack">
          <h2 id="seller-shipments">{t("seller.shipments")}</h2>
          {shipments.escrow.length === 0 && shipments.fiat.length === 0 && (
            <p className="muted">{t("seller.noShipments")}</p>
          )}
          <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
            {shipments.escrow.map((o) => (
              <li key={o.id} className="stack" data-testid="shipment-row" data-chain-order-id={o.id}>
                <span>
                  <span className="badge">{t("orders.kind.escrow")}</span> {o.title ?? o.terms.productId.slice(0, 10)} ·{" "}
                  {token(o.terms.amount, o.terms.token)} · {formatDate(new Date(Number(o.created_at) * 1000), locale)}
                </span>
                <MarkShippedButton
                  chainId={addresses.chainId}
                  escrow={addresses.escrow}
                  orderId={o.id as Hex}
                  state={o.state}
                  terms={o.terms}
                  explorerUrl={explorerUrl}
                  strings={{ label: t("seller.markShipped"), gate, tx }}
                />
              </li>
            ))}
            {shipments.fiat.map((o) => (
              <li key={o.orderId} className="stack" data-testid="shipment-row" data-order-id={o.orderId}>
                <span>
                  <span className="badge">{t("orders.kind.fiat")}</span>{" "}
                  {o.lines.map((l) => `${l.title} × ${l.quantity}`).join(", ")} · {formatDate(o.createdAt, locale)}
                </span>
                <ActionForm
                  action={markOrderShipped}
                  hidden={{ orderId: o.orderId }}
                  submitLabel={t("seller.markShipped")}
                  submitTestId="mark-shipped-fiat"
                  label={t("seller.markShipped")}
                />
              </li>
            ))}
          </ul>
        </section>
      </WalletSection>

      <section aria-labelledby="seller-listings" className="card stack">
        <h2 id="seller-listings">{t("seller.listings", { count: listings.length })}</h2>
        {listings.length === 0 ? (
          <p className="muted">{t("seller.noListings")}</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="listings">
              <thead>
                <tr>
                  <th scope="col">{t("seller.product")}</th>
                  <th scope="col">{t("seller.price")}</th>
                  <th scope="col">{t("seller.stock")}</th>
                </tr>
              </thead>
              <tbody>
                {listings.map((l) => (
                  <tr key={l.offerId} data-testid="listing-row" data-offer-id={l.offerId}>
                    <th scope="row">
                      <a href={`/product/${l.productSlug}`}>{l.productTitle}</a>
                      {!l.active && <span className="badge badge-warn"> {t("seller.inactive")}</span>}
                    </th>
                    <td>{formatMoney(l.priceMinor, l.currency, locale)}</td>
                    <td>
                      <ActionForm
                        action={updateStock}
                        hidden={{ offerId: l.offerId }}
                        submitLabel={t("seller.saveStock")}
                        submitTestId="save-stock"
                        submitClassName="button-secondary"
                        label={t("seller.stockFor", { product: l.productTitle })}
                      >
                        <label className="visually-hidden" htmlFor={`stock-${l.offerId}`}>
                          {t("seller.stockFor", { product: l.productTitle })}
                        </label>
                        <input
                          id={`stock-${l.offerId}`}
                          name="stock"
                          type="number"
                          min={0}
                          max={1_000_000}
                          step={1}
                          required
                          defaultValue={l.stock}
                          data-testid="stock-input"
                          style={{ width: "6rem" }}
                        />
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <SellerInsights db={db} sellerId={seller.id} locale={locale} t={t} />

      <section aria-labelledby="seller-analytics" className="card stack">
        <h2 id="seller-analytics">{t("seller.analytics")}</h2>
        <AnalyticsSection t={t} locale={locale} analytics={analytics} revenueKind="revenue" />
      </section>
    </div>
  );
}
