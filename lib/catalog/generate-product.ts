// One catalog product, with everything that hangs off it (translation, images, variants, offers,
// review texts, rating summary), computed from (seed, index) alone: product 73,412 is the same
// whether a run generates 100 products or a million, which makes the seed resumable and
// idempotent.
import { colors, type LeafCategory, leaves, shoeSizes, sizes, storages } from "./category-tree.ts";
import { type CatalogCurrency, shelfPriceMinor } from "./currencies.ts";
import { keccakText, uuidFrom } from "./deterministic-ids.ts";
import type { GeneratedSeller } from "./generate-sellers.ts";
import { createRandom, type Random } from "./prng.ts";

export type GeneratedVariant = { id: string; sku: string; attributes: Record<string, string> };
export type GeneratedOffer = {
  id: string;
  sellerId: string;
  variantId: string | null;
  priceMinor: number;
  currency: CatalogCurrency;
  stock: number;
  deliveryOptions: string[];
  paymentMethods: string[];
};
export type GeneratedReview = { contentHash: string; chainOrderId: string; body: string; locale: string };

export type GeneratedProduct = {
  id: string;
  sku: string;
  slug: string;
  chainIdHash: string;
  categorySlug: string;
  brand: string;
  title: string;
  description: string;
  attributes: Record<string, string>;
  modelUrl: string | null;
  createdAt: Date;
  reviewCount: number;
  ratingSum: number;
  translation: { locale: "es"; title: string; description: string };
  images: { id: string; url: string; alt: string; position: number }[];
  variants: GeneratedVariant[];
  offers: GeneratedOffer[];
  reviews: GeneratedReview[];
};

/** Placeholder images per category (files written by writePlaceholderImages). */
export const IMAGES_PER_CATEGORY = 4;
const CATALOG_EPOCH = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

