// Public surface of lib/pricing.
export * from "./currencies.ts";
export * from "./errors.ts";
export type { Executor } from "./executor.ts";
export * from "./fx-rates.ts";
export * from "./parse-input.ts";
export * from "./price-cart.ts";
export * from "./pricing-rules.ts";
export * from "./rounding.ts";
