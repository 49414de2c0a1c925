// The shopper's language and display currency, from cookies (set by the switches in the header).
import { cookies, headers } from "next/headers";
import {
  CURRENCY_COOKIE,
  DEFAULT_CURRENCY,
  type DisplayCurrency,
  isDisplayCurrency,
  isLocale,
  LOCALE_COOKIE,
  type Locale,
  localeFromAcceptLanguage,
} from "../../lib/i18n/locales.ts";
import { type Translate, translator } from "../../lib/i18n/translate.ts";

export type Preferences = { locale: Locale; currency: DisplayCurrency; t: Translate };

export async function preferences(): Promise<Preferences> {
  const jar = await cookies();
  const cookieLocale = jar.get(LOCALE_COOKIE)?.value;
  const locale = isLocale(cookieLocale)
    ? cookieLocale
    : localeFromAcceptLanguage((await headers()).get("accept-language"));
  const cookieCurrency = jar.get(CURRENCY_COOKIE)?.value;
  const currency = isDisplayCurrency(cookieCurrency) ? cookieCurrency : DEFAULT_CURRENCY;
  return { locale, currency, t: translator(locale) };
}
