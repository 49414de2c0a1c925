// Result cache for searches and suggestions. Shoppers repeat the same few thousand queries, and a
// cold search reads and counts every match for its facets: caching whole results briefly turns a
// popular query into a memory lookup. Freshness comes from commerce.search_generation (migration
// 0007), a sequence bumped when a transaction that changed search documents, the dictionary,
// synonyms or exchange rates commits, in any process; entries of an older generation are dropped.
// The TTL bounds what the generation cannot see (a result computed during a writer's commit).
import type { Db } from "../db/client.ts";

/** How long a cached result is served at most, even when nothing bumped the generation. */
export const RESULT_TTL_MS = 30_000;
/** How long a process trusts the generation it read last: concurrent searches share one read. */
export const GENERATION_TTL_MS = 250;
const MAX_ENTRIES = 5_000;

type Entry = { at: number; value: Promise<unknown> };
type State = {
  generation: string | undefined;
  generationRead: { at: number; value: Promise<string> } | undefined;
  entries: Map<string, Entry>;
};

const states = new WeakMap<Db, State>();

function stateFor(db: Db): State {
  let state = states.get(db);
  if (!state) {
    state = { generation: undefined, generationRead: undefined, entries: new Map() };
    states.set(db, state);
  }
  return state;
}

/** The catalog's search generation, read at most every GENERATION_TTL_MS per process. */
export function searchGeneration(db: Db): Promise<string> {
  const state = stateFor(db);
  const read = state.generationRead;
  if (read && performance.now() - read.at < GENERATION_TTL_MS) return read.value;
  const value = db.$client
    // A sequence never advanced also reports last_value 1: is_called tells it from the first bump.
    .query<{ generation: string }>(
      "select (case when is_called then last_value else 0 end)::text as generation from commerce.search_generation",
    )
    .then(({ rows }) => rows[0]?.generation ?? "0");
  state.generationRead = { at: performance.now(), value };
  value.catch(() => {
    if (state.generationRead?.value === value) state.generationRead = undefined;
  });
  return value;
}

/**
 * The cached value for `key` when it is younger than RESULT_TTL_MS and of the current generation,
 * else `compute()` (shared by concurrent callers of the same key, so a popular query that just
 * expired is computed once, not once per shopper). Failures are not cached.
 */
export async function cachedResult<T>(db: Db, key: string, compute: (generation: string) => Promise<T>): Promise<T> {
  const generation = await searchGeneration(db);
  const state = stateFor(db);
  if (state.generation !== generation) {
    state.entries.clear();
    state.generation = generation;
  }
  const now = performance.now();
  const hit = state.entries.get(key);
  if (hit && now - hit.at < RESULT_TTL_MS) {
    // Least recently used first in Map order: re-inserting marks the entry as used.
    state.entries.delete(key);
    state.entries.set(key, hit);
    return structuredClone(await (hit.value as Promise<T>));
  }
  const value = compute(generation);
  const entries = state.entries;
  entries.set(key, { at: now, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  for (const oldest of entries.keys()) {
    if (entries.size <= MAX_ENTRIES) break;
    entries.delete(oldest);
  }
  return structuredClone(await value);
}

/**
 * Forget every cached result of this handle and re-read the generation on the next search. For
 * writes made through this process; other processes notice through the generation.
 */
export function invalidateSearchCache(db: Db): void {
  const state = stateFor(db);
  state.entries.clear();
  state.generation = undefined;
  state.generationRead = undefined;
}

/** Cached entries of this handle (for tests and diagnostics). */
export function searchCacheSize(db: Db): number {
  return states.get(db)?.entries.size ?? 0;
}
