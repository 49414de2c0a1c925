// The shopper's loyalty points (an ERC-20: minted as cashback, burned at checkout) with every
// movement, and the soulbound badges the wallet holds, all read from the indexer.
import type { Metadata } from "next";
import { formatUnits } from "viem";
import { AccessDenied } from "../../components/dashboard/access-denied.tsx";
import { AddressLink, explorerBase, TxLink } from "../../components/dashboard/chain-links.tsx";
import { BADGE_IDS, readLoyalty } from "../../lib/dashboards/loyalty-history.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { MessageKey } from "../../lib/i18n/translate.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Loyalty", robots: { index: false } };

/** Points are 18-decimal tokens; whole points (two decimals at most) read best. */
function points(value: bigint): string {
  const [whole, fraction = ""] = formatUnits(value, 18).split(".");
  const cut = fraction.slice(0, 2).replace(/0+$/, "");
  return cut ? `${whole}.${cut}` : (whole ?? "0");
}

export default async function LoyaltyPage() {
  const { locale, t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) {
    return <AccessDenied title={t("loyalty.title")} message={t("signin.required")} signInLabel={t("signin.action")} />;
  }
  const settings = webSettings();
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);
  const loyalty = await readLoyalty(database(), settings.NEOCART_VIEWS_SCHEMA, viewer.address);
  const me = viewer.address.toLowerCase();
  return (
    <div className="stack">
      <h1>{t("loyalty.title")}</h1>
      {!loyalty.indexed && <p className="notice">{t("dash.noIndexer")}</p>}
      <section className="card stack" aria-labelledby="loyalty-balance">
        <h2 id="loyalty-balance">{t("loyalty.balance")}</h2>
        <p style={{ fontSize: "2rem", margin: 0 }} data-testid="points-balance" data-raw={loyalty.balance.toString()}>
          {t("loyalty.points", { points: points(loyalty.balance) })}
        </p>
        <p className="muted">{t("loyalty.how")}</p>
      </section>

      <section className="card stack" aria-labelledby="loyalty-badges">
        <h2 id="loyalty-badges">{t("loyalty.badges")}</h2>
        <ul className="row" style={{ listStyle: "none", padding: 0 }}>
          {BADGE_IDS.map((id) => {
            const held = loyalty.badges.find((b) => b.badgeId === id);
            return (
              <li
                key={id}
                className={`badge ${held ? "badge-ok" : ""}`}
                data-testid="badge"
                data-held={held ? "yes" : "no"}
              >
                {t(`loyalty.badge.${id}` as MessageKey)}
                {held ? ` ✓ ${t("loyalty.held")}` : ` · ${t("loyalty.notYet")}`}
              </li>
            );
          })}
        </ul>
      </section>

      <section className="card stack" aria-labelledby="loyalty-history">
        <h2 id="loyalty-history">{t("loyalty.history")}</h2>
        {loyalty.transfers.length === 0 ? (
          <p className="muted">{t("loyalty.noHistory")}</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="points-history">
              <thead>
                <tr>
                  <th scope="col">{t("loyalty.when")}</th>
                  <th scope="col">{t("loyalty.what")}</th>
                  <th scope="col">{t("loyalty.amount")}</th>
                  <th scope="col">{t("loyalty.counterparty")}</th>
                  <th scope="col">{t("loyalty.tx")}</th>
                </tr>
              </thead>
              <tbody>
                {loyalty.transfers.map((tr) => {
                  const incoming = tr.to.toLowerCase() === me;
                  const other = incoming ? tr.from : tr.to;
                  return (
                    <tr key={tr.id} data-testid="points-transfer">
                      <td>{formatDate(new Date(tr.timestamp * 1000), locale)}</td>
                      <td>
                        {t(`loyalty.kind.${tr.kind === "mint" ? "mint" : tr.kind === "burn" ? "burn" : "transfer"}`)}
                      </td>
                      <td className={incoming ? "" : "muted"}>
                        {incoming ? "+" : "−"}
                        {points(tr.value)}
                      </td>
                      <td>
                        {tr.kind === "transfer" ? <AddressLink address={other} explorerUrl={explorerUrl} /> : "—"}
                      </td>
                      <td>
                        <TxLink hash={tr.txHash} explorerUrl={explorerUrl} />{" "}
                        <span className="muted">{t("orders.block", { block: tr.blockNumber.toString() })}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
