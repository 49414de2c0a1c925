// Every search document's lexemes, rank vector and sort keys, held in memory per process, so a
// search matches, filters and ranks without PostgreSQL: at 16 concurrent clients on two cores, the
// GIN lookup, heap visit and ts_rank of a broad query cost more than everything else a search
// does. PostgreSQL stays the source of truth and builds the lexemes (its stemmers and
// dictionaries); the index follows it through the change feed of migration 0017, read before
// a search whenever the search generation moved (search-cache.ts), so a search sees what the result
// cache would: every write committed before the generation it read (at most 250 ms old), and its
// own process's writes at once after refreshSearchDocuments or invalidateSearchCache.
//
// A document is appended under a new slot whenever its version changes; its old slot is marked
// dead, and posting lists (slots in ascending order) skip dead slots when read. When dead slots
// outnumber live ones, the index is rebuilt in the background.
import type pg from "pg";
import type { Db } from "../db/client.ts";
import { perDatabase } from "../db/per-database.ts";
import { FACET_COLUMNS, type FacetRow, FacetStore } from "./facet-store.ts";
import { encodePosition, orTermOf, Ranker, type RankQuery, type RankVectorReader } from "./ts-rank.ts";
import type { TsqueryNode } from "./tsquery-text.ts";

/** Deleted documents' tombstones are kept this long (migration 0017); an index idle longer reloads. */
export const FEED_RETENTION_MS = 12 * 60 * 60_000;
const LOAD_CHUNK = 10_000;
const FEED_RECHECK_MS = 1_000;
/** Changed documents are read this many at a time (in product id order). */
const FEED_CHUNK = 5_000;
/**
 * At most this many changed documents are read before a search. A larger burst (a bulk import, a
 * renamed top-level category) rebuilds the index in the background instead; SQL answers meanwhile.
 * A transaction left open makes every read return what was written since it began (its id holds
 * the xmin back): a few of those cost little, and reads page past FEED_CHUNK.
 */
const FEED_MAX = 100_000;
const LEXEME_SEPARATOR = "\u001f";
/** Category filters and browsing read posting lists keyed by this prefix and the slug. */
const CATEGORY_KEY = "\u0000category:";

type IndexRow = FacetRow & {
  review_count: number;
  /** created_at in microseconds since the epoch: ties in "newest" are broken like PostgreSQL's. */
  created_us: string;
  /** tsvector_to_array(document), joined by LEXEME_SEPARATOR. */
  lexemes: string;
  rank_vector: string;
};

const INDEX_COLUMNS = `${FACET_COLUMNS}, d.review_count,
  (extract(epoch from d.created_at) * 1000000)::bigint::text as created_us,
  array_to_string(tsvector_to_array(d.document), E'\\x1f') as lexemes, d.rank_vector::text as rank_vector`;

// Named where it is run (every search): each connection plans it once.
const FEED = `select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
  (select json_agg(r) from (select ${INDEX_COLUMNS} from commerce.search_documents d
     where d.written_xid >= $1::xid8 order by d.product_id limit $2) r) as changed,
  (select json_agg(t) from (select product_id, version::text as version
     from commerce.search_document_deletions where deleted_xid >= $1::xid8) t) as deleted`;

type Typed = Int32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;
function widen<T extends Typed>(array: T, length: number): T {
  if (length <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2, 16));
  next.set(array);
  return next;
}

export type LoadProgress = (loaded: number, total: number) => void;

export type TextIndexOptions = { feedChunk?: number; feedMax?: number };

export class TextIndex implements RankVectorReader {
  private readonly feedChunk: number;
  private readonly feedMax: number;

  /** The limits are FEED_CHUNK and FEED_MAX; tests lower them. */
  constructor(options: TextIndexOptions = {}) {
    this.feedChunk = options.feedChunk ?? FEED_CHUNK;
    this.feedMax = options.feedMax ?? FEED_MAX;
  }

