// Currencies the generated catalog prices in, their minor-unit exponents, and fixed demo FX rates
// (1 USD = rate × currency). Fixed so that the seed, and every price it writes, is reproducible.

export const catalogCurrencies = ["USD", "EUR", "GBP", "INR", "JPY"] as const;
export type CatalogCurrency = (typeof catalogCurrencies)[number];

/** Digits after the decimal point of each currency (ISO 4217): JPY has none. */
export const minorUnitExponent: Record<CatalogCurrency, number> = { USD: 2, EUR: 2, GBP: 2, INR: 2, JPY: 0 };

export const usdRates: Record<CatalogCurrency, number> = { USD: 1, EUR: 0.92, GBP: 0.79, INR: 83.5, JPY: 151 };

/** Converts a USD amount (major units) to a "shelf price" in `currency` minor units (x.99 / round yen). */
export function shelfPriceMinor(usd: number, currency: CatalogCurrency): number {
  const amount = usd * usdRates[currency];
  if (currency === "JPY") return Math.max(100, Math.round(amount / 10) * 10);
  if (currency === "INR") return Math.max(100, (Math.round(amount / 10) * 10 - 1) * 100);
  return Math.max(99, Math.round(Math.max(1, Math.round(amount)) * 100 - 1));
}
