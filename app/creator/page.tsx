// The creator's own dashboard: open or edit the storefront, curate its products, see the
// commission the chain has credited or will credit, and withdraw it from the escrow. Sellers also
// set here the commission they pay creators on their listings.
import type { Metadata } from "next";
import type { Address } from "viem";
import { AccessDenied } from "../../components/dashboard/access-denied.tsx";
import { ActionForm } from "../../components/dashboard/action-form.tsx";
import { AddressLink, explorerBase } from "../../components/dashboard/chain-links.tsx";
import { txStrings, walletGateStrings } from "../../components/dashboard/shared-strings.ts";
import { statusLabel } from "../../components/dashboard/status-badge.tsx";
import { formatTokenAmount } from "../../components/dashboard/token-amount.ts";
import { WithdrawPanel } from "../../components/dashboard/withdraw-panel.tsx";
import { WalletSection } from "../../components/wallet/wallet-section.tsx";
import { contractAddresses } from "../../lib/dashboards/contract-addresses.ts";
import { findSellerOfUser } from "../../lib/dashboards/seller-dashboard.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { DEFAULT_CREATOR_COMMISSION_BPS, readSellerCommission } from "../../lib/influencers/commission-terms.ts";
import { readCreatorEarnings } from "../../lib/influencers/creator-earnings.ts";
import { listCreatorPicks } from "../../lib/influencers/creator-picks.ts";
import { type CreatorProfile, findCreatorOfUser } from "../../lib/influencers/creator-profile.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer, type Viewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { addPick, movePick, removePick, savePickNote, saveProfile, saveSellerCommission } from "./actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Creator", robots: { index: false } };

function ProfileForm(props: { t: Translate; creator: CreatorProfile | null }) {
  const { t, creator } = props;
  return (
    <ActionForm
      action={saveProfile}
      submitLabel={creator ? t("creator.save") : t("creator.create")}
      submitTestId="save-profile"
      label={t("creator.profile")}
    >
      <div className="stack creator-fields">
        <label htmlFor="creator-handle">{t("creator.handleLabel")}</label>
        <input
          id="creator-handle"
          name="handle"
          required
          minLength={3}
          maxLength={30}
          pattern="[a-z0-9][a-z0-9_\-]{1,28}[a-z0-9]"
          aria-describedby="creator-handle-hint"
          defaultValue={creator?.handle}
          autoComplete="off"
          data-testid="creator-handle"
        />
        <span id="creator-handle-hint" className="muted">
          {t("creator.handleHint")}
        </span>
        <label htmlFor="creator-name">{t("creator.nameLabel")}</label>
        <input
          id="creator-name"
          name="displayName"
          required
          maxLength={80}
          defaultValue={creator?.displayName}
          data-testid="creator-display-name"
        />
        <label htmlFor="creator-bio">{t("creator.bioLabel")}</label>
        <textarea id="creator-bio" name="bio" maxLength={500} rows={3} defaultValue={creator?.bio} />
      </div>
    </ActionForm>
  );
}

async function SellerTerms(props: { t: Translate; viewer: Viewer }) {
  const { t, viewer } = props;
  if (!viewer.roles.includes("seller")) return null;
  const db = database();
  const seller = await findSellerOfUser(db, viewer.userId);
  if (!seller) return null;
  const terms = await readSellerCommission(db, seller.id);
  return (
    <section aria-labelledby="creator-terms" className="card stack">
      <h2 id="creator-terms">{t("creator.terms")}</h2>
      <p className="muted">{t("creator.termsHow", { percent: DEFAULT_CREATOR_COMMISSION_BPS / 100 })}</p>
      <p data-testid="seller-commission" data-bps={terms.bps}>
        {t("creator.termsCurrent", {
          percent: terms.bps / 100,
          source: t(terms.source === "seller" ? "creator.termsSource.seller" : "creator.termsSource.platform"),
        })}
      </p>
      <ActionForm
        action={saveSellerCommission}
        submitLabel={t("creator.termsSave")}
        submitTestId="save-seller-commission"
        label={t("creator.terms")}
      >
        <label htmlFor="seller-commission-percent">{t("creator.termsLabel")}</label>
        <input
          id="seller-commission-percent"
          name="percent"
          type="number"
          min={0}
          max={30}
          step={0.01}
          required
          defaultValue={terms.bps / 100}
          style={{ width: "7rem" }}
        />
      </ActionForm>
    </section>
  );
}

