// Which points mints were rewards from the rewards service (the rest are escrow cashback), so the
// loyalty history can say "Review reward" instead of "Cashback earned".
import { inArray, sql } from "drizzle-orm";
import type { Executor } from "../pricing/executor.ts";
import { type RewardKind, rewardAwards } from "./tables.ts";

export async function rewardKindsByTx(db: Executor, txHashes: string[]): Promise<Map<string, RewardKind>> {
  const hashes = [...new Set(txHashes.map((h) => h.toLowerCase()))];
  if (hashes.length === 0) return new Map();
  const rows = await db
    .select({ txHash: sql<string>`lower(${rewardAwards.txHash})`, kind: rewardAwards.kind })
    .from(rewardAwards)
    .where(inArray(rewardAwards.txHash, hashes));
  return new Map(rows.map((r) => [r.txHash, r.kind]));
}
