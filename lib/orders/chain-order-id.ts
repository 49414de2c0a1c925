// Order ids used on chain (escrow orders, and fiat orders for their review receipts): 32 random
// bytes, so an id can neither be guessed nor collide with another order's (the escrow refuses a
// reused id, and Reviews shares the id space between escrow and fiat orders).
import { randomBytes } from "node:crypto";
import type { Hex } from "viem";

export function newChainOrderId(): Hex {
  return `0x${randomBytes(32).toString("hex")}`;
}