export default async function CreatorPage() {
  const { locale, t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) {
    return <AccessDenied title={t("creator.title")} message={t("signin.required")} signInLabel={t("signin.action")} />;
  }
  const db = database();
  const creator = await findCreatorOfUser(db, viewer.userId);
  const settings = webSettings();
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);

  if (!creator) {
    return (
      <div className="stack">
        <h1>{t("creator.title")}</h1>
        <p>{t("creator.intro")}</p>
        <section aria-labelledby="creator-profile" className="card stack">
          <h2 id="creator-profile">{t("creator.profile")}</h2>
          <p className="notice">{t("creator.payoutNote", { address: viewer.address })}</p>
          <ProfileForm t={t} creator={null} />
        </section>
        <SellerTerms t={t} viewer={viewer} />
      </div>
    );
  }

  const addresses = contractAddresses(settings.NEOCART_CHAIN_ID);
  const [picks, earnings] = await Promise.all([
    listCreatorPicks(db, creator.id),
    readCreatorEarnings(db, settings.NEOCART_VIEWS_SCHEMA, creator.payoutAddress),
  ]);
  const token = (amount: bigint, tokenAddress: string) => formatTokenAmount(amount, tokenAddress, addresses.stablecoin);
  const publicPath = `/creators/${creator.handle}`;

  return (
    <div className="stack">
      <h1>{t("creator.title")}</h1>
      <p className="muted">
        {t("creator.publicPage")}{" "}
        <a href={publicPath} data-testid="creator-public-link">
          {publicPath}
        </a>
        {" · "}
        {t("creator.payout")} <AddressLink address={creator.payoutAddress} explorerUrl={explorerUrl} />
      </p>
      {!earnings.indexed && <p className="notice">{t("dash.noIndexer")}</p>}

      <WalletSection>
        <section aria-labelledby="creator-earnings" className="card stack">
          <h2 id="creator-earnings">{t("creator.earnings")}</h2>
          <p className="muted">{t("creator.earningsHow")}</p>
          {earnings.totals.length === 0 ? (
            <p className="muted">{t("creator.noOrders")}</p>
          ) : (
            <ul className="row" style={{ listStyle: "none", padding: 0 }}>
              {earnings.totals.map((total) => (
                <li key={total.token} className="card stack" data-testid="commission-total" data-token={total.token}>
                  <p>
                    {t("creator.pending")}:{" "}
                    <strong data-testid="commission-pending" data-raw={total.pending.toString()}>
                      {token(total.pending, total.token)}
                    </strong>
                  </p>
                  <p>
                    {t("creator.credited")}:{" "}
                    <strong data-testid="commission-credited" data-raw={total.credited.toString()}>
                      {token(total.credited, total.token)}
                    </strong>
                  </p>
                </li>
              ))}
            </ul>
          )}
          <h3>{t("creator.withdrawTitle")}</h3>
          <p className="muted">{t("creator.withdrawNote")}</p>
          <WithdrawPanel
            chainId={addresses.chainId}
            escrow={addresses.escrow}
            payout={creator.payoutAddress as Address}
            explorerUrl={explorerUrl}
            credits={earnings.credits.map((c) => ({
              token: c.token as Address,
              withdrawable: c.withdrawable.toString(),
              label: token(c.withdrawable, c.token),
            }))}
            strings={{
              withdraw: t("creator.withdraw"),
              nothing: t("creator.nothingToWithdraw"),
              withdrawable: t("creator.withdrawable"),
              gate: walletGateStrings(t),
              tx: txStrings(t),
            }}
          />
          {earnings.orders.length > 0 && (
            <>
              <h3>{t("creator.orders")}</h3>
              <div className="table-scroll">
                <table data-testid="attributed-orders">
                  <thead>
                    <tr>
                      <th scope="col">{t("creator.product")}</th>
                      <th scope="col">{t("creator.state")}</th>
                      <th scope="col">{t("creator.rate")}</th>
                      <th scope="col">{t("creator.commission")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {earnings.orders.map((o) => (
                      <tr
                        key={o.id}
                        data-testid="attributed-order"
                        data-chain-order-id={o.id}
                        data-status={o.status}
                        data-share={o.share.toString()}
                      >
                        <th scope="row">
                          {o.title ?? o.id.slice(0, 10)}
                          <br />
                          <span className="muted">{formatDate(o.createdAt, locale)}</span>
                        </th>
                        <td>{statusLabel(t, o.state)}</td>
                        <td>{(o.bps / 100).toLocaleString(locale)} %</td>
                        <td>
                          {token(o.share, o.token)}{" "}
                          <span className={`badge ${o.status === "credited" ? "badge-ok" : ""}`}>
                            {t(`creator.status.${o.status}`)}
                          </span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      </WalletSection>

      <section aria-labelledby="creator-picks" className="card stack">
        <h2 id="creator-picks">{t("creator.picks", { count: picks.length })}</h2>
        <ActionForm action={addPick} submitLabel={t("creator.add")} submitTestId="add-pick" label={t("creator.add")}>
          <label htmlFor="pick-product">{t("creator.addLabel")}</label>
          <input id="pick-product" name="product" required maxLength={300} data-testid="pick-product" />
          <label htmlFor="pick-note">{t("creator.noteLabel")}</label>
          <input id="pick-note" name="note" maxLength={280} data-testid="pick-note" />
        </ActionForm>
        {picks.length === 0 ? (
          <p className="muted">{t("creator.noPicks")}</p>
        ) : (
          <ol className="stack creator-pick-list">
            {picks.map((pick, index) => (
              <li key={pick.productId} className="stack" data-testid="my-pick" data-slug={pick.slug}>
                <a href={`/product/${pick.slug}`}>{pick.title}</a>
                <ActionForm
                  action={savePickNote}
                  hidden={{ productId: pick.productId }}
                  submitLabel={t("creator.saveNote")}
                  submitClassName="button-secondary"
                  label={t("creator.noteFor", { product: pick.title })}
                >
                  <label className="visually-hidden" htmlFor={`note-${pick.productId}`}>
                    {t("creator.noteFor", { product: pick.title })}
                  </label>
                  <input id={`note-${pick.productId}`} name="note" maxLength={280} defaultValue={pick.note} />
                </ActionForm>
                <div className="row">
                  {index > 0 && (
                    <ActionForm
                      action={movePick}
                      hidden={{ productId: pick.productId, direction: "up" }}
                      submitLabel={t("creator.up")}
                      submitClassName="button-secondary"
                      label={t("creator.upFor", { product: pick.title })}
                    />
                  )}
                  {index < picks.length - 1 && (
                    <ActionForm
                      action={movePick}
                      hidden={{ productId: pick.productId, direction: "down" }}
                      submitLabel={t("creator.down")}
                      submitClassName="button-secondary"
                      label={t("creator.downFor", { product: pick.title })}
                    />
                  )}
                  <ActionForm
                    action={removePick}
                    hidden={{ productId: pick.productId }}
                    submitLabel={t("creator.remove")}
                    submitClassName="button-danger"
                    submitTestId="remove-pick"
                    label={t("creator.removeFor", { product: pick.title })}
                  />
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="creator-profile" className="card stack">
        <h2 id="creator-profile">{t("creator.profile")}</h2>
        <ProfileForm t={t} creator={creator} />
      </section>
      <SellerTerms t={t} viewer={viewer} />
    </div>
  );
}
