// Deploys NeoCart to the selected network (`--network localhost` by default through
// `npm run deploy:local`) and writes deployments/<chainId>.json: every contract's address and
// start block, which the indexer and the app read through lib/contracts/deployments.ts.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { network } from "hardhat";
import { type Address, getAddress, isAddress } from "viem";
import { deployMarketplace, LOCAL_DEPLOY_OPTIONS } from "./deploy/deploy-marketplace.ts";

const LOCAL_CHAIN_ID = 31337;

function addressFromEnv(name: string, fallback: Address | undefined): Address {
  const value = process.env[name];
  if (value === undefined || value === "") {
    if (fallback) return fallback;
    throw new Error(`Set ${name} to the address that should hold this role on this chain.`);
  }
  if (!isAddress(value)) throw new Error(`${name}=${value} is not an address.`);
  return getAddress(value);
}

const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const local = chainId === LOCAL_CHAIN_ID;
const wallets = await viem.getWalletClients();
// On the local chain the well-known dev accounts play each role; elsewhere every role must be named.
const dev = (i: number) => {
  const address = local ? wallets[i]?.account.address : undefined;
  return address ? getAddress(address) : undefined;
};

const roles = {
  admin: addressFromEnv("NEOCART_ADMIN", dev(0)),
  quoteSigner: addressFromEnv("NEOCART_QUOTE_SIGNER", dev(1)),
  arbiter: addressFromEnv("NEOCART_ARBITER", dev(2)),
  treasury: addressFromEnv("NEOCART_TREASURY", dev(3)),
  badgeMinter: addressFromEnv("NEOCART_BADGE_MINTER", dev(1)),
  pointsService: addressFromEnv("NEOCART_POINTS_SERVICE", dev(1)),
};

console.log(`Deploying NeoCart to ${connection.networkName} (chain ${chainId})`);
const { records } = await deployMarketplace(
  viem,
  roles,
  { ...LOCAL_DEPLOY_OPTIONS, withTestStablecoin: local },
  (line) => console.log(`  ${line}`),
);

const record = { chainId, network: connection.networkName, roles, contracts: records };
const dir = path.resolve(import.meta.dirname, "..", "deployments");
await mkdir(dir, { recursive: true });
const file = path.join(dir, `${chainId}.json`);
await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
console.log(`Wrote ${path.relative(process.cwd(), file)}`);
