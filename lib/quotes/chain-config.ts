// Where quotes and receipts are valid: the chain id and the contract addresses that go into the
// EIP-712 domains (a quote signed for one chain or contract is refused by every other).
import { type Address, getAddress } from "viem";
import { z } from "zod";
import { deployments } from "../contracts/deployments.ts";
import { CommerceError } from "../pricing/errors.ts";
import { parseInput } from "../pricing/parse-input.ts";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "a 0x address")
  .transform((a) => getAddress(a));

export const chainConfigSchema = z
  .object({
    chainId: z.number().int().positive(),
    escrow: address,
    reviews: address,
    /** The accepted stablecoin (6 decimals, pegged 1:1 to USD), if any. */
    stablecoin: address.optional(),
    stablecoinDecimals: z.number().int().min(0).max(36).default(6),
  })
  .strict();
export type ChainConfig = z.output<typeof chainConfigSchema>;
export type ChainConfigInput = z.input<typeof chainConfigSchema>;

/** The given config, or the generated deployment record of `chainId` (default: NEOCART_CHAIN_ID or 31337). */
export function resolveChainConfig(
  input?: ChainConfigInput,
  env: Record<string, string | undefined> = process.env,
): ChainConfig {
  if (input) return parseInput(chainConfigSchema, input, "chain config");
  const chainId = env.NEOCART_CHAIN_ID ?? "31337";
  const record = (deployments as Record<string, { contracts: Record<string, { address: Address }> }>)[chainId];
  const escrow = record?.contracts.Escrow?.address;
  const reviews = record?.contracts.Reviews?.address;
  if (!escrow || !reviews) {
    throw new CommerceError(
      "unknown_chain",
      422,
      `No deployment of the Escrow and Reviews contracts on chain ${chainId}; deploy them or pass the addresses.`,
    );
  }
  return parseInput(
    chainConfigSchema,
    { chainId: Number(chainId), escrow, reviews, stablecoin: record.contracts.TestStablecoin?.address },
    "chain config",
  );
}
