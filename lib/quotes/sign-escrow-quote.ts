// Signs an escrow checkout quote (EIP-712, the exact Quote/Order types and domain of
// lib/contracts/typed-data.ts, which the Escrow verifies) and recovers its signer.
import { type Address, getAddress, type Hex, recoverTypedDataAddress } from "viem";
import { z } from "zod";
import { type EscrowQuote, escrowDomain, quoteTypes } from "../contracts/typed-data.ts";
import { parseInput } from "../pricing/parse-input.ts";
import type { ChainConfig } from "./chain-config.ts";
import type { QuoteSigners } from "./signer-keys.ts";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((a) => getAddress(a));
const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/)
  .transform((h) => h.toLowerCase() as Hex);
const uint = (max: bigint) => z.bigint().min(0n).max(max);
const UINT256_MAX = 2n ** 256n - 1n;

export const escrowQuoteSchema = z
  .object({
    orderId: bytes32,
    order: z
      .object({
        buyer: address,
        seller: address,
        token: address,
        amount: uint(UINT256_MAX).refine((v) => v > 0n, "must be positive"),
        fee: uint(UINT256_MAX),
        affiliate: address,
        affiliateBps: z.number().int().min(0).max(10_000),
        cashback: uint(UINT256_MAX),
        productId: bytes32,
        deliveryWindow: z
          .number()
          .int()
          .min(1)
          .max(2 ** 32 - 1),
      })
      .strict()
      .refine((o) => o.fee <= o.amount, "fee must not exceed amount"),
    pointsToRedeem: uint(UINT256_MAX),
    expiry: uint(2n ** 64n - 1n),
  })
  .strict();

export type SignedQuote = { quote: EscrowQuote; signature: Hex; signer: Address };

export async function signEscrowQuote(
  signers: QuoteSigners,
  chain: ChainConfig,
  quote: EscrowQuote,
): Promise<SignedQuote> {
  const message = parseInput(escrowQuoteSchema, quote, "escrow quote") as EscrowQuote;
  const signature = await signers.active.signTypedData({
    domain: escrowDomain(chain.chainId, chain.escrow),
    types: quoteTypes,
    primaryType: "Quote",
    message,
  });
  return { quote: message, signature, signer: signers.active.address };
}

/** The address that signed `quote` for this chain and escrow (compare with the configured signers). */
export function recoverQuoteSigner(chain: ChainConfig, quote: EscrowQuote, signature: Hex): Promise<Address> {
  return recoverTypedDataAddress({
    domain: escrowDomain(chain.chainId, chain.escrow),
    types: quoteTypes,
    primaryType: "Quote",
    message: quote,
    signature,
  });
}
