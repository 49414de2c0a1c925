// Currencies a cart can be priced in, with their ISO 4217 minor-unit exponents, and the on-chain
// assets a quote can be paid in with their decimals. Amounts are always integers of minor units
// (cents, yen, paise, wei); the exponent says how many of them make one major unit.
import { z } from "zod";
import { UnsupportedCurrencyError } from "./errors.ts";

export const FIAT_EXPONENTS = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  INR: 2,
  CAD: 2,
  AUD: 2,
  CHF: 2,
  BRL: 2,
  MXN: 2,
  SGD: 2,
  JPY: 0,
  KRW: 0,
  KWD: 3,
} as const satisfies Record<string, number>;

export type FiatCurrency = keyof typeof FIAT_EXPONENTS;

/** Assets that only appear as conversion targets (escrow payments); "ETH" is stored in fx_rates like a currency. */
export const ASSET_DECIMALS = { ETH: 18 } as const satisfies Record<string, number>;

export const SUPPORTED_CURRENCIES = Object.keys(FIAT_EXPONENTS) as FiatCurrency[];

export function isFiatCurrency(code: string): code is FiatCurrency {
  return Object.hasOwn(FIAT_EXPONENTS, code);
}

export function assertFiatCurrency(code: string): FiatCurrency {
  if (!isFiatCurrency(code)) throw new UnsupportedCurrencyError(code, SUPPORTED_CURRENCIES);
  return code;
}

/** Minor-unit exponent of a fiat currency or decimals of an asset; undefined when unknown. */
export function exponentOf(code: string): number | undefined {
  if (isFiatCurrency(code)) return FIAT_EXPONENTS[code];
  if (Object.hasOwn(ASSET_DECIMALS, code)) return ASSET_DECIMALS[code as keyof typeof ASSET_DECIMALS];
  return undefined;
}

/** Shape check only (three letters, upper-cased); whether it is supported is a typed error of its own. */
export const currencyCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, "a three-letter ISO 4217 code such as USD")
  .transform((s) => s.toUpperCase());
