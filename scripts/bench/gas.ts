// `npm run bench:gas`: receipt gas (21,000 base included) of every user action on the
// in-process Hardhat network, against the budgets of issue #2, plus deployed bytecode sizes.
// Prints a table and writes bench/gas.json.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import hre, { network } from "hardhat";
import { type Address, type Hex, keccak256, parseEther, parseSignature, parseUnits, toHex, zeroAddress } from "viem";
import { type EscrowQuote, escrowDomain, quoteTypes } from "../../lib/contracts/typed-data.ts";
import { MARKETPLACE_CONTRACTS } from "../deploy/contract-names.ts";
import { deployMarketplace, LOCAL_DEPLOY_OPTIONS } from "../deploy/deploy-marketplace.ts";

const BYTECODE_GOAL = 20 * 1024;
const DAY = 86_400;

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const chainId = await publicClient.getChainId();
const wallets = await viem.getWalletClients();
const walletAt = (i: number) => {
  const w = wallets[i];
  if (!w) throw new Error("The in-process network needs at least 8 accounts");
  return w;
};
const [admin, quoteSigner, arbiter, treasury, seller, buyer, affiliate, buyer2] = [
  walletAt(0),
  walletAt(1),
  walletAt(2),
  walletAt(3),
  walletAt(4),
  walletAt(5),
  walletAt(6),
  walletAt(7),
];

const { contracts } = await deployMarketplace(
  viem,
  {
    admin: admin.account.address,
    treasury: treasury.account.address,
    quoteSigner: quoteSigner.account.address,
    arbiter: arbiter.account.address,
    badgeMinter: quoteSigner.account.address,
    pointsService: quoteSigner.account.address,
  },
  LOCAL_DEPLOY_OPTIONS,
);
const { escrow, reviews, groupBuy, points } = contracts;
const stable =
  contracts.stablecoin ??
  (() => {
    throw new Error("the bench needs the test stablecoin");
  })();

type Row = { action: string; gas: number; budget?: number; note?: string };
const rows: Row[] = [];

async function measure(action: string, hash: Promise<Hex>, budget?: number, note?: string) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error(`${action} reverted`);
  const row: Row = { action, gas: Number(receipt.gasUsed) };
  if (budget !== undefined) row.budget = budget;
  if (note !== undefined) row.note = note;
  rows.push(row);
  return receipt;
}

async function ok(hash: Promise<Hex>) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error("setup transaction reverted");
}

let orderCounter = 0;
async function quoteFor(from: Address, token: Address, amount: bigint, productId: Hex, expiryIn = 3600) {
  const latest = await publicClient.getBlock();
  const quote: EscrowQuote = {
    orderId: keccak256(toHex(`bench-order-${++orderCounter}`)),
    order: {
      buyer: from,
      seller: seller.account.address,
      token,
      amount,
      fee: (amount * 250n) / 10_000n,
      affiliate: affiliate.account.address,
      affiliateBps: 500,
      cashback: 10n ** 18n,
      productId,
      deliveryWindow: 3 * DAY,
    },
    pointsToRedeem: 0n,
    expiry: latest.timestamp + BigInt(expiryIn),
  };
  const signature = await quoteSigner.signTypedData({
    domain: escrowDomain(chainId, escrow.address),
    types: quoteTypes,
    primaryType: "Quote",
    message: quote,
  });
  return { quote, signature };
}

async function permitFor(owner: typeof buyer, amount: bigint) {
  const deadline = (await publicClient.getBlock()).timestamp + 3600n;
  const nonce = await stable.read.nonces([owner.account.address]);
  const signature = await owner.signTypedData({
    domain: { name: "NeoCart Test USD", version: "1", chainId, verifyingContract: stable.address },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner: owner.account.address, spender: escrow.address, value: amount, nonce, deadline },
  });
  const { v, r, s } = parseSignature(signature);
  return { deadline, v: Number(v), r, s };
}

const asBuyer = { account: buyer.account };
const asSeller = { account: seller.account };
const productA = keccak256(toHex("bench-product-a"));

// Warm-up sale so seller, treasury, affiliate and buyer already hold credits and points, as they
// do in steady operation; the cold first-ever figures are measured separately below.
async function sellEth(from: typeof buyer, amount: bigint, product: Hex, label?: string) {
  const { quote, signature } = await quoteFor(from.account.address, zeroAddress, amount, product);
  const pay = escrow.write.checkout([quote, signature], { account: from.account, value: amount });
  if (label) await measure(label, pay, 70_000);
  else await ok(pay);
  return quote;
}

const first = await sellEth(buyer, parseEther("1"), productA);
await ok(escrow.write.markShipped([first.orderId, first.order], asSeller));
await measure(
  "confirm, first-ever sale (seller, treasury, affiliate credits and buyer points all new)",
  escrow.write.confirmDelivery([first.orderId, first.order], asBuyer),
  undefined,
  "cold case: four zero-to-nonzero writes",
);

