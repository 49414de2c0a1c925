// Sends the rewards the ledger owes, each exactly once. The order of steps is what makes it safe:
// the transaction is signed locally and its hash, nonce and raw bytes are committed to the ledger
// ("submitted") BEFORE it is broadcast. After a crash, a submitted reward is looked up by that
// hash: mined -> confirmed; unknown to the node with its nonce still free -> the same bytes are sent
// again (same hash, so it can only ever mine once); unknown with its nonce taken by another
// transaction -> it can never mine, so it goes back to pending and a new transaction is made. A
// transaction that reverts (or cannot be estimated, e.g. the role was revoked) is retried later
// with a growing delay. One runner at a time holds an advisory lock, so nonces never race.
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import {
  type Address,
  BaseError,
  encodeFunctionData,
  type Hex,
  keccak256,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { badgesAbi, loyaltyPointsAbi } from "../contracts/abis.ts";
import type { Db } from "../db/client.ts";
import { rewardAwards } from "./tables.ts";

export type RewardsChain = {
  chainId: number;
  publicClient: PublicClient;
  loyaltyPoints: Address;
  badges: Address;
  pointsSigner: PrivateKeyAccount;
  badgeSigner: PrivateKeyAccount;
};

/** Points in a run where a test can stop the runner as a crash would (nothing else uses them). */
export type SendHooks = {
  afterRecorded?: (awardKey: string) => void | Promise<void>;
  afterBroadcast?: (awardKey: string) => void | Promise<void>;
};

export type SendOptions = {
  now?: () => Date;
  /** Most pending rewards sent per pass. */
  limit?: number;
  receiptTimeoutMs?: number;
  hooks?: SendHooks;
  log?: (line: string) => void;
};

export type SendResult = {
  /** False when another runner holds the lock: this pass sent nothing. */
  ran: boolean;
  confirmed: number;
  /** Badges the chain already showed as held (no transaction needed). */
  alreadyHeld: number;
  /** Sent, not mined yet (checked again next pass). */
  waiting: number;
  /** Failed this pass; retried after their next_attempt_at. */
  retrying: number;
  rebroadcast: number;
};

/** Any constant shared by every rewards runner. */
const RUNNER_LOCK_KEY = 7_340_112_013;
const RETRY_BASE_SECONDS = 15;
const RETRY_MAX_SECONDS = 15 * 60;

type AwardRow = typeof rewardAwards.$inferSelect;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
}

function describe(error: unknown): string {
  const text = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return text.slice(0, 500);
}

async function receiptOf(chain: RewardsChain, hash: Hex): Promise<TransactionReceipt | null> {
  try {
    return await chain.publicClient.getTransactionReceipt({ hash });
  } catch (error) {
    if (error instanceof BaseError && error.name === "TransactionReceiptNotFoundError") return null;
    throw error;
  }
}

async function isKnownToNode(chain: RewardsChain, hash: Hex): Promise<boolean> {
  try {
    await chain.publicClient.getTransaction({ hash });
    return true;
  } catch (error) {
    if (error instanceof BaseError && error.name === "TransactionNotFoundError") return false;
    throw error;
  }
}

export async function sendDueAwards(db: Db, chain: RewardsChain, options: SendOptions = {}): Promise<SendResult> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const result: SendResult = { ran: false, confirmed: 0, alreadyHeld: 0, waiting: 0, retrying: 0, rebroadcast: 0 };
  const lockClient = await db.$client.connect();
  try {
    const { rows } = await lockClient.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [
      RUNNER_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) {
      log("another rewards runner is sending; skipping this pass");
      return result;
    }
    try {
      result.ran = true;
      await reconcileSubmitted(db, chain, result, now, log);
      await sendPending(db, chain, result, { ...options, now, log });
    } finally {
      await lockClient.query("select pg_advisory_unlock($1)", [RUNNER_LOCK_KEY]);
    }
    return result;
  } finally {
    lockClient.release();
  }
}

