// Creates a cart with an unguessable share token (256 random bits, base64url).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { carts } from "../db/schema.ts";
import { assertFiatCurrency, currencyCodeSchema } from "../pricing/currencies.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";

export const createCartSchema = z
  .object({
    ownerUserId: z.uuid().optional(),
    collaborative: z.boolean().default(false),
    currency: currencyCodeSchema.default("USD"),
  })
  .strict();
export type CreateCartInput = z.input<typeof createCartSchema>;

export function newShareToken(): string {
  return randomBytes(32).toString("base64url");
}

export async function createCart(db: Executor, input: CreateCartInput = {}) {
  const { ownerUserId, collaborative, currency } = parseInput(createCartSchema, input, "cart");
  const [cart] = await db
    .insert(carts)
    .values({
      ownerUserId: ownerUserId ?? null,
      collaborative,
      currency: assertFiatCurrency(currency),
      shareToken: newShareToken(),
    })
    .returning();
  if (!cart) throw new Error("insert into commerce.carts returned no row");
  return cart;
}
