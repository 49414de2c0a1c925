// Gives back the stock that escrow checkouts took when their quote expires unpaid.
//
// The Escrow refuses a quote after its expiry (chain time), so once the indexer has indexed past
// that moment and holds no OrderPaid for the order, the order can never be paid: its stock goes
// back to the offers and the order becomes "quote_expired". Reading "indexed past" from the
// indexer's own checkpoint (not from the wall clock) means a lagging indexer delays the release
// instead of releasing stock of an order that was in fact paid.
import pg from "pg";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { parseInput } from "../pricing/parse-input.ts";

export const QUOTE_EXPIRED_STATUS = "quote_expired";

const releaseSchema = z
  .object({
    viewsSchema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, "a schema name (letters, digits, _ or -)")
      .default("neocart_chain"),
    limit: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type ReleaseExpiredQuotesInput = z.input<typeof releaseSchema>;

export type ReleaseExpiredQuotesResult = {
  released: number;
  /** Unix seconds the indexer has indexed through, or null when its views are not published. */
  indexedThrough: number | null;
};

const quote = pg.escapeIdentifier;

/** Seconds of chain time the indexer has indexed through (Ponder checkpoints start with it). */
async function indexedThrough(db: Db, viewsSchema: string): Promise<number | null> {
  const { rows: present } = await db.$client.query(
    "select 1 from information_schema.views where table_schema = $1 and table_name in ('_ponder_checkpoint', 'escrow_order') having count(*) = 2",
    [viewsSchema],
  );
  if (present.length === 0) return null;
  const { rows } = await db.$client.query<{ through: string | null }>(
    `select min(substr(latest_checkpoint, 1, 10)::bigint)::text as through from ${quote(viewsSchema)}._ponder_checkpoint`,
  );
  return rows[0]?.through ? Number(rows[0].through) : null;
}

export async function releaseExpiredQuotes(
  db: Db,
  input: ReleaseExpiredQuotesInput = {},
): Promise<ReleaseExpiredQuotesResult> {
  const { viewsSchema, limit } = parseInput(releaseSchema, input, "expired quote release");
  const through = await indexedThrough(db, viewsSchema);
  if (through === null) return { released: 0, indexedThrough: null };
  const client = await db.$client.connect();
  try {
    await client.query("begin");
    // skip locked: a checkout or webhook holding an order is left for the next run.
    const { rows } = await client.query<{ id: string }>(
      `select o.id from commerce.orders o
         join commerce.escrow_quotes q on q.order_id = o.id
        where o.kind = 'escrow' and o.status = 'awaiting_payment'
          and q.expires_at < to_timestamp($1)
          and not exists (select 1 from ${quote(viewsSchema)}.escrow_order e where e.id = o.chain_order_id)
        order by q.expires_at
        limit $2
        for update of o skip locked`,
      [through, limit],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      await client.query(
        `update commerce.offers f set stock = f.stock + back.quantity
           from (select offer_id, sum(quantity)::int as quantity from commerce.order_items
                  where order_id = any($1::uuid[]) group by offer_id) back
          where f.id = back.offer_id`,
        [ids],
      );
      await client.query("update commerce.orders set status = $2, updated_at = now() where id = any($1::uuid[])", [
        ids,
        QUOTE_EXPIRED_STATUS,
      ]);
      await client.query(
        `insert into commerce.order_status_history (order_id, status, note)
         select id, $2, 'the checkout quote expired unpaid; its stock was released' from unnest($1::uuid[]) id`,
        [ids, QUOTE_EXPIRED_STATUS],
      );
    }
    await client.query("commit");
    return { released: ids.length, indexedThrough: through };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