const reviewers = ["Ana", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Inés", "Jonas", "Kemi", "Lucía"];
const reviewOpeners = [
  "Exactly as described.",
  "Better than I expected for the price.",
  "Solid build quality.",
  "Arrived two days early and well packed.",
  "Not perfect, but good value.",
  "My second one — that says it all.",
];
const reviewOpenersEs = [
  "Tal como se describe.",
  "Mejor de lo esperado por el precio.",
  "Muy buena calidad.",
  "Llegó antes de tiempo.",
];

function modelCode(random: Random): string {
  const letters = "ABCDEFGHJKLMNPRSTVXZ";
  // Letters and digits in one word ("KX470"): a code like "TV-130" would match the query "tv".
  return `${letters[random.int(0, letters.length - 1)]}${letters[random.int(0, letters.length - 1)]}${random.int(1, 9) * 100 + random.int(0, 9) * 10}`;
}

function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

/** Log-uniform in [min, max]: cheap items are common, expensive ones rare, as in real catalogs. */
function priceUsd(random: Random, [min, max]: readonly [number, number]): number {
  return Math.exp(Math.log(min) + random.next() * (Math.log(max) - Math.log(min)));
}

function variantCombos(random: Random, leaf: LeafCategory): Record<string, string>[] {
  const axes = leaf.variantAxes ?? [];
  if (axes.length === 0 || random.chance(0.4)) return [];
  const valuesOf = (axis: string): readonly string[] =>
    axis === "color"
      ? colors.en
      : axis === "storage"
        ? storages
        : leaf.parent === "footwear" || leaf.slug === "bicycles"
          ? shoeSizes
          : sizes;
  const count = random.int(2, 4);
  const combos = new Map<string, Record<string, string>>();
  for (let tries = 0; combos.size < count && tries < 12; tries++) {
    const combo: Record<string, string> = {};
    for (const axis of axes) combo[axis] = random.pick(valuesOf(axis));
    combos.set(JSON.stringify(combo), combo);
  }
  return [...combos.values()];
}

function deliveryOptionsFor(random: Random, leaf: LeafCategory): string[] {
  const options = ["standard"];
  if (random.chance(0.5)) options.push("green");
  // Drones carry small parcels only: no sofas, fridges, TVs, bikes or grills.
  const bulky = ["sofas", "refrigerators", "televisions", "bicycles", "grills", "tents"].includes(leaf.slug);
  if (!bulky && random.chance(0.2)) options.push("drone");
  return options;
}

function paymentMethodsFor(random: Random, seller: GeneratedSeller): string[] {
  const methods = ["wallet", "card"];
  if (random.chance(0.5)) methods.push("bnpl");
  if (seller.currency === "INR" || random.chance(0.05)) methods.push("upi");
  if (random.chance(0.4)) methods.push("crypto");
  if (random.chance(0.15)) methods.push("bitcoin");
  return methods;
}

export function productSku(index: number): string {
  return `NC-${index.toString().padStart(7, "0")}`;
}

export function generateProduct(seed: string, index: number, sellers: readonly GeneratedSeller[]): GeneratedProduct {
  const random = createRandom(`${seed}:product:${index}`);
  const leaf = random.pick(leaves);
  const brand = random.pick(leaf.brands);
  const brandLines = leaf.lines?.[brand];
  const line = brandLines && random.chance(0.8) ? random.pick(brandLines) : modelCode(random);
  const adjective = random.int(0, leaf.adjectives.en.length - 1);
  const spec = leaf.specs && random.chance(0.6) ? random.int(0, leaf.specs.en.length - 1) : -1;
  const combos = variantCombos(random, leaf);
  const hasColorVariants = combos.some((c) => c.color);
  const color = !hasColorVariants && random.chance(0.5) ? random.int(0, colors.en.length - 1) : -1;

  const sku = productSku(index);
  const id = uuidFrom(`product:${sku}`);
  const details = [spec >= 0 ? leaf.specs?.en[spec] : undefined, color >= 0 ? colors.en[color] : undefined].filter(
    Boolean,
  );
  const detailsEs = [spec >= 0 ? leaf.specs?.es[spec] : undefined, color >= 0 ? colors.es[color] : undefined].filter(
    Boolean,
  );
  const title = [`${brand} ${line} ${leaf.adjectives.en[adjective]} ${leaf.noun}`, ...details].join(", ");
  const titleEs = [`${leaf.nounEs} ${leaf.adjectives.es[adjective]} ${brand} ${line}`, ...detailsEs].join(", ");
  const featureIdx = random.sample(
    leaf.features.en.map((_, i) => i),
    random.int(1, 3),
  );
  const description = [
    `The ${brand} ${line} is a ${leaf.adjectives.en[adjective]?.toLowerCase()} ${leaf.noun.toLowerCase()} for everyday use.`,
    ...featureIdx.map((i) => leaf.features.en[i]),
    random.pick([
      "Backed by a two-year warranty.",
      "Ships in recyclable packaging.",
      "Sold by verified NeoCart sellers.",
    ]),
  ].join(" ");
  const descriptionEs = [
    `${leaf.nounEs} ${brand} ${line} ${leaf.adjectives.es[adjective]} para el día a día.`,
    ...featureIdx.map((i) => leaf.features.es[i]),
    "Garantía de dos años.",
  ].join(" ");

  const imageCount = random.int(1, 3);
  const firstImage = random.int(1, IMAGES_PER_CATEGORY);
  const images = Array.from({ length: imageCount }, (_, position) => ({
    id: uuidFrom(`image:${sku}:${position}`),
    url: `/images/products/${leaf.slug}-${((firstImage + position - 1) % IMAGES_PER_CATEGORY) + 1}.svg`,
    alt: position === 0 ? title : `${title} (view ${position + 1})`,
    position,
  }));

  const variants = combos.map((attributes, k) => ({
    id: uuidFrom(`variant:${sku}-${k + 1}`),
    sku: `${sku}-${k + 1}`,
    attributes,
  }));

  const sellerCount = random.chance(0.6) ? 1 : random.chance(0.6) ? 2 : random.chance(0.7) ? 3 : 4;
  const chosen = random.sample(sellers, sellerCount);
  const basePrice = priceUsd(random, leaf.priceUsd);
  const offers: GeneratedOffer[] = [];
  chosen.forEach((seller, s) => {
    // The first seller offers every variant; others offer one (or the product as a whole).
    const targets: (GeneratedVariant | null)[] =
      variants.length === 0 ? [null] : s === 0 ? variants : [random.pick(variants)];
    for (const variant of targets) {
      // Sellers differ by up to ±8%; each storage step up costs 15% more.
      const sellerSpread = 1 + (random.next() - 0.5) * 0.16;
      const storageStep = (storages as readonly string[]).indexOf(variant?.attributes.storage ?? "");
      const usd = basePrice * sellerSpread * (1 + Math.max(0, storageStep) * 0.15);
      offers.push({
        id: uuidFrom(`offer:${sku}:${seller.slug}:${variant?.sku ?? "-"}`),
        sellerId: seller.id,
        variantId: variant?.id ?? null,
        priceMinor: shelfPriceMinor(usd, seller.currency),
        currency: seller.currency,
        stock: random.chance(0.1) ? 0 : random.int(1, 500),
        deliveryOptions: deliveryOptionsFor(random, leaf),
        paymentMethods: paymentMethodsFor(random, seller),
      });
    }
  });

  // Ratings: many products have none, a few have hundreds; averages lean positive, as they do.
  const reviewCount = random.chance(0.2) ? 0 : Math.floor(Math.exp(random.next() * 6));
  const average = 2.2 + random.next() * 2.8;
  const ratingSum = Math.min(5 * reviewCount, Math.max(reviewCount, Math.round(average * reviewCount)));
  const reviews: GeneratedReview[] = [];
  for (let k = 0; k < Math.min(reviewCount, random.int(0, 2)); k++) {
    const spanish = random.chance(0.25);
    const who = random.pick(reviewers);
    const body = spanish
      ? `${random.pick(reviewOpenersEs)} ${leaf.nounEs} ${brand} ${line}: lo recomiendo. — ${who}, pedido ${sku}-${k + 1}`
      : `${random.pick(reviewOpeners)} The ${brand} ${line} ${leaf.noun.toLowerCase()} does what I needed. — ${who}, order ${sku}-${k + 1}`;
    reviews.push({
      contentHash: keccakText(body),
      chainOrderId: keccakText(`order:${sku}:${k + 1}`),
      body,
      locale: spanish ? "es" : "en",
    });
  }

  const attributes: Record<string, string> = { adjective: leaf.adjectives.en[adjective] ?? "" };
  if (spec >= 0) attributes.spec = leaf.specs?.en[spec] ?? "";
  if (color >= 0) attributes.color = colors.en[color] ?? "";

  return {
    id,
    sku,
    slug: `${slugify(title)}-${index.toString(36)}`,
    chainIdHash: keccakText(sku),
    categorySlug: leaf.slug,
    brand,
    title,
    description,
    attributes,
    modelUrl: leaf.model && index % 25 === 0 ? `/models/${leaf.slug}.glb` : null,
    createdAt: new Date(CATALOG_EPOCH + random.int(0, 600) * DAY_MS + random.int(0, DAY_MS - 1)),
    reviewCount,
    ratingSum,
    translation: { locale: "es", title: titleEs, description: descriptionEs },
    images,
    variants,
    offers,
    reviews,
  };
}
