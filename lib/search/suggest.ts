// Predictive type-ahead: completes the word being typed from the term dictionary (most frequent
// first, or the nearest words when the prefix has a typo), then offers matching categories and a
// few popular products. One round trip, bounded work: products are drawn from at most 200 index
// matches, so a one-letter prefix over a million products costs the same as a long one. Once the
// process has built its text index, the products come from it (search-engine.ts).
import type { Db } from "../db/client.ts";
import { itemStoreFor } from "./item-store.ts";
import { foldText, tokenize } from "./normalize-query.ts";
import { cachedResult, searchGeneration } from "./search-cache.ts";
import { defaultEngine, type SearchEngine, textIndexFor } from "./search-engine.ts";
import { parseSuggestInput } from "./search-input.ts";
import type { TextIndex } from "./text-index.ts";
import { parseTsquery, type TsqueryNode, UnsupportedTsquery } from "./tsquery-text.ts";

export type Suggestion =
  | { kind: "query"; text: string }
  | { kind: "category"; text: string; slug: string }
  | { kind: "product"; text: string; slug: string };

const PRODUCT_POOL = 200;

export type SuggestOptions = {
  /** Serve and keep results in the per-process result cache (search-cache.ts). Default true. */
  cache?: boolean;
  /** Where the products are found: as for searchProducts (search-products.ts). */
  engine?: SearchEngine;
};

export async function suggest(
  db: Db,
  prefix: string,
  limit = 8,
  locale = "en",
  options: SuggestOptions = {},
): Promise<Suggestion[]> {
  const input = parseSuggestInput({ prefix, limit, locale });
  const terms = tokenize(input.prefix);
  if (terms.length === 0) return [];
  const engine = options.engine ?? defaultEngine();
  const request = { terms, limit: input.limit, locale: input.locale, engine };
  if (options.cache === false) return complete(db, request, await searchGeneration(db));
  // Every shopper typing "hea" asks the same question: the result cache answers all but the first.
  const key = JSON.stringify(["suggest", terms, input.limit, input.locale.slice(0, 2)]);
  return cachedResult(db, key, (generation) => complete(db, request, generation));
}

type Request = { terms: string[]; limit: number; locale: string; engine: SearchEngine };
type Row = { kind: Suggestion["kind"] | "tsquery"; text: string; slug: string | null };

async function complete(db: Db, request: Request, generation: string): Promise<Suggestion[]> {
  const index = await textIndexFor(db, request.engine, generation);
  if (index) {
    const rows = await completeInMemory(db, index, request);
    if (rows) return suggestions(rows, request);
  }
  return suggestions(await run(db, request, "sql"), request);
}

/**
 * The words and categories from PostgreSQL, the products from the text index: the statement's
 * product part (matching a tsquery over every document, then joining products) was most of its
 * cost on a large catalog. Undefined when the index cannot evaluate the tsquery (a prefix match).
 */
