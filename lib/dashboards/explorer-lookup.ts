// The auditor's view: who holds which role on chain, and every event of one order or one product
// (escrow state changes, reviews, group-buy pledges, points minted or burned in the same
// transactions), each with its block and transaction, to be checked on a block explorer.
import { sql } from "drizzle-orm";
import { keccak256, stringToBytes } from "viem";
import { z } from "zod";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";

const ROLE_NAMES = [
  "ARBITER_ROLE",
  "QUOTE_SIGNER_ROLE",
  "PAUSER_ROLE",
  "POOL_ROLE",
  "MINTER_ROLE",
  "REDEEMER_ROLE",
  "RECEIPT_SIGNER_ROLE",
];
const roleNameByHash = new Map<string, string>([
  [`0x${"0".repeat(64)}`, "DEFAULT_ADMIN_ROLE"],
  ...ROLE_NAMES.map((name) => [keccak256(stringToBytes(name)), name] as [string, string]),
]);

export function roleName(hash: string): string {
  return roleNameByHash.get(hash.toLowerCase()) ?? hash;
}

export type ChainRole = { contract: string; role: string; account: string; updatedBlock: bigint; updatedTx: string };

export async function listChainRoles(db: Executor, viewsSchema: string): Promise<ChainRole[] | undefined> {
  const rows = await readChainViews<{
    contract: string;
    role: string;
    account: string;
    updated_block: string;
    updated_tx: string;
  }>(
    db,
    sql`select contract, role, account, updated_block::text as updated_block, updated_tx
        from ${chainView(viewsSchema, "role_member")} where active order by contract, role, account`,
  );
  return rows?.map((r) => ({
    contract: r.contract,
    role: roleName(r.role),
    account: r.account,
    updatedBlock: BigInt(r.updated_block),
    updatedTx: r.updated_tx,
  }));
}

export type ExplorerEvent = {
  /** The contract that emitted it. */
  contract: "Escrow" | "Reviews" | "GroupBuy" | "LoyaltyPoints";
  /** paid, shipped, …; reviewed; pledged, settled, …; mint, burn, transfer. */
  kind: string;
  orderId: string | null;
  actor: string | null;
  detail: string;
  blockNumber: bigint;
  timestamp: number;
  txHash: string;
};

export const lookupSchema = z
  .string()
  .trim()
  .min(1, "Enter an order id, a product slug or a product's chain id.")
  .max(160, "That is too long for an order id or a product slug.")
  .regex(
    /^(0x[0-9a-fA-F]{64}|[0-9a-fA-F-]{36}|[a-z0-9-]{1,160})$/,
    "Use a 0x… id (64 hex digits), an order number or a product slug.",
  );

export type LookupResult =
  | { kind: "order"; orderId: string; events: ExplorerEvent[] }
  | { kind: "product"; productId: string; title: string | null; slug: string | null; events: ExplorerEvent[] }
  | { kind: "none" };

type EventRow = {
  contract: ExplorerEvent["contract"];
  kind: string;
  order_id: string | null;
  actor: string | null;
  detail: string;
  block_number: string;
  timestamp: string;
  tx_hash: string;
};

function toEvents(rows: EventRow[] | undefined): ExplorerEvent[] {
  return (rows ?? [])
    .map((r) => ({
      contract: r.contract,
      kind: r.kind,
      orderId: r.order_id,
      actor: r.actor,
      detail: r.detail,
      blockNumber: BigInt(r.block_number),
      timestamp: Number(r.timestamp),
      txHash: r.tx_hash,
    }))
    .sort((a, b) => (a.blockNumber === b.blockNumber ? 0 : a.blockNumber < b.blockNumber ? -1 : 1));
}

