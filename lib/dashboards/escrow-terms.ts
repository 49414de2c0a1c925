// Every escrow call after checkout passes the order's terms back (the contract stores only a
// commitment to them), so the pages rebuild them from the indexer's escrow_order row. Amounts stay
// decimal strings so they cross to client components unchanged.
import { sql } from "drizzle-orm";
import { type Address, getAddress, type Hex } from "viem";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";

export type EscrowTerms = {
  buyer: Address;
  seller: Address;
  token: Address;
  amount: string;
  fee: string;
  affiliate: Address;
  affiliateBps: number;
  cashback: string;
  productId: Hex;
  deliveryWindow: number;
};

export type EscrowOrderRow = {
  id: Hex;
  state: string;
  deadline: string | null;
  created_at: string;
  buyer_bps: number | null;
  terms: EscrowTerms;
};

type Raw = {
  id: string;
  buyer: string;
  seller: string;
  token: string;
  amount: string;
  fee: string;
  affiliate: string;
  affiliate_bps: number;
  cashback: string;
  product_id: string;
  delivery_window: string;
  state: string;
  deadline: string | null;
  created_at: string;
  buyer_bps: number | null;
};

/** The columns rebuilt into terms; callers add their own where clause. */
export function escrowOrderColumns() {
  return sql`id, buyer, seller, token, amount::text as amount, fee::text as fee, affiliate, affiliate_bps,
             cashback::text as cashback, product_id, delivery_window::text as delivery_window, state,
             deadline::text as deadline, created_at::text as created_at, buyer_bps`;
}

export function toEscrowOrderRow(r: Raw): EscrowOrderRow {
  return {
    id: r.id.toLowerCase() as Hex,
    state: r.state,
    deadline: r.deadline,
    created_at: r.created_at,
    buyer_bps: r.buyer_bps,
    terms: {
      buyer: getAddress(r.buyer),
      seller: getAddress(r.seller),
      token: getAddress(r.token),
      amount: r.amount,
      fee: r.fee,
      affiliate: getAddress(r.affiliate),
      affiliateBps: r.affiliate_bps,
      cashback: r.cashback,
      productId: r.product_id.toLowerCase() as Hex,
      deliveryWindow: Number(r.delivery_window),
    },
  };
}

/** The indexed escrow orders with these ids (lowercase hex), keyed by id; empty when no views. */
export async function readEscrowOrders(
  db: Executor,
  viewsSchema: string,
  ids: readonly string[],
): Promise<Map<string, EscrowOrderRow>> {
  if (ids.length === 0) return new Map();
  const list = sql.join(
    ids.map((id) => sql`${id.toLowerCase()}`),
    sql`, `,
  );
  const rows = await readChainViews<Raw>(
    db,
    sql`select ${escrowOrderColumns()} from ${chainView(viewsSchema, "escrow_order")} where id in (${list})`,
  );
  return new Map((rows ?? []).map((r) => [r.id.toLowerCase(), toEscrowOrderRow(r)]));
}
