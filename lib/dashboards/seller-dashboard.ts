// The seller dashboard's reads and writes. Every function takes the seller id the server found
// for the signed-in user (never one from the browser), and every write is scoped by it, so a
// seller cannot touch another seller's offers or orders by guessing ids.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { chainView, readChainViews } from "../chain/views.ts";
import type { Db } from "../db/client.ts";
import { offers, orderItems, orderStatusHistory, orders, products, sellers } from "../db/schema.ts";
import { CommerceError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { type EscrowOrderRow, escrowOrderColumns, toEscrowOrderRow } from "./escrow-terms.ts";

export type SellerAccount = { id: string; name: string; slug: string; payoutAddress: string | null };

/** The seller the user runs (the oldest, should there be several), or null. */
export async function findSellerOfUser(db: Executor, userId: string): Promise<SellerAccount | null> {
  const [row] = await db
    .select({ id: sellers.id, name: sellers.name, slug: sellers.slug, payoutAddress: sellers.payoutAddress })
    .from(sellers)
    .where(eq(sellers.userId, userId))
    .orderBy(asc(sellers.createdAt), asc(sellers.id))
    .limit(1);
  return row ?? null;
}

export type SellerListing = {
  offerId: string;
  productTitle: string;
  productSlug: string;
  /** The product's id on chain (bytes32), as group buys and escrow orders name it. */
  productChainId: string;
  priceMinor: bigint;
  currency: string;
  stock: number;
  active: boolean;
};

export async function listSellerListings(db: Executor, sellerId: string, limit = 200): Promise<SellerListing[]> {
  return db
    .select({
      offerId: offers.id,
      productTitle: products.title,
      productSlug: products.slug,
      productChainId: products.chainIdHash,
      priceMinor: offers.priceMinor,
      currency: offers.currency,
      stock: offers.stock,
      active: offers.active,
    })
    .from(offers)
    .innerJoin(products, eq(products.id, offers.productId))
    .where(eq(offers.sellerId, sellerId))
    .orderBy(asc(products.title), asc(offers.id))
    .limit(limit);
}

export const stockChangeSchema = z
  .object({
    offerId: z.uuid("Choose one of your listings."),
    stock: z.coerce
      .number("Stock must be a whole number.")
      .int("Stock must be a whole number.")
      .min(0, "Stock cannot be negative.")
      .max(1_000_000, "Stock is at most 1,000,000."),
  })
  .strict();

/** Sets the stock of one of the seller's own offers; another seller's offer reads as unknown. */
export async function setOfferStock(db: Executor, sellerId: string, input: unknown): Promise<{ stock: number }> {
  const change = parseInput(stockChangeSchema, input, "stock change");
  const [row] = await db
    .update(offers)
    .set({ stock: change.stock })
    .where(and(eq(offers.id, change.offerId), eq(offers.sellerId, sellerId)))
    .returning({ stock: offers.stock });
  if (!row) throw new CommerceError("not_found", 404, "None of your listings has that id; reload the page.");
  return row;
}

export type EscrowBalance = { state: string; token: string; orders: number; amount: bigint };
export type EscrowCredit = { token: string; withdrawable: bigint; withdrawn: bigint; credited: bigint };

/** Sums of the seller's escrow orders by state and token, and what it can withdraw now. */
export async function readEscrowBalances(
  db: Executor,
  viewsSchema: string,
  payoutAddress: string | null,
): Promise<{ byState: EscrowBalance[]; credits: EscrowCredit[]; indexed: boolean }> {
  if (!payoutAddress) return { byState: [], credits: [], indexed: true };
  const account = payoutAddress.toLowerCase();
  const byState = await readChainViews<{ state: string; token: string; orders: number; amount: string }>(
    db,
    sql`select state, token, count(*)::int as orders, sum(amount)::text as amount
        from ${chainView(viewsSchema, "escrow_order")} where seller = ${account}
        group by state, token order by state, token`,
  );
  const credits = await readChainViews<{ token: string; withdrawable: string; withdrawn: string; credited: string }>(
    db,
    sql`select token, withdrawable::text as withdrawable, withdrawn::text as withdrawn, credited::text as credited
        from ${chainView(viewsSchema, "escrow_credit")} where account = ${account} order by token`,
  );
  return {
    indexed: byState !== undefined && credits !== undefined,
    byState: (byState ?? []).map((r) => ({ ...r, amount: BigInt(r.amount) })),
    credits: (credits ?? []).map((r) => ({
      token: r.token,
      withdrawable: BigInt(r.withdrawable),
      withdrawn: BigInt(r.withdrawn),
      credited: BigInt(r.credited),
    })),
  };
}

export type EscrowShipment = EscrowOrderRow & { title: string | null };
export type FiatShipment = { orderId: string; createdAt: Date; lines: { title: string; quantity: number }[] };

/** Paid escrow orders the seller must mark shipped (on chain), and paid fiat orders (here). */
export async function listShipmentsToMark(
  db: Executor,
  viewsSchema: string,
  seller: SellerAccount,
): Promise<{ escrow: EscrowShipment[]; fiat: FiatShipment[] }> {
  const escrowRows = seller.payoutAddress
    ? ((await readChainViews<Parameters<typeof toEscrowOrderRow>[0] & { title: string | null }>(
        db,
        sql`select ${escrowOrderColumns()},
                   (select p.title from commerce.products p where p.chain_id_hash = eo.product_id limit 1) as title
            from ${chainView(viewsSchema, "escrow_order")} eo
            where seller = ${seller.payoutAddress.toLowerCase()} and state = 'paid'
            order by created_at limit 100`,
      )) ?? [])
    : [];
  const fiatLines = await db
    .select({ orderId: orders.id, createdAt: orders.createdAt, title: products.title, quantity: orderItems.quantity })
    .from(orders)
    .innerJoin(orderItems, eq(orderItems.orderId, orders.id))
    .innerJoin(products, eq(products.id, orderItems.productId))
    .where(and(eq(orders.kind, "fiat"), eq(orders.status, "paid"), eq(orderItems.sellerId, seller.id)))
    .orderBy(asc(orders.createdAt))
    .limit(200);
  const fiat = new Map<string, FiatShipment>();
  for (const line of fiatLines) {
    const entry = fiat.get(line.orderId) ?? { orderId: line.orderId, createdAt: line.createdAt, lines: [] };
    entry.lines.push({ title: line.title, quantity: line.quantity });
    fiat.set(line.orderId, entry);
  }
  return {
    escrow: escrowRows.map((r) => ({ ...toEscrowOrderRow(r), title: r.title })),
    fiat: [...fiat.values()],
  };
}

export const markShippedSchema = z.object({ orderId: z.uuid("Choose one of your orders.") }).strict();

/**
 * Marks a paid fiat order shipped. Only when every line is the seller's: the status is the whole
 * order's, and one seller must not announce another seller's parcel.
 */
export async function markFiatOrderShipped(db: Db, sellerId: string, input: unknown): Promise<void> {
  const { orderId } = parseInput(markShippedSchema, input, "shipment");
  await db.transaction(async (tx) => {
    const [order] = await tx
      .select({ id: orders.id, kind: orders.kind, status: orders.status })
      .from(orders)
      .where(eq(orders.id, orderId))
      .for("update");
    const lines = order
      ? await tx.select({ sellerId: orderItems.sellerId }).from(orderItems).where(eq(orderItems.orderId, orderId))
      : [];
    if (!order || !lines.some((l) => l.sellerId === sellerId)) {
      throw new CommerceError("not_found", 404, "None of your orders has that id; reload the page.");
    }
    if (order.kind !== "fiat") {
      throw new CommerceError("wrong_kind", 409, "Escrow orders are marked shipped on chain, with your wallet.");
    }
    if (order.status !== "paid") {
      throw new CommerceError("wrong_status", 409, `This order is ${order.status}, not paid; only paid orders ship.`);
    }
    if (lines.some((l) => l.sellerId !== sellerId)) {
      throw new CommerceError(
        "shared_order",
        409,
        "This order has lines from other sellers too; ask support to mark it shipped.",
      );
    }
    await tx.update(orders).set({ status: "shipped", updatedAt: new Date() }).where(eq(orders.id, orderId));
    await tx.insert(orderStatusHistory).values({ orderId, status: "shipped", note: "marked shipped by the seller" });
  });
}
