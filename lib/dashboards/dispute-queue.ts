// Disputed escrow orders waiting for the arbiter, oldest deadline first, with the terms the
// arbiter's resolveDispute call must pass back to the escrow.
import { sql } from "drizzle-orm";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Executor } from "../pricing/executor.ts";
import { type EscrowOrderRow, escrowOrderColumns, toEscrowOrderRow } from "./escrow-terms.ts";

export type Dispute = EscrowOrderRow & { title: string | null; commerceOrderId: string | null };

export async function listDisputes(db: Executor, viewsSchema: string, limit = 100): Promise<Dispute[] | undefined> {
  const rows = await readChainViews<
    Parameters<typeof toEscrowOrderRow>[0] & { title: string | null; commerce_order_id: string | null }
  >(
    db,
    sql`select ${escrowOrderColumns()},
               (select p.title from commerce.products p where p.chain_id_hash = eo.product_id limit 1) as title,
               (select o.id::text from commerce.orders o where o.chain_order_id = eo.id limit 1) as commerce_order_id
        from ${chainView(viewsSchema, "escrow_order")} eo
        where state = 'disputed'
        order by deadline asc nulls last, id limit ${limit}`,
  );
  return rows?.map((r) => ({ ...toEscrowOrderRow(r), title: r.title, commerceOrderId: r.commerce_order_id }));
}
