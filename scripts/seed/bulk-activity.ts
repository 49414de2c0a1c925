// Bulk marketplace activity for the indexer benchmark: tens of thousands of real events, fast.
// Automine is off while it runs, so hundreds of node-signed transactions (explicit nonces and gas
// limits, sent as JSON-RPC batches) land in each block. Each step of an order (pay, ship or
// refund, confirm, review) goes into a later block than the step before it, so no transaction
// depends on another one in its own block and the order of a block's transactions never matters.
import {
  type Abi,
  type AbiEvent,
  type Address,
  encodeFunctionData,
  getTypesForEIP712Domain,
  type Hex,
  parseEther,
  serializeTypedData,
  type TypedDataDomain,
  type TypedDataParameter,
  toEventSelector,
  toHex,
  zeroAddress,
} from "viem";
import {
  badgesAbi,
  escrowAbi,
  groupBuyAbi,
  loyaltyPointsAbi,
  reviewsAbi,
  testStablecoinAbi,
} from "../../lib/contracts/abis.ts";
import { escrowDomain, quoteTypes, receiptTypes, reviewsDomain } from "../../lib/contracts/typed-data.ts";
import { contentHashOf, type Driver, type Order, orderIdOf, productIdOf } from "./marketplace-driver.ts";

export type BulkProgress = {
  /** Events emitted by the mined transactions so far (counted from their receipts). */
  events: number;
  transactions: number;
  blocks: number;
  orders: number;
  elapsedMs: number;
};

export type BulkResult = BulkProgress & { firstBlock: number; lastBlock: number };

/** New orders per block; with their later steps and the extras, about 700 transactions a block. */
const ORDERS_PER_BLOCK = 200;
const PRODUCTS = 40;
const POOL_UNIT_PRICE = 10n ** 12n;
const CASHBACK = parseEther("5");
const REDEEM = parseEther("1");
const DAY = 86_400n;
/** Room for a block of ~700 transactions: the node packs by gas limit, not by gas used. */
const BLOCK_GAS_LIMIT = 400_000_000n;
/** Roughly twice what each call uses, so a slow path still fits but a block holds many. */
const GAS = {
  checkout: 220_000n,
  ship: 80_000n,
  refund: 120_000n,
  confirm: 220_000n,
  review: 160_000n,
  reviewWithReceipt: 200_000n,
  pledge: 200_000n,
  openPool: 300_000n,
  withdraw: 100_000n,
} as const;
/** Requests per JSON-RPC batch. Transactions for one block go in a single batch instead: the
 * node accepts a thousand in one batch in ~0.2 s, but takes milliseconds per transaction for each
 * batch sent while others are pending. */
const RPC_BATCH = 500;

type Call = { method: string; params: unknown[] };
type Tx = { from: Address; to: Address; data: Hex; value?: bigint; gas: bigint; label: string };

/** JSON-RPC batches (the Hardhat node answers arrays); throws on the first error answer. */
async function rpcBatch<T>(rpcUrl: string, calls: Call[], batchSize = RPC_BATCH): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < calls.length; start += batchSize) {
    const chunk = calls.slice(start, start + batchSize);
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(chunk.map((call, id) => ({ jsonrpc: "2.0", id, ...call }))),
    });
    const answers = (await res.json()) as { id: number; result?: T; error?: { message: string } }[];
    answers.sort((a, b) => a.id - b.id);
    for (const answer of answers) {
      if (answer.error) throw new Error(`${chunk[answer.id]?.method}: ${answer.error.message}`);
      results.push(answer.result as T);
    }
  }
  return results;
}

type TypedPayload = {
  domain: TypedDataDomain;
  types: Record<string, readonly TypedDataParameter[]>;
  primaryType: string;
  message: Record<string, unknown>;
};

type Receipt = { status: Hex; logs: unknown[]; blockNumber: Hex; gasUsed: Hex };

