// The points service: the server key that holds MINTER_ROLE and REDEEMER_ROLE on LoyaltyPoints
// (roles.pointsService in the deployment record) and burns points redeemed on fiat orders, or
// mints them back. Its private key comes from NEOCART_POINTS_SERVICE_KEY; only on the local chain
// (31337) outside production does an unset variable fall back to Hardhat's public account #1,
// which the local deployment grants both roles. Production refuses a missing key and that key.
import { type Address, getAddress, type Hex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { deployments } from "../contracts/deployments.ts";
import { CommerceError } from "../pricing/errors.ts";
import { DEV_QUOTE_SIGNER_KEY } from "../quotes/signer-keys.ts";

/** Hardhat / Anvil account #1: the local deployment's points service (public, local only). */
export const DEV_POINTS_SERVICE_KEY: Hex = DEV_QUOTE_SIGNER_KEY;
export const LOCAL_CHAIN_ID = 31337;

export class PointsServiceConfigError extends CommerceError {
  override name = "PointsServiceConfigError";
  constructor(message: string) {
    super("points_service_config", 422, message);
  }
}

export type PointsService = {
  account: PrivateKeyAccount;
  chainId: number;
  /** The LoyaltyPoints contract. */
  points: Address;
  rpcUrl: string;
};

const keySchema = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{64}$/, "a 0x-prefixed 32-byte hex private key");

/** The points service of NEOCART_CHAIN_ID (default 31337) from the environment and the deployment record. */
export function loadPointsService(env: Record<string, string | undefined> = process.env): PointsService {
  const chainId = Number(env.NEOCART_CHAIN_ID ?? LOCAL_CHAIN_ID);
  const production = env.NODE_ENV === "production";
  const raw = env.NEOCART_POINTS_SERVICE_KEY?.trim();
  let key: Hex;
  if (!raw) {
    if (production || chainId !== LOCAL_CHAIN_ID) {
      throw new PointsServiceConfigError(
        "NEOCART_POINTS_SERVICE_KEY is not set; set it to the key of the address holding MINTER_ROLE and REDEEMER_ROLE on LoyaltyPoints (roles.pointsService).",
      );
    }
    key = DEV_POINTS_SERVICE_KEY;
  } else {
    const parsed = keySchema.safeParse(raw);
    if (!parsed.success) {
      throw new PointsServiceConfigError("NEOCART_POINTS_SERVICE_KEY is not a 0x-prefixed 32-byte hex private key.");
    }
    key = parsed.data as Hex;
    if (production && key.toLowerCase() === DEV_POINTS_SERVICE_KEY) {
      throw new PointsServiceConfigError(
        "NEOCART_POINTS_SERVICE_KEY holds the public Hardhat dev key; use a private key in production.",
      );
    }
  }
  const record = (deployments as Record<string, { contracts: Record<string, { address: Address }> }>)[String(chainId)];
  const points = env.NEOCART_POINTS_ADDRESS ?? record?.contracts.LoyaltyPoints?.address;
  if (!points || !/^0x[0-9a-fA-F]{40}$/.test(points)) {
    throw new PointsServiceConfigError(
      `No LoyaltyPoints deployment on chain ${chainId}; deploy it or set NEOCART_POINTS_ADDRESS.`,
    );
  }
  const rpcUrl = env.NEOCART_RPC_URL ?? (chainId === LOCAL_CHAIN_ID ? "http://127.0.0.1:8545" : undefined);
  if (!rpcUrl) throw new PointsServiceConfigError(`Set NEOCART_RPC_URL: chain ${chainId} has no default endpoint.`);
  return { account: privateKeyToAccount(key), chainId, points: getAddress(points), rpcUrl };
}