/** Escrow, review, pledge and points events whose order id is one of `orderIdsSql`. */
function orderEventsSql(viewsSchema: string, orderIds: ReturnType<typeof sql>) {
  const v = (name: string) => chainView(viewsSchema, name);
  return sql`
    with ids as (${orderIds}),
    escrow as (
      select 'Escrow' as contract, e.kind, e.order_id, e.actor,
             concat_ws(' ', 'amount=' || e.amount, 'toBuyer=' || e.to_buyer, 'toSeller=' || e.to_seller,
                       'buyerBps=' || e.buyer_bps, 'cashback=' || e.cashback) as detail,
             e.block_number::text as block_number, e.timestamp::text as timestamp, e.tx_hash
      from ${v("escrow_order_event")} e where e.order_id in (select id from ids)
    )
    select * from escrow
    union all
    select 'Reviews', 'reviewed', r.id, r.author,
           concat('rating=', r.rating, ' contentHash=', r.content_hash, case when r.via_receipt then ' viaReceipt' else '' end),
           r.block_number::text, r.timestamp::text, r.tx_hash
      from ${v("review")} r where r.id in (select id from ids)
    union all
    select 'GroupBuy', p.kind, p.order_id, p.pledger, concat('pool=', p.pool_id, ' amount=', p.amount),
           p.block_number::text, p.timestamp::text, p.tx_hash
      from ${v("pledge_event")} p where p.order_id in (select id from ids)
    union all
    select 'LoyaltyPoints', t.kind, null, null, concat('from=', t."from", ' to=', t."to", ' value=', t.value),
           t.block_number::text, t.timestamp::text, t.tx_hash
      from ${v("points_transfer")} t where t.tx_hash in (select tx_hash from escrow)`;
}

export async function lookupChainEvents(db: Executor, viewsSchema: string, rawRef: string): Promise<LookupResult> {
  const ref = lookupSchema.parse(rawRef);
  // A commerce order number (uuid) stands for its chain order id.
  let orderId: string | undefined;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) {
    const found = await db.execute<{ chain_order_id: string }>(
      sql`select chain_order_id from commerce.orders where id = ${ref.toLowerCase()}`,
    );
    orderId = found.rows[0]?.chain_order_id;
    if (!orderId) return { kind: "none" };
  } else if (ref.startsWith("0x")) {
    const hex = ref.toLowerCase();
    const known = await readChainViews<{ n: number }>(
      db,
      sql`select 1 as n from ${chainView(viewsSchema, "escrow_order")} where id = ${hex}
          union all select 1 from ${chainView(viewsSchema, "review")} where id = ${hex} limit 1`,
    );
    if (known && known.length > 0) orderId = hex;
  }
  if (orderId) {
    const rows = await readChainViews<EventRow>(db, orderEventsSql(viewsSchema, sql`select ${orderId}::text as id`));
    return { kind: "order", orderId, events: toEvents(rows) };
  }

  const product = await db.execute<{ chain_id_hash: string; title: string; slug: string }>(
    ref.startsWith("0x")
      ? sql`select chain_id_hash, title, slug from commerce.products where chain_id_hash = ${ref.toLowerCase()}`
      : sql`select chain_id_hash, title, slug from commerce.products where slug = ${ref}`,
  );
  const productId = product.rows[0]?.chain_id_hash ?? (ref.startsWith("0x") ? ref.toLowerCase() : undefined);
  if (!productId) return { kind: "none" };
  const v = (name: string) => chainView(viewsSchema, name);
  const ids = sql`select id from ${v("escrow_order")} where product_id = ${productId}
                  union select id from ${v("review")} where product_id = ${productId}`;
  const orderRows = await readChainViews<EventRow>(db, orderEventsSql(viewsSchema, ids));
  // Pledges of this product's pools that have not (yet) become orders.
  const poolRows = await readChainViews<EventRow>(
    db,
    sql`select 'GroupBuy' as contract, p.kind, p.order_id, p.pledger as actor,
               concat('pool=', p.pool_id, ' units=', p.units, ' amount=', p.amount) as detail,
               p.block_number::text as block_number, p.timestamp::text as timestamp, p.tx_hash
        from ${v("pledge_event")} p join ${v("pool")} pl on pl.id = p.pool_id
        where pl.product_id = ${productId} and p.order_id is null`,
  );
  const events = toEvents([...(orderRows ?? []), ...(poolRows ?? [])]);
  if (events.length === 0 && !product.rows[0]) return { kind: "none" };
  return {
    kind: "product",
    productId,
    title: product.rows[0]?.title ?? null,
    slug: product.rows[0]?.slug ?? null,
    events,
  };
}
