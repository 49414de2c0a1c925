// Typo correction: each query term not in the dictionary is replaced by the closest dictionary
// word. The trigram index (GiST KNN over commerce.search_terms, a table of a few thousand words)
// proposes candidates for all terms in one round trip; the edit distance decides. This runs
// before the full-text query, which then stays an indexed lookup: a trigram scan over every
// title would be far too slow on a large catalog.
import type { Db } from "../db/client.ts";
import { allowedEdits, editDistance } from "./edit-distance.ts";

export type CorrectedTerm = { input: string; term: string; corrected: boolean };

const CANDIDATES_PER_TERM = 12;
const MIN_SIMILARITY = 0.15;

/** Short words and numbers (sizes, model numbers) are taken as typed. */
function isCorrectable(term: string): boolean {
  return term.length >= 3 && !/[0-9]/.test(term);
}

// Corrections are cached per database handle for a few minutes: popular queries repeat, and
// the dictionary only changes when the catalog does. A new search generation (see
// search-cache.ts) empties the cache: a word that just joined the dictionary, such as a renamed
// category's, must no longer be "corrected" into another one.
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX_ENTRIES = 50_000;
const caches = new WeakMap<Db, { at: number; generation: string | undefined; entries: Map<string, string | null> }>();

function cacheFor(db: Db, generation: string | undefined) {
  let cache = caches.get(db);
  if (
    !cache ||
    performance.now() - cache.at > CACHE_TTL_MS ||
    cache.entries.size > CACHE_MAX_ENTRIES ||
    cache.generation !== generation
  ) {
    cache = { at: performance.now(), generation, entries: new Map() };
    caches.set(db, cache);
  }
  return cache.entries;
}

export async function correctTerms(
  db: Db,
  terms: readonly string[],
  synonyms: ReadonlyMap<string, readonly string[]>,
  generation?: string,
): Promise<CorrectedTerm[]> {
  const cache = cacheFor(db, generation);
  const replacements = new Map<string, string>();
  for (const term of terms) {
    const cached = cache.get(term);
    if (cached) replacements.set(term, cached);
  }
  const toCheck = [...new Set(terms.filter((t) => isCorrectable(t) && !synonyms.has(t) && !cache.has(t)))];
  if (toCheck.length > 0) {
    const { rows } = await db.$client.query<{ token: string; term: string; frequency: number; sim: number }>(
      `select q.token, c.term, c.frequency, similarity(c.term, q.token) as sim
       from unnest($1::text[]) as q (token)
       cross join lateral (
         select term, frequency from commerce.search_terms
         where term ~ '^[a-z]+$' and not exists (select 1 from commerce.search_terms e where e.term = q.token)
         order by term <-> q.token limit ${CANDIDATES_PER_TERM}
       ) c`,
      [toCheck],
    );
    const byToken = new Map<string, typeof rows>();
    for (const row of rows) byToken.set(row.token, [...(byToken.get(row.token) ?? []), row]);
    for (const token of toCheck) {
      // No candidates: the term is in the dictionary (or the dictionary is empty).
      const candidates = byToken.get(token) ?? [];
      let best: { term: string; distance: number; frequency: number; sim: number } | undefined;
      for (const c of candidates) {
        if (c.sim < MIN_SIMILARITY) continue;
        const distance = editDistance(token, c.term);
        if (distance > allowedEdits(token.length)) continue;
        const better =
          !best ||
          distance < best.distance ||
          (distance === best.distance &&
            (c.frequency > best.frequency || (c.frequency === best.frequency && c.sim > best.sim)));
        if (better) best = { term: c.term, distance, frequency: c.frequency, sim: c.sim };
      }
      if (best) replacements.set(token, best.term);
      cache.set(token, best?.term ?? null);
    }
  }
  return terms.map((input) => {
    const term = replacements.get(input);
    return term ? { input, term, corrected: true } : { input, term: input, corrected: false };
  });
}
