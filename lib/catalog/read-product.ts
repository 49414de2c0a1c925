// Everything a product page shows: text in the shopper's language, gallery, variants, every
// seller's offer priced in the shopper's currency, the on-chain rating and each review with the
// proof that makes it "verified" (a completed purchase on chain and a text whose hash matches).
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { chainView, readChainViews } from "../chain/views.ts";
import { offers, productImages, products, productTranslations, reviewTexts, sellers, variants } from "../db/schema.ts";
import type { Executor } from "../pricing/executor.ts";
import { createConverter } from "../pricing/fx-rates.ts";
import { keccakText } from "./deterministic-ids.ts";

export const productRefSchema = z.union([z.uuid(), z.string().regex(/^[a-z0-9-]{1,160}$/, "a product id or slug")]);

export type ProductOffer = {
  id: string;
  variantId: string | null;
  seller: { id: string; slug: string; name: string; country: string; payable: boolean };
  price: { minor: bigint; currency: string };
  display: { minor: bigint; currency: string } | null;
  stock: number;
  deliveryOptions: string[];
  paymentMethods: string[];
};

export type ProductReview = {
  orderId: string;
  author: string;
  rating: number;
  contentHash: string;
  txHash: string;
  blockNumber: bigint;
  at: Date;
  viaReceipt: boolean;
  /** The stored text, when its keccak256 equals the on-chain content hash. */
  body: string | null;
  /** "verified": text found and hash matches; "missing": no text stored; "mismatch": text altered. */
  proof: "verified" | "missing" | "mismatch";
};

export type ProductPage = {
  id: string;
  sku: string;
  slug: string;
  chainProductId: string;
  title: string;
  description: string;
  brand: string;
  category: string;
  attributes: Record<string, string | number | boolean>;
  modelUrl: string | null;
  images: { url: string; alt: string }[];
  variants: { id: string; sku: string; attributes: Record<string, string> }[];
  offers: ProductOffer[];
  rating: { count: number; average: number | null; histogram: number[] } | null;
  reviews: ProductReview[];
};

type RatingRow = {
  review_count: number;
  average_centi_stars: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
};
type ReviewRow = {
  id: string;
  author: string;
  rating: number;
  content_hash: string;
  tx_hash: string;
  block_number: string;
  timestamp: string;
  via_receipt: boolean;
};

export async function readProductPage(
  db: Executor,
  input: { ref: string; locale: string; currency: string; viewsSchema: string },
): Promise<ProductPage | null> {
  const ref = productRefSchema.safeParse(input.ref);
  if (!ref.success) return null;
  const byId = z.uuid().safeParse(ref.data).success;
  const [row] = await db
    .select({ product: products, tTitle: productTranslations.title, tDescription: productTranslations.description })
    .from(products)
    .leftJoin(
      productTranslations,
      and(eq(productTranslations.productId, products.id), eq(productTranslations.locale, input.locale)),
    )
    .where(byId ? eq(products.id, ref.data) : eq(products.slug, ref.data));
  if (!row) return null;
  const product = row.product;

  const [images, variantRows, offerRows, texts] = await Promise.all([
    db
      .select({ url: productImages.url, alt: productImages.alt })
      .from(productImages)
      .where(eq(productImages.productId, product.id))
      .orderBy(asc(productImages.position)),
    db
      .select({ id: variants.id, sku: variants.sku, attributes: variants.attributes })
      .from(variants)
      .where(eq(variants.productId, product.id))
      .orderBy(asc(variants.sku)),
    db
      .select({ offer: offers, seller: sellers })
      .from(offers)
      .innerJoin(sellers, eq(sellers.id, offers.sellerId))
      .where(and(eq(offers.productId, product.id), eq(offers.active, true)))
      .orderBy(asc(offers.priceMinor)),
    db
      .select({ contentHash: reviewTexts.contentHash, body: reviewTexts.body })
      .from(reviewTexts)
      .where(eq(reviewTexts.productId, product.id)),
  ]);

  const currencies = [...new Set([input.currency, ...offerRows.map((o) => o.offer.currency)])];
  const convert = await createConverter(db, currencies);
  const offersOut: ProductOffer[] = offerRows.map(({ offer, seller }) => {
    let display: ProductOffer["display"] = null;
    try {
      display = { minor: convert(offer.priceMinor, offer.currency, input.currency), currency: input.currency };
    } catch {
      display = null; // no FX rate: the page shows the seller's own price only
    }
    return {
      id: offer.id,
      variantId: offer.variantId,
      seller: {
        id: seller.id,
        slug: seller.slug,
        name: seller.name,
        country: seller.country,
        payable: seller.payoutAddress !== null,
      },
      price: { minor: offer.priceMinor, currency: offer.currency },
      display,
      stock: offer.stock,
      deliveryOptions: offer.deliveryOptions,
      paymentMethods: offer.paymentMethods,
    };
  });

  const chainProductId = product.chainIdHash.toLowerCase();
  const ratingRows = await readChainViews<RatingRow>(
    db,
    sql`select review_count, average_centi_stars, stars1 as s1, stars2 as s2, stars3 as s3, stars4 as s4, stars5 as s5
        from ${chainView(input.viewsSchema, "product_rating")} where id = ${chainProductId}`,
  );
  const reviewRows =
    (await readChainViews<ReviewRow>(
      db,
      sql`select id, author, rating, content_hash, tx_hash, block_number::text as block_number,
                 timestamp::text as timestamp, via_receipt
          from ${chainView(input.viewsSchema, "review")} where product_id = ${chainProductId}
          order by timestamp desc limit 50`,
    )) ?? [];
  const textByHash = new Map(texts.map((t) => [t.contentHash.toLowerCase(), t.body]));
  const rating = ratingRows?.[0];

  return {
    id: product.id,
    sku: product.sku,
    slug: product.slug,
    chainProductId,
    title: row.tTitle ?? product.title,
    description: row.tDescription ?? product.description,
    brand: product.brand,
    category: product.categorySlug,
    attributes: product.attributes,
    modelUrl: product.modelUrl,
    images,
    variants: variantRows,
    offers: offersOut,
    rating: rating
      ? {
          count: rating.review_count,
          average: rating.review_count > 0 ? rating.average_centi_stars / 100 : null,
          histogram: [rating.s1, rating.s2, rating.s3, rating.s4, rating.s5],
        }
      : null,
    reviews: reviewRows.map((r) => {
      const body = textByHash.get(r.content_hash.toLowerCase());
      const proof =
        body === undefined ? "missing" : keccakText(body) === r.content_hash.toLowerCase() ? "verified" : "mismatch";
      return {
        orderId: r.id,
        author: r.author,
        rating: r.rating,
        contentHash: r.content_hash,
        txHash: r.tx_hash,
        blockNumber: BigInt(r.block_number),
        at: new Date(Number(r.timestamp) * 1000),
        viaReceipt: r.via_receipt,
        body: proof === "verified" ? (body ?? null) : null,
        proof,
      };
    }),
  };
}
