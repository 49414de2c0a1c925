// Points redeemed on fiat orders, on chain: burned with LoyaltyPoints.redeem(holder, amount) by
// the points service before the provider payment is created, and minted back once if the order
// ends unpaid (its payment failed or expired) or refunded. Every step is recorded on the order's
// commerce.points_redemptions row with its transaction hash, under a lock on that row, so two
// requests for the same order (a double submit, a retried webhook) burn or mint once.
//
// Known limit: a process killed after a transaction was sent and before its hash was committed
// leaves the row "pending"/"remint_due" with the transaction on chain; a retry would send a
// second one. Nonce-pinned, pre-recorded transactions would close that window.
import { and, eq, sql } from "drizzle-orm";
import { type Address, createPublicClient, createWalletClient, getAddress, type Hex, http } from "viem";
import { loyaltyPointsAbi } from "../contracts/abis.ts";
import type { Db } from "../db/client.ts";
import { orderStatusHistory, orders } from "../db/schema.ts";
import { CommerceError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import type { PointsService } from "./points-service.ts";
import { pointsRedemptions } from "./tables.ts";

export class PointsBurnFailedError extends CommerceError {
  override name = "PointsBurnFailedError";
  constructor(reason: string) {
    super(
      "points_burn_failed",
      409,
      `Your points could not be redeemed (${reason}); the order was canceled and nothing was charged.`,
    );
  }
}

function clients(service: PointsService) {
  const chain = {
    id: service.chainId,
    name: `chain ${service.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [service.rpcUrl] } },
  } as const;
  const transport = http(service.rpcUrl, { retryCount: 1, timeout: 30_000 });
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: 100 }),
    walletClient: createWalletClient({ chain, transport, account: service.account }),
  };
}

/** Simulates, sends and waits for one call from the points service; the hash, or why it failed. */
async function sendPointsCall(
  service: PointsService,
  functionName: "redeem" | "mint",
  holder: Address,
  amount: bigint,
): Promise<{ ok: true; hash: Hex } | { ok: false; reason: string; hash?: Hex }> {
  const { publicClient, walletClient } = clients(service);
  let request: Parameters<typeof walletClient.writeContract>[0];
  try {
    // A refusal (too few points, missing role) is found here, before anything is sent.
    ({ request } = await publicClient.simulateContract({
      account: service.account,
      address: service.points,
      abi: loyaltyPointsAbi,
      functionName,
      args: [holder, amount],
    }));
  } catch (error) {
    return { ok: false, reason: (error as { shortMessage?: string }).shortMessage ?? (error as Error).message };
  }
  const hash = await walletClient.writeContract(request);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") return { ok: false, reason: `transaction ${hash} reverted`, hash };
  return { ok: true, hash };
}

async function lockRedemption(tx: Executor, orderId: string) {
  const [row] = await tx.select().from(pointsRedemptions).where(eq(pointsRedemptions.orderId, orderId)).for("update");
  return row;
}

async function setOrderStatus(tx: Executor, orderId: string, status: string, note: string) {
  await tx.update(orders).set({ status, updatedAt: sql`now()` }).where(eq(orders.id, orderId));
  await tx.insert(orderStatusHistory).values({ orderId, status, note });
}

/**
 * Burns the points the order redeems (once): the burn's tx hash, or undefined when the order
 * redeems none. A burn the chain refuses cancels the order and throws PointsBurnFailedError.
 */
export async function burnRedeemedPoints(db: Db, orderId: string, service: PointsService): Promise<Hex | undefined> {
  const outcome = await db.transaction(async (tx): Promise<{ hash?: Hex; refused?: string }> => {
    const row = await lockRedemption(tx, orderId);
    if (!row) return {};
    if (row.burnTxHash) return { hash: row.burnTxHash as Hex };
    if (row.status !== "pending") return { refused: `the redemption is ${row.status}` };
    if (row.chainId !== service.chainId || getAddress(row.pointsAddress) !== service.points) {
      throw new PointsBurnFailedError("the points service is configured for another chain or contract");
    }
    const sent = await sendPointsCall(service, "redeem", getAddress(row.holder), BigInt(row.amount));
    if (!sent.ok) {
      // Committed, then thrown: the order must not be paid at the discounted price.
      await tx
        .update(pointsRedemptions)
        .set({ status: "burn_failed", updatedAt: sql`now()` })
        .where(eq(pointsRedemptions.orderId, orderId));
      await setOrderStatus(tx, orderId, "canceled", `points burn refused: ${sent.reason}`);
      return { refused: sent.reason };
    }
    await tx
      .update(pointsRedemptions)
      .set({ status: "burned", burnTxHash: sent.hash.toLowerCase(), burnedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(pointsRedemptions.orderId, orderId));
    await tx
      .insert(orderStatusHistory)
      .values({ orderId, status: "pending_payment", note: `${row.amount} point units burned in ${sent.hash}` });
    return { hash: sent.hash };
  });
  if (outcome.refused) throw new PointsBurnFailedError(outcome.refused);
  return outcome.hash;
}

/**
 * Inside the transaction that ends an order unpaid or refunded: owes the holder the burned points
 * back (the re-mint itself is remintOwedPoints, after the commit). True when something is owed.
 */
export async function owePointsBack(tx: Executor, orderId: string, reason: string): Promise<boolean> {
  const owed = await tx
    .update(pointsRedemptions)
    .set({ status: "remint_due", remintReason: reason, updatedAt: sql`now()` })
    .where(and(eq(pointsRedemptions.orderId, orderId), eq(pointsRedemptions.status, "burned")))
    .returning({ orderId: pointsRedemptions.orderId });
  return owed.length > 0;
}

/** Mints back the points owed on one order (once); the mint's tx hash, or undefined when none is owed. */
export async function remintOwedPoints(db: Db, orderId: string, service: PointsService): Promise<Hex | undefined> {
  return db.transaction(async (tx) => {
    const row = await lockRedemption(tx, orderId);
    if (row?.status !== "remint_due") return (row?.remintTxHash as Hex | null | undefined) ?? undefined;
    const sent = await sendPointsCall(service, "mint", getAddress(row.holder), BigInt(row.amount));
    // Left owed: the next sweep tries again (a node down, gas); the reason goes to the log.
    if (!sent.ok) throw new CommerceError("points_remint_failed", 409, `Re-minting points failed: ${sent.reason}`);
    await tx
      .update(pointsRedemptions)
      .set({ status: "reminted", remintTxHash: sent.hash.toLowerCase(), remintedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(pointsRedemptions.orderId, orderId));
    await tx.insert(orderStatusHistory).values({
      orderId,
      status: (await currentStatus(tx, orderId)) ?? "canceled",
      note: `points returned in ${sent.hash}`,
    });
    return sent.hash;
  });
}

async function currentStatus(tx: Executor, orderId: string): Promise<string | undefined> {
  const [row] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return row?.status;
}

/** Every owed re-mint (a sweep: cron, or after a webhook); the order ids done and those that failed. */
export async function remintAllOwedPoints(
  db: Db,
  service: PointsService,
): Promise<{ reminted: string[]; failed: { orderId: string; error: string }[] }> {
  const owed = await db
    .select({ orderId: pointsRedemptions.orderId })
    .from(pointsRedemptions)
    .where(eq(pointsRedemptions.status, "remint_due"));
  const reminted: string[] = [];
  const failed: { orderId: string; error: string }[] = [];
  for (const { orderId } of owed) {
    try {
      if (await remintOwedPoints(db, orderId, service)) reminted.push(orderId);
    } catch (error) {
      failed.push({ orderId, error: (error as Error).message });
    }
  }
  return { reminted, failed };
}

/**
 * Ends an order whose points were burned but whose payment could not start (the provider refused
 * or was down): cancels it, owes the points back and mints them at once (left owed for the sweep
 * if the chain fails now).
 */
export async function cancelAndReturnPoints(
  db: Db,
  orderId: string,
  reason: string,
  service: PointsService,
): Promise<Hex | undefined> {
  const owed = await db.transaction(async (tx) => {
    const due = await owePointsBack(tx, orderId, reason);
    if (due) await setOrderStatus(tx, orderId, "canceled", `${reason}; redeemed points to be returned`);
    return due;
  });
  return owed ? remintOwedPoints(db, orderId, service) : undefined;
}
