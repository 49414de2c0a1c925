// Ponder configuration of the NeoCart indexer (its root is indexer/, which re-exports this file).
// Chain and RPC URL come from the environment (NEOCART_CHAIN_ID, default 31337 — the local Hardhat
// chain — and NEOCART_RPC_URL, default http://127.0.0.1:8545); addresses and start blocks come
// from the deployment record (deployments/<chainId>.json or NEOCART_DEPLOYMENT_FILE), never by hand.
import { createConfig } from "ponder";
import { type IndexedContract, IndexerConfigError, loadIndexerSettings } from "./indexer/lib/settings.ts";
import {
  badgesAbi,
  escrowAbi,
  groupBuyAbi,
  loyaltyPointsAbi,
  reviewsAbi,
  testStablecoinAbi,
} from "./lib/contracts/abis.ts";

const settings = loadIndexerSettings();
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  throw new IndexerConfigError(
    "DATABASE_URL is not set. Start the indexer with `npm run indexer` (it starts the embedded " +
      "PostgreSQL under .neocart/) or point DATABASE_URL at a PostgreSQL server.",
  );
}

const chain = settings.chainName;
const source = <const A>(abi: A, name: IndexedContract) => {
  const deployed = settings.contracts[name];
  if (!deployed) return undefined;
  return { chain, abi, address: deployed.address, startBlock: deployed.startBlock };
};
// loadIndexerSettings already refused records without these; this only narrows the type.
const required = <const A>(abi: A, name: IndexedContract) => {
  const found = source(abi, name);
  if (!found) throw new IndexerConfigError(`The deployment record has no ${name}; redeploy the whole marketplace.`);
  return found;
};

const stablecoin = source(testStablecoinAbi, "TestStablecoin");

const contracts = {
  LoyaltyPoints: required(loyaltyPointsAbi, "LoyaltyPoints"),
  Badges: required(badgesAbi, "Badges"),
  Escrow: required(escrowAbi, "Escrow"),
  Reviews: required(reviewsAbi, "Reviews"),
  GroupBuy: required(groupBuyAbi, "GroupBuy"),
  // Local chains only: the test stablecoin's transfers and balances. Typed as present so its
  // handlers type-check; removed below where the record has no stablecoin.
  TestStablecoin: stablecoin ?? required(testStablecoinAbi, "Escrow"),
};
if (!stablecoin) delete (contracts as Partial<typeof contracts>).TestStablecoin;

export default createConfig({
  database: { kind: "postgres", connectionString: databaseUrl },
  ordering: "multichain",
  chains: {
    [chain]: {
      id: settings.chainId,
      rpc: settings.rpcUrl,
      pollingInterval: settings.pollingInterval,
      disableCache: settings.disableCache,
    },
  },
  contracts,
});
