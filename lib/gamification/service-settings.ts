// The rewards service's settings and keys, from the environment, checked once. The service keys
// mint points (LoyaltyPoints MINTER_ROLE, held by `roles.pointsService`) and award badges (Badges
// MINTER_ROLE, held by `roles.badgeMinter`). As with the quote signer (lib/quotes/signer-keys.ts),
// Hardhat's public account #1 stands in for both only on the local chain outside production.
import type { Hex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { DEFAULT_VIEWS_SCHEMA } from "../chain/views.ts";
import { DEV_QUOTE_SIGNER_KEY } from "../quotes/signer-keys.ts";

/** Hardhat / Anvil account #1: the local deployment's points service and badge minter. */
export const DEV_REWARDS_KEY: Hex = DEV_QUOTE_SIGNER_KEY;
export const LOCAL_CHAIN_ID = 31337;

export class RewardsConfigError extends Error {
  override name = "RewardsConfigError";
}

const keySchema = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, "is not set: point it at the commerce database (npm run db prints it)"),
  NEOCART_CHAIN_ID: z.coerce.number().int().positive().default(LOCAL_CHAIN_ID),
  NEOCART_RPC_URL: z.url().default("http://127.0.0.1:8545"),
  NEOCART_DEPLOYMENT_FILE: z.string().min(1).optional(),
  NEOCART_VIEWS_SCHEMA: z.string().min(1).default(DEFAULT_VIEWS_SCHEMA),
  NEOCART_POINTS_SERVICE_KEY: keySchema.optional(),
  NEOCART_BADGE_MINTER_KEY: keySchema.optional(),
  /** Blocks a fact must be buried under before it is rewarded (default 0 locally, 30 elsewhere). */
  NEOCART_REWARDS_CONFIRMATIONS: z.coerce.number().int().min(0).max(10_000).optional(),
  /** Seconds between passes in loop mode. */
  NEOCART_REWARDS_INTERVAL_SECONDS: z.coerce.number().positive().max(86_400).default(15),
  NODE_ENV: z.string().optional(),
});

export type RewardsSettings = {
  databaseUrl: string;
  chainId: number;
  rpcUrl: string;
  deploymentFile: string | undefined;
  viewsSchema: string;
  pointsSigner: PrivateKeyAccount;
  badgeSigner: PrivateKeyAccount;
  confirmations: number;
  intervalSeconds: number;
};

function serviceKey(
  name: "NEOCART_POINTS_SERVICE_KEY" | "NEOCART_BADGE_MINTER_KEY",
  value: string | undefined,
  chainId: number,
  production: boolean,
): PrivateKeyAccount {
  if (!value) {
    if (chainId !== LOCAL_CHAIN_ID || production) {
      throw new RewardsConfigError(
        `${name} is not set; set it to the private key of the account holding the role on chain ${chainId}.`,
      );
    }
    return privateKeyToAccount(DEV_REWARDS_KEY);
  }
  if (production && value.toLowerCase() === DEV_REWARDS_KEY) {
    throw new RewardsConfigError(`${name} holds the public Hardhat dev key; use a private key in production.`);
  }
  return privateKeyToAccount(value as Hex);
}

export function loadRewardsSettings(env: Record<string, string | undefined> = process.env): RewardsSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new RewardsConfigError(
      `The rewards service's settings are invalid: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; ")}`,
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  return {
    databaseUrl: e.DATABASE_URL,
    chainId: e.NEOCART_CHAIN_ID,
    rpcUrl: e.NEOCART_RPC_URL,
    deploymentFile: e.NEOCART_DEPLOYMENT_FILE,
    viewsSchema: e.NEOCART_VIEWS_SCHEMA,
    pointsSigner: serviceKey(
      "NEOCART_POINTS_SERVICE_KEY",
      e.NEOCART_POINTS_SERVICE_KEY,
      e.NEOCART_CHAIN_ID,
      production,
    ),
    badgeSigner: serviceKey("NEOCART_BADGE_MINTER_KEY", e.NEOCART_BADGE_MINTER_KEY, e.NEOCART_CHAIN_ID, production),
    confirmations: e.NEOCART_REWARDS_CONFIRMATIONS ?? (e.NEOCART_CHAIN_ID === LOCAL_CHAIN_ID ? 0 : 30),
    intervalSeconds: e.NEOCART_REWARDS_INTERVAL_SECONDS,
  };
}