const ethOrder = await sellEth(buyer, parseEther("1"), productA, "checkout in ETH");
await measure("mark shipped", escrow.write.markShipped([ethOrder.orderId, ethOrder.order], asSeller));
await measure(
  "confirm delivery incl. cashback mint",
  escrow.write.confirmDelivery([ethOrder.orderId, ethOrder.order], asBuyer),
  50_000,
);

const released = await sellEth(buyer, parseEther("1"), productA);
await ok(escrow.write.markShipped([released.orderId, released.order], asSeller));
await networkHelpers.time.increase(3 * DAY + 1);
await measure(
  "auto-release after the window incl. cashback mint",
  escrow.write.release([released.orderId, released.order], { account: arbiter.account }),
  50_000,
);

// Stablecoin: approve + checkout, and checkout with a permit in one transaction.
const usd = (n: string) => parseUnits(n, 6);
await ok(stable.write.mint([buyer.account.address, usd("100000")]));
await ok(stable.write.mint([buyer2.account.address, usd("100000")]));
{
  const { quote, signature } = await quoteFor(buyer.account.address, stable.address, usd("100"), productA);
  await ok(stable.write.approve([escrow.address, quote.order.amount], asBuyer));
  await ok(escrow.write.checkout([quote, signature], asBuyer)); // first token order: escrow balance 0 → nonzero
  await ok(escrow.write.markShipped([quote.orderId, quote.order], asSeller));
  await ok(escrow.write.confirmDelivery([quote.orderId, quote.order], asBuyer));
}
{
  const { quote, signature } = await quoteFor(buyer.account.address, stable.address, usd("100"), productA);
  await ok(stable.write.approve([escrow.address, quote.order.amount], asBuyer));
  await measure(
    "checkout in stablecoin (after a separate approve)",
    escrow.write.checkout([quote, signature], asBuyer),
  );
}
{
  const { quote, signature } = await quoteFor(buyer.account.address, stable.address, usd("100"), productA);
  const p = await permitFor(buyer, quote.order.amount);
  await measure(
    "checkout in stablecoin with permit, one transaction",
    escrow.write.checkoutWithPermit([quote, signature, p.deadline, p.v, p.r, p.s], asBuyer),
    100_000,
  );
}
{
  const { quote, signature } = await quoteFor(buyer.account.address, zeroAddress, parseEther("1"), productA);
  const withPoints: EscrowQuote = { ...quote, pointsToRedeem: 10n ** 18n };
  const sig = await quoteSigner.signTypedData({
    domain: escrowDomain(chainId, escrow.address),
    types: quoteTypes,
    primaryType: "Quote",
    message: withPoints,
  });
  void signature;
  await measure(
    "checkout in ETH redeeming points",
    escrow.write.checkout([withPoints, sig], { account: buyer.account, value: withPoints.order.amount }),
  );
}

// Disputes.
{
  const q = await sellEth(buyer, parseEther("1"), productA);
  await ok(escrow.write.markShipped([q.orderId, q.order], asSeller));
  await measure("open dispute", escrow.write.openDispute([q.orderId, q.order], asBuyer));
  await measure(
    "dispute resolved by the arbiter (60% to the buyer)",
    escrow.write.resolveDispute([q.orderId, q.order, 6_000], { account: arbiter.account }),
  );
}
{
  const q = await sellEth(buyer, parseEther("1"), productA);
  await measure("seller refund", escrow.write.refund([q.orderId, q.order], asSeller));
}

// Reviews: the first on a product, then one on an already-reviewed product.
{
  const a = await sellEth(buyer, parseEther("1"), productA);
  await ok(escrow.write.markShipped([a.orderId, a.order], asSeller));
  await ok(escrow.write.confirmDelivery([a.orderId, a.order], asBuyer));
  const b = await sellEth(buyer2, parseEther("1"), productA);
  await ok(escrow.write.markShipped([b.orderId, b.order], asSeller));
  await ok(escrow.write.confirmDelivery([b.orderId, b.order], { account: buyer2.account }));
  const productB = keccak256(toHex("bench-product-b"));
  const c = await sellEth(buyer, parseEther("1"), productB);
  await ok(escrow.write.markShipped([c.orderId, c.order], asSeller));
  await ok(escrow.write.confirmDelivery([c.orderId, c.order], asBuyer));
  await measure(
    "review, first on its product",
    reviews.write.review([c.orderId, productB, 5, keccak256(toHex("great"))], asBuyer),
  );
  await ok(reviews.write.review([a.orderId, productA, 4, keccak256(toHex("good"))], asBuyer));
  await measure(
    "review of an already-reviewed product",
    reviews.write.review([b.orderId, productA, 5, keccak256(toHex("lovely"))], { account: buyer2.account }),
    60_000,
  );
}

// Withdrawals.
await measure("withdraw ETH (seller)", escrow.write.withdraw([zeroAddress], asSeller));
await measure("withdraw stablecoin (seller)", escrow.write.withdraw([stable.address], asSeller));

// Group buy: pledges by new buyers, then refunds from a failed pool with 10 and 1,000 pledgers.
async function pledgers(count: number, offset: number): Promise<Address[]> {
  const out: Address[] = [];
  for (let i = 0; i < count; i++) {
    const address = `0x${(0xbe0000 + offset + i).toString(16).padStart(40, "0")}` as Address;
    await networkHelpers.setBalance(address, parseEther("10"));
    await networkHelpers.impersonateAccount(address);
    out.push(address);
  }
  return out;
}