  /** Facet columns of the live documents (one slot per product, see facet-store.ts). */
  readonly facets = new FacetStore();
  size = 0;
  dead = 0;
  private readonly lexemeIds = new Map<string, number>();
  private postings: Int32Array[] = [];
  private postingLength: number[] = [];
  private readonly slotOfProduct = new Map<string, number>();
  alive = new Uint8Array(0);
  version = new Float64Array(0);
  facetSlot = new Int32Array(0);
  reviewCount = new Int32Array(0);
  /** 1 + ln(1 + review count) / 20: the rank's popularity factor (search-in-memory.ts). */
  popularity = new Float64Array(0);
  createdAt = new Float64Array(0);
  readonly productIds: string[] = [];
  /**
   * Rank vectors, one block per document in `rankData` (ts-rank.ts, RankVectorReader): a search
   * ranks up to 10,000 documents scattered over the index, and reading each one's entries and
   * positions from one place rather than five arrays made ranking three times faster at 1,000,000
   * documents, where every separate array cost a cache miss per document.
   */
  entryStart = new Int32Array(0);
  entryTotal = new Uint16Array(0);
  rankData = new Int32Array(0);
  rankFloat = new Float32Array(0);
  rankShort = new Uint16Array(0);
  private rankUsed = 0;
  /** pg_snapshot_xmin of the last read: every later commit has a transaction id at or above it. */
  private xmin = "0";
  private syncedAt = 0;
  /** Set when more changed than FEED_MAX: the index can no longer follow and is replaced. */
  overflowed = false;
  private syncing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  get live(): number {
    return this.size - this.dead;
  }

  /** Bytes held in typed arrays (posting lists, per-document columns, rank vectors, facets). */
  typedArrayBytes(): number {
    let bytes = 0;
    for (const list of this.postings) bytes += list.byteLength;
    for (const array of [
      this.alive,
      this.version,
      this.facetSlot,
      this.reviewCount,
      this.popularity,
      this.createdAt,
      this.entryStart,
      this.entryTotal,
      this.rankData,
    ])
      bytes += array.byteLength;
    return bytes + this.facets.typedArrayBytes();
  }

  /** Distinct lexemes (and category keys) held. */
  get lexemeCount(): number {
    return this.postings.length;
  }

  lexemeId(lexeme: string): number {
    return this.lexemeIds.get(lexeme) ?? -1;
  }

  private marks = new Int32Array(0);

  /** A ranker for `queries` (ts-rank.ts), to release() before the next one is made. */
  ranker(queries: readonly RankQuery[]): Ranker {
    if (this.marks.length < this.postings.length) this.marks = new Int32Array(this.postings.length + 1024);
    return new Ranker(this, queries, this.marks);
  }

