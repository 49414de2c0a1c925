// A creator's profile: any signed-in wallet user may open one storefront. The payout wallet is
// the one they signed in with when creating it (proven by the sign-in), never a field of the form.
import { and, eq, isNull, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { z } from "zod";
import { users } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { HandleTakenError } from "./errors.ts";
import { type CreatorProfileRow, creatorProfiles } from "./tables.ts";

/** 3–30 of a-z, 0-9, "-" and "_", starting and ending with a letter or digit (URL-safe as is). */
export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]$/;

export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HANDLE_PATTERN, "Handle: 3 to 30 letters, digits, - or _, starting and ending with a letter or digit.");

export const creatorProfileSchema = z
  .object({
    handle: handleSchema,
    displayName: z
      .string()
      .trim()
      .min(1, "Display name: write the name shoppers will see.")
      .max(80, "Display name: at most 80 characters."),
    bio: z.string().trim().max(500, "Bio: at most 500 characters.").default(""),
  })
  .strict();

export type CreatorOwner = { userId: string; address: string };
export type CreatorProfile = Omit<CreatorProfileRow, "payoutAddress"> & { payoutAddress: `0x${string}` };

function toProfile(row: CreatorProfileRow): CreatorProfile {
  return { ...row, payoutAddress: getAddress(row.payoutAddress) };
}

function isHandleConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  const constraint = e.constraint ?? e.cause?.constraint;
  return code === "23505" && constraint === "creator_profiles_handle_key";
}

/** Creates the owner's profile, or updates its handle, name and bio (the payout wallet stays). */
export async function saveCreatorProfile(db: Executor, owner: CreatorOwner, input: unknown): Promise<CreatorProfile> {
  const profile = parseInput(creatorProfileSchema, input, "creator profile");
  const payout = getAddress(owner.address).toLowerCase();
  try {
    const [row] = await db
      .insert(creatorProfiles)
      .values({ userId: owner.userId, payoutAddress: payout, ...profile })
      .onConflictDoUpdate({
        target: creatorProfiles.userId,
        set: { handle: profile.handle, displayName: profile.displayName, bio: profile.bio, updatedAt: sql`now()` },
      })
      .returning();
    if (!row) throw new Error("insert into commerce.creator_profiles returned no row");
    return toProfile(row);
  } catch (error) {
    if (isHandleConflict(error)) throw new HandleTakenError(profile.handle);
    throw error;
  }
}

export async function findCreatorOfUser(db: Executor, userId: string): Promise<CreatorProfile | null> {
  const [row] = await db.select().from(creatorProfiles).where(eq(creatorProfiles.userId, userId));
  return row ? toProfile(row) : null;
}

/** The creator behind a public handle; null for a handle that is malformed or unknown. */
export async function findCreatorByHandle(db: Executor, handle: string): Promise<CreatorProfile | null> {
  const parsed = handleSchema.safeParse(handle);
  if (!parsed.success) return null;
  // A deleted account's storefront goes dark with it (the user row stays only as a tombstone).
  const [found] = await db
    .select({ profile: creatorProfiles })
    .from(creatorProfiles)
    .innerJoin(users, eq(users.id, creatorProfiles.userId))
    .where(and(eq(creatorProfiles.handle, parsed.data), isNull(users.deletedAt)));
  return found ? toProfile(found.profile) : null;
}
