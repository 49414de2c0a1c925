// What a result card shows of a product (title, image, sku, price, rating …), kept in memory per
// process by search document version, so an in-memory search (search-in-memory.ts) builds its page
// without a round trip: reading the page's 20 products took PostgreSQL about 0.5 ms a search, more
// than matching and ranking them. A version stands for one state of the product, its offers,
// translations and images (each refreshes the document, migrations 0002 and 0017), so an entry is
// never stale; a page's product whose version is not held is read by product id, once, at its
// current version. Prices are converted to the shopper's currency here, with the exact decimal
// rate, rounding as commerce.from_usd_minor does.
import type { Db } from "../db/client.ts";
import { perDatabase } from "../db/per-database.ts";
import { currencyExponent } from "./price-buckets.ts";
import type { SearchItem } from "./search-products.ts";

type StoredItem = Omit<SearchItem, "price" | "score"> & {
  /** Titles by locale (product_translations). */
  titles: Record<string, string>;
  priceUsdMinor: number | null;
};

type ItemRow = {
  version: string;
  id: string;
  sku: string;
  slug: string;
  title: string;
  brand: string;
  category: string;
  image_url: string | null;
  model_url: string | null;
  titles: Record<string, string | null> | null;
  price_usd_minor: string | null;
  best_price_minor: string | null;
  best_currency: string | null;
  rating_centi: number | null;
  review_count: number;
  offer_count: number;
  in_stock: boolean;
  delivery_options: string[];
  payment_methods: string[];
};

const ITEMS = `select d.version::text, p.id, p.sku, p.slug, p.title, p.brand, p.category_slug as category,
  (select i.url from commerce.product_images i where i.product_id = p.id order by i.position limit 1) as image_url,
  p.model_url, (select json_object_agg(tr.locale, tr.title) from commerce.product_translations tr
    where tr.product_id = p.id) as titles,
  d.price_usd_minor::text, d.best_price_minor::text, d.best_currency, d.rating_centi, d.review_count,
  d.offer_count, d.in_stock, d.delivery_options, d.payment_methods
from commerce.search_documents d join commerce.products p on p.id = d.product_id
where d.product_id = any($1::uuid[])`;

/** Held items; beyond this the least recently shown are dropped (about 600 bytes each). */
const MAX_ITEMS = 50_000;

/** round(amount × rate × 10^exponent / 100) in exact decimals, halves away from zero, as numeric does. */
export function fromUsdMinor(amount: number, rateText: string, exponent: number): number {
  const [whole = "0", fraction = ""] = rateText.split(".");
  const rate = BigInt(whole + fraction);
  const numerator = BigInt(amount) * rate * 10n ** BigInt(exponent) * 2n;
  const denominator = 10n ** BigInt(fraction.length) * 100n;
  const doubled = numerator / denominator;
  // floor(2q) is odd exactly when q's fraction is at least one half.
  return Number((doubled + 1n) / 2n);
}

/** A float8 as PostgreSQL's round(x::numeric, 6) prints it: 15 significant digits, then 6 places. */
export function numericRound6(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const [mantissa = "0", exp = "0"] = x.toPrecision(15).split("e");
  const point = mantissa.indexOf(".");
  const digits = BigInt(mantissa.replace(".", "").replace("-", ""));
  // x = digits × 10^-scale
  const scale = (point < 0 ? 0 : mantissa.length - point - 1) - Number(exp);
  const sign = x < 0 ? "-" : "";
  if (scale <= 6) return Number(`${sign}${digits}e${-scale}`);
  const unit = 10n ** BigInt(scale - 6);
  const rounded = (digits * 2n + unit) / (2n * unit);
  return Number(`${sign}${rounded}e-6`);
}

export class ItemStore {
  private readonly byVersion = new Map<number, StoredItem>();
  /** The newest version read of each product held: a page may name one replaced while it was read. */
  private readonly latest = new Map<string, number>();
  private readonly pending = new Map<string, Promise<void>>();

