// Escrow credits (pull payments): what each account may withdraw per token, and platform fees.
import type { Context } from "ponder:registry";
import { escrowCredit, escrowFee } from "ponder:schema";

type Block = { number: bigint; timestamp: bigint };

/** Credits `amount` of `token` to `account` (the escrow skips zero credits, so do we). */
export async function addCredit(
  context: Context,
  token: `0x${string}`,
  account: `0x${string}`,
  amount: bigint,
  block: Block,
) {
  if (amount === 0n) return;
  await context.db
    .insert(escrowCredit)
    .values({
      token,
      account,
      credited: amount,
      withdrawn: 0n,
      withdrawable: amount,
      updatedBlock: block.number,
      updatedAt: block.timestamp,
    })
    .onConflictDoUpdate((row) => ({
      credited: row.credited + amount,
      withdrawable: row.withdrawable + amount,
      updatedBlock: block.number,
      updatedAt: block.timestamp,
    }));
}

/** Accrues a platform fee in `token`. */
export async function addFee(context: Context, token: `0x${string}`, amount: bigint) {
  if (amount === 0n) return;
  await context.db
    .insert(escrowFee)
    .values({ token, accrued: amount, withdrawn: 0n, pending: amount })
    .onConflictDoUpdate((row) => ({ accrued: row.accrued + amount, pending: row.pending + amount }));
}

/**
 * A withdrawal of `amount`: it empties the account's credit and, for the treasury, the pending fees
 * as well (Escrow.withdraw). Returns the part that was fees.
 */
export async function recordWithdrawal(
  context: Context,
  token: `0x${string}`,
  account: `0x${string}`,
  amount: bigint,
  isTreasury: boolean,
  block: Block,
): Promise<bigint> {
  let feePart = 0n;
  if (isTreasury) {
    const fee = await context.db.find(escrowFee, { token });
    if (fee && fee.pending > 0n) {
      feePart = fee.pending;
      await context.db.update(escrowFee, { token }).set({ pending: 0n, withdrawn: fee.withdrawn + feePart });
    }
  }
  const fromCredit = amount - feePart;
  if (fromCredit !== 0n) {
    await context.db
      .insert(escrowCredit)
      .values({
        token,
        account,
        credited: 0n,
        withdrawn: fromCredit,
        withdrawable: -fromCredit,
        updatedBlock: block.number,
        updatedAt: block.timestamp,
      })
      .onConflictDoUpdate((row) => ({
        withdrawn: row.withdrawn + fromCredit,
        withdrawable: row.withdrawable - fromCredit,
        updatedBlock: block.number,
        updatedAt: block.timestamp,
      }));
  }
  return feePart;
}
