// The price-feed format (docs/price-comparison.md): CSV with a header row, or JSON lines, one
// offer per line with the columns sku or gtin, source, url, price, currency, delivery, in_stock.
// Prices are decimal strings in major units ("19.99"), turned into exact minor units with the
// currency's exponent (never through a float). Every bad line becomes an error naming its line
// number and what to fix; good lines are returned for the importer.
import { z } from "zod";
import { exponentOf, isFiatCurrency, SUPPORTED_CURRENCIES } from "../pricing/currencies.ts";

export const FEED_COLUMNS = ["sku", "gtin", "source", "url", "price", "currency", "delivery", "in_stock"] as const;

export type FeedFormat = "csv" | "jsonl";

export type FeedRow = {
  /** 1-based line in the feed (the CSV header is line 1). */
  line: number;
  sku: string | null;
  gtin: string | null;
  source: string;
  url: string;
  priceMinor: bigint;
  currency: string;
  deliveryMinor: bigint;
  inStock: boolean;
};

export type FeedLineError = { line: number; message: string };

export type ParsedFeed = { format: FeedFormat; rows: FeedRow[]; errors: FeedLineError[]; lines: number };

/** Largest accepted amount, in major units (a typo guard, far above any real price). */
const MAX_MAJOR = 10_000_000n;

const decimalText = z.union([z.string(), z.number()]).transform((v) => String(v).trim());

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

const lineSchema = z
  .object({
    sku: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, "sku: letters, digits, '.', '_' or '-', at most 64 characters")
        .optional(),
    ),
    gtin: z.preprocess(
      emptyToUndefined,
      z
        .union([z.string(), z.number()])
        .transform((v) => String(v).trim())
        .pipe(z.string().regex(/^\d{8}$|^\d{12,14}$/, "gtin: 8, 12, 13 or 14 digits"))
        .optional(),
    ),
    source: z
      .string({ error: "source: required, the shop's name (e.g. example-shop)" })
      .trim()
      .min(1, "source: required, the shop's name (e.g. example-shop)")
      .max(80, "source: at most 80 characters"),
    url: z
      .string({ error: "url: required, the offer's page at the shop (http or https)" })
      .trim()
      .pipe(z.url({ protocol: /^https?$/, error: "url: an absolute http(s) URL such as https://shop.example/p/1" })),
    price: z.preprocess(emptyToUndefined, decimalText.pipe(z.string({ error: "price: required, e.g. 19.99" }))),
    currency: z
      .string({ error: "currency: required, a three-letter ISO 4217 code such as USD" })
      .trim()
      .transform((s) => s.toUpperCase())
      .refine(isFiatCurrency, `currency: one of ${SUPPORTED_CURRENCIES.join(", ")}`),
    delivery: z.preprocess(emptyToUndefined, decimalText.optional()),
    in_stock: z.preprocess(
      emptyToUndefined,
      z
        .union([z.boolean(), z.string(), z.number()])
        .transform((v, ctx) => {
          const text = String(v).trim().toLowerCase();
          if (["true", "yes", "y", "1"].includes(text)) return true;
          if (["false", "no", "n", "0"].includes(text)) return false;
          ctx.addIssue({ code: "custom", message: "in_stock: true or false (also yes/no, 1/0)" });
          return z.NEVER;
        })
        .optional(),
    ),
  })
  .refine((l) => l.sku !== undefined || l.gtin !== undefined, {
    message: "sku or gtin: give at least one to name the product",
  });

/** "19.99" in a 2-decimal currency → 1999n; refuses more decimals than the currency has. */
export function parseMajorAmount(text: string, currency: string, column: string): bigint {
  const exponent = exponentOf(currency) ?? 2;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`${column}: a plain decimal number such as 19.99 (got "${text}")`);
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) {
    throw new Error(`${column}: ${currency} has ${exponent} decimals, "${text}" has ${fraction.length}`);
  }
  const whole = BigInt(match[1] as string);
  if (whole > MAX_MAJOR) throw new Error(`${column}: ${text} is above the limit of ${MAX_MAJOR} ${currency}`);
  return whole * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, "0") || "0");
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const column = issue.path[0];
      // Messages already start with their column; zod's own (type) messages get it prefixed.
      return column !== undefined && !issue.message.startsWith(`${String(column)}:`)
        ? `${String(column)}: ${issue.message}`
        : issue.message;
    })
    .join("; ");
}

