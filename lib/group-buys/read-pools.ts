// Group-buy pools as the indexer sees them, joined to the catalog's product cards. A pool whose
// product this catalog does not list is still shown (without a card): money is pledged in it.
import { sql } from "drizzle-orm";
import { type ProductCard, readProductCards } from "../catalog/read-product-cards.ts";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";

/** open: below the minimum, before the deadline; filled: reached the minimum; failed: deadline passed below it. */
export type PoolStatus = "open" | "filled" | "failed";

export type PoolSummary = {
  poolId: string;
  seller: string;
  productHash: string;
  product: ProductCard | null;
  token: string;
  unitPrice: string;
  minUnits: number;
  maxUnits: number;
  pledgedUnits: number;
  deadline: number;
  status: PoolStatus;
  openedTx: string;
};

export type PledgeRow = {
  pledger: string;
  units: number;
  amount: string;
  settled: boolean;
  refunded: boolean;
  orderId: string | null;
};

export type PoolDetail = PoolSummary & { pledges: PledgeRow[] };

type PoolRow = {
  id: string;
  seller: string;
  product_id: string;
  token: string;
  unit_price: string;
  min_units: string;
  max_units: string;
  pledged_units: string;
  deadline: string;
  filled: boolean;
  opened_tx: string;
};

type Options = {
  currency: string;
  locale: string;
  viewsSchema: string;
  now?: Date;
  /** false: skip the product cards (the live poll does not show them). */
  withProducts?: boolean;
};

export function poolStatus(row: { filled: boolean; deadline: number }, nowSeconds: number): PoolStatus {
  if (row.filled) return "filled";
  return nowSeconds >= row.deadline ? "failed" : "open";
}

function poolColumns(schema: string) {
  return sql`select id::text as id, seller, product_id, token, unit_price::text as unit_price,
      min_units::text as min_units, max_units::text as max_units, pledged_units::text as pledged_units,
      deadline::text as deadline, filled, opened_tx
    from ${chainView(schema, "pool")}`;
}

async function withCards(db: Executor, rows: PoolRow[], options: Options): Promise<PoolSummary[]> {
  const hashes = options.withProducts === false ? [] : [...new Set(rows.map((r) => r.product_id.toLowerCase()))];
  const products =
    hashes.length === 0
      ? []
      : (
          await db.execute<{ id: string; chain_id_hash: string }>(
            sql`select id, chain_id_hash from commerce.products where lower(chain_id_hash) in (${sql.join(
              hashes.map((h) => sql`${h}`),
              sql`, `,
            )})`,
          )
        ).rows;
  const idByHash = new Map(products.map((p) => [p.chain_id_hash.toLowerCase(), p.id]));
  const cards = await readProductCards(db, { ids: [...new Set(products.map((p) => p.id))] }, options);
  const cardById = new Map(cards.map((c) => [c.id, c]));
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return rows.map((r) => {
    const deadline = Number(r.deadline);
    return {
      poolId: r.id,
      seller: r.seller,
      productHash: r.product_id,
      product: cardById.get(idByHash.get(r.product_id.toLowerCase()) ?? "") ?? null,
      token: r.token,
      unitPrice: r.unit_price,
      minUnits: Number(r.min_units),
      maxUnits: Number(r.max_units),
      pledgedUnits: Number(r.pledged_units),
      deadline,
      status: poolStatus({ filled: r.filled, deadline }, now),
      openedTx: r.opened_tx,
    };
  });
}

/** The newest pools (open ones first, soonest deadline first); empty before the indexer publishes. */
export async function listPools(db: Executor, options: Options & { limit?: number }): Promise<PoolSummary[]> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const rows = await readChainViews<PoolRow>(
    db,
    sql`${poolColumns(options.viewsSchema)}
      order by (not filled and deadline > ${now}) desc, deadline asc, id desc
      limit ${options.limit ?? 100}`,
  );
  return withCards(db, rows ?? [], options);
}

/** One pool with its pledges (largest first); undefined when no such pool is indexed. */
export async function readPool(db: Executor, poolId: bigint, options: Options): Promise<PoolDetail | undefined> {
  const rows = await readChainViews<PoolRow>(
    db,
    sql`${poolColumns(options.viewsSchema)} where id = ${poolId.toString()}::numeric`,
  );
  const row = rows?.[0];
  if (!row) return undefined;
  const [summary] = await withCards(db, [row], options);
  if (!summary) return undefined;
  const pledges =
    (await readChainViews<{
      pledger: string;
      units: string;
      amount: string;
      settled: boolean;
      refunded: boolean;
      order_id: string | null;
    }>(
      db,
      sql`select pledger, units::text as units, amount::text as amount, settled, refunded, order_id
        from ${chainView(options.viewsSchema, "pledge")}
        where pool_id = ${poolId.toString()}::numeric and (units > 0 or settled or refunded)
        order by units desc, pledger`,
    )) ?? [];
  return {
    ...summary,
    pledges: pledges.map((p) => ({
      pledger: p.pledger,
      units: Number(p.units),
      amount: p.amount,
      settled: p.settled,
      refunded: p.refunded,
      orderId: p.order_id,
    })),
  };
}
