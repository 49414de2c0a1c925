// The shopper's loyalty points (an ERC-20: minted as cashback and as rewards, burned at checkout)
// with every movement, and each soulbound badge: held, or how far the shopper is from earning it.
import type { Metadata } from "next";
import Link from "next/link";
import { AccessDenied } from "../../components/dashboard/access-denied.tsx";
import { AddressLink, explorerBase, TxLink } from "../../components/dashboard/chain-links.tsx";
import { BadgeProgressList } from "../../components/gamification/badge-progress-list.tsx";
import { formatPoints as points } from "../../components/gamification/format-points.ts";
import { readLoyalty } from "../../lib/dashboards/loyalty-history.ts";
import { readBadgeProgress } from "../../lib/gamification/badge-progress.ts";
import { rewardKindsByTx } from "../../lib/gamification/reward-labels.ts";
import { REFERRER_POINTS, REVIEW_POINTS } from "../../lib/gamification/rules.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { MessageKey } from "../../lib/i18n/translate.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Loyalty", robots: { index: false } };

/** The history's "what" column: a mint is cashback unless the rewards ledger sent it. */
function kindKey(kind: string, reward: string | undefined): MessageKey {
  if (kind === "mint" && reward === "review_points") return "loyalty.kind.reviewReward";
  if (kind === "mint" && reward === "referral_points") return "loyalty.kind.referralReward";
  return kind === "mint" ? "loyalty.kind.mint" : kind === "burn" ? "loyalty.kind.burn" : "loyalty.kind.transfer";
}

export default async function LoyaltyPage() {
  const { locale, t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) {
    return <AccessDenied title={t("loyalty.title")} message={t("signin.required")} signInLabel={t("signin.action")} />;
  }
  const settings = webSettings();
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);
  const db = database();
  const loyalty = await readLoyalty(db, settings.NEOCART_VIEWS_SCHEMA, viewer.address);
  const progress = await readBadgeProgress(db, settings.NEOCART_VIEWS_SCHEMA, viewer);
  const rewards = await rewardKindsByTx(
    db,
    loyalty.transfers.filter((tr) => tr.kind === "mint").map((tr) => tr.txHash),
  );
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
        <p className="muted">
          {t("loyalty.how", { review: REVIEW_POINTS.toString(), referrer: REFERRER_POINTS.toString() })}
        </p>
        <nav aria-label={t("loyalty.earnMore")}>
          <ul className="row" style={{ listStyle: "none", padding: 0 }}>
            <li>
              <Link href="/referrals">{t("loyalty.referralsLink")}</Link>
            </li>
            <li>
              <Link href="/leaderboard">{t("loyalty.leaderboardLink")}</Link>
            </li>
          </ul>
        </nav>
      </section>

      <section className="card stack" aria-labelledby="loyalty-badges">
        <h2 id="loyalty-badges">{t("loyalty.badges")}</h2>
        <BadgeProgressList badges={progress.badges} t={t} />
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
                      <td>{t(kindKey(tr.kind, rewards.get(tr.txHash.toLowerCase())))}</td>
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