/** Validates one record (already split into columns); returns the row or throws what to fix. */
export function validateRecord(line: number, record: Record<string, unknown>): FeedRow {
  const parsed = lineSchema.safeParse(record);
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  const l = parsed.data;
  const priceMinor = parseMajorAmount(l.price, l.currency, "price");
  const deliveryMinor = l.delivery === undefined ? 0n : parseMajorAmount(l.delivery, l.currency, "delivery");
  return {
    line,
    sku: l.sku ?? null,
    gtin: l.gtin ?? null,
    source: l.source,
    url: l.url,
    priceMinor,
    currency: l.currency,
    deliveryMinor,
    inStock: l.in_stock ?? true,
  };
}

/** Splits one CSV line (RFC 4180 quoting: "a, b" and "" for a quote; no line breaks in a field). */
export function splitCsvLine(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === ",") {
      fields.push(field.trim());
      field = "";
    } else field += c;
  }
  if (quoted) throw new Error('unclosed quote: end the quoted field with "');
  fields.push(field.trim());
  return fields;
}

/** "csv" or "jsonl" from a name (.csv, .jsonl, .ndjson), a content type, or the first line. */
export function detectFormat(text: string, hint?: string): FeedFormat {
  const h = (hint ?? "").toLowerCase();
  if (/\.(jsonl|ndjson)(\?|$)/.test(h) || h.includes("ndjson") || h.includes("jsonl")) return "jsonl";
  if (/\.csv(\?|$)/.test(h) || h.includes("text/csv")) return "csv";
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return first.trim().startsWith("{") ? "jsonl" : "csv";
}

/** Parses a whole feed. Blank lines and lines starting with # are ignored. */
export function parseFeed(text: string, hint?: string): ParsedFeed {
  const format = detectFormat(text, hint);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const rows: FeedRow[] = [];
  const errors: FeedLineError[] = [];
  let header: string[] | null = null;
  let headerBroken = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("#") || headerBroken) return;
    try {
      let record: Record<string, unknown>;
      if (format === "jsonl") {
        let value: unknown;
        try {
          value = JSON.parse(raw);
        } catch {
          throw new Error("not valid JSON: write one JSON object per line");
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          throw new Error('not a JSON object: write one object per line, e.g. {"sku":"NC-0000000",...}');
        }
        record = value as Record<string, unknown>;
      } else if (header === null) {
        header = splitCsvLine(raw).map((h) => h.toLowerCase());
        const unknown = header.filter((h) => !(FEED_COLUMNS as readonly string[]).includes(h));
        const missing = ["source", "url", "price", "currency"].filter((c) => !header?.includes(c));
        if (unknown.length > 0 || missing.length > 0 || !(header.includes("sku") || header.includes("gtin"))) {
          const parts = [];
          if (unknown.length > 0) parts.push(`unknown columns ${unknown.join(", ")}`);
          if (missing.length > 0) parts.push(`missing columns ${missing.join(", ")}`);
          if (!(header.includes("sku") || header.includes("gtin"))) parts.push("missing column sku or gtin");
          header = null;
          headerBroken = true;
          throw new Error(`header: ${parts.join("; ")}; expected ${FEED_COLUMNS.join(",")}`);
        }
        return;
      } else {
        const fields = splitCsvLine(raw);
        if (fields.length !== header.length) {
          throw new Error(
            `${fields.length} fields but the header has ${header.length}: quote fields containing commas`,
          );
        }
        record = Object.fromEntries(header.map((h, i) => [h, fields[i]]));
      }
      rows.push(validateRecord(line, record));
    } catch (error) {
      errors.push({ line, message: (error as Error).message });
    }
  });
  if (format === "csv" && header === null && !headerBroken) {
    errors.push({ line: 1, message: `header: the first line must name the columns, e.g. ${FEED_COLUMNS.join(",")}` });
  }
  return { format, rows, errors, lines: lines.length };
}
