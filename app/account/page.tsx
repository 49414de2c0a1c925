// The account page: wallet sign-in and sign-out, and for a signed-in person their roles, linked
// wallet, a copy of their data, account deletion, and what the chain keeps regardless.
import type { Metadata } from "next";
import { signInStrings } from "../../components/wallet/sign-in-strings.ts";
import { SignInWithWallet } from "../../components/wallet/sign-in-with-wallet.tsx";
import { WalletSection } from "../../components/wallet/wallet-section.tsx";
import { formatDate } from "../../lib/i18n/format.ts";
import { onChainStatement } from "../../lib/privacy/index.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { DeleteAccountForm } from "./delete-account-form.tsx";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Account" };

export default async function AccountPage(props: { searchParams: Promise<{ deleted?: string }> }) {
  const { locale, t } = await preferences();
  const viewer = await currentViewer();
  const { deleted } = await props.searchParams;
  const statement = onChainStatement(viewer ? [viewer.address] : []);
  return (
    <div className="stack">
      <h1>{t("account.title")}</h1>
      {deleted && !viewer ? (
        <p role="status" className="notice">
          {t("account.deleted")}
        </p>
      ) : null}
      <section className="card" aria-label={t("nav.account")}>
        <WalletSection>
          <SignInWithWallet signedInAddress={viewer?.address ?? null} strings={signInStrings(t)} />
        </WalletSection>
      </section>
      {viewer ? (
        <>
          <section className="card stack" aria-labelledby="account-details">
            <h2 id="account-details">{t("account.session")}</h2>
            <dl>
              <dt>{t("account.wallet")}</dt>
              <dd className="mono" data-testid="account-wallet">
                {viewer.address}
              </dd>
              <dt>{t("account.roles")}</dt>
              <dd>
                <ul className="row" style={{ listStyle: "none", padding: 0 }} data-testid="account-roles">
                  {viewer.roles.map((role) => (
                    <li key={role} className="badge">
                      {role}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t("account.session")}</dt>
              <dd>{t("account.sessionSince", { date: formatDate(viewer.createdAt, locale) })}</dd>
            </dl>
          </section>
          <section className="card stack" aria-labelledby="account-privacy">
            <h2 id="account-privacy">{t("account.privacy")}</h2>
            <p className="muted">{t("account.exportHint")}</p>
            <p>
              <a className="button-secondary" href="/api/account/export" download data-testid="export-data">
                {t("account.export")}
              </a>
            </p>
            <h3>{t("account.delete")}</h3>
            <DeleteAccountForm
              label={t("account.delete")}
              confirmLabel={t("account.deleteConfirmLabel")}
              hint={t("account.deleteHint")}
            />
          </section>
        </>
      ) : (
        <p className="muted">{t("account.signInIntro")}</p>
      )}
      <section className="card stack" aria-labelledby="account-onchain" data-testid="onchain-statement">
        <h2 id="account-onchain">{t("account.onchainTitle")}</h2>
        {locale !== "en" ? <p className="muted">{t("account.onchainNote")}</p> : null}
        <div lang="en" className="stack">
          <p>{statement.summary}</p>
          <dl>
            {statement.records.map((record) => (
              <div key={record.what}>
                <dt>{record.what}</dt>
                <dd>{record.details}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>
    </div>
  );
}
