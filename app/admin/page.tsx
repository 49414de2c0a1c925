// Administration, for admins and arbiters: roles (admins only), the dispute queue (the arbiter
// resolves with a split, on chain), the fraud queue and platform analytics. Anyone else gets a
// refusal and none of the data.
import type { Metadata } from "next";
import type { Hex } from "viem";
import { AccessDenied } from "../../components/dashboard/access-denied.tsx";
import { ActionForm } from "../../components/dashboard/action-form.tsx";
import { AnalyticsSection } from "../../components/dashboard/analytics-section.tsx";
import { AddressLink, explorerBase } from "../../components/dashboard/chain-links.tsx";
import { ResolveDisputeForm } from "../../components/dashboard/resolve-dispute-form.tsx";
import { txStrings, walletGateStrings } from "../../components/dashboard/shared-strings.ts";
import { formatTokenAmount } from "../../components/dashboard/token-amount.ts";
import { FraudModelScore } from "../../components/ml/fraud-model-score.tsx";
import { WalletSection } from "../../components/wallet/wallet-section.tsx";
import { listUsersWithRoles } from "../../lib/dashboards/admin-users.ts";
import { contractAddresses } from "../../lib/dashboards/contract-addresses.ts";
import { listDisputes } from "../../lib/dashboards/dispute-queue.ts";
import { type FraudReason, listFraudCases } from "../../lib/dashboards/fraud-queue.ts";
import { readReviewsPerDay, readSalesAnalytics } from "../../lib/dashboards/sales-analytics.ts";
import { roles } from "../../lib/db/schema.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";
import { grantRoleAction, revokeRoleAction } from "./actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Admin", robots: { index: false } };

function reasonText(t: Translate, r: FraudReason): string {
  switch (r.code) {
    case "payment_flagged":
      return t("admin.fraud.flagged", { detail: r.detail });
    case "orders_last_hour":
      return t("admin.fraud.lastHour", { count: r.count });
    case "orders_last_day":
      return t("admin.fraud.lastDay", { count: r.count });
    case "failed_payments":
      return t("admin.fraud.failed", { count: r.count });
  }
}