  /** The page's items in order, in `currency` and `locale`; products that no longer exist are left out. */
  async pageOf(
    db: Db,
    page: readonly { productId: string; version: number; score: number }[],
    currency: string,
    locale: string,
    rateText: string,
  ): Promise<SearchItem[]> {
    await this.hold(db, page);
    const exponent = currencyExponent(currency);
    const items: SearchItem[] = [];
    for (const { productId, version, score } of page) {
      const stored = this.shown(productId, version);
      if (!stored) continue;
      const { titles, priceUsdMinor, ...item } = stored;
      // Fresh objects and arrays: a caller may change its result without touching the store.
      items.push({
        ...item,
        bestOffer: item.bestOffer && { ...item.bestOffer },
        rating: { ...item.rating },
        deliveryOptions: [...item.deliveryOptions],
        paymentMethods: [...item.paymentMethods],
        title: titles[locale] ?? item.title,
        price:
          priceUsdMinor === null
            ? null
            : {
                minor:
                  item.bestOffer?.currency === currency
                    ? item.bestOffer.minor
                    : currency === "USD"
                      ? priceUsdMinor
                      : fromUsdMinor(priceUsdMinor, rateText, exponent),
                currency,
              },
        score: numericRound6(score),
      });
    }
    return items;
  }

  /** Slug and title (untranslated) of each product, in order; those that no longer exist are left out. */
  async labelsOf(
    db: Db,
    products: readonly { productId: string; version: number }[],
  ): Promise<{ productId: string; slug: string; title: string }[]> {
    await this.hold(db, products);
    const labels: { productId: string; slug: string; title: string }[] = [];
    for (const { productId, version } of products) {
      const stored = this.shown(productId, version);
      if (stored) labels.push({ productId, slug: stored.slug, title: stored.title });
    }
    return labels;
  }

  /** Reads the products whose version is not held (once, however many ask at the same time). */
  private async hold(db: Db, products: readonly { productId: string; version: number }[]) {
    const missing = products.filter((p) => !this.byVersion.has(p.version) && !this.pending.has(p.productId));
    const waits = new Set(products.map((p) => this.pending.get(p.productId)).filter((w) => w !== undefined));
    if (missing.length > 0) {
      const ids = missing.map((p) => p.productId);
      const fetched = this.fetch(db, ids).finally(() => {
        for (const id of ids) this.pending.delete(id);
      });
      for (const id of ids) this.pending.set(id, fetched);
      waits.add(fetched);
    }
    await Promise.all(waits);
  }

  /** The item at `version`, or the one read instead when the product changed meanwhile. */
  private shown(productId: string, version: number): StoredItem | undefined {
    const key = this.byVersion.has(version) ? version : this.latest.get(productId);
    const stored = key === undefined ? undefined : this.byVersion.get(key);
    if (key === undefined || !stored) return undefined;
    // Least recently shown first in Map order.
    this.byVersion.delete(key);
    this.byVersion.set(key, stored);
    return stored;
  }

  private async fetch(db: Db, productIds: string[]) {
    const { rows } = await db.$client.query<ItemRow>({
      name: "neocart_search_items",
      text: ITEMS,
      values: [productIds],
    });
    for (const row of rows) {
      const version = Number(row.version);
      const previous = this.latest.get(row.id);
      // A concurrent read may have brought a newer state already.
      if (previous !== undefined && previous > version) continue;
      if (previous !== undefined && previous !== version) this.byVersion.delete(previous);
      this.latest.set(row.id, version);
      const titles: Record<string, string> = {};
      for (const [locale, title] of Object.entries(row.titles ?? {})) if (title !== null) titles[locale] = title;
      this.byVersion.set(version, {
        id: row.id,
        sku: row.sku,
        slug: row.slug,
        title: row.title,
        titles,
        brand: row.brand,
        category: row.category,
        imageUrl: row.image_url,
        modelUrl: row.model_url,
        priceUsdMinor: row.price_usd_minor === null ? null : Number(row.price_usd_minor),
        bestOffer:
          row.best_price_minor === null || row.best_currency === null
            ? null
            : { minor: Number(row.best_price_minor), currency: row.best_currency },
        rating: { average: row.rating_centi === null ? null : row.rating_centi / 100, count: row.review_count },
        offerCount: row.offer_count,
        inStock: row.in_stock,
        deliveryOptions: row.delivery_options,
        paymentMethods: row.payment_methods,
      });
    }
    for (const [version, item] of this.byVersion) {
      if (this.byVersion.size <= MAX_ITEMS) break;
      this.byVersion.delete(version);
      if (this.latest.get(item.id) === version) this.latest.delete(item.id);
    }
  }
}

/** This process's item store for the database behind `db`. */
export const itemStoreFor = perDatabase(() => new ItemStore());
