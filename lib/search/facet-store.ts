// The facet columns of search documents, held in memory per process and keyed by document version
// (migration 0016). Counting facets in PostgreSQL meant reading every match's wide row and
// unnesting its arrays: about half of an uncached search's cost. A search now reads only the
// versions of its matches; this store supplies their category, price, rating, sellers, delivery
// and payment options, fetching the versions it does not hold in one query. A version is never
// reused, so what the store holds for a version is exactly that row: it is never stale, only
// possibly missing. One slot per product: a newer version overwrites the older one's slot.
import type { Db } from "../db/client.ts";
import { perDatabase } from "../db/per-database.ts";
import { deliveryOptions, paymentMethods } from "../db/schema.ts";

/** Bit i of a delivery mask is deliveryOptions[i]; likewise for payment methods. */
export const deliveryBit = (option: string) => 1 << deliveryOptions.indexOf(option as (typeof deliveryOptions)[number]);
export const paymentBit = (method: string) => 1 << paymentMethods.indexOf(method as (typeof paymentMethods)[number]);

function maskOf(values: string, bitOf: (value: string) => number): number {
  let mask = 0;
  for (const value of values.split(",")) if (value) mask |= Math.max(0, bitOf(value));
  return mask;
}

const FETCH_CHUNK = 5_000;
/** Sellers held inline per product; most products have one to four offers. */
export const SELLERS_INLINE = 4;

