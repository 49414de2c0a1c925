// Price facet edges in the shopper's currency: the same spread of buckets whatever the currency
// (≈ $25, $50, $100 … in USD), rounded to amounts people recognise (₹2,000 rather than ₹2,087).

const USD_EDGES = [25, 50, 100, 250, 500, 1000, 2500] as const;

/** The nearest of 1, 2, 2.5, 5 × 10^k. */
export function niceAmount(value: number): number {
  if (value <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  let best = power;
  for (const step of steps) if (Math.abs(step * power - value) < Math.abs(best - value)) best = step * power;
  return best;
}

/** Bucket edges in minor units of `currency`, ascending and distinct. */
export function priceBucketEdges(usdRate: number, minorExponent: number): number[] {
  const edges = USD_EDGES.map((usd) => Math.round(niceAmount(usd * usdRate) * 10 ** minorExponent));
  return [...new Set(edges)].sort((a, b) => a - b);
}

/** Digits after the decimal point (ISO 4217), matching commerce.currency_exponent(). */
export function currencyExponent(currency: string): number {
  if (["JPY", "KRW", "VND"].includes(currency)) return 0;
  if (["BHD", "KWD", "OMR"].includes(currency)) return 3;
  return 2;
}
