// A creator's curation: which catalog products their storefront shows, in their order, each with
// a short note. Every write is scoped by the creator id the server found for the signed-in user,
// and serialised on the creator's profile row so positions never collide.
import { and, asc, count, desc, eq, gt, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { products } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { PickNotFoundError, PickProductNotFoundError, TooManyPicksError } from "./errors.ts";
import { creatorPicks, creatorProfiles } from "./tables.ts";

export const MAX_PICKS = 48;

const noteSchema = z.string().trim().max(280, "Note: at most 280 characters.").default("");
const productIdSchema = z.uuid("Choose one of the products on your page.");

export const addPickSchema = z
  .object({
    /** The product's address as in /product/<slug>; a pasted URL works too. */
    product: z
      .string()
      .trim()
      .min(1, "Product: paste the product's page address or its slug.")
      .max(300, "Product: at most 300 characters.")
      .transform((value) =>
        value
          .replace(/^.*\/product\//, "")
          .replace(/[?#].*$/, "")
          .replace(/\/+$/, ""),
      ),
    note: noteSchema,
  })
  .strict();
export const pickNoteSchema = z.object({ productId: productIdSchema, note: noteSchema }).strict();
export const removePickSchema = z.object({ productId: productIdSchema }).strict();
export const movePickSchema = z
  .object({ productId: productIdSchema, direction: z.enum(["up", "down"], "Direction is up or down.") })
  .strict();

export type CreatorPick = { productId: string; slug: string; title: string; note: string; position: number };

async function lockCreator(tx: Executor, creatorId: string) {
  await tx
    .select({ id: creatorProfiles.id })
    .from(creatorProfiles)
    .where(eq(creatorProfiles.id, creatorId))
    .for("update");
}

export async function listCreatorPicks(db: Executor, creatorId: string): Promise<CreatorPick[]> {
  return db
    .select({
      productId: creatorPicks.productId,
      slug: products.slug,
      title: products.title,
      note: creatorPicks.note,
      position: creatorPicks.position,
    })
    .from(creatorPicks)
    .innerJoin(products, eq(products.id, creatorPicks.productId))
    .where(eq(creatorPicks.creatorId, creatorId))
    .orderBy(asc(creatorPicks.position), asc(creatorPicks.addedAt));
}

/** Adds a product at the end of the page; adding one already there just updates its note. */
export async function addCreatorPick(db: Executor, creatorId: string, input: unknown): Promise<CreatorPick> {
  const args = parseInput(addPickSchema, input, "product to add");
  return db.transaction(async (tx) => {
    await lockCreator(tx, creatorId);
    const [product] = await tx
      .select({ id: products.id, slug: products.slug, title: products.title })
      .from(products)
      .where(eq(products.slug, args.product));
    if (!product) throw new PickProductNotFoundError(args.product);
    const [existing] = await tx
      .select({ position: creatorPicks.position })
      .from(creatorPicks)
      .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, product.id)));
    if (existing) {
      await tx
        .update(creatorPicks)
        .set({ note: args.note })
        .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, product.id)));
      return {
        productId: product.id,
        slug: product.slug,
        title: product.title,
        note: args.note,
        position: existing.position,
      };
    }
    const [stats] = await tx
      .select({ n: count(), last: sql<number | null>`max(${creatorPicks.position})` })
      .from(creatorPicks)
      .where(eq(creatorPicks.creatorId, creatorId));
    if ((stats?.n ?? 0) >= MAX_PICKS) throw new TooManyPicksError(MAX_PICKS);
    const position = stats?.last === null || stats?.last === undefined ? 0 : Number(stats.last) + 1;
    await tx.insert(creatorPicks).values({ creatorId, productId: product.id, note: args.note, position });
    return { productId: product.id, slug: product.slug, title: product.title, note: args.note, position };
  });
}

export async function setCreatorPickNote(db: Executor, creatorId: string, input: unknown): Promise<void> {
  const args = parseInput(pickNoteSchema, input, "note");
  const rows = await db
    .update(creatorPicks)
    .set({ note: args.note })
    .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, args.productId)))
    .returning({ productId: creatorPicks.productId });
  if (rows.length === 0) throw new PickNotFoundError();
}

export async function removeCreatorPick(db: Executor, creatorId: string, input: unknown): Promise<void> {
  const args = parseInput(removePickSchema, input, "product to remove");
  const rows = await db
    .delete(creatorPicks)
    .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, args.productId)))
    .returning({ productId: creatorPicks.productId });
  if (rows.length === 0) throw new PickNotFoundError();
}

/** Swaps a pick with its neighbour above or below; at either end it stays where it is. */
export async function moveCreatorPick(db: Executor, creatorId: string, input: unknown): Promise<void> {
  const args = parseInput(movePickSchema, input, "move");
  await db.transaction(async (tx) => {
    await lockCreator(tx, creatorId);
    const [pick] = await tx
      .select({ position: creatorPicks.position })
      .from(creatorPicks)
      .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, args.productId)));
    if (!pick) throw new PickNotFoundError();
    const up = args.direction === "up";
    const [neighbour] = await tx
      .select({ productId: creatorPicks.productId, position: creatorPicks.position })
      .from(creatorPicks)
      .where(
        and(
          eq(creatorPicks.creatorId, creatorId),
          up ? lt(creatorPicks.position, pick.position) : gt(creatorPicks.position, pick.position),
        ),
      )
      .orderBy(up ? desc(creatorPicks.position) : asc(creatorPicks.position))
      .limit(1);
    if (!neighbour) return;
    await tx
      .update(creatorPicks)
      .set({ position: neighbour.position })
      .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, args.productId)));
    await tx
      .update(creatorPicks)
      .set({ position: pick.position })
      .where(and(eq(creatorPicks.creatorId, creatorId), eq(creatorPicks.productId, neighbour.productId)));
  });
}
