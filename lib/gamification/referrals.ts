// Referral codes and attaching a referral to a new shopper. A code is made once per user and
// shared as /r/<code>; the first sign-in of a new user who arrived through such a link attaches it.
// The points are paid later by the rewards service, once the referee completes a first purchase.
import { randomInt } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { chainView, readChainViews } from "../chain/views.ts";
import { orders, wallets } from "../db/schema.ts";
import { PAID_FIAT_STATUSES } from "../orders/issue-purchase-receipt.ts";
import { CommerceError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { referralCodes, referrals } from "./tables.ts";

/** No 0/O, 1/I/L: a code read aloud or copied by hand stays unambiguous. */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const REFERRAL_CODE_LENGTH = 8;
/** The cookie /r/<code> sets; read once at sign-in. */
export const REFERRAL_COOKIE = "neocart_ref";
/** How long a referral link counts after it was opened. */
export const REFERRAL_COOKIE_MAX_AGE_SECONDS = 30 * 86_400;

export const referralCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    new RegExp(`^[${CODE_ALPHABET}]{${REFERRAL_CODE_LENGTH}}$`),
    `a referral code is ${REFERRAL_CODE_LENGTH} letters and digits (no 0, O, 1, I or L)`,
  );

export class ReferralError extends CommerceError {
  override name = "ReferralError";
}

function newCode(): string {
  let code = "";
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** The user's referral code, made on first use (concurrent first uses agree on one code). */
export async function getOrCreateReferralCode(db: Executor, userId: string): Promise<string> {
  const id = parseInput(z.uuid(), userId, "user id");
  for (let attempt = 0; attempt < 5; attempt++) {
    const [existing] = await db
      .select({ code: referralCodes.code })
      .from(referralCodes)
      .where(eq(referralCodes.userId, id));
    if (existing) return existing.code;
    // A clash on either key does nothing: the same user's code made meanwhile is read on the next
    // turn, and a code another user holds (31^8 codes, rare) is drawn again.
    await db.insert(referralCodes).values({ userId: id, code: newCode() }).onConflictDoNothing();
  }
  throw new Error("could not make a unique referral code in 5 attempts");
}

/** The owner of `code`, or undefined. */
export async function findReferrer(db: Executor, code: string): Promise<string | undefined> {
  const parsed = referralCodeSchema.safeParse(code);
  if (!parsed.success) return undefined;
  const [row] = await db
    .select({ userId: referralCodes.userId })
    .from(referralCodes)
    .where(eq(referralCodes.code, parsed.data));
  return row?.userId;
}

const attachSchema = z
  .object({
    refereeUserId: z.uuid("the referred user id must be a UUID"),
    code: referralCodeSchema,
  })
  .strict();

export type AttachReferralOptions = {
  /** The indexer's views, to refuse shoppers who already bought through the escrow. */
  viewsSchema?: string;
};

export type AttachedReferral = { referrerUserId: string; refereeUserId: string; code: string };

/**
 * Records that `refereeUserId` was referred by the owner of `code`. Refused: an unknown code, your
 * own code, a shopper already referred (once, ever) and a shopper who already bought something
 * (referrals reward bringing new customers).
 */
export async function attachReferral(
  db: Executor,
  input: unknown,
  options: AttachReferralOptions = {},
): Promise<AttachedReferral> {
  const args = parseInput(attachSchema, input, "referral");
  return db.transaction(async (tx) => {
    // Two sign-ins of one new user at once must not both pass the checks below.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`referral:${args.refereeUserId}`}, 0))`);
    const [owner] = await tx
      .select({ userId: referralCodes.userId })
      .from(referralCodes)
      .where(eq(referralCodes.code, args.code));
    if (!owner) {
      throw new ReferralError(
        "unknown_code",
        404,
        `Referral code ${args.code} does not exist; check the link you were given.`,
      );
    }
    if (owner.userId === args.refereeUserId) {
      throw new ReferralError(
        "self_referral",
        409,
        "That is your own referral code; share it with someone else instead.",
      );
    }
    const [already] = await tx
      .select({ referrer: referrals.referrerUserId })
      .from(referrals)
      .where(eq(referrals.refereeUserId, args.refereeUserId));
    if (already) {
      throw new ReferralError(
        "already_referred",
        409,
        "This account was already referred; a referral cannot be changed.",
      );
    }
    if (await hasPurchased(tx, args.refereeUserId, options.viewsSchema)) {
      throw new ReferralError(
        "not_new",
        409,
        "Referrals are for new shoppers; this account has already bought something.",
      );
    }
    await tx
      .insert(referrals)
      .values({ refereeUserId: args.refereeUserId, referrerUserId: owner.userId, code: args.code });
    return { referrerUserId: owner.userId, refereeUserId: args.refereeUserId, code: args.code };
  });
}

async function hasPurchased(db: Executor, userId: string, viewsSchema: string | undefined): Promise<boolean> {
  const [paid] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.kind, "fiat"), inArray(orders.status, [...PAID_FIAT_STATUSES])))
    .limit(1);
  if (paid) return true;
  if (!viewsSchema) return false;
  const onChain = await readChainViews<{ id: string }>(
    db,
    sql`select o.id from ${chainView(viewsSchema, "escrow_order")} o
        join ${wallets} w on w.address = o.buyer
        where w.user_id = ${userId} limit 1`,
  );
  return (onChain?.length ?? 0) > 0;
}

export type ReferralSummary = {
  code: string;
  referred: { attachedAt: Date; rewarded: boolean }[];
};

/** The user's code and the people they referred (no identities: only when, and whether paid). */
export async function readReferralSummary(db: Executor, userId: string): Promise<ReferralSummary> {
  const code = await getOrCreateReferralCode(db, userId);
  const rows = await db.execute<{ attached_at: Date | string; rewarded: boolean }>(
    sql`select r.attached_at,
               exists (select 1 from commerce.reward_awards a
                       where a.award_key = 'referral:' || r.referee_user_id || ':referrer') as rewarded
        from ${referrals} r where r.referrer_user_id = ${userId} order by r.attached_at desc limit 100`,
  );
  return {
    code,
    referred: rows.rows.map((r) => ({ attachedAt: new Date(r.attached_at), rewarded: r.rewarded })),
  };
}