  /** Reads every document in one snapshot; the feed continues from that snapshot's xmin. */
  async load(db: Db, progress?: LoadProgress): Promise<void> {
    const client: pg.PoolClient = await db.$client.connect();
    try {
      await client.query("begin isolation level repeatable read read only");
      const { rows } = await client.query<{ xmin: string; total: string }>(
        `select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
           (select count(*) from commerce.search_documents)::text as total`,
      );
      const total = Number(rows[0]?.total ?? 0);
      // In category order (the table's cluster index): a query's matches mostly share a few
      // categories, so their slots, and the data read for each, lie close together. Loaded in
      // product id order, the bench mix took three times as long at 1,000,000 documents (4.5 ms a search
      // against 1.5), waiting on memory.
      let after = ["", "00000000-0000-0000-0000-000000000000"];
      for (;;) {
        const chunk = await client.query<IndexRow>(
          `select ${INDEX_COLUMNS} from commerce.search_documents d
           where (d.category_slug, d.product_id) > ($1, $2::uuid)
           order by d.category_slug, d.product_id limit ${LOAD_CHUNK}`,
          after,
        );
        for (const row of chunk.rows) this.apply(row);
        progress?.(this.live, total);
        const last = chunk.rows.at(-1);
        if (!last || chunk.rows.length < LOAD_CHUNK) break;
        after = [last.category_slug, last.product_id];
      }
      await client.query("commit");
      this.xmin = rows[0]?.xmin ?? "0";
      this.syncedAt = Date.now();
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private syncedGeneration = -1n;

  /**
   * Catches up with search generation `generation` (search-cache.ts: bumped by every commit that
   * changed a document, read at most every 250 ms per process). While it stands still there is
   * nothing to read, so a search costs no round trip for it, except once per FEED_RECHECK_MS:
   * the generation is bumped just before its transaction's commit becomes visible, so a feed read
   * in between misses that commit until the next read.
   */
  async syncTo(db: Db, generation: string): Promise<void> {
    const target = BigInt(generation);
    if (target <= this.syncedGeneration && Date.now() - this.syncedAt < FEED_RECHECK_MS) return;
    await this.sync(db);
    if (target > this.syncedGeneration) this.syncedGeneration = target;
  }

  /**
   * Applies what was committed since the last read. Searches arriving while a read is under way
   * share the next one: that read may have started before their caller's write committed.
   */
  sync(db: Db): Promise<void> {
    if (!this.syncing) {
      const run = this.readFeed(db).finally(() => {
        this.syncing = undefined;
      });
      this.syncing = run;
      return run;
    }
    this.queued ??= this.syncing
      .catch(() => {})
      .then(() => {
        this.queued = undefined;
        return this.sync(db);
      });
    return this.queued;
  }

  /** False once the index has missed more of the feed than the database keeps. */
  get followsFeed(): boolean {
    return Date.now() - this.syncedAt < FEED_RETENTION_MS;
  }

  private async readFeed(db: Db) {
    const startedAt = Date.now();
    const { rows } = await db.$client.query<{
      xmin: string;
      changed: IndexRow[] | null;
      deleted: { product_id: string; version: string }[] | null;
    }>({ name: "neocart_search_feed", text: FEED, values: [this.xmin, this.feedChunk] });
    const feed = rows[0];
    if (!feed) throw new Error("the search change feed returned no row");
    let changed = feed.changed ?? [];
    const pages = [changed];
    // Later pages read with later snapshots: a row rewritten meanwhile has a transaction id at or
    // above this read's xmin, so the next read brings it again if this one missed it.
    for (let read = changed.length; changed.length === this.feedChunk; read += changed.length) {
      if (read >= this.feedMax) {
        this.overflowed = true;
        return;
      }
      const after = (changed.at(-1) as IndexRow).product_id;
      changed = (
        await db.$client.query<IndexRow>(
          `select ${INDEX_COLUMNS} from commerce.search_documents d
           where d.written_xid >= $1::xid8 and d.product_id > $2 order by d.product_id limit $3`,
          [this.xmin, after, this.feedChunk],
        )
      ).rows;
      pages.push(changed);
    }
    for (const { product_id, version } of feed.deleted ?? []) this.remove(product_id, Number(version));
    for (const page of pages) for (const row of page) this.apply(row);
    this.xmin = feed.xmin;
    this.syncedAt = startedAt;
  }

  private intern(lexeme: string): number {
    let id = this.lexemeIds.get(lexeme);
    if (id === undefined) {
      id = this.postings.length;
      this.lexemeIds.set(lexeme, id);
      this.postings.push(new Int32Array(4));
      this.postingLength.push(0);
    }
    return id;
  }

  private post(lexeme: string, slot: number): number {
    const id = this.intern(lexeme);
    const length = this.postingLength[id] as number;
    let list = this.postings[id] as Int32Array;
    // A lexeme can occur twice in the text form only through the category keys of a path.
    if (length > 0 && list[length - 1] === slot) return id;
    if (length === list.length) {
      list = widen(list, length + 1);
      this.postings[id] = list;
    }
    list[length] = slot;
    this.postingLength[id] = length + 1;
    return id;
  }

  private remove(productId: string, version: number) {
    const slot = this.slotOfProduct.get(productId);
    if (slot === undefined || (this.version[slot] as number) > version) return;
    this.alive[slot] = 0;
    this.dead++;
    this.slotOfProduct.delete(productId);
  }

  private apply(row: IndexRow) {
    const version = Number(row.version);
    const previous = this.slotOfProduct.get(row.product_id);
    if (previous !== undefined) {
      if ((this.version[previous] as number) >= version) return;
      this.alive[previous] = 0;
      this.dead++;
    }
    const slot = this.size++;
    const n = this.size;
    this.alive = widen(this.alive, n);
    this.version = widen(this.version, n);
    this.facetSlot = widen(this.facetSlot, n);
    this.reviewCount = widen(this.reviewCount, n);
    this.popularity = widen(this.popularity, n);
    this.createdAt = widen(this.createdAt, n);
    this.entryStart = widen(this.entryStart, n);
    this.entryTotal = widen(this.entryTotal, n);

    this.alive[slot] = 1;
    this.version[slot] = version;
    this.facetSlot[slot] = this.facets.hold(row);
    this.reviewCount[slot] = row.review_count;
    this.popularity[slot] = 1 + Math.log(1 + row.review_count) / 20;
    this.createdAt[slot] = Number(row.created_us);
    this.productIds[slot] = row.product_id;
    this.slotOfProduct.set(row.product_id, slot);

    if (row.lexemes) for (const lexeme of row.lexemes.split(LEXEME_SEPARATOR)) this.post(lexeme, slot);
    for (const slug of row.category_path.split("/")) this.post(CATEGORY_KEY + slug, slot);
    this.entryStart[slot] = this.rankUsed;
    this.entryTotal[slot] = this.readRankVector(row.rank_vector);
  }

  /**
   * Appends the block of a tsvector's text form ("'lexeme':1A,4 'other':2B") to `rankData`:
   * per entry its lexeme id, its OR term (float32 bits) and offset << 16 | count of its positions,
   * then the positions (position << 2 | weight), two to an int. Returns the number of entries.
   */
  private readRankVector(text: string): number {
    const lexemes: number[] = [];
    const counts: number[] = [];
    const positions: number[] = [];
    let at = 0;
    while (at < text.length) {
      if (text[at] === " ") {
        at++;
        continue;
      }
      // 'lexeme' with '' and \\ doubled
      at++;
      let lexeme = "";
      for (;;) {
        const c = text[at] as string;
        if ((c === "'" || c === "\\") && text[at + 1] === c) {
          lexeme += c;
          at += 2;
        } else if (c === "'") {
          at++;
          break;
        } else {
          lexeme += c;
          at++;
        }
      }
      lexemes.push(this.intern(lexeme));
      let count = 0;
      if (text[at] === ":") {
        at++;
        for (;;) {
          let position = 0;
          while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) {
            position = position * 10 + text.charCodeAt(at) - 48;
            at++;
          }
          const weight = text[at] === "A" || text[at] === "B" || text[at] === "C" ? text[at++] : "D";
          positions.push(encodePosition(position, weight as "A" | "B" | "C" | "D"));
          count++;
          if (text[at] !== ",") break;
          at++;
        }
      }
      counts.push(count);
    }
    const n = lexemes.length;
    const start = this.rankUsed;
    const size = 3 * n + Math.ceil(positions.length / 2);
    if (start + size > this.rankData.length) {
      this.rankData = widen(this.rankData, start + size);
      this.rankFloat = new Float32Array(this.rankData.buffer);
      this.rankShort = new Uint16Array(this.rankData.buffer);
    }
    const base = (start + 3 * n) * 2;
    this.rankShort.set(positions, base);
    let offset = 0;
    for (let k = 0; k < n; k++) {
      const e = start + 3 * k;
      const count = counts[k] as number;
      this.rankData[e] = lexemes[k] as number;
      this.rankFloat[e + 1] = orTermOf(this.rankShort, base + offset, count);
      this.rankData[e + 2] = (offset << 16) | count;
      offset += count;
    }
    this.rankUsed = start + size;
    return n;
  }

  private postingsOf(key: string): Int32Array {
    const id = this.lexemeIds.get(key);
    return id === undefined
      ? new Int32Array(0)
      : (this.postings[id] as Int32Array).subarray(0, this.postingLength[id] as number);
  }

  private evaluate(node: TsqueryNode): Int32Array {
    if ("lexeme" in node) return this.postingsOf(node.lexeme);
    const lists = node.args.map((arg) => this.evaluate(arg));
    if (lists.length === 0) return new Int32Array(0);
    if (node.op === "and") {
      lists.sort((a, b) => a.length - b.length);
      return lists.reduce(intersect);
    }
    return lists.reduce(union);
  }

  /**
   * The first `limit` live documents matching `query`, in slot order: match's slots without
   * counting the rest (type-ahead wants a few products of words that can match most documents).
   */
  firstMatches(query: TsqueryNode, limit: number): Int32Array {
    const cursor = this.cursorOf(query);
    const slots = new Int32Array(limit);
    let n = 0;
    while (n < limit && cursor.current !== Number.POSITIVE_INFINITY) {
      const slot = cursor.current;
      if (this.alive[slot]) slots[n++] = slot;
      cursor.seek(slot + 1);
    }
    return slots.subarray(0, n);
  }

  private cursorOf(node: TsqueryNode): Cursor {
    if ("lexeme" in node) return postingCursor(this.postingsOf(node.lexeme));
    const children = node.args.map((arg) => this.cursorOf(arg));
    if (children.length === 0) return postingCursor(new Int32Array(0));
    return node.op === "and" ? andCursor(children) : orCursor(children);
  }

  /**
   * Live documents matching `query` (null: every document) and in `category` (if given), the
   * first `limit` of them in slot order, and how many match in all.
   */
  match(query: TsqueryNode | null, category: string | undefined, limit: number): { slots: Int32Array; all: number } {
    let candidates: Int32Array | undefined = query ? this.evaluate(query) : undefined;
    if (category) {
      const inCategory = this.postingsOf(CATEGORY_KEY + category);
      candidates = candidates ? intersect(candidates, inCategory) : inCategory;
    }
    const slots = new Int32Array(Math.min(limit, candidates ? candidates.length : this.size));
    let n = 0;
    let all = 0;
    const alive = this.alive;
    if (candidates) {
      for (let i = 0; i < candidates.length; i++) {
        const slot = candidates[i] as number;
        if (!alive[slot]) continue;
        if (n < limit) slots[n++] = slot;
        all++;
      }
    } else {
      for (let slot = 0; slot < this.size; slot++) {
        if (!alive[slot]) continue;
        if (n < limit) slots[n++] = slot;
        all++;
      }
    }
    return { slots: slots.subarray(0, n), all };
  }
}

/**
 * A position in the slots matching a query, ascending: the lists are walked only as far as the
 * caller reads, so the first few matches of common words cost a few steps, not a merge of their
 * whole posting lists.
 */
type Cursor = {
  /** The current slot, or Infinity past the end. */
  current: number;
  /** Moves to the first slot at or after `slot`. */
  seek(slot: number): void;
};

function postingCursor(list: Int32Array): Cursor {
  let i = 0;
  const cursor: Cursor = {
    current: list.length > 0 ? (list[0] as number) : Number.POSITIVE_INFINITY,
    seek(slot) {
      if (cursor.current >= slot) return;
      // Galloping, then binary search: a seek usually lands close by, sometimes far ahead.
      let step = 1;
      let hi = i + 1;
      while (hi < list.length && (list[hi] as number) < slot) {
        i = hi;
        step *= 2;
        hi = i + step;
      }
      let lo = i + 1;
      hi = Math.min(hi, list.length);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid] as number) < slot) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      cursor.current = i < list.length ? (list[i] as number) : Number.POSITIVE_INFINITY;
    },
  };
  return cursor;
}

