// FX conversion from commerce.fx_rates with exact rational arithmetic.
//
// A row (base, quote, rate) means 1 major unit of `base` = `rate` major units of `quote` (the
// numeric(24,12) column is read as a decimal string, never as a float). A conversion uses, in
// this order: the same currency (rate 1); a direct row; the inverse of the opposite row; or a
// cross through USD (each leg direct or inverse). The result is rounded once, at the end,
// half-even (banker's rounding) unless the caller asks for "down".
import { inArray, or } from "drizzle-orm";
import { fxRates } from "../db/schema.ts";
import { exponentOf, SUPPORTED_CURRENCIES } from "./currencies.ts";
import { MissingFxRateError, UnsupportedCurrencyError } from "./errors.ts";
import type { Executor } from "./executor.ts";
import { divideRounded, type Rounding } from "./rounding.ts";

/** An exact rate: 1 major unit of `from` = num / den major units of `to`. */
export type Rate = { num: bigint; den: bigint };

const PIVOT = "USD";

/** "83.250000000000" → 83250000000000 / 10^12, exactly. */
export function parseDecimalRate(text: string): Rate {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a positive decimal rate: ${text}`);
  const fraction = match[2] ?? "";
  const num = BigInt(`${match[1]}${fraction}`);
  if (num === 0n) throw new RangeError(`rate must be positive: ${text}`);
  return { num, den: 10n ** BigInt(fraction.length) };
}

type RateTable = Map<string, Rate>;
const key = (base: string, quote: string) => `${base}>${quote}`;

/** The rate from → to out of `table`, or undefined when no path exists. */
export function findRate(table: RateTable, from: string, to: string): Rate | undefined {
  if (from === to) return { num: 1n, den: 1n };
  const direct = table.get(key(from, to));
  if (direct) return direct;
  const inverse = table.get(key(to, from));
  if (inverse) return { num: inverse.den, den: inverse.num };
  if (from !== PIVOT && to !== PIVOT) {
    const first = findRate(table, from, PIVOT);
    const second = findRate(table, PIVOT, to);
    if (first && second) return { num: first.num * second.num, den: first.den * second.den };
  }
  return undefined;
}

/** Loads every row that can take part in a conversion between the given codes (plus the USD pivot). */
export async function loadRateTable(db: Executor, codes: readonly string[]): Promise<RateTable> {
  const wanted = [...new Set([...codes, PIVOT])];
  const rows = await db
    .select({ base: fxRates.base, quote: fxRates.quote, rate: fxRates.rate })
    .from(fxRates)
    .where(or(inArray(fxRates.base, wanted), inArray(fxRates.quote, wanted)));
  const table: RateTable = new Map();
  for (const row of rows) table.set(key(row.base, row.quote), parseDecimalRate(row.rate));
  return table;
}

function requireExponent(code: string, override?: number): number {
  const exponent = override ?? exponentOf(code);
  if (exponent === undefined) throw new UnsupportedCurrencyError(code, SUPPORTED_CURRENCIES);
  return exponent;
}

/**
 * Converts `amountMinor` minor units of `from` into minor units of `to`:
 * amount × rate × 10^exp(to) / 10^exp(from), rounded once. `toExponent` overrides the target's
 * exponent (a 6-decimal stablecoin priced as USD).
 */
export function convertWithRate(
  amountMinor: bigint,
  rate: Rate,
  fromExponent: number,
  toExponent: number,
  rounding: Rounding = "half-even",
): bigint {
  const num = amountMinor * rate.num * 10n ** BigInt(toExponent);
  const den = rate.den * 10n ** BigInt(fromExponent);
  return divideRounded(num, den, rounding);
}

export type Converter = (
  amountMinor: bigint,
  from: string,
  to: string,
  options?: { rounding?: Rounding; toExponent?: number },
) => bigint;

/** A converter over rates loaded once (one query for a whole cart). */
export async function createConverter(db: Executor, codes: readonly string[]): Promise<Converter> {
  const table = await loadRateTable(db, codes);
  return (amountMinor, from, to, options = {}) => {
    const fromExponent = requireExponent(from);
    const toExponent = requireExponent(to, options.toExponent);
    const rate = findRate(table, from, to);
    if (!rate) throw new MissingFxRateError(from, to);
    return convertWithRate(amountMinor, rate, fromExponent, toExponent, options.rounding ?? "half-even");
  };
}

/** One conversion (loads the rates it needs). */
export async function convertMinor(
  db: Executor,
  amountMinor: bigint,
  from: string,
  to: string,
  options?: { rounding?: Rounding; toExponent?: number },
): Promise<bigint> {
  const convert = await createConverter(db, [from, to]);
  return convert(amountMinor, from, to, options);
}
