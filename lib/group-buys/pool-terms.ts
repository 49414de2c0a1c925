// The terms a seller opens a group buy with, checked before the wallet is asked to sign, with the
// contract's own limits (GroupBuy.openPool: units ≥ 1 and min ≤ max, a deadline within 365 days,
// a delivery window within 180 days, a unit price that fits uint96), so a refusal says what to fix
// instead of costing a reverted transaction.
import { parseEther } from "viem";
import { z } from "zod";

const DAY = 86_400;
const MAX_UINT96 = 2n ** 96n - 1n;

export const poolTermsSchema = z
  .object({
    productId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "Choose one of your listings."),
    unitPriceEth: z
      .string()
      .trim()
      .regex(/^\d{1,9}(\.\d{1,18})?$/, "The price per unit is an amount of ETH, like 0.05.")
      .transform((text) => parseEther(text))
      .refine((wei) => wei > 0n && wei <= MAX_UINT96, "The price per unit must be more than 0 ETH."),
    minUnits: z.coerce.number().int("Units are whole numbers.").min(1, "At least 1 unit must be needed."),
    maxUnits: z.coerce.number().int("Units are whole numbers.").max(100_000, "At most 100,000 units."),
    days: z.coerce
      .number()
      .int("The duration is a whole number of days.")
      .min(1, "A group buy runs at least 1 day.")
      .max(365, "A group buy runs at most 365 days."),
    deliveryDays: z.coerce
      .number()
      .int("The delivery window is a whole number of days.")
      .min(1, "Allow at least 1 day to deliver.")
      .max(180, "The delivery window is at most 180 days."),
  })
  .strict()
  .refine((t) => t.maxUnits >= t.minUnits, {
    message: "The most units must be at least the minimum.",
    path: ["maxUnits"],
  });

export type PoolTermsInput = z.input<typeof poolTermsSchema>;

/** GroupBuy.PoolTerms for an ETH pool opened at `nowSeconds` (the chain's clock). */
export function toPoolTerms(input: PoolTermsInput, nowSeconds: number) {
  const t = poolTermsSchema.parse(input);
  return {
    productId: t.productId as `0x${string}`,
    token: "0x0000000000000000000000000000000000000000" as const,
    unitPrice: t.unitPriceEth,
    minUnits: t.minUnits,
    maxUnits: t.maxUnits,
    deadline: nowSeconds + t.days * DAY,
    deliveryWindow: t.deliveryDays * DAY,
  };
}

/** The first problem with `input`, in words, or null when it is fine. */
export function poolTermsProblem(input: PoolTermsInput): string | null {
  const parsed = poolTermsSchema.safeParse(input);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the group buy's terms.");
}
