// The header on every page: brand, search box, navigation, wallet, language and currency.
import Link from "next/link";
import type { Role } from "../../lib/db/schema.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { WalletEntry } from "../wallet/wallet-entry.tsx";
import { PreferencesForm } from "./preferences-form.tsx";

export function SiteHeader(props: {
  t: Translate;
  locale: Locale;
  currency: string;
  address?: string;
  roles: readonly Role[];
}) {
  const { t, roles } = props;
  return (
    <header className="site-header">
      <a href="#main" className="skip-link">
        {t("nav.skip")}
      </a>
      <div className="header-row">
        <Link href="/" className="brand" aria-label={t("site.name")}>
          Neo<span>Cart</span>
        </Link>
        <search className="header-search">
          <form action="/search" method="get">
            <label htmlFor="header-q" className="visually-hidden">
              {t("search.label")}
            </label>
            <input id="header-q" name="q" type="search" placeholder={t("search.placeholder")} autoComplete="off" />
            <button type="submit">{t("search.submit")}</button>
          </form>
        </search>
        <WalletEntry label={t("signin.action")} address={props.address} />
      </div>
      <div className="header-row header-nav-row">
        <nav aria-label={t("nav.main")}>
          <ul className="nav-list">
            <li>
              <Link href="/">{t("nav.home")}</Link>
            </li>
            <li>
              <Link href="/search">{t("nav.search")}</Link>
            </li>
            <li>
              <Link href="/videos">{t("video.nav")}</Link>
            </li>
            <li>
              <Link href="/live">{t("live.nav")}</Link>
            </li>
            <li>
              <Link href="/cart">{t("nav.cart")}</Link>
            </li>
            <li>
              <Link href="/orders">{t("nav.orders")}</Link>
            </li>
            <li>
              <Link href="/loyalty">{t("nav.loyalty")}</Link>
            </li>
            {roles.includes("seller") && (
              <li>
                <Link href="/seller">{t("nav.seller")}</Link>
              </li>
            )}
            {(roles.includes("admin") || roles.includes("arbiter")) && (
              <li>
                <Link href="/admin">{t("nav.admin")}</Link>
              </li>
            )}
            <li>
              <Link href="/explorer">{t("nav.explorer")}</Link>
            </li>
          </ul>
        </nav>
        <PreferencesForm locale={props.locale} currency={props.currency} t={t} />
      </div>
    </header>
  );
}
