// Referrals: a signed-in shopper's link and the people who joined through it; a visitor who came
// through someone's link (/r/<code>) is told what happens when they sign in.
import type { Metadata } from "next";
import Link from "next/link";
import { readReferralSummary } from "../../lib/gamification/referrals.ts";
import { REFEREE_POINTS, REFERRER_POINTS } from "../../lib/gamification/rules.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";
import { webSettings } from "../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invite friends", robots: { index: false } };

export default async function ReferralsPage(props: { searchParams: Promise<{ invited?: string; invalid?: string }> }) {
  const { locale, t } = await preferences();
  const { invited, invalid } = await props.searchParams;
  const viewer = await currentViewer();
  const intro = t("referrals.intro", { referrer: REFERRER_POINTS.toString(), referee: REFEREE_POINTS.toString() });
  const summary = viewer ? await readReferralSummary(database(), viewer.userId) : undefined;
  const link = summary ? new URL(`/r/${summary.code}`, webSettings().NEOCART_ORIGIN).toString() : undefined;
  return (
    <div className="stack">
      <h1>{t("referrals.title")}</h1>
      {invited === "1" && !viewer ? (
        <p className="notice" data-testid="referral-invited">
          {t("referrals.invited")}
        </p>
      ) : null}
      {invalid === "1" ? (
        <p className="notice error" data-testid="referral-invalid">
          {t("referrals.invalid")}
        </p>
      ) : null}
      <p>{intro}</p>
      <p className="muted">{t("referrals.rules")}</p>
      {!summary || !link ? (
        <p>
          {t("referrals.signIn")} <Link href="/account">{t("referrals.signInAction")}</Link>
        </p>
      ) : (
        <>
          <section className="card stack" aria-labelledby="referral-link">
            <h2 id="referral-link">{t("referrals.link")}</h2>
            <label className="stack">
              <span className="visually-hidden">{t("referrals.link")}</span>
              <input
                type="url"
                readOnly
                value={link}
                className="mono"
                data-testid="referral-link"
                aria-describedby="referral-copy-hint"
              />
            </label>
            <p id="referral-copy-hint" className="muted">
              {t("referrals.copyHint")}
            </p>
            <p data-testid="referral-code" data-code={summary.code}>
              {t("referrals.code", { code: summary.code })}
            </p>
          </section>
          <section className="card stack" aria-labelledby="referral-people">
            <h2 id="referral-people">{t("referrals.people")}</h2>
            {summary.referred.length === 0 ? (
              <p className="muted">{t("referrals.none")}</p>
            ) : (
              <ul className="stack" style={{ listStyle: "none", padding: 0 }} data-testid="referred-people">
                {summary.referred.map((r, i) => (
                  // Referred people stay anonymous: only when they joined and whether they bought.
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no public identity.
                  <li key={i} data-testid="referred-person" data-rewarded={r.rewarded ? "yes" : "no"}>
                    {t("referrals.joined", { when: formatDate(r.attachedAt, locale) })} ·{" "}
                    <span className={`badge ${r.rewarded ? "badge-ok" : ""}`}>
                      {t(r.rewarded ? "referrals.rewarded" : "referrals.waiting")}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