function orCursor(children: Cursor[]): Cursor {
  const least = () => children.reduce((m, c) => Math.min(m, c.current), Number.POSITIVE_INFINITY);
  const cursor: Cursor = {
    current: least(),
    seek(slot) {
      if (cursor.current >= slot) return;
      for (const child of children) child.seek(slot);
      cursor.current = least();
    },
  };
  return cursor;
}

function andCursor(children: Cursor[]): Cursor {
  // Every child at the same slot, or one of them past the end.
  const align = () => {
    for (;;) {
      const target = children.reduce((m, c) => Math.max(m, c.current), Number.NEGATIVE_INFINITY);
      if (target === Number.POSITIVE_INFINITY) return target;
      let aligned = true;
      for (const child of children) {
        child.seek(target);
        if (child.current !== target) aligned = false;
      }
      if (aligned) return target;
    }
  };
  const cursor: Cursor = {
    current: children.length === 0 ? Number.POSITIVE_INFINITY : align(),
    seek(slot) {
      if (cursor.current >= slot) return;
      for (const child of children) child.seek(slot);
      cursor.current = align();
    },
  };
  return cursor;
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
}

function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Number.POSITIVE_INFINITY;
    const y = j < b.length ? (b[j] as number) : Number.POSITIVE_INFINITY;
    if (x <= y) {
      out[n++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  return out.subarray(0, n);
}

type Holder = { index: TextIndex | undefined; loading: Promise<TextIndex> | undefined; failedAt: number };
const RETRY_AFTER_MS = 30_000;
const holderFor = perDatabase((): Holder => ({ index: undefined, loading: undefined, failedAt: 0 }));

function startLoading(db: Db, holder: Holder, progress?: LoadProgress): Promise<TextIndex> {
  holder.loading ??= (async () => {
    const index = new TextIndex();
    await index.load(db, progress);
    holder.index = index;
    return index;
  })()
    .catch((error: unknown) => {
      holder.failedAt = Date.now();
      throw error;
    })
    .finally(() => {
      holder.loading = undefined;
    });
  return holder.loading;
}

/**
 * This process's index of `db`, current as of search generation `generation`, or undefined while
 * it is being built (the first call starts building it; the caller searches in SQL meanwhile). A
 * stale or fragmented index is rebuilt in the background while the old one keeps serving.
 */
export async function currentTextIndex(db: Db, generation: string): Promise<TextIndex | undefined> {
  const holder = holderFor(db);
  const index = holder.index;
  if (!index) {
    if (!holder.loading && Date.now() - holder.failedAt > RETRY_AFTER_MS) startLoading(db, holder).catch(() => {});
    return undefined;
  }
  if (index.followsFeed) await index.syncTo(db, generation);
  if (!index.followsFeed || index.overflowed) {
    if (holder.index === index) holder.index = undefined;
    if (!holder.loading) startLoading(db, holder).catch(() => {});
    return undefined;
  }
  if (index.dead > Math.max(50_000, index.live) && !holder.loading) startLoading(db, holder).catch(() => {});
  return index;
}

/** Builds the index of `db` now if it is not built yet (benchmarks, tests, a warm-up at start). */
export async function loadTextIndex(db: Db, progress?: LoadProgress): Promise<TextIndex> {
  const holder = holderFor(db);
  if (holder.index) return holder.index;
  return startLoading(db, holder, progress);
}
