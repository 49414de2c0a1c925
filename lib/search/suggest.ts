// Predictive type-ahead: completes the word being typed from the term dictionary (most frequent
// first, or the nearest words when the prefix has a typo), then offers matching categories and a
// few popular products. One round trip, bounded work: products are drawn from at most 200 index
// matches, so a one-letter prefix over a million products costs the same as a long one.
import type { Db } from "../db/client.ts";
import { foldText, tokenize } from "./normalize-query.ts";
import { cachedResult } from "./search-cache.ts";
import { parseSuggestInput } from "./search-input.ts";

export type Suggestion =
  | { kind: "query"; text: string }
  | { kind: "category"; text: string; slug: string }
  | { kind: "product"; text: string; slug: string };

const PRODUCT_POOL = 200;

export async function suggest(
  db: Db,
  prefix: string,
  limit = 8,
  locale = "en",
  options: { cache?: boolean } = {},
): Promise<Suggestion[]> {
  const input = parseSuggestInput({ prefix, limit, locale });
  const terms = tokenize(input.prefix);
  if (terms.length === 0) return [];
  if (options.cache === false) return complete(db, terms, input.limit, input.locale);
  // Every shopper typing "hea" asks the same question: the result cache answers all but the first.
  const key = JSON.stringify(["suggest", terms, input.limit, input.locale.slice(0, 2)]);
  return cachedResult(db, key, () => complete(db, terms, input.limit, input.locale));
}

async function complete(db: Db, terms: string[], limit: number, locale: string): Promise<Suggestion[]> {
  const input = { limit, locale };
  const last = terms.at(-1);
  if (!last) return [];
  const head = terms.slice(0, -1);
  // The words before the one being typed must all match, and the last one through its top
  // completions: whole words are exact index lookups, where a short prefix ("he:*") would expand
  // to every word that starts with it. The raw prefix is the fallback when nothing completes it.
  const headQuery = head.map((t) => `${t} & `).join("");
  const config = input.locale.startsWith("es") ? "commerce.neocart_es" : "commerce.neocart_en";
  const queryLimit = Math.max(1, Math.ceil(input.limit / 2));

  // Named (one per configuration), so each connection plans it once: planning cost a third of it.
  const { rows } = await db.$client.query<{ kind: Suggestion["kind"]; text: string; slug: string | null }>({
    name: `neocart_suggest_${config.replace("commerce.neocart_", "")}`,
    text: `with completions as (
       select term, frequency from commerce.search_terms
       where term like $1 || '%' order by frequency desc, term limit $2
     ),
     nearest as (
       select term, frequency from commerce.search_terms
       where not exists (select 1 from completions) and length($1) >= 3
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
     ),
     categories as (
       select c.name, c.slug from commerce.categories c
       where lower(unaccent(c.name)) ~ ('\\m' || $1) order by length(c.name), c.slug limit 2
     )
     select 'query' as kind, term as text, null as slug from (select term, frequency from words order by frequency desc limit $2) w
     union all select 'category', name, slug from categories
     union all select 'product', title, slug from products`,
    values: [last, queryLimit, headQuery, input.limit],
  });

  const prefixWords = head.join(" ");
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const row of rows) {
    const suggestion: Suggestion =
      row.kind === "query"
        ? { kind: "query", text: prefixWords ? `${prefixWords} ${row.text}` : row.text }
        : { kind: row.kind, text: row.text, slug: row.slug ?? "" };
    const key = `${suggestion.kind}:${foldText(suggestion.text)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(suggestion);
  }
  return out.slice(0, input.limit);
}
