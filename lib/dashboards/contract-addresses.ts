// The contract addresses the app talks to on its configured chain. Same source as the indexer
// (ponder.config.ts): the deployment record named by NEOCART_DEPLOYMENT_FILE when set, else the
// generated record of NEOCART_CHAIN_ID, so the pages never send transactions to contracts the
// indexer is not following.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Address, getAddress } from "viem";
import { z } from "zod";
import { deployments } from "../contracts/deployments.ts";

export type ContractAddresses = {
  chainId: number;
  escrow: Address;
  reviews: Address;
  loyaltyPoints: Address;
  badges: Address;
  groupBuy: Address;
  stablecoin?: Address;
  /** Each contract by its name in the deployment record, with its start block (explorer page). */
  all: { name: string; address: Address; startBlock: number }[];
};

const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "a 0x address")
  .transform((a) => getAddress(a));
const recordSchema = z.object({
  chainId: z.number().int().positive(),
  contracts: z.record(z.string(), z.object({ address: addressSchema, startBlock: z.number().int().min(0) })),
});

const cache = new Map<string, ContractAddresses>();

function readRecord(chainId: number, file: string | undefined): z.output<typeof recordSchema> {
  if (file) {
    const parsed = recordSchema.safeParse(JSON.parse(readFileSync(path.resolve(file), "utf8")));
    if (!parsed.success) throw new Error(`NEOCART_DEPLOYMENT_FILE ${file} is not a deployment record; redeploy.`);
    if (parsed.data.chainId !== chainId) {
      throw new Error(
        `NEOCART_DEPLOYMENT_FILE ${file} is for chain ${parsed.data.chainId}, not NEOCART_CHAIN_ID ${chainId}.`,
      );
    }
    return parsed.data;
  }
  const generated = (deployments as Record<string, unknown>)[String(chainId)];
  if (!generated) {
    throw new Error(
      `No deployment record for chain ${chainId}: deploy the contracts and run \`npm run gen:contracts\`, or set NEOCART_DEPLOYMENT_FILE.`,
    );
  }
  return recordSchema.parse(generated);
}

/** The addresses for `chainId` (default from the environment, like the indexer). */
export function contractAddresses(
  chainId: number = Number(process.env.NEOCART_CHAIN_ID ?? 31337),
  deploymentFile: string | undefined = process.env.NEOCART_DEPLOYMENT_FILE || undefined,
): ContractAddresses {
  const key = `${chainId}:${deploymentFile ?? ""}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const record = readRecord(chainId, deploymentFile);
  const need = (name: string): Address => {
    const found = record.contracts[name]?.address;
    if (!found) throw new Error(`The deployment record of chain ${chainId} has no ${name}; redeploy the marketplace.`);
    return found;
  };
  const result: ContractAddresses = {
    chainId,
    escrow: need("Escrow"),
    reviews: need("Reviews"),
    loyaltyPoints: need("LoyaltyPoints"),
    badges: need("Badges"),
    groupBuy: need("GroupBuy"),
    stablecoin: record.contracts.TestStablecoin?.address,
    all: Object.entries(record.contracts).map(([name, c]) => ({ name, address: c.address, startBlock: c.startBlock })),
  };
  cache.set(key, result);
  return result;
}
