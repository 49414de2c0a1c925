// The search API's inputs, checked with zod before any SQL runs. Every message names the field
// and says what a valid value looks like, because it is shown to whoever typed the request.
import { z } from "zod";
import { deliveryOptions, paymentMethods } from "../db/schema.ts";

export const sortOrders = ["relevance", "price_asc", "price_desc", "rating", "newest"] as const;
export const MAX_PAGE_SIZE = 100;
/** Deeper pages cost a sort of everything before them; nobody reads past this. */
export const MAX_RESULT_WINDOW = 10_000;
export const MAX_QUERY_LENGTH = 200;
export const MAX_SUGGEST_LIMIT = 20;

export class SearchInputError extends Error {
  override name = "SearchInputError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid search: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

const wholeNumber = (field: string, min: number, max: number, hint = `between ${min} and ${max}`) =>
  z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be ${hint}`)
    .max(max, `${field} must be ${hint}`);

const minorAmount = (field: string) =>
  wholeNumber(field, 0, Number.MAX_SAFE_INTEGER, "0 or more (an amount in minor units, e.g. cents)").optional();

const oneOf = <T extends readonly [string, ...string[]]>(field: string, values: T) =>
  z.enum(values, { error: `${field} must be one of ${values.join(", ")}` });

export const searchInputSchema = z
  .strictObject({
    q: z
      .string({ error: "q must be text" })
      .max(MAX_QUERY_LENGTH, `q must be at most ${MAX_QUERY_LENGTH} characters`)
      .default(""),
    locale: z
      .string({ error: "locale must be text" })
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'locale must be a language tag such as "en" or "es-ES"')
      .default("en"),
    category: z
      .string({ error: "category must be text" })
      .regex(/^[a-z0-9-]{1,64}$/, 'category must be a category slug such as "headphones"')
      .optional(),
    priceMin: minorAmount("priceMin"),
    priceMax: minorAmount("priceMax"),
    currency: z
      .string({ error: "currency must be text" })
      .regex(/^[A-Z]{3}$/, 'currency must be a 3-letter ISO 4217 code such as "USD"')
      .default("USD"),
    minRating: z
      .number({ error: "minRating must be a number" })
      .min(0, "minRating must be between 0 and 5")
      .max(5, "minRating must be between 0 and 5")
      .optional(),
    seller: z.string({ error: "seller must be text" }).min(1, "seller must be a seller slug or id").max(100).optional(),
    delivery: oneOf("delivery", deliveryOptions).optional(),
    payment: oneOf("payment", paymentMethods).optional(),
    sort: oneOf("sort", sortOrders).default("relevance"),
    page: wholeNumber("page", 1, MAX_RESULT_WINDOW, "1 or more").default(1),
    pageSize: wholeNumber("pageSize", 1, MAX_PAGE_SIZE).default(20),
  })
  .refine((v) => v.priceMin === undefined || v.priceMax === undefined || v.priceMin <= v.priceMax, {
    error: "priceMin must not be greater than priceMax",
  })
  .refine((v) => v.page * v.pageSize <= MAX_RESULT_WINDOW, {
    error: `page × pageSize must be at most ${MAX_RESULT_WINDOW.toLocaleString("en-US")}: narrow the search instead of paging further`,
  });

export type SearchInput = z.input<typeof searchInputSchema>;
export type SearchQuery = z.output<typeof searchInputSchema>;

export const suggestInputSchema = z.strictObject({
  prefix: z
    .string({ error: "prefix must be text" })
    .max(MAX_QUERY_LENGTH, `prefix must be at most ${MAX_QUERY_LENGTH} characters`),
  limit: wholeNumber("limit", 1, MAX_SUGGEST_LIMIT).default(8),
  locale: z
    .string({ error: "locale must be text" })
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'locale must be a language tag such as "en" or "es-ES"')
    .default("en"),
});

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.code === "unrecognized_keys"
      ? `unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
      : issue.message,
  );
}

export function parseSearchInput(input: unknown): SearchQuery {
  const parsed = searchInputSchema.safeParse(input ?? {});
  if (!parsed.success) throw new SearchInputError(describe(parsed.error));
  return parsed.data;
}

export function parseSuggestInput(input: unknown): z.output<typeof suggestInputSchema> {
  const parsed = suggestInputSchema.safeParse(input);
  if (!parsed.success) throw new SearchInputError(describe(parsed.error));
  return parsed.data;
}