/** Parses "12,40,7" (PostgreSQL's string_agg of versions) without splitting it into strings. */
export function parseVersionList(text: string | null): Float64Array {
  if (!text) return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const versions = new Float64Array(count);
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      versions[n++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  versions[n] = value;
  return versions;
}

const PAGE_BITS = 16;
const PAGE_SIZE = 1 << PAGE_BITS;

/**
 * Version → slot, as pages of a flat array: versions come from one sequence, so a catalog's live
 * versions crowd into few pages, and a lookup is two array reads instead of a hash probe (a map
 * cost about 1 ms per 6,000 matches). A page is freed when its last version is replaced.
 */
class VersionSlots {
  private readonly pages = new Map<number, { slots: Int32Array; live: number }>();

  get(version: number): number {
    const page = this.pages.get(Math.floor(version / PAGE_SIZE));
    return page ? (page.slots[version % PAGE_SIZE] as number) - 1 : -1;
  }

  set(version: number, slot: number) {
    const key = Math.floor(version / PAGE_SIZE);
    let page = this.pages.get(key);
    if (!page) {
      page = { slots: new Int32Array(PAGE_SIZE), live: 0 };
      this.pages.set(key, page);
    }
    if (page.slots[version % PAGE_SIZE] === 0) page.live++;
    page.slots[version % PAGE_SIZE] = slot + 1;
  }

  delete(version: number) {
    const key = Math.floor(version / PAGE_SIZE);
    const page = this.pages.get(key);
    if (!page || page.slots[version % PAGE_SIZE] === 0) return;
    page.slots[version % PAGE_SIZE] = 0;
    if (--page.live === 0) this.pages.delete(key);
  }
}

/** The facet columns of a search document (alias d), as FacetRow has them. */
export const FACET_COLUMNS = `d.version::text, d.product_id, d.category_slug,
  array_to_string(d.category_path, '/') as category_path, d.price_usd_minor::text, d.rating_centi,
  array_to_string(d.seller_ids, ',') as seller_ids, array_to_string(d.delivery_options, ',') as delivery_options,
  array_to_string(d.payment_methods, ',') as payment_methods`;

export type FacetRow = {
  version: string;
  product_id: string;
  category_slug: string;
  category_path: string;
  price_usd_minor: string | null;
  rating_centi: number | null;
  seller_ids: string;
  delivery_options: string;
  payment_methods: string;
};

export class FacetStore {
  private capacity = 0;
  size = 0;
  private readonly slotOfVersion = new VersionSlots();
  /** Versions being fetched, with the fetch that brings them. */
  private readonly pending = new Map<number, Promise<void>>();
  private readonly slotOfProduct = new Map<string, number>();
  version = new Float64Array(0);
  /** Index into `categories`. */
  category = new Int32Array(0);
  /** Index into `paths` (the category and its ancestors). */
  path = new Int32Array(0);
  /** USD minor units; NaN when nothing is on offer. */
  price = new Float64Array(0);
  /** Stars × 100; -1 without reviews. */
  rating = new Int32Array(0);
  delivery = new Uint8Array(0);
  payment = new Uint8Array(0);
  /**
   * Indexes into `sellers`: SELLERS_INLINE per slot, `sellerCount` of them used. A product with
   * more sellers keeps them all in `moreSellers` instead (an array per product costs ~150 bytes).
   */
  sellerIds = new Int32Array(0);
  sellerCount = new Uint8Array(0);
  readonly moreSellers = new Map<number, Int32Array>();
  readonly categories: string[] = [];
  readonly paths: string[][] = [];
  readonly sellers: string[] = [];
  private readonly categoryIndex = new Map<string, number>();
  private readonly pathIndex = new Map<string, number>();
  private readonly sellerIndex = new Map<string, number>();

  /** Bytes held in typed arrays. */
  typedArrayBytes(): number {
    let bytes = 0;
    for (const list of this.moreSellers.values()) bytes += list.byteLength;
    for (const array of [
      this.version,
      this.category,
      this.path,
      this.price,
      this.rating,
      this.delivery,
      this.payment,
      this.sellerIds,
      this.sellerCount,
    ])
      bytes += array.byteLength;
    return bytes;
  }

  /** The seller's index, or -1 when no document held here names it. */
  sellerOrdinal(sellerId: string): number {
    return this.sellerIndex.get(sellerId) ?? -1;
  }

  /**
   * Slots of the given versions, in their order; versions that no longer exist (replaced between
   * the search and this fetch) are left out.
   */
  async slotsOf(db: Db, versions: Float64Array): Promise<Int32Array> {
    // A new process's first concurrent searches miss the same versions: each is fetched once, and
    // searches that need a version already being fetched wait for that fetch.
    const waits = new Set<Promise<void>>();
    const missing: number[] = [];
    for (const v of versions) {
      if (this.slotOfVersion.get(v) >= 0) continue;
      const pending = this.pending.get(v);
      if (pending) waits.add(pending);
      else missing.push(v);
    }
    for (let i = 0; i < missing.length; i += FETCH_CHUNK) {
      const chunk = missing.slice(i, i + FETCH_CHUNK);
      const fetched = this.fetch(db, chunk).finally(() => {
        for (const v of chunk) this.pending.delete(v);
      });
      for (const v of chunk) this.pending.set(v, fetched);
      waits.add(fetched);
    }
    await Promise.all(waits);
    const slots = new Int32Array(versions.length);
    let n = 0;
    for (const v of versions) {
      const slot = this.slotOfVersion.get(v);
      if (slot >= 0) slots[n++] = slot;
    }
    return slots.subarray(0, n);
  }

  private async fetch(db: Db, versions: number[]) {
    const { rows } = await db.$client.query<FacetRow>(
      `select ${FACET_COLUMNS} from commerce.search_documents d where d.version = any($1::bigint[])`,
      [versions],
    );
    for (const row of rows) this.hold(row);
  }

  private intern(index: Map<string, number>, list: string[], value: string): number {
    let i = index.get(value);
    if (i === undefined) {
      i = list.length;
      list.push(value);
      index.set(value, i);
    }
    return i;
  }

  /** Holds `row` in its product's slot (unless that slot holds a newer version); returns the slot. */
  hold(row: FacetRow): number {
    const version = Number(row.version);
    let slot = this.slotOfProduct.get(row.product_id);
    if (slot !== undefined) {
      // A concurrent search may have installed a newer version meanwhile: keep that one.
      if ((this.version[slot] ?? 0) > version) return slot;
      this.slotOfVersion.delete(this.version[slot] as number);
    } else {
      slot = this.size++;
      if (slot >= this.capacity) this.grow();
      this.slotOfProduct.set(row.product_id, slot);
    }
    this.slotOfVersion.set(version, slot);
    this.version[slot] = version;
    this.category[slot] = this.intern(this.categoryIndex, this.categories, row.category_slug);
    const pathIndex = this.pathIndex.get(row.category_path);
    if (pathIndex === undefined) {
      this.pathIndex.set(row.category_path, this.paths.length);
      this.path[slot] = this.paths.length;
      this.paths.push(row.category_path.split("/"));
    } else {
      this.path[slot] = pathIndex;
    }
    this.price[slot] = row.price_usd_minor === null ? Number.NaN : Number(row.price_usd_minor);
    this.rating[slot] = row.rating_centi ?? -1;
    this.delivery[slot] = maskOf(row.delivery_options, deliveryBit);
    this.payment[slot] = maskOf(row.payment_methods, paymentBit);
    const sellers = row.seller_ids ? row.seller_ids.split(",") : [];
    this.sellerCount[slot] = Math.min(sellers.length, 255);
    this.moreSellers.delete(slot);
    if (sellers.length > SELLERS_INLINE) {
      this.moreSellers.set(
        slot,
        Int32Array.from(sellers, (id) => this.intern(this.sellerIndex, this.sellers, id)),
      );
    } else {
      sellers.forEach((id, k) => {
        this.sellerIds[slot * SELLERS_INLINE + k] = this.intern(this.sellerIndex, this.sellers, id);
      });
    }
    return slot;
  }

  private grow() {
    const capacity = Math.max(1024, this.capacity * 2);
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.version = widen(this.version, (n) => new Float64Array(n));
    this.category = widen(this.category, (n) => new Int32Array(n));
    this.path = widen(this.path, (n) => new Int32Array(n));
    this.price = widen(this.price, (n) => new Float64Array(n));
    this.rating = widen(this.rating, (n) => new Int32Array(n));
    this.delivery = widen(this.delivery, (n) => new Uint8Array(n));
    this.payment = widen(this.payment, (n) => new Uint8Array(n));
    this.sellerCount = widen(this.sellerCount, (n) => new Uint8Array(n));
    const sellerIds = new Int32Array(capacity * SELLERS_INLINE);
    sellerIds.set(this.sellerIds);
    this.sellerIds = sellerIds;
    this.capacity = capacity;
  }
}

/** This process's store for the database behind `db`. */
export const facetStoreFor = perDatabase(() => new FacetStore());