async function markConfirmed(db: Db, row: AwardRow, receipt: TransactionReceipt | null, now: Date, note?: string) {
  await db
    .update(rewardAwards)
    .set({
      status: "confirmed",
      blockNumber: receipt?.blockNumber ?? null,
      confirmedAt: now,
      updatedAt: now,
      rawTx: null,
      lastError: note ?? null,
    })
    .where(eq(rewardAwards.awardKey, row.awardKey));
}

async function markRetry(db: Db, row: AwardRow, attempts: number, error: string, now: Date) {
  await db
    .update(rewardAwards)
    .set({
      status: "pending",
      attempts,
      lastError: error,
      nextAttemptAt: new Date(now.getTime() + retryDelaySeconds(attempts) * 1000),
      sender: null,
      txNonce: null,
      txHash: null,
      rawTx: null,
      updatedAt: now,
    })
    .where(eq(rewardAwards.awardKey, row.awardKey));
}

async function settle(db: Db, row: AwardRow, receipt: TransactionReceipt, result: SendResult, now: Date) {
  if (receipt.status === "success") {
    await markConfirmed(db, row, receipt, now);
    result.confirmed++;
  } else {
    await markRetry(db, row, row.attempts, `transaction ${receipt.transactionHash} reverted`, now);
    result.retrying++;
  }
}

/** Decides what became of one submitted reward (see the file's comment). */
async function reconcileOne(
  db: Db,
  chain: RewardsChain,
  row: AwardRow,
  result: SendResult,
  now: Date,
  log: (line: string) => void,
) {
  const hash = row.txHash as Hex;
  const receipt = await receiptOf(chain, hash);
  if (receipt) return settle(db, row, receipt, result, now);
  if (await isKnownToNode(chain, hash)) {
    result.waiting++;
    return;
  }
  const used = await chain.publicClient.getTransactionCount({ address: row.sender as Address, blockTag: "latest" });
  if (used > (row.txNonce ?? 0)) {
    // The nonce is taken. Ask for our receipt once more: it may have been mined between the two
    // reads, and only if it was not can the reward safely get a new transaction.
    const late = await receiptOf(chain, hash);
    if (late) return settle(db, row, late, result, now);
    log(`${row.awardKey}: transaction ${hash} was dropped (nonce ${row.txNonce} used by another); retrying`);
    await markRetry(db, row, row.attempts, `transaction ${hash} was dropped: its nonce was used by another`, now);
    result.retrying++;
    return;
  }
  try {
    await chain.publicClient.sendRawTransaction({ serializedTransaction: row.rawTx as Hex });
    result.rebroadcast++;
    log(`${row.awardKey}: sent ${hash} again (the node did not know it)`);
    const mined = await chain.publicClient
      .waitForTransactionReceipt({ hash, timeout: 30_000, pollingInterval: 250 })
      .catch(() => null);
    if (mined) return settle(db, row, mined, result, now);
    result.waiting++;
  } catch (error) {
    log(`${row.awardKey}: could not send ${hash} again (${describe(error)}); checking next pass`);
    result.waiting++;
  }
}

async function reconcileSubmitted(
  db: Db,
  chain: RewardsChain,
  result: SendResult,
  now: () => Date,
  log: (line: string) => void,
) {
  const submitted = await db
    .select()
    .from(rewardAwards)
    .where(eq(rewardAwards.status, "submitted"))
    .orderBy(asc(rewardAwards.sender), asc(rewardAwards.txNonce));
  for (const row of submitted) await reconcileOne(db, chain, row, result, now(), log);
}

function callOf(row: AwardRow, chain: RewardsChain): { signer: PrivateKeyAccount; to: Address; data: Hex } {
  const recipient = row.recipient as Address;
  if (row.kind === "badge") {
    return {
      signer: chain.badgeSigner,
      to: chain.badges,
      data: encodeFunctionData({ abi: badgesAbi, functionName: "award", args: [recipient, BigInt(row.badgeId ?? 0)] }),
    };
  }
  return {
    signer: chain.pointsSigner,
    to: chain.loyaltyPoints,
    data: encodeFunctionData({
      abi: loyaltyPointsAbi,
      functionName: "mint",
      args: [recipient, BigInt(row.points ?? 0)],
    }),
  };
}

