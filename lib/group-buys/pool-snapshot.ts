// What the pool page polls: the live figures of a pool and its pledges, without the product card
// (it does not change while the page is open). Plain JSON, so client components can import it.
import type { PoolDetail } from "./read-pools.ts";

export type PoolSnapshot = Omit<PoolDetail, "product">;

export function toPoolSnapshot(pool: PoolDetail): PoolSnapshot {
  const { product: _product, ...rest } = pool;
  return rest;
}
