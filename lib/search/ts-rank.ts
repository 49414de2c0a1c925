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
 * Documents' rank vectors, one block per document from `entryStart[slot]` in `rankData`: first
 * `entryTotal[slot]` entries of three ints (lexeme id; its OR term as float32 bits, see orTermOf;
 * offset << 16 | count of its positions), then the positions as 16-bit values (position << 2 |
 * weight, D=0 … A=3) from short index (block start + 3 × entries) × 2 + offset. `rankFloat` and
 * `rankShort` view the same memory as `rankData`.
 */
export type RankVectorReader = {
  readonly entryStart: Int32Array;
  readonly entryTotal: Uint16Array;
  readonly rankData: Int32Array;
  readonly rankFloat: Float32Array;
  readonly rankShort: Uint16Array;
};

/** A query for ranking: its distinct lexemes in PostgreSQL's order, and whether its root is AND. */
export type RankQuery = { rootIsAnd: boolean; lexemeIds: readonly number[] };

/** Distinct lexemes in byte order, as PostgreSQL's SortAndUniqItems leaves them. */
export function rankOrder(lexemes: Iterable<string>): string[] {
  return [...new Set(lexemes)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const weightOf = (entry: number) => WEIGHTS[entry & 3] as number;
const positionOf = (entry: number) => entry >> 2;

function wordDistanceOf(distance: number): number {
  if (distance > 100) return f(1e-30);
  return f(1.0 / (1.005 + 0.05 * Math.exp(f(distance) / 1.5 - 2)));
}
/** word_distance for every distance up to 101 (positions are at most 16383 apart): no exp per pair. */
const WORD_DISTANCE = Float32Array.from({ length: 102 }, (_, d) => wordDistanceOf(d));
/** calc_rank_and's weight of a pair of positions, by their weights (D … A) and distance: no sqrt per pair. */
const PAIR_WEIGHT = Float32Array.from({ length: 4 * 4 * 102 }, (_, i) => {
  const distance = i % 102;
  const b = Math.floor(i / 102) % 4;
  const a = Math.floor(i / 408);
  return f(Math.sqrt(f(f((WEIGHTS[a] as number) * (WEIGHTS[b] as number)) * (WORD_DISTANCE[distance] as number))));
});

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

/** `found[k]`: the document's entry (index into rankData) of the query's k-th lexeme, or -1. */
function rankOr(reader: RankVectorReader, found: Int32Array): number {
  const { rankFloat } = reader;
  let res = f(0);
  for (let k = 0; k < found.length; k++) {
    const entry = found[k] as number;
    if (entry >= 0) res = f(res + (rankFloat[entry + 1] as number) / pi2Over6);
  }
  return f(res / found.length);
}

/** `base`: the short index of the document's first position. */
function rankAnd(reader: RankVectorReader, found: Int32Array, base: number): number {
  if (found.length < 2) return rankOr(reader, found);
  const { rankData, rankShort } = reader;
  let res = -1;
  for (let i = 0; i < found.length; i++) {
    const post = found[i] as number;
    if (post < 0) continue;
    const postInfo = rankData[post + 2] as number;
    const postStart = base + (postInfo >>> 16);
    const postCount = postInfo & 0xffff;
    for (let k = 0; k < i; k++) {
      const ct = found[k] as number;
      if (ct < 0) continue;
      const ctInfo = rankData[ct + 2] as number;
      const ctStart = base + (ctInfo >>> 16);
      const ctCount = ctInfo & 0xffff;
      for (let l = 0; l < postCount; l++) {
        for (let p = 0; p < ctCount; p++) {
          const a = rankShort[postStart + l] as number;
          const b = rankShort[ctStart + p] as number;
          const distance = Math.abs(positionOf(a) - positionOf(b));
          if (distance === 0) continue;
          const curw = PAIR_WEIGHT[(a & 3) * 408 + (b & 3) * 102 + Math.min(distance, 101)] as number;
          res = res < 0 ? curw : f(1.0 - (1.0 - res) * (1.0 - curw));
        }
      }
    }
  }
  return res;
}

/**
 * ts_rank of documents against one or two queries (a search ranks by the matching query plus the
 * words as typed), reading each document's entries once: `marks` (one slot per lexeme id, all 0)
 * holds, for each query lexeme, 1 + its position in each query, 8 bits per query. Call release()
 * when done, which zeroes `marks` again for the next ranker.
 */
export class Ranker {
  private readonly found: Int32Array[];
  private readonly reader: RankVectorReader;
  private readonly queries: readonly RankQuery[];
  private readonly marks: Int32Array;

  constructor(reader: RankVectorReader, queries: readonly RankQuery[], marks: Int32Array) {
    this.reader = reader;
    this.queries = queries;
    this.marks = marks;
    if (queries.length > 3 || queries.some((q) => q.lexemeIds.length > 255)) throw new Error("query too large to rank");
    this.found = queries.map((q) => new Int32Array(q.lexemeIds.length));
    queries.forEach((query, q) => {
      query.lexemeIds.forEach((id, k) => {
        if (id >= 0) marks[id] = (marks[id] as number) | ((k + 1) << (8 * q));
      });
    });
  }

  /** ts_rank for query `q` of the document whose entries rank() just found. */
  private rankOf(q: number, empty: boolean, base: number): number {
    const query = this.queries[q] as RankQuery;
    const found = this.found[q] as Int32Array;
    if (found.length === 0 || empty) return 0;
    const res = query.rootIsAnd ? rankAnd(this.reader, found, base) : rankOr(this.reader, found);
    return res < 0 ? f(1e-20) : res;
  }

  /** Writes ts_rank of document `slot` for each query into `out`. */
  rank(slot: number, out: Float64Array): void {
    const { entryStart, entryTotal, rankData } = this.reader;
    const found = this.found;
    const queries = found.length;
    // Plain loops: TypedArray.fill on arrays this small cost more than all the ranking.
    for (let q = 0; q < queries; q++) {
      const list = found[q] as Int32Array;
      for (let k = 0; k < list.length; k++) list[k] = -1;
    }
    const start = entryStart[slot] as number;
    const entries = entryTotal[slot] as number;
    const end = start + 3 * entries;
    const marks = this.marks;
    for (let e = start; e < end; e += 3) {
      const mark = marks[rankData[e] as number] as number;
      if (mark === 0) continue;
      for (let q = 0; q < queries; q++) {
        const k = (mark >> (8 * q)) & 255;
        if (k > 0) (found[q] as Int32Array)[k - 1] = e;
      }
    }
    for (let q = 0; q < queries; q++) out[q] = this.rankOf(q, entries === 0, end * 2);
  }

  release(): void {
    for (const query of this.queries) for (const id of query.lexemeIds) if (id >= 0) this.marks[id] = 0;
  }
}

/** ts_rank(rank vector of `slot`, query), for one document (tests, diagnostics). */
export function tsRank(reader: RankVectorReader, slot: number, query: RankQuery): number {
  const ranker = new Ranker(reader, [query], new Int32Array(Math.max(0, ...query.lexemeIds) + 1));
  const out = new Float64Array(1);
  ranker.rank(slot, out);
  return out[0] as number;
}

/** Parses one position of a tsvector's text form ("12A", "3"), as position << 2 | weight. */
export function encodePosition(position: number, weight: "A" | "B" | "C" | "D"): number {
  const w = weight === "A" ? 3 : weight === "B" ? 2 : weight === "C" ? 1 : 0;
  return (Math.min(position, POSITION_LIMIT) << 2) | w;
}
