// Locale-aware formatting of money (minor units) and dates for the storefront.
import { currencyExponent } from "../payments/money.ts";
import type { Locale } from "./locales.ts";

const intlLocale: Record<Locale, string> = { en: "en-US", es: "es-ES" };

export function formatMoney(minor: number | bigint, currency: string, locale: Locale): string {
  const exponent = currencyExponent(currency);
  // Minor units stay integers until display; Number is exact below 2^53, far above any price.
  const major = Number(minor) / 10 ** exponent;
  return new Intl.NumberFormat(intlLocale[locale], {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(major);
}

export function formatDate(date: Date | string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: "medium", timeStyle: "short" }).format(
    typeof date === "string" ? new Date(date) : date,
  );
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale]).format(value);
}
