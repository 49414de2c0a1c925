// Where the indexer reads its chain, RPC and contract addresses from. Addresses and start blocks
// always come from a deployment record (deployments/<chainId>.json, written by scripts/deploy.ts),
// never from hand-copied constants; the chain and the RPC URL come from the environment.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, getAddress, isAddress } from "viem";

/** Chains NeoCart knows how to index. Anything else is refused at start. */
export const SUPPORTED_CHAINS = {
  31337: { name: "local", defaultRpc: "http://127.0.0.1:8545", local: true },
  84532: { name: "baseSepolia", defaultRpc: undefined, local: false },
  8453: { name: "base", defaultRpc: undefined, local: false },
} as const satisfies Record<number, { name: string; defaultRpc: string | undefined; local: boolean }>;

export type SupportedChainId = keyof typeof SUPPORTED_CHAINS;

/** Contracts the indexer follows; TestStablecoin only where the record has it (local chains). */
export const INDEXED_CONTRACTS = [
  "LoyaltyPoints",
  "Badges",
  "Escrow",
  "Reviews",
  "GroupBuy",
  "TestStablecoin",
] as const;
export type IndexedContract = (typeof INDEXED_CONTRACTS)[number];
const REQUIRED_CONTRACTS: readonly IndexedContract[] = ["LoyaltyPoints", "Badges", "Escrow", "Reviews", "GroupBuy"];

/** A configuration problem the operator must fix before the indexer can start. */
export class IndexerConfigError extends Error {
  override name = "IndexerConfigError";
}

export type ContractSource = { address: Address; startBlock: number };

export type IndexerSettings = {
  chainId: SupportedChainId;
  chainName: string;
  rpcUrl: string;
  pollingInterval: number;
  /** Local chains are recreated on every start, so their RPC responses must not be cached. */
  disableCache: boolean;
  deploymentFile: string;
  contracts: Partial<Record<IndexedContract, ContractSource>>;
};

// (import.meta.url rather than import.meta.dirname: Ponder loads this file through vite-node.)
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

function parseChainId(raw: string): SupportedChainId {
  const id = Number(raw);
  if (!Number.isInteger(id) || !(id in SUPPORTED_CHAINS)) {
    const known = Object.entries(SUPPORTED_CHAINS)
      .map(([k, v]) => `${k} (${v.name})`)
      .join(", ");
    throw new IndexerConfigError(
      `Unknown chain id "${raw}" in NEOCART_CHAIN_ID: the indexer supports ${known}. ` +
        "Set NEOCART_CHAIN_ID to one of them (31337 is the local Hardhat chain).",
    );
  }
  return id as SupportedChainId;
}

function readRecord(file: string, chainId: number): Record<string, unknown> {
  if (!existsSync(file)) {
    throw new IndexerConfigError(
      `No deployment record for chain ${chainId}: ${file} does not exist. Deploy the contracts first ` +
        "(`npm run deploy:local` for the local chain), or point NEOCART_DEPLOYMENT_FILE at the record.",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new IndexerConfigError(
      `Deployment record ${file} is not valid JSON (${(error as Error).message}); redeploy to rewrite it.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new IndexerConfigError(`Deployment record ${file} is not an object.`);
  return parsed as Record<string, unknown>;
}

function parseContracts(file: string, record: Record<string, unknown>, chainId: number) {
  if (record.chainId !== chainId) {
    throw new IndexerConfigError(
      `Deployment record ${file} is for chain ${String(record.chainId)}, not chain ${chainId}; use the record of the chain you index.`,
    );
  }
  const entries = record.contracts;
  if (typeof entries !== "object" || entries === null) {
    throw new IndexerConfigError(`Deployment record ${file} has no "contracts" object; redeploy to rewrite it.`);
  }
  const contracts: Partial<Record<IndexedContract, ContractSource>> = {};
  for (const name of INDEXED_CONTRACTS) {
    const entry = (entries as Record<string, unknown>)[name] as { address?: unknown; startBlock?: unknown } | undefined;
    if (entry === undefined) {
      if (REQUIRED_CONTRACTS.includes(name)) {
        throw new IndexerConfigError(`Deployment record ${file} has no ${name}; redeploy the whole marketplace.`);
      }
      continue;
    }
    if (typeof entry.address !== "string" || !isAddress(entry.address)) {
      throw new IndexerConfigError(`Deployment record ${file}: ${name}.address is not an address.`);
    }
    if (typeof entry.startBlock !== "number" || !Number.isInteger(entry.startBlock) || entry.startBlock < 0) {
      throw new IndexerConfigError(`Deployment record ${file}: ${name}.startBlock must be a block number.`);
    }
    contracts[name] = { address: getAddress(entry.address), startBlock: entry.startBlock };
  }
  return contracts;
}

/** Reads and checks the indexer's settings; throws IndexerConfigError with what to fix. */
export function loadIndexerSettings(env: NodeJS.ProcessEnv = process.env): IndexerSettings {
  const chainId = parseChainId(env.NEOCART_CHAIN_ID ?? "31337");
  const chain = SUPPORTED_CHAINS[chainId];
  const rpcUrl = env.NEOCART_RPC_URL || env[`PONDER_RPC_URL_${chainId}`] || chain.defaultRpc;
  if (!rpcUrl) {
    throw new IndexerConfigError(`No RPC URL for chain ${chainId} (${chain.name}): set NEOCART_RPC_URL.`);
  }
  const pollingInterval = Number(env.NEOCART_POLLING_MS ?? (chain.local ? 100 : 1000));
  if (!Number.isInteger(pollingInterval) || pollingInterval < 100) {
    throw new IndexerConfigError(
      `NEOCART_POLLING_MS must be an integer >= 100 (milliseconds), got "${env.NEOCART_POLLING_MS}".`,
    );
  }
  const deploymentFile = path.resolve(
    env.NEOCART_DEPLOYMENT_FILE || path.join(repoRoot, "deployments", `${chainId}.json`),
  );
  const contracts = parseContracts(deploymentFile, readRecord(deploymentFile, chainId), chainId);
  return {
    chainId,
    chainName: chain.name,
    rpcUrl,
    pollingInterval,
    disableCache: chain.local,
    deploymentFile,
    contracts,
  };
}
