// Minor units ↔ the decimal strings some provider APIs use ("12.34"). The exponent per currency
// follows ISO 4217; crypto assets priced like USD (USDC) use 2 as the Coinbase API does. Also
// whether a paid amount settles an order, shared by first payments and subscription renewals.
import { WebhookRejectedError } from "./errors.ts";

const ZERO_DECIMALS = new Set([
  "BIF",
  "CLP",
  "DJF",
  "GNF",
  "ISK",
  "JPY",
  "KMF",
  "KRW",
  "PYG",
  "RWF",
  "UGX",
  "VND",
  "VUV",
  "XAF",
  "XOF",
  "XPF",
]);
const THREE_DECIMALS = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMALS.has(code)) return 0;
  if (THREE_DECIMALS.has(code)) return 3;
  return 2;
}

export function minorToDecimal(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return minor.toString();
  const sign = minor < 0n ? "-" : "";
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, "0");
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** "12.3" → 1230n for USD. More decimals than the currency has is refused, never rounded. */
export function decimalToMinor(amount: string | number, currency: string): bigint {
  const text = typeof amount === "number" ? amount.toString() : amount.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new WebhookRejectedError(`Amount "${text}" is not a decimal number.`);
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) {
    throw new WebhookRejectedError(`Amount "${text}" has more decimals than ${currency} allows.`);
  }
  return BigInt(match[1] + fraction.padEnd(exponent, "0"));
}

/** Why a paid amount does not settle the order, or undefined when it does. */
export function amountMismatch(
  paid: { amountMinor?: bigint; currency?: string },
  order: { totalMinor: bigint; currency: string },
): string | undefined {
  if (paid.amountMinor === undefined || paid.currency === undefined) {
    return "the provider did not report the paid amount and currency";
  }
  const problems: string[] = [];
  if (paid.currency !== order.currency.toUpperCase()) {
    problems.push(`currency ${paid.currency} ≠ order currency ${order.currency}`);
  }
  if (paid.amountMinor !== order.totalMinor) {
    problems.push(`amount ${paid.amountMinor} ≠ order total ${order.totalMinor}`);
  }
  return problems.length ? problems.join("; ") : undefined;
}
