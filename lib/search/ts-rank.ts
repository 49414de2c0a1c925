// PostgreSQL's ts_rank(vector, query) with the default weights and no normalisation, computed in
// memory over a document's rank vector (text-index.ts), so in-memory search orders results exactly
// as the SQL search does. It follows calc_rank_and / calc_rank_or of PostgreSQL's tsrank.c step by
// step, in single precision where C uses float (Math.fround), since ties between titles are broken
// by the next sort key and a last-bit difference would reorder them.

const f = Math.fround;
/** Weight of D, C, B, A (PostgreSQL's default {0.1, 0.2, 0.4, 1.0}, as float4). */
const WEIGHTS = [f(0.1), f(0.2), f(0.4), f(1.0)] as const;
const POSITION_LIMIT = 16383;
const pi2Over6 = 1.64493406685;

/**
 * Documents' rank vectors: entry e of a document is one lexeme, with `positionCount[e]` positions
 * from `positionStart[e]` in `positions`, each as position << 2 | weight (D=0 … A=3).
 */
export type RankVectorReader = {
  /** The entry of `lexemeId` in document `slot`, or -1 when it does not occur. */
  entryOf(slot: number, lexemeId: number): number;
  /** How many lexemes document `slot` has (an empty vector ranks 0). */
  entryCount(slot: number): number;
  readonly positionStart: Int32Array;
  readonly positionCount: Uint16Array;
  readonly positions: Uint16Array;
  /** Each entry's share of an OR rank (orTermOf), computed once when the entry is read. */
  readonly orTerm: Float32Array;
};

/** A query for ranking: its distinct lexemes in PostgreSQL's order, and whether its root is AND. */
export type RankQuery = { rootIsAnd: boolean; lexemeIds: readonly number[] };

/** Distinct lexemes in byte order, as PostgreSQL's SortAndUniqItems leaves them. */
export function rankOrder(lexemes: Iterable<string>): string[] {
  return [...new Set(lexemes)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const weightOf = (entry: number) => WEIGHTS[entry & 3] as number;
const positionOf = (entry: number) => entry >> 2;

function wordDistance(distance: number): number {
  if (distance > 100) return f(1e-30);
  return f(1.0 / (1.005 + 0.05 * Math.exp(f(distance) / 1.5 - 2)));
}

/**
 * What one lexeme adds to calc_rank_or before the division by pi²/6: its weights summed with
 * decreasing importance, the heaviest counted in full. It depends on the document only, so the
 * index computes it once per entry.
 */
export function orTermOf(positions: Uint16Array, start: number, count: number): number {
  let resj = f(0);
  let wjm = f(-1);
  let jm = 0;
  for (let j = 0; j < count; j++) {
    const w = weightOf(positions[start + j] as number);
    resj = f(resj + f(w / ((j + 1) * (j + 1))));
    if (w > wjm) {
      wjm = w;
      jm = j;
    }
  }
  return f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1))));
}

function rankOr(reader: RankVectorReader, slot: number, query: RankQuery): number {
  const { orTerm } = reader;
  let res = f(0);
  for (const id of query.lexemeIds) {
    const entry = reader.entryOf(slot, id);
    if (entry < 0) continue;
    res = f(res + (orTerm[entry] as number) / pi2Over6);
  }
  return query.lexemeIds.length > 0 ? f(res / query.lexemeIds.length) : res;
}

function rankAnd(reader: RankVectorReader, slot: number, query: RankQuery): number {
  const ids = query.lexemeIds;
  if (ids.length < 2) return rankOr(reader, slot, query);
  const { positions, positionStart, positionCount } = reader;
  let res = -1;
  const found: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const post = reader.entryOf(slot, ids[i] as number);
    found.push(post);
    if (post < 0) continue;
    const postStart = positionStart[post] as number;
    const postCount = positionCount[post] as number;
    for (let k = 0; k < i; k++) {
      const ct = found[k] as number;
      if (ct < 0) continue;
      const ctStart = positionStart[ct] as number;
      const ctCount = positionCount[ct] as number;
      for (let l = 0; l < postCount; l++) {
        for (let p = 0; p < ctCount; p++) {
          const a = positions[postStart + l] as number;
          const b = positions[ctStart + p] as number;
          const distance = Math.abs(positionOf(a) - positionOf(b));
          if (distance === 0) continue;
          const curw = f(Math.sqrt(f(f(weightOf(a) * weightOf(b)) * wordDistance(distance))));
          res = res < 0 ? curw : f(1.0 - (1.0 - res) * (1.0 - curw));
        }
      }
    }
  }
  return res;
}

/** ts_rank(rank vector of `slot`, query). */
export function tsRank(reader: RankVectorReader, slot: number, query: RankQuery): number {
  if (query.lexemeIds.length === 0 || reader.entryCount(slot) === 0) return 0;
  const res = query.rootIsAnd ? rankAnd(reader, slot, query) : rankOr(reader, slot, query);
  return res < 0 ? f(1e-20) : res;
}

/** Parses one position of a tsvector's text form ("12A", "3"), as position << 2 | weight. */
export function encodePosition(position: number, weight: "A" | "B" | "C" | "D"): number {
  const w = weight === "A" ? 3 : weight === "B" ? 2 : weight === "C" ? 1 : 0;
  return (Math.min(position, POSITION_LIMIT) << 2) | w;
}
