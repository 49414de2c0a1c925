// ERC-20 Transfer / Approval into balance, transfer and allowance tables (loyalty points and the
// local test stablecoin share the shapes).
import type { Context } from "ponder:registry";
import type {
  pointsAllowance,
  pointsBalance,
  pointsTransfer,
  stablecoinAllowance,
  stablecoinBalance,
  stablecoinTransfer,
} from "ponder:schema";
import { zeroAddress } from "viem";

type Tables =
  | { balance: typeof pointsBalance; transfer: typeof pointsTransfer; allowance: typeof pointsAllowance }
  | { balance: typeof stablecoinBalance; transfer: typeof stablecoinTransfer; allowance: typeof stablecoinAllowance };

type TransferEvent = {
  id: string;
  args: { from: `0x${string}`; to: `0x${string}`; value: bigint };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
};

async function addBalance(
  context: Context,
  table: Tables["balance"],
  account: `0x${string}`,
  delta: bigint,
  block: TransferEvent["block"],
) {
  await context.db
    .insert(table)
    .values({ id: account, balance: delta, updatedBlock: block.number, updatedAt: block.timestamp })
    .onConflictDoUpdate((row) => ({
      balance: row.balance + delta,
      updatedBlock: block.number,
      updatedAt: block.timestamp,
    }));
}

/** Applies a Transfer: balances of both sides (not the zero address) and a transfer row. */
export async function applyTransfer(context: Context, tables: Tables, event: TransferEvent) {
  const { from, to, value } = event.args;
  const kind = from === zeroAddress ? "mint" : to === zeroAddress ? "burn" : "transfer";
  if (from !== zeroAddress) await addBalance(context, tables.balance, from, -value, event.block);
  if (to !== zeroAddress) await addBalance(context, tables.balance, to, value, event.block);
  await context.db.insert(tables.transfer).values({
    id: event.id,
    from,
    to,
    value,
    kind,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txHash: event.transaction.hash,
  });
  return kind;
}

/** Applies an Approval: the allowance row of (owner, spender). */
export async function applyApproval(
  context: Context,
  table: Tables["allowance"],
  event: { args: { owner: `0x${string}`; spender: `0x${string}`; value: bigint }; block: { number: bigint } },
) {
  const { owner, spender, value } = event.args;
  await context.db
    .insert(table)
    .values({ owner, spender, value, updatedBlock: event.block.number })
    .onConflictDoUpdate({ value, updatedBlock: event.block.number });
}
