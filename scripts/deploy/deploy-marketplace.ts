// Deploys every NeoCart contract, wires the roles between them and returns each contract with
// the block it was deployed in (the indexer starts there). Used by the deploy script, the dev
// orchestrator, the gas benchmark and the deployment test, so all of them run the same wiring.
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { Address, Hex } from "viem";
import type { MarketplaceContract } from "./contract-names.ts";

export type DeployRoles = {
  /** Default admin of every contract (a multisig in production). */
  admin: Address;
  /** Receives platform fees. */
  treasury: Address;
  /** The app server's key that signs checkout quotes and fiat purchase receipts. */
  quoteSigner: Address;
  /** Resolves disputes. */
  arbiter: Address;
  /** Awards activity badges from indexed facts (the app's badge service). */
  badgeMinter: Address;
  /** The app's points service: mints earned points (referrals) and burns points redeemed on fiat orders. */
  pointsService: Address;
};

export type DeployOptions = {
  /** Seconds an admin transfer waits before it can be accepted (two-step, E10). */
  adminDelay: number;
  /** Seconds the arbiter has to resolve a dispute before anyone can refund the buyer. */
  arbitrationWindow: number;
  /** Platform fee on settled group-buy pledges, in basis points. */
  groupBuyFeeBps: number;
  badgeBaseUri: string;
  /** Deploy the local test stablecoin and accept it in the escrow (local chains only). */
  withTestStablecoin: boolean;
};

export const LOCAL_DEPLOY_OPTIONS: DeployOptions = {
  adminDelay: 86_400,
  arbitrationWindow: 7 * 86_400,
  groupBuyFeeBps: 250,
  badgeBaseUri: "http://127.0.0.1:3000/api/badges/",
  withTestStablecoin: true,
};

export type DeployedContract = { address: Address; startBlock: number };

export async function deployMarketplace(
  viem: HardhatViemHelpers,
  roles: DeployRoles,
  options: DeployOptions,
  log: (line: string) => void = () => {},
) {
  const publicClient = await viem.getPublicClient();
  const [deployer] = await viem.getWalletClients();
  if (!deployer) throw new Error("No deployer account is configured for this network.");
  if (deployer.account.address.toLowerCase() !== roles.admin.toLowerCase()) {
    // Wiring needs admin rights, so the deployer administers first and hands over at the end.
    log(`deployer ${deployer.account.address} wires roles, then proposes ${roles.admin} as admin`);
  }
  const records = {} as Record<MarketplaceContract, DeployedContract>;

  async function deploy<const N extends MarketplaceContract>(
    name: N,
    args: Parameters<typeof viem.sendDeploymentTransaction<N>>[1],
  ) {
    const { contract, deploymentTransaction } = await viem.sendDeploymentTransaction(name, args);
    const receipt = await publicClient.waitForTransactionReceipt({ hash: deploymentTransaction.hash });
    if (receipt.status !== "success") throw new Error(`Deploying ${name} reverted`);
    records[name] = { address: contract.address, startBlock: Number(receipt.blockNumber) };
    log(`${name.padEnd(15)} ${contract.address}  block ${receipt.blockNumber}`);
    return contract;
  }

  async function send(what: string, hash: Promise<`0x${string}`>) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted`);
  }

  const self = deployer.account.address;
  const delay = options.adminDelay;
  const points = await deploy("LoyaltyPoints", [self, delay]);
  const badges = await deploy("Badges", [self, delay, options.badgeBaseUri]);
  const escrow = await deploy("Escrow", [self, delay, roles.treasury, points.address, options.arbitrationWindow]);
  const reviews = await deploy("Reviews", [self, delay, escrow.address]);
  const groupBuy = await deploy("GroupBuy", [delay, self, escrow.address, badges.address, options.groupBuyFeeBps]);

  await send(
    "points: escrow may mint cashback",
    points.write.grantRole([await points.read.MINTER_ROLE(), escrow.address]),
  );
  await send(
    "points: escrow may burn redeemed points",
    points.write.grantRole([await points.read.REDEEMER_ROLE(), escrow.address]),
  );
  await send(
    "badges: group buy awards organiser badges",
    badges.write.grantRole([await badges.read.MINTER_ROLE(), groupBuy.address]),
  );
  await send("badges: badge service", badges.write.grantRole([await badges.read.MINTER_ROLE(), roles.badgeMinter]));
  await send(
    "escrow: quote signer",
    escrow.write.grantRole([await escrow.read.QUOTE_SIGNER_ROLE(), roles.quoteSigner]),
  );
  await send("escrow: arbiter", escrow.write.grantRole([await escrow.read.ARBITER_ROLE(), roles.arbiter]));
  await send("escrow: pauser", escrow.write.grantRole([await escrow.read.PAUSER_ROLE(), roles.admin]));
  await send(
    "escrow: group buy opens pool orders",
    escrow.write.grantRole([await escrow.read.POOL_ROLE(), groupBuy.address]),
  );
  await send(
    "reviews: receipt signer",
    reviews.write.grantRole([await reviews.read.RECEIPT_SIGNER_ROLE(), roles.quoteSigner]),
  );
  await send("group buy: pauser", groupBuy.write.grantRole([await groupBuy.read.PAUSER_ROLE(), roles.admin]));

  let stablecoin: Awaited<ReturnType<typeof deploy<"TestStablecoin">>> | undefined;
  if (options.withTestStablecoin) {
    stablecoin = await deploy("TestStablecoin", []);
    await send("escrow: accept the test stablecoin", escrow.write.setTokenAccepted([stablecoin.address, true]));
    await send("group buy: accept the test stablecoin", groupBuy.write.setTokenAccepted([stablecoin.address, true]));
  }

  // Granted after every deployment, so adding them kept the contracts' (nonce-derived) addresses.
  await send(
    "points: points service mints earned points",
    points.write.grantRole([await points.read.MINTER_ROLE(), roles.pointsService]),
  );
  await send(
    "points: points service burns points redeemed on fiat orders",
    points.write.grantRole([await points.read.REDEEMER_ROLE(), roles.pointsService]),
  );

  if (self.toLowerCase() !== roles.admin.toLowerCase()) {
    // Every marketplace contract shares AccessControlDefaultAdminRules' two-step transfer.
    type AdminRules = { write: { beginDefaultAdminTransfer: (args: readonly [Address]) => Promise<Hex> } };
    for (const c of [points, badges, escrow, reviews, groupBuy] as unknown as AdminRules[]) {
      await send(`propose ${roles.admin} as admin`, c.write.beginDefaultAdminTransfer([roles.admin]));
    }
    log(`admin transfer proposed: ${roles.admin} accepts with acceptDefaultAdminTransfer() after ${delay}s`);
  }

  return { records, contracts: { points, badges, escrow, reviews, groupBuy, stablecoin } };
}