async function sendPending(
  db: Db,
  chain: RewardsChain,
  result: SendResult,
  options: SendOptions & { now: () => Date; log: (line: string) => void },
) {
  const { now, log } = options;
  const due = await db
    .select()
    .from(rewardAwards)
    .where(and(eq(rewardAwards.status, "pending"), lte(rewardAwards.nextAttemptAt, now())))
    .orderBy(asc(rewardAwards.createdAt), asc(rewardAwards.awardKey))
    .limit(options.limit ?? 100);
  for (const row of due) {
    if (row.kind === "badge") {
      const held = await chain.publicClient.readContract({
        address: chain.badges,
        abi: badgesAbi,
        functionName: "hasBadge",
        args: [row.recipient as Address, BigInt(row.badgeId ?? 0)],
      });
      if (held) {
        await markConfirmed(db, row, null, now(), "already held on chain; no transaction needed");
        result.alreadyHeld++;
        continue;
      }
    }
    const { signer, to, data } = callOf(row, chain);
    const attempts = row.attempts + 1;
    let raw: Hex;
    let nonce: number;
    try {
      // Estimating first turns a call that would revert (role revoked, paused) into a retry
      // without spending gas or a nonce.
      const gas = await chain.publicClient.estimateGas({ account: signer.address, to, data });
      const fees = await chain.publicClient.estimateFeesPerGas();
      nonce = await chain.publicClient.getTransactionCount({ address: signer.address, blockTag: "pending" });
      raw = await signer.signTransaction({
        type: "eip1559",
        chainId: chain.chainId,
        to,
        data,
        nonce,
        gas: (gas * 12n) / 10n,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
    } catch (error) {
      log(`${row.awardKey}: cannot send yet (${describe(error)}); retry in ${retryDelaySeconds(attempts)} s`);
      await markRetry(db, row, attempts, describe(error), now());
      result.retrying++;
      continue;
    }
    const hash = keccak256(raw);
    const recorded = await db
      .update(rewardAwards)
      .set({
        status: "submitted",
        attempts,
        sender: signer.address.toLowerCase(),
        txNonce: nonce,
        txHash: hash,
        rawTx: raw,
        lastError: null,
        updatedAt: now(),
      })
      .where(and(eq(rewardAwards.awardKey, row.awardKey), eq(rewardAwards.status, "pending")))
      .returning();
    const submitted = recorded[0];
    if (!submitted) continue;
    await options.hooks?.afterRecorded?.(row.awardKey);
    try {
      await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
    } catch (error) {
      log(`${row.awardKey}: sending ${hash} failed (${describe(error)})`);
      await reconcileOne(db, chain, submitted, result, now(), log);
      continue;
    }
    await options.hooks?.afterBroadcast?.(row.awardKey);
    const receipt = await chain.publicClient
      .waitForTransactionReceipt({ hash, timeout: options.receiptTimeoutMs ?? 60_000, pollingInterval: 250 })
      .catch(() => null);
    if (receipt) await settle(db, submitted, receipt, result, now());
    else result.waiting++;
    log(
      `${row.awardKey}: ${receipt?.status === "success" ? "confirmed" : receipt ? "reverted" : "sent, not mined yet"} (${hash})`,
    );
  }
}

/** Counts of the ledger by status, for progress output. */
export async function ledgerCounts(db: Db): Promise<Record<"pending" | "submitted" | "confirmed", number>> {
  const rows = await db
    .select({ status: rewardAwards.status, n: sql<number>`count(*)::int` })
    .from(rewardAwards)
    .where(inArray(rewardAwards.status, ["pending", "submitted", "confirmed"]))
    .groupBy(rewardAwards.status);
  const counts = { pending: 0, submitted: 0, confirmed: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