/** One order of the bulk run and the steps still ahead of it. */
type BulkOrder = {
  id: Hex;
  order: Order;
  redeem: bigint;
  /** Refunded by the seller instead of shipped. */
  refund: boolean;
  review: boolean;
  rating: number;
  next: "ship" | "confirm" | "review" | "done";
};

/** Events the steps still ahead of `o` will emit (for deciding when enough orders were started). */
function eventsAhead(o: BulkOrder): number {
  const confirm = o.order.cashback > 0n ? 2 : 1; // OrderCompleted (+ the cashback mint's Transfer)
  const review = o.review ? 1 : 0;
  if (o.next === "ship") return o.refund ? 1 : 1 + confirm + review;
  if (o.next === "confirm") return confirm + review;
  if (o.next === "review") return review;
  return 0;
}

/**
 * Mines marketplace activity until at least `targetEvents` events exist: orders paid (some
 * redeeming points), shipped and completed with cashback mints and credits (a tenth refunded
 * instead), half of them reviewed, plus receipt-backed reviews, group-buy pledges and seller
 * withdrawals. Every receipt is checked; any failed transaction aborts the run.
 */
export async function generateBulkActivity(
  d: Driver,
  targetEvents: number,
  onProgress: (progress: BulkProgress) => void = () => {},
): Promise<BulkResult> {
  const rpcUrl = d.rpcUrl;
  const rpc = <T>(method: string, params: unknown[] = []) =>
    rpcBatch<T>(rpcUrl, [{ method, params }]).then((r) => r[0] as T);
  const c = d.contracts;
  const chainId = d.record.chainId;
  // Dev accounts 0-3 hold the roles; 4-13 buy, review and pledge; 14-19 sell.
  const buyers = d.accounts.slice(4, 14);
  const sellers = d.accounts.slice(14, 20);
  if (buyers.length < 10 || sellers.length < 6) throw new Error("bulk activity needs the node's 20 dev accounts");

  const nonces = new Map<Address, number>();
  for (const account of [...buyers, ...sellers]) {
    nonces.set(account, Number(await rpc<Hex>("eth_getTransactionCount", [account, "pending"])));
  }
  const started = Date.now();
  const startNow = BigInt((await rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false])).timestamp);
  const expiry = startNow + 30n * DAY;
  const progress: BulkProgress = { events: 0, transactions: 0, blocks: 0, orders: 0, elapsedMs: 0 };
  let firstBlock = -1;
  let lastBlock = -1;

  const wasAutomine = await rpc<boolean>("hardhat_getAutomine");
  await rpc("evm_setAutomine", [false]);
  await rpc("evm_setBlockGasLimit", [toHex(BLOCK_GAS_LIMIT)]);
  try {
    /** Sends `txs`, mines until all are in blocks, and checks every receipt. */
    async function mineBlock(txs: Tx[]): Promise<void> {
      if (txs.length === 0) return;
      const sends = txs.map((tx) => {
        const nonce = nonces.get(tx.from) ?? 0;
        nonces.set(tx.from, nonce + 1);
        const request: Record<string, string> = {
          from: tx.from,
          to: tx.to,
          data: tx.data,
          gas: toHex(tx.gas),
          nonce: toHex(nonce),
        };
        if (tx.value) request.value = toHex(tx.value);
        return { method: "eth_sendTransaction", params: [request] };
      });
      const hashes = await rpcBatch<Hex>(rpcUrl, sends, sends.length);
      const receipts = new Array<Receipt | null>(hashes.length).fill(null);
      // One evm_mine normally takes them all; mine again if the block was full.
      for (let round = 0; receipts.includes(null); round++) {
        if (round === 20) throw new Error("transactions still pending after 20 blocks");
        await rpc("evm_mine");
        progress.blocks++;
        const missing = receipts.flatMap((r, i) => (r === null ? [i] : []));
        const found = await rpcBatch<Receipt | null>(
          rpcUrl,
          missing.map((i) => ({ method: "eth_getTransactionReceipt", params: [hashes[i]] })),
        );
        missing.forEach((i, k) => {
          receipts[i] = found[k] ?? null;
        });
      }
      const failed: string[] = [];
      receipts.forEach((receipt, i) => {
        if (!receipt) return;
        const block = Number(receipt.blockNumber);
        firstBlock = firstBlock < 0 ? block : Math.min(firstBlock, block);
        lastBlock = Math.max(lastBlock, block);
        if (receipt.status !== "0x1")
          failed.push(`${txs[i]?.label} (${hashes[i]}, gas used ${Number(receipt.gasUsed)})`);
        progress.events += receipt.logs.length;
      });
      progress.transactions += txs.length;
      if (failed.length > 0) {
        throw new Error(`${failed.length} of ${txs.length} transactions failed, e.g. ${failed.slice(0, 3).join("; ")}`);
      }
    }

    /** Signs EIP-712 data with `signer`'s node key (eth_signTypedData_v4, as viem does), in one batch. */
    async function signAll(signer: Address, typed: TypedPayload[]): Promise<Hex[]> {
      return rpcBatch<Hex>(
        rpcUrl,
        typed.map((t) => {
          const types = { EIP712Domain: getTypesForEIP712Domain({ domain: t.domain }), ...t.types };
          const json = serializeTypedData({ ...t, types } as unknown as Parameters<typeof serializeTypedData>[0]);
          return { method: "eth_signTypedData_v4", params: [signer, json] };
        }),
      );
    }

    // Group buys: one open pool per seller that never fills, so pledges never hit a limit. (Units
    // stay below 2^31: the indexer keeps them in PostgreSQL integer columns.)
    const poolCountBefore = BigInt(
      await rpc<Hex>("eth_call", [
        { to: c.GroupBuy.address, data: encodeFunctionData({ abi: groupBuyAbi, functionName: "poolCount" }) },
        "latest",
      ]),
    );
    await mineBlock(
      sellers.map((seller, i) => ({
        from: seller,
        to: c.GroupBuy.address,
        gas: GAS.openPool,
        label: "openPool",
        data: encodeFunctionData({
          abi: groupBuyAbi,
          functionName: "openPool",
          args: [
            {
              productId: productIdOf(`bulk-pool-${i}`),
              token: zeroAddress,
              unitPrice: POOL_UNIT_PRICE,
              // Never fills, and past PostgreSQL's integer range: the indexer must store any uint32.
              minUnits: 4_000_000_000,
              maxUnits: 4_000_000_000,
              deadline: Number(startNow + 300n * DAY),
              deliveryWindow: 3 * 86_400,
            },
          ],
        }),
      })),
    );
    const poolIds = sellers.map((_, i) => poolCountBefore + 1n + BigInt(i));

    const points = new Map<Address, bigint>(); // minted and not yet redeemed, per buyer
    const sellerHasCredit = new Set<Address>();
    let waiting: BulkOrder[] = []; // mined in an earlier block, next step not sent yet
    let orderCount = 0;
    let extraCount = 0;
    let wave = 0;

    for (;;) {
      const ahead = waiting.reduce((sum, o) => sum + eventsAhead(o), 0);
      const startNew = progress.events + ahead < targetEvents;
      if (!startNew && waiting.length === 0) break;
      wave++;

      const fresh: BulkOrder[] = [];
      const extras: Tx[] = [];
      if (startNew) {
        for (let k = 0; k < ORDERS_PER_BLOCK; k++) {
          const i = orderCount++;
          const buyer = buyers[i % buyers.length] as Address;
          const seller = sellers[(i * 7 + Math.floor(i / buyers.length)) % sellers.length] as Address;
          const withAffiliate = i % 4 === 0;
          const order = d.order({
            buyer,
            seller,
            amount: 10n ** 16n + BigInt(i % 97) * 10n ** 13n,
            productId: productIdOf(`bulk-product-${i % PRODUCTS}`),
            cashback: i % 5 === 4 ? 0n : CASHBACK,
            affiliate: withAffiliate ? (sellers[(i + 1) % sellers.length] as Address) : zeroAddress,
            affiliateBps: withAffiliate ? 500 : 0,
          });
          // Redeem only points already minted in an earlier block.
          const balance = points.get(buyer) ?? 0n;
          const redeem = i % 5 === 1 && balance >= REDEEM ? REDEEM : 0n;
          if (redeem) points.set(buyer, balance - redeem);
          fresh.push({
            id: orderIdOf(`bulk-order-${i}`),
            order,
            redeem,
            refund: i % 10 === 9,
            review: i % 2 === 0,
            rating: (i % 5) + 1,
            next: "ship",
          });
        }
        // A tenth as many receipt-backed reviews (fiat purchases) and pledges, one withdrawal.
        const fiat = Array.from({ length: ORDERS_PER_BLOCK / 10 }, (_, k) => {
          const n = extraCount + k;
          return {
            orderId: orderIdOf(`bulk-fiat-${n}`),
            buyer: buyers[n % buyers.length] as Address,
            productId: productIdOf(`bulk-product-${n % PRODUCTS}`),
            deadline: expiry,
          };
        });
        const receiptSignatures = await signAll(
          d.roles.quoteSigner,
          fiat.map((message) => ({
            domain: reviewsDomain(chainId, c.Reviews.address),
            types: receiptTypes,
            primaryType: "Receipt",
            message,
          })),
        );
        fiat.forEach((receipt, k) => {
          extras.push({
            from: receipt.buyer,
            to: c.Reviews.address,
            gas: GAS.reviewWithReceipt,
            label: "reviewWithReceipt",
            data: encodeFunctionData({
              abi: reviewsAbi,
              functionName: "reviewWithReceipt",
              args: [
                receipt,
                d.roles.quoteSigner,
                receiptSignatures[k] as Hex,
                ((extraCount + k) % 5) + 1,
                contentHashOf(`bulk fiat review ${extraCount + k}`),
              ],
            }),
          });
          const pledger = buyers[(extraCount + k + 3) % buyers.length] as Address;
          extras.push({
            from: pledger,
            to: c.GroupBuy.address,
            gas: GAS.pledge,
            value: POOL_UNIT_PRICE,
            label: "pledge",
            data: encodeFunctionData({
              abi: groupBuyAbi,
              functionName: "pledge",
              args: [poolIds[(extraCount + k) % poolIds.length] as bigint, 1],
            }),
          });
        });
        extraCount += fiat.length;
        const withdrawer = sellers[wave % sellers.length] as Address;
        if (sellerHasCredit.delete(withdrawer)) {
          extras.push({
            from: withdrawer,
            to: c.Escrow.address,
            gas: GAS.withdraw,
            label: "withdraw",
            data: encodeFunctionData({ abi: escrowAbi, functionName: "withdraw", args: [zeroAddress] }),
          });
        }
      }

      const quoteSignatures = await signAll(
        d.roles.quoteSigner,
        fresh.map((o) => ({
          domain: escrowDomain(chainId, c.Escrow.address),
          types: quoteTypes,
          primaryType: "Quote",
          message: { orderId: o.id, order: o.order, pointsToRedeem: o.redeem, expiry },
        })),
      );
      const txs: Tx[] = fresh.map((o, k) => ({
        from: o.order.buyer,
        to: c.Escrow.address,
        value: o.order.amount,
        gas: GAS.checkout,
        label: "checkout",
        data: encodeFunctionData({
          abi: escrowAbi,
          functionName: "checkout",
          args: [{ orderId: o.id, order: o.order, pointsToRedeem: o.redeem, expiry }, quoteSignatures[k] as Hex],
        }),
      }));
      for (const o of waiting) txs.push(stepTx(o, c.Escrow.address, c.Reviews.address));
      txs.push(...extras);
      await mineBlock(txs);

      // Everything mined: move each order to its next step.
      for (const o of waiting) {
        if (o.next === "confirm") {
          points.set(o.order.buyer, (points.get(o.order.buyer) ?? 0n) + o.order.cashback);
          sellerHasCredit.add(o.order.seller);
        }
        o.next = o.next === "ship" && !o.refund ? "confirm" : o.next === "confirm" && o.review ? "review" : "done";
      }
      waiting = [...waiting, ...fresh].filter((o) => o.next !== "done");
      progress.orders = orderCount;
      progress.elapsedMs = Date.now() - started;
      onProgress({ ...progress });
    }
  } finally {
    await rpc("evm_setAutomine", [wasAutomine]);
  }
  progress.elapsedMs = Date.now() - started;
  return { ...progress, firstBlock, lastBlock };
}

