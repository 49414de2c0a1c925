// Converts an order total (fiat minor units) into the amount of the token the escrow takes.
//
// - ETH: through an fx_rates row between the order currency (or USD, as a cross) and "ETH", e.g.
//   (USD, ETH, 0.000285714286) meaning 1 USD = 0.000285714286 ETH, or its inverse (ETH, USD, 3500).
//   The result is wei (18 decimals), rounded half-even.
// - Stablecoin: treated as pegged 1:1 to USD; the total is converted to USD and expressed in the
//   token's decimals (6 for the local TestStablecoin, like USDC), rounded half-even.
import { type Address, zeroAddress } from "viem";
import { CommerceError } from "../pricing/errors.ts";
import type { Converter } from "../pricing/fx-rates.ts";
import type { ChainConfig } from "./chain-config.ts";

export type PaymentToken = "ETH" | "stablecoin";

export function tokenAddressOf(token: PaymentToken, chain: ChainConfig): Address {
  if (token === "ETH") return zeroAddress;
  if (!chain.stablecoin) {
    throw new CommerceError(
      "token_not_accepted",
      422,
      `No stablecoin is configured on chain ${chain.chainId}; pay in ETH.`,
    );
  }
  return chain.stablecoin;
}

/** The fiat amount in token units (wei or stablecoin units). */
export function toTokenAmount(
  convert: Converter,
  amountMinor: bigint,
  currency: string,
  token: PaymentToken,
  chain: ChainConfig,
): bigint {
  if (token === "ETH") return convert(amountMinor, currency, "ETH");
  return convert(amountMinor, currency, "USD", { toExponent: chain.stablecoinDecimals });
}