export default async function AdminPage() {
  const { locale, currency, t } = await preferences();
  const viewer = await currentViewer();
  const isAdmin = viewer?.roles.includes("admin") ?? false;
  const isArbiter = viewer?.roles.includes("arbiter") ?? false;
  if (!viewer || (!isAdmin && !isArbiter)) {
    return (
      <AccessDenied
        title={t("admin.denied.title")}
        message={viewer ? t("admin.denied.body") : t("signin.required")}
        signInLabel={viewer ? undefined : t("signin.action")}
      />
    );
  }
  const settings = webSettings();
  const views = settings.NEOCART_VIEWS_SCHEMA;
  const explorerUrl = explorerBase(settings.NEOCART_EXPLORER_URL);
  const addresses = contractAddresses(settings.NEOCART_CHAIN_ID);
  const db = database();
  const [users, disputes, fraud, analytics, reviewsPerDay] = await Promise.all([
    isAdmin ? listUsersWithRoles(db) : Promise.resolve([]),
    listDisputes(db, views),
    listFraudCases(db),
    readSalesAnalytics(db, { viewsSchema: views, currency }),
    readReviewsPerDay(db, views),
  ]);
  const resolveStrings = {
    buyerShare: t("admin.dispute.buyerShare"),
    split: t("admin.dispute.split"),
    resolve: t("admin.dispute.resolve"),
    invalid: t("admin.dispute.invalid"),
    gate: walletGateStrings(t),
    tx: txStrings(t),
  };

  return (
    <div className="stack">
      <h1>{t("admin.title")}</h1>
      <nav aria-label={t("admin.sections")}>
        <ul className="row" style={{ listStyle: "none", padding: 0 }}>
          {isAdmin && (
            <li>
              <a href="#admin-roles">{t("admin.roles")}</a>
            </li>
          )}
          <li>
            <a href="#admin-disputes">{t("admin.disputes")}</a>
          </li>
          <li>
            <a href="#admin-fraud">{t("admin.fraud")}</a>
          </li>
          <li>
            <a href="#admin-analytics">{t("admin.analytics")}</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="admin-disputes" className="card stack">
        <h2 id="admin-disputes">{t("admin.disputes")}</h2>
        {!isArbiter && <p className="notice">{t("admin.dispute.arbiterOnly")}</p>}
        {disputes === undefined ? (
          <p className="notice">{t("dash.noIndexer")}</p>
        ) : disputes.length === 0 ? (
          <p className="muted" data-testid="disputes-empty">
            {t("admin.dispute.none")}
          </p>
        ) : (
          <WalletSection>
            <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
              {disputes.map((d) => (
                <li key={d.id} className="stack" data-testid="dispute-row" data-chain-order-id={d.id}>
                  <p>
                    <strong>{d.title ?? d.terms.productId.slice(0, 10)}</strong> ·{" "}
                    {formatTokenAmount(d.terms.amount, d.terms.token, addresses.stablecoin)}
                    <br />
                    <span className="muted">
                      {t("admin.dispute.parties")} <AddressLink address={d.terms.buyer} explorerUrl={explorerUrl} /> /{" "}
                      <AddressLink address={d.terms.seller} explorerUrl={explorerUrl} />
                      {d.deadline && (
                        <>
                          {" "}
                          ·{" "}
                          {t("admin.dispute.deadline", {
                            date: formatDate(new Date(Number(d.deadline) * 1000), locale),
                          })}
                        </>
                      )}
                    </span>
                    <br />
                    <a className="mono" href={`/explorer?q=${d.id}`}>
                      {d.id.slice(0, 18)}…
                    </a>
                  </p>
                  {isArbiter && (
                    <ResolveDisputeForm
                      chainId={addresses.chainId}
                      escrow={addresses.escrow}
                      orderId={d.id as Hex}
                      state={d.state}
                      terms={d.terms}
                      explorerUrl={explorerUrl}
                      strings={resolveStrings}
                    />
                  )}
                </li>
              ))}
            </ul>
          </WalletSection>
        )}
      </section>

      {isAdmin && (
        <section aria-labelledby="admin-roles" className="card stack">
          <h2 id="admin-roles">{t("admin.roles")}</h2>
          <p className="muted">{t("admin.rolesNote")}</p>
          <div className="table-scroll">
            <table data-testid="user-roles">
              <thead>
                <tr>
                  <th scope="col">{t("admin.user")}</th>
                  <th scope="col">{t("admin.roles")}</th>
                  <th scope="col">{t("admin.grant")}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} data-testid="user-row" data-user-id={u.id}>
                    <th scope="row">
                      {u.displayName ?? <span className="muted">{u.id.slice(0, 8)}</span>}
                      {u.wallets.map((w) => (
                        <div key={w}>
                          <AddressLink address={w} explorerUrl={explorerUrl} />
                        </div>
                      ))}
                    </th>
                    <td>
                      <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
                        {u.roles.map((r) => (
                          <li key={r}>
                            <ActionForm
                              action={revokeRoleAction}
                              hidden={{ userId: u.id, role: r }}
                              submitLabel={t("admin.revoke", { role: r })}
                              submitClassName="button-secondary"
                              submitTestId="revoke-role"
                              label={t("admin.revoke", { role: r })}
                            />
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <ActionForm
                        action={grantRoleAction}
                        hidden={{ userId: u.id }}
                        submitLabel={t("admin.grant")}
                        submitTestId="grant-role"
                        label={t("admin.grantTo", { user: u.displayName ?? u.wallets[0] ?? u.id })}
                      >
                        <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                          {t("admin.roleToGrant")}
                        </label>
                        <select id={`role-${u.id}`} name="role" data-testid="role-select">
                          {roles
                            .filter((r) => !u.roles.includes(r))
                            .map((r) => (
                              <option key={r} value={r}>
                                {r}
                              </option>
                            ))}
                        </select>
                      </ActionForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <section aria-labelledby="admin-fraud" className="card stack">
        <h2 id="admin-fraud">{t("admin.fraud")}</h2>
        <p className="notice">{t("admin.fraud.rulesNote")}</p>
        {fraud.length === 0 ? (
          <p className="muted">{t("admin.fraud.none")}</p>
        ) : (
          <div className="table-scroll">
            <table data-testid="fraud-queue">
              <thead>
                <tr>
                  <th scope="col">{t("admin.fraud.score")}</th>
                  <th scope="col">{t("fraud.model")}</th>
                  <th scope="col">{t("admin.fraud.case")}</th>
                  <th scope="col">{t("admin.fraud.reasons")}</th>
                  <th scope="col">{t("admin.fraud.when")}</th>
                </tr>
              </thead>
              <tbody>
                {fraud.map((c) => (
                  <tr key={`${c.kind}-${c.ref}`} data-testid="fraud-row">
                    <td>
                      <span
                        className={`badge ${c.score >= 70 ? "badge-bad" : c.score >= 40 ? "badge-warn" : "badge-ok"}`}
                      >
                        {c.score}
                      </span>
                    </td>
                    <td>
                      <FraudModelScore db={db} kind={c.kind} caseRef={c.ref} t={t} />
                    </td>
                    <td>
                      {c.kind === "payment"
                        ? t("admin.fraud.payment", { id: c.ref.slice(0, 8) })
                        : t("admin.fraud.buyer")}
                      {c.wallet && (
                        <div>
                          <AddressLink address={c.wallet} explorerUrl={explorerUrl} />
                        </div>
                      )}
                    </td>
                    <td>
                      <ul>
                        {c.reasons.map((r) => (
                          <li key={r.code}>{reasonText(t, r)}</li>
                        ))}
                      </ul>
                    </td>
                    <td>{formatDate(c.at, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="admin-analytics" className="card stack">
        <h2 id="admin-analytics">{t("admin.analytics")}</h2>
        <AnalyticsSection t={t} locale={locale} analytics={analytics} reviewsPerDay={reviewsPerDay} revenueKind="gmv" />
      </section>
    </div>
  );
}
