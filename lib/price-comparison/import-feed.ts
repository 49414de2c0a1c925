// Imports a price feed (lib/price-comparison/feed-format.ts) from a file path or an http(s) URL
// into commerce.external_offers: bad lines are reported and skipped, lines naming an unknown
// product too, and every good line is upserted on (product_id, source) in one transaction, so a
// re-import of the same feed changes nothing but fetched_at.
import { readFile, stat } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { bigint, boolean, char, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { commerce, products } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { type FeedFormat, type FeedLineError, type FeedRow, parseFeed } from "./feed-format.ts";

/** Drizzle view of lib/db/migrations/0011_external_offers.sql. */
export const externalOffers = commerce.table("external_offers", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  source: text("source").notNull(),
  externalUrl: text("external_url").notNull(),
  priceMinor: bigint("price_minor", { mode: "bigint" }).notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  deliveryMinor: bigint("delivery_minor", { mode: "bigint" }).notNull().default(0n),
  inStock: boolean("in_stock").notNull().default(true),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
});

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
const BATCH = 500;

export type ImportOptions = {
  maxBytes?: number;
  timeoutMs?: number;
  /** Called after each batch is written: rows done out of rows to write. */
  onProgress?: (done: number, total: number) => void;
};

export type ImportResult = {
  origin: string;
  format: FeedFormat;
  /** Good lines written (inserted or updated). */
  upserted: number;
  /** Lines skipped, with their line number and what to fix. */
  errors: FeedLineError[];
};

export class FeedFetchError extends Error {
  override name = "FeedFetchError";
}

const isUrl = (origin: string) => /^https?:\/\//i.test(origin);

/** Reads the feed's text from a path or an http(s) URL, within the size limit and timeout. */
export async function readFeedText(
  origin: string,
  options: Pick<ImportOptions, "maxBytes" | "timeoutMs"> = {},
): Promise<{ text: string; hint: string }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!isUrl(origin)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(origin)) throw new FeedFetchError(`only http(s) URLs or file paths: ${origin}`);
    const info = await stat(origin);
    if (info.size > maxBytes)
      throw new FeedFetchError(`${origin} is ${info.size} bytes, above the ${maxBytes}-byte limit`);
    return { text: await readFile(origin, "utf8"), hint: origin };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(origin, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (error as Error).message;
    throw new FeedFetchError(`could not fetch ${origin}: ${reason}`);
  }
  if (!response.ok) throw new FeedFetchError(`${origin} answered HTTP ${response.status}`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FeedFetchError(`${origin} is ${declared} bytes, above the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = response.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new FeedFetchError(`${origin} sent more than the ${maxBytes}-byte limit`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    const reason =
      (error as Error).name === "TimeoutError" ? `no complete answer within ${timeoutMs} ms` : (error as Error).message;
    throw new FeedFetchError(`could not read ${origin}: ${reason}`);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  return { text, hint: `${new URL(origin).pathname} ${response.headers.get("content-type") ?? ""}` };
}

/** Maps each row's sku / gtin to a product id (sku first); rows naming no product become errors. */
async function resolveProducts(db: Executor, rows: FeedRow[]) {
  const skus = [...new Set(rows.flatMap((r) => (r.sku ? [r.sku] : [])))];
  const gtins = [...new Set(rows.flatMap((r) => (r.gtin ? [r.gtin] : [])))];
  const bySku = new Map<string, string>();
  const byGtin = new Map<string, string>();
  if (skus.length > 0 || gtins.length > 0) {
    const found = await db.execute<{ id: string; sku: string; gtin: string | null }>(
      sql`select id, sku, attributes->>'gtin' as gtin from commerce.products
          where sku in (select jsonb_array_elements_text(${JSON.stringify(skus)}::jsonb))
             or attributes->>'gtin' in (select jsonb_array_elements_text(${JSON.stringify(gtins)}::jsonb))`,
    );
    for (const p of found.rows) {
      bySku.set(p.sku, p.id);
      if (p.gtin) byGtin.set(p.gtin, p.id);
    }
  }
  const resolved: (FeedRow & { productId: string })[] = [];
  const errors: FeedLineError[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const productId = (row.sku && bySku.get(row.sku)) || (row.gtin && byGtin.get(row.gtin)) || undefined;
    if (!productId) {
      const named = [row.sku && `sku ${row.sku}`, row.gtin && `gtin ${row.gtin}`].filter(Boolean).join(" / ");
      errors.push({ line: row.line, message: `no NeoCart product with ${named}: check the identifier` });
      continue;
    }
    const key = `${productId}|${row.source}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        line: row.line,
        message: `duplicate of line ${earlier} (same product and source): keep one line per product and source`,
      });
      continue;
    }
    seen.set(key, row.line);
    resolved.push({ ...row, productId });
  }
  return { resolved, errors };
}

/** Imports already-read feed text (see importFeed). */
export async function importFeedText(
  db: Executor,
  text: string,
  origin: string,
  hint: string = origin,
  options: Pick<ImportOptions, "onProgress"> = {},
): Promise<ImportResult> {
  const parsed = parseFeed(text, hint);
  const { resolved, errors } = await resolveProducts(db, parsed.rows);
  await db.transaction(async (tx) => {
    for (let start = 0; start < resolved.length; start += BATCH) {
      const batch = resolved.slice(start, start + BATCH);
      await tx
        .insert(externalOffers)
        .values(
          batch.map((r) => ({
            productId: r.productId,
            source: r.source,
            externalUrl: r.url,
            priceMinor: r.priceMinor,
            currency: r.currency,
            deliveryMinor: r.deliveryMinor,
            inStock: r.inStock,
          })),
        )
        .onConflictDoUpdate({
          target: [externalOffers.productId, externalOffers.source],
          set: {
            externalUrl: sql`excluded.external_url`,
            priceMinor: sql`excluded.price_minor`,
            currency: sql`excluded.currency`,
            deliveryMinor: sql`excluded.delivery_minor`,
            inStock: sql`excluded.in_stock`,
            fetchedAt: sql`now()`,
          },
        });
      options.onProgress?.(start + batch.length, resolved.length);
    }
  });
  return {
    origin,
    format: parsed.format,
    upserted: resolved.length,
    errors: [...parsed.errors, ...errors].sort((a, b) => a.line - b.line),
  };
}

/** Reads a feed from a file path or an http(s) URL and imports it. */
export async function importFeed(db: Executor, origin: string, options: ImportOptions = {}): Promise<ImportResult> {
  const { text, hint } = await readFeedText(origin, options);
  return importFeedText(db, text, origin, hint, options);
}
