// What a seller pays the creator whose storefront sold its product. Decided here, on the server,
// never by the browser: a platform default that a seller may override for its own listings. The
// figure is the Escrow's affiliateBps: basis points of the order's amount after the platform fee,
// credited to the creator when the order completes.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { creatorCommissionTerms } from "./tables.ts";

/** 5 %: what creators earn on a seller that set nothing. */
export const DEFAULT_CREATOR_COMMISSION_BPS = 500;
/** 30 %: a ceiling so a mistyped figure cannot give away most of a sale (the contract allows 100 %). */
export const MAX_CREATOR_COMMISSION_BPS = 3_000;

export type SellerCommission = { bps: number; source: "seller" | "platform" };

export async function readSellerCommission(db: Executor, sellerId: string): Promise<SellerCommission> {
  const [row] = await db
    .select({ bps: creatorCommissionTerms.commissionBps })
    .from(creatorCommissionTerms)
    .where(eq(creatorCommissionTerms.sellerId, sellerId));
  return row ? { bps: row.bps, source: "seller" } : { bps: DEFAULT_CREATOR_COMMISSION_BPS, source: "platform" };
}

export const sellerCommissionSchema = z
  .object({
    /** Percent as sellers think of it ("5", "2.5"); 0 opts the seller's listings out. */
    percent: z.coerce
      .number("Commission must be a number of percent, like 5 or 2.5.")
      .min(0, "Commission cannot be negative.")
      .max(MAX_CREATOR_COMMISSION_BPS / 100, `Commission is at most ${MAX_CREATOR_COMMISSION_BPS / 100} %.`)
      .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, "Commission has at most two decimals."),
  })
  .strict();

/** Sets (idempotently) the commission `sellerId` pays creators; returns it in basis points. */
export async function setSellerCommission(db: Executor, sellerId: string, input: unknown): Promise<number> {
  const { percent } = parseInput(sellerCommissionSchema, input, "commission");
  const bps = Math.round(percent * 100);
  await db
    .insert(creatorCommissionTerms)
    .values({ sellerId, commissionBps: bps })
    .onConflictDoUpdate({
      target: creatorCommissionTerms.sellerId,
      set: { commissionBps: bps, updatedAt: sql`now()` },
    });
  return bps;
}