async function openPool(minUnits: number, product: string) {
  const deadline = (await publicClient.getBlock()).timestamp + BigInt(DAY);
  const terms = {
    productId: keccak256(toHex(product)),
    token: zeroAddress,
    unitPrice: parseEther("0.01"),
    minUnits,
    maxUnits: 100_000,
    deadline: Number(deadline),
    deliveryWindow: 3 * DAY,
  };
  await ok(groupBuy.write.openPool([terms], asSeller));
  return { id: await groupBuy.read.poolCount(), terms }; // ids start at 1
}

async function failedPoolRefundGas(count: number, offset: number): Promise<number> {
  const pool = await openPool(count * 10, `bench-pool-${count}`);
  const who = await pledgers(count, offset);
  let pledgeGas = 0;
  for (const address of who) {
    const receipt = await publicClient.waitForTransactionReceipt({
      hash: await groupBuy.write.pledge([pool.id, 1], { account: address, value: pool.terms.unitPrice }),
    });
    pledgeGas = Number(receipt.gasUsed);
  }
  if (count === 10) rows.push({ action: "pledge, new buyer (ETH)", gas: pledgeGas, budget: 60_000 });
  await networkHelpers.time.increaseTo(pool.terms.deadline + 1);
  const last = who[who.length - 1];
  if (!last) throw new Error("no pledgers");
  const receipt = await publicClient.waitForTransactionReceipt({
    hash: await groupBuy.write.refund([pool.id], { account: last }),
  });
  return Number(receipt.gasUsed);
}

const refund10 = await failedPoolRefundGas(10, 0);
rows.push({ action: "pool refund, 10 pledgers", gas: refund10, budget: 40_000 });
console.log("pledging 1,000 buyers into a pool (takes a little while)…");
const refund1000 = await failedPoolRefundGas(1_000, 10_000);
rows.push({ action: "pool refund, 1,000 pledgers", gas: refund1000, budget: 40_000 });
{
  const pool = await openPool(2, "bench-pool-success");
  const [p1, p2] = await pledgers(2, 50_000);
  if (!p1 || !p2) throw new Error("no pledgers");
  await ok(groupBuy.write.pledge([pool.id, 1], { account: p1, value: pool.terms.unitPrice }));
  await ok(groupBuy.write.pledge([pool.id, 1], { account: p2, value: pool.terms.unitPrice }));
  await measure("settle a pledge into an escrow order", groupBuy.write.settlePledge([pool.id, p1], { account: p1 }));
}
void points;

// Bytecode sizes.
const bytecode: Record<string, { bytes: number; goal: number; withinGoal: boolean }> = {};
for (const name of MARKETPLACE_CONTRACTS) {
  const artifact = await hre.artifacts.readArtifact(name);
  const bytes = (artifact.deployedBytecode.length - 2) / 2;
  bytecode[name] = { bytes, goal: BYTECODE_GOAL, withinGoal: bytes <= BYTECODE_GOAL };
}

const width = Math.max(...rows.map((r) => r.action.length));
console.log(`\n${"action".padEnd(width)}  ${"gas".padStart(8)}  ${"budget".padStart(8)}  verdict`);
for (const r of rows) {
  const verdict =
    r.budget === undefined ? "" : r.gas <= r.budget ? "within" : `over by ${(r.gas - r.budget).toLocaleString("en")}`;
  console.log(
    `${r.action.padEnd(width)}  ${r.gas.toLocaleString("en").padStart(8)}  ${(r.budget?.toLocaleString("en") ?? "").padStart(8)}  ${verdict}`,
  );
}
console.log(`\nrefund gas, 1,000 vs 10 pledgers: ${refund1000 - refund10 >= 0 ? "+" : ""}${refund1000 - refund10}`);
console.log(`\n${"contract".padEnd(16)} ${"bytes".padStart(7)}  goal ${BYTECODE_GOAL.toLocaleString("en")}`);
for (const [name, b] of Object.entries(bytecode)) {
  console.log(`${name.padEnd(16)} ${b.bytes.toLocaleString("en").padStart(7)}  ${b.withinGoal ? "within" : "over"}`);
}

const out = {
  description:
    "Receipt gas (21,000 base included) per user action on the in-process Hardhat network; deployed bytecode sizes.",
  command: "npm run bench:gas",
  compiler: { solc: "0.8.30", optimizerRuns: 10_000, evmVersion: "cancun" },
  actions: Object.fromEntries(
    rows.map((r) => [
      r.action,
      {
        gas: r.gas,
        budget: r.budget ?? null,
        withinBudget: r.budget === undefined ? null : r.gas <= r.budget,
        note: r.note ?? null,
      },
    ]),
  ),
  refundGasDelta1000vs10: refund1000 - refund10,
  bytecode,
};
const file = path.resolve(import.meta.dirname, "../../bench/gas.json");
await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