/** The transaction of `o`'s next step (ship or refund, confirm, review). */
function stepTx(o: BulkOrder, escrow: Address, reviews: Address): Tx {
  if (o.next === "review") {
    return {
      from: o.order.buyer,
      to: reviews,
      gas: GAS.review,
      label: "review",
      data: encodeFunctionData({
        abi: reviewsAbi,
        functionName: "review",
        args: [o.id, o.order.productId, o.rating, contentHashOf(`bulk review ${o.id}`)],
      }),
    };
  }
  const [functionName, from, gas] =
    o.next === "confirm"
      ? (["confirmDelivery", o.order.buyer, GAS.confirm] as const)
      : o.refund
        ? (["refund", o.order.seller, GAS.refund] as const)
        : (["markShipped", o.order.seller, GAS.ship] as const);
  return {
    from,
    to: escrow,
    gas,
    label: functionName,
    data: encodeFunctionData({ abi: escrowAbi, functionName, args: [o.id, o.order] }),
  };
}

const CONTRACT_ABIS: Record<keyof Driver["contracts"], Abi> = {
  LoyaltyPoints: loyaltyPointsAbi,
  Badges: badgesAbi,
  Escrow: escrowAbi,
  Reviews: reviewsAbi,
  GroupBuy: groupBuyAbi,
  TestStablecoin: testStablecoinAbi,
};

