// Attribution clicks: a shopper following a product from a creator's storefront. The shopper's
// browser keeps a random visitor id in a cookie (REFERRAL_COOKIE); each click is stored against it
// (and against the shopper's user when signed in), and the latest click for a product within
// REFERRAL_WINDOW_DAYS decides which creator that product's purchase pays (last click wins).
import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { products, users } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { handleSchema } from "./creator-profile.ts";
import { creatorPicks, creatorProfiles, creatorReferrals } from "./tables.ts";

export const REFERRAL_COOKIE = "neocart_creator_ref";
export const REFERRAL_WINDOW_DAYS = 30;
export const REFERRAL_WINDOW_MS = REFERRAL_WINDOW_DAYS * 86_400_000;

export const visitorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, "a referral visitor id");
export const productSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,199}$/, "a product slug (lowercase letters, digits and -)");

/** A fresh unguessable visitor id (128 bits, base64url). */
export function newVisitorId(): string {
  return randomBytes(16).toString("base64url");
}

/** The cookie's visitor id when it is well formed, else undefined (a forged value matches no click). */
export function readVisitorId(value: string | undefined): string | undefined {
  return value !== undefined && visitorIdSchema.safeParse(value).success ? value : undefined;
}

const referralSchema = z
  .object({
    handle: handleSchema,
    productSlug: productSlugSchema,
    visitorId: visitorIdSchema,
    viewerUserId: z.uuid().optional(),
    at: z.date().optional(),
  })
  .strict();
export type ReferralInput = z.input<typeof referralSchema>;

export type ReferralResult =
  | { recorded: true; referralId: string }
  | { recorded: false; reason: "unknown_creator" | "not_curated" | "own_storefront" };

/**
 * Records a click from `handle`'s storefront onto a product. Only products the creator curates
 * count, and a creator clicking through their own page records nothing (no self-referral). A
 * repeated click of the same creator and product moves its time forward instead of adding a row.
 */
export async function recordCreatorReferral(db: Executor, input: ReferralInput): Promise<ReferralResult> {
  const args = parseInput(referralSchema, input, "referral");
  const [found] = await db
    .select({ creatorId: creatorProfiles.id, creatorUserId: creatorProfiles.userId, productId: creatorPicks.productId })
    .from(creatorProfiles)
    .innerJoin(users, and(eq(users.id, creatorProfiles.userId), isNull(users.deletedAt)))
    .leftJoin(products, eq(products.slug, args.productSlug))
    .leftJoin(
      creatorPicks,
      and(eq(creatorPicks.creatorId, creatorProfiles.id), eq(creatorPicks.productId, products.id)),
    )
    .where(eq(creatorProfiles.handle, args.handle));
  if (!found) return { recorded: false, reason: "unknown_creator" };
  if (!found.productId) return { recorded: false, reason: "not_curated" };
  if (args.viewerUserId !== undefined && args.viewerUserId === found.creatorUserId) {
    return { recorded: false, reason: "own_storefront" };
  }
  const at = args.at ?? new Date();
  const [row] = await db
    .insert(creatorReferrals)
    .values({
      visitorId: args.visitorId,
      userId: args.viewerUserId ?? null,
      creatorId: found.creatorId,
      productId: found.productId,
      clickedAt: at,
    })
    .onConflictDoUpdate({
      target: [creatorReferrals.visitorId, creatorReferrals.productId, creatorReferrals.creatorId],
      set: {
        clickedAt: sql`excluded.clicked_at`,
        userId: sql`coalesce(excluded.user_id, ${creatorReferrals.userId})`,
      },
    })
    .returning({ id: creatorReferrals.id });
  if (!row) throw new Error("insert into commerce.creator_referrals returned no row");
  return { recorded: true, referralId: row.id };
}