async function completeInMemory(db: Db, index: TextIndex, request: Request): Promise<Row[] | undefined> {
  const rows = await run(db, request, "memory");
  const tsquery = rows.find((r) => r.kind === "tsquery")?.text ?? "";
  let match: TsqueryNode | null;
  try {
    match = parseTsquery(tsquery);
  } catch (error) {
    if (error instanceof UnsupportedTsquery) return undefined;
    throw error;
  }
  const words = rows.filter((r) => r.kind !== "tsquery");
  if (!match) return words;
  // As the SQL statement: the most reviewed of the first PRODUCT_POOL matches, ties at the cut
  // included, then by slug (in code-point order).
  const slots = index.firstMatches(match, PRODUCT_POOL);
  const reviews = index.reviewCount;
  const pool = Array.from(slots).sort((a, b) => (reviews[b] as number) - (reviews[a] as number));
  const cut = pool.length > request.limit ? (reviews[pool[request.limit - 1] as number] as number) : -1;
  const top = pool.filter((slot) => (reviews[slot] as number) >= cut);
  const reviewsOf = new Map(top.map((slot) => [index.productIds[slot] as string, reviews[slot] as number]));
  const labels = await itemStoreFor(db).labelsOf(
    db,
    top.map((slot) => ({ productId: index.productIds[slot] as string, version: index.version[slot] as number })),
  );
  labels.sort(
    (a, b) =>
      (reviewsOf.get(b.productId) as number) - (reviewsOf.get(a.productId) as number) ||
      (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
  return [
    ...words,
    ...labels.slice(0, request.limit).map((l): Row => ({ kind: "product", text: l.title, slug: l.slug })),
  ];
}

/**
 * One round trip. The words before the one being typed must all match, and the last one through
 * its top completions: whole words are exact index lookups, where a short prefix ("he:*") would
 * expand to every word that starts with it. The raw prefix is the fallback when nothing completes
 * it. With `products` "memory" the statement returns its tsquery instead of the products.
 */
async function run(db: Db, request: Request, products: "sql" | "memory"): Promise<Row[]> {
  const last = request.terms.at(-1) ?? "";
  const headQuery = request.terms
    .slice(0, -1)
    .map((t) => `${t} & `)
    .join("");
  const language = request.locale.startsWith("es") ? "es" : "en";
  const queryLimit = Math.max(1, Math.ceil(request.limit / 2));
  // Named (one per configuration and kind), so each connection plans it once: planning cost a third of it.
  const { rows } = await db.$client.query<Row>({
    name: `neocart_suggest_${language}_${products}`,
    text: STATEMENTS[language][products],
    values: products === "sql" ? [last, queryLimit, headQuery, request.limit] : [last, queryLimit, headQuery],
  });
  return rows;
}

// The nearest words are those the trigram index holds (letters only, as for typo correction):
// without its condition the statement computed the distance to every word of the dictionary,
// 27 ms for a typo like "iphn" over 34,000 words, 0.4 ms with it.
function statement(config: string, products: "sql" | "memory"): string {
  const words = `with completions as (
       select term, frequency from commerce.search_terms
       where term like $1 || '%' order by frequency desc, term limit $2
     ),
     nearest as (
       select term, frequency from commerce.search_terms
       where not exists (select 1 from completions) and length($1) >= 3 and term ~ '^[a-z]+$'
       order by term <-> $1 limit 3
     ),
     words as (
       select term, frequency from completions
       union all
       select term, frequency from nearest where similarity(term, $1) >= 0.3
     ),
     tq as (
       select to_tsquery('${config}', $3 || '(' || coalesce(
         (select string_agg(term, ' | ') from (select term from words order by frequency desc limit 3) w),
         $1 || ':*') || ')') as query
     ),
     categories as (
       select c.name, c.slug from commerce.categories c
       where lower(unaccent(c.name)) ~ ('\\m' || $1) order by length(c.name), c.slug limit 2
     )`;
  const head = `select 'query' as kind, term as text, null as slug from (select term, frequency from words order by frequency desc limit $2) w
     union all select 'category', name, slug from categories`;
  if (products === "memory") {
    return `${words}
     ${head}
     union all select 'tsquery', query::text, null from tq`;
  }
  return `${words},
     -- The most reviewed of the pool, ties at the cut included, and only those get their slug:
     -- joining the whole pool to products cost more than the rest of the statement.
     top as (
       select pool.product_id, pool.title, pool.review_count from (
         select d.product_id, d.title, d.review_count from commerce.search_documents d, tq
         where d.document @@ tq.query limit ${PRODUCT_POOL}
       ) pool order by pool.review_count desc fetch first ($4) rows with ties
     ),
     products as (
       select top.title, p.slug from top join commerce.products p on p.id = top.product_id
       order by top.review_count desc, p.slug limit $4
     )
     ${head}
     union all select 'product', title, slug from products`;
}

// Built once: a named statement is sent with its text on every call.
const STATEMENTS = {
  en: { sql: statement("commerce.neocart_en", "sql"), memory: statement("commerce.neocart_en", "memory") },
  es: { sql: statement("commerce.neocart_es", "sql"), memory: statement("commerce.neocart_es", "memory") },
};

function suggestions(rows: Row[], request: Request): Suggestion[] {
  const prefixWords = request.terms.slice(0, -1).join(" ");
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const row of rows) {
    if (row.kind === "tsquery") continue;
    const suggestion: Suggestion =
      row.kind === "query"
        ? { kind: "query", text: prefixWords ? `${prefixWords} ${row.text}` : row.text }
        : { kind: row.kind, text: row.text, slug: row.slug ?? "" };
    const key = `${suggestion.kind}:${foldText(suggestion.text)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(suggestion);
  }
  return out.slice(0, request.limit);
}
