// Local chain setup for dev, tests and benchmarks, run with
//   hardhat run --network localhost scripts/seed-chain.ts
// NEOCART_SEED_DEPLOY=1 deploys the marketplace first (scripts/deploy/deploy-marketplace.ts, the
// same wiring as scripts/deploy.ts, dev accounts in every role) and writes the deployment record
// to NEOCART_DEPLOYMENT_FILE (default deployments/<chainId>.json). NEOCART_SEED=demo (default)
// then adds a little activity — a few orders in different states, reviews, a group buy — once:
// a second run on the same chain finds the demo orders and does nothing.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { network } from "hardhat";
import { getAddress, parseEther } from "viem";
import { escrowAbi } from "../lib/contracts/abis.ts";
import { deployMarketplace, LOCAL_DEPLOY_OPTIONS } from "./deploy/deploy-marketplace.ts";
import { demoProducts, demoReviews } from "./seed/demo-activity.ts";
import {
  connectMarketplace,
  contentHashOf,
  orderIdOf,
  productIdOf,
  readDeploymentRecord,
} from "./seed/marketplace-driver.ts";

const root = path.resolve(import.meta.dirname, "..");
const connection = await network.create();
const { viem } = connection;
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
if (chainId !== 31337) throw new Error(`seed-chain only seeds the local chain (31337), not chain ${chainId}.`);
const recordFile = path.resolve(
  process.env.NEOCART_DEPLOYMENT_FILE || path.join(root, "deployments", `${chainId}.json`),
);

if (process.env.NEOCART_SEED_DEPLOY === "1") {
  const wallets = await viem.getWalletClients();
  const dev = (i: number) => getAddress(wallets[i]?.account.address ?? "");
  const roles = {
    admin: dev(0),
    quoteSigner: dev(1),
    arbiter: dev(2),
    treasury: dev(3),
    badgeMinter: dev(1),
    pointsService: dev(1),
  };
  const { records } = await deployMarketplace(viem, roles, { ...LOCAL_DEPLOY_OPTIONS, withTestStablecoin: true });
  const record = { chainId, network: connection.networkName, roles, contracts: records };
  await mkdir(path.dirname(recordFile), { recursive: true });
  await writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`deployed; record written to ${path.relative(root, recordFile)}`);
}

if ((process.env.NEOCART_SEED ?? "demo") === "demo") {
  const rpcUrl = process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545";
  const d = await connectMarketplace(rpcUrl, readDeploymentRecord(recordFile));
  const [, , , , buyer, seller, affiliate, buyer2, seller2, p1, p2] = d.accounts;
  if (!buyer || !seller || !affiliate || !buyer2 || !seller2 || !p1 || !p2)
    throw new Error("the node needs 11 accounts");
  const first = orderIdOf("demo-1");
  const [state] = (await d.publicClient.readContract({
    address: d.contracts.Escrow.address,
    abi: escrowAbi,
    functionName: "orderState",
    args: [first],
  })) as readonly [number, number];
  if (state !== 0) {
    console.log("demo activity already on this chain; nothing to do");
  } else {
    const m = d.mined;
    const phone = productIdOf(demoProducts.phone);
    const lamp = productIdOf(demoProducts.lamp);
    const [phoneReview, lampReview] = demoReviews;
    const o1 = d.order({
      buyer,
      seller,
      amount: parseEther("0.3"),
      affiliate,
      affiliateBps: 500,
      cashback: parseEther("3"),
      productId: phone,
    });
    await m(d.checkout(first, o1));
    await m(d.ship(first, o1));
    await m(d.confirm(first, o1));
    await m(d.review(buyer, first, phone, phoneReview.rating, contentHashOf(phoneReview.text)));
    const o2 = d.order({ buyer: buyer2, seller, amount: parseEther("0.1"), productId: phone });
    await m(d.checkout(orderIdOf("demo-2"), o2));
    await m(d.ship(orderIdOf("demo-2"), o2));
    const o3 = d.order({
      buyer: buyer2,
      seller: seller2,
      amount: parseEther("0.2"),
      productId: lamp,
    });
    await m(d.checkout(orderIdOf("demo-3"), o3));
    await m(
      d.reviewWithReceipt(
        buyer2,
        orderIdOf(lampReview.orderLabel),
        lamp,
        lampReview.rating,
        contentHashOf(lampReview.text),
      ),
    );
    const deadline = (await d.now()) + 14n * 86_400n;
    await m(
      d.openPool(seller2, {
        productId: productIdOf(demoProducts.kettle),
        unitPrice: parseEther("0.05"),
        minUnits: 5,
        maxUnits: 50,
        deadline,
      }),
    );
    await m(d.pledge(p1, 1n, 2, parseEther("0.1")));
    await m(d.pledge(p2, 1n, 1, parseEther("0.05")));
    console.log("seeded demo activity: 3 orders (completed, shipped, paid), 2 reviews, 1 group buy with 2 pledges");
  }
}
