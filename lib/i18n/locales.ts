// The languages and display currencies the storefront offers; the shopper's choice lives in cookies.
import { SUPPORTED_CURRENCIES } from "../pricing/currencies.ts";

export const locales = ["en", "es"] as const;
export type Locale = (typeof locales)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const localeNames: Record<Locale, string> = { en: "English", es: "Español" };

/** Currencies the catalog has FX rates for, offered in the currency switch. */
export const displayCurrencies = ["USD", "EUR", "GBP", "INR", "JPY"] as const satisfies readonly string[];
export type DisplayCurrency = (typeof displayCurrencies)[number];
export const DEFAULT_CURRENCY: DisplayCurrency = "USD";

export const LOCALE_COOKIE = "neocart_locale";
export const CURRENCY_COOKIE = "neocart_currency";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

export function isDisplayCurrency(value: unknown): value is DisplayCurrency {
  return (
    typeof value === "string" &&
    (displayCurrencies as readonly string[]).includes(value) &&
    (SUPPORTED_CURRENCIES as readonly string[]).includes(value)
  );
}

/** Picks the first supported language of an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return DEFAULT_LOCALE;
}
