// Public surface of lib/quotes.
export * from "./chain-config.ts";
export * from "./sign-escrow-quote.ts";
export * from "./sign-purchase-receipt.ts";
export * from "./signer-keys.ts";
export * from "./token-amount.ts";