/**
 * Counts the events the marketplace contracts emitted in blocks `fromBlock`..`toBlock`, by
 * "Contract:Event", from eth_getLogs (what an indexer sees, not an estimate).
 */
export async function countEmittedEvents(d: Driver, fromBlock: number, toBlock: number) {
  const names = new Map<string, string>(); // `${address}:${topic0}` -> "Contract:Event"
  const addresses: Address[] = [];
  for (const [contract, abi] of Object.entries(CONTRACT_ABIS)) {
    const address = d.contracts[contract as keyof Driver["contracts"]]?.address;
    if (!address) continue;
    addresses.push(address);
    for (const item of abi) {
      if (item.type === "event") {
        names.set(`${address.toLowerCase()}:${toEventSelector(item as AbiEvent)}`, `${contract}:${item.name}`);
      }
    }
  }
  const byName: Record<string, number> = {};
  let total = 0;
  const span = 50; // blocks per eth_getLogs: a few tens of thousands of logs per answer at most
  for (let from = fromBlock; from <= toBlock; from += span) {
    const [logs = []] = await rpcBatch<{ address: Address; topics: Hex[] }[]>(d.rpcUrl, [
      {
        method: "eth_getLogs",
        params: [{ address: addresses, fromBlock: toHex(from), toBlock: toHex(Math.min(from + span - 1, toBlock)) }],
      },
    ]);
    for (const log of logs) {
      const name = names.get(`${log.address.toLowerCase()}:${log.topics[0]}`) ?? `unknown:${log.topics[0]}`;
      byName[name] = (byName[name] ?? 0) + 1;
      total++;
    }
  }
  const sorted = Object.fromEntries(Object.entries(byName).sort(([, a], [, b]) => b - a));
  return { total, byName: sorted };
}
