// Search by photo's features (lib/ml/image-features.ts) and index (lib/ml/image-index.ts): the
// same pixels give the same vector (the browser runs this code on the shopper's photo, Node on the
// catalog), colour and edge direction are what the parts describe, and a product's own picture,
// re-encoded with noise and rescaled as a photo of it would be, finds that product first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import {
  COLOUR_LENGTH,
  cosineSimilarity,
  EDGE_LENGTH,
  FEATURE_LENGTH,
  FEATURE_VERSION,
  IMAGE_SIZE,
  ImageFeatureInputError,
  imageFeatures,
  type Pixels,
  rankBySimilarity,
} from "../../lib/ml/image-features.ts";
import { imageQuerySchema, indexProductImages, nearestProductsByImage } from "../../lib/ml/image-index.ts";
import { createTestDatabase, type TestDatabase } from "../commerce/support/test-database.ts";

const S = IMAGE_SIZE;

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** A picture like the catalog's placeholders: a tinted diagonal gradient and a shape on it. */
function placeholder(hue: number, shape: "square" | "circle", offset = 0, size = S): Pixels {
  const data = new Uint8ClampedArray(size * size * 4);
  const scale = size / S;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x / scale;
      const v = y / scale;
      const inside =
        shape === "square"
          ? u > 40 + offset && u < 88 + offset && v > 35 && v < 83
          : (u - 64 - offset) ** 2 + (v - 59) ** 2 < 26 ** 2;
      const [r, g, b] = inside ? hslToRgb(hue, 0.45, 0.45) : hslToRgb(hue, 0.65, 0.92 - (0.14 * (u + v)) / (2 * S));
      const i = (y * size + x) * 4;
      data.set([r, g, b, 255], i);
    }
  }
  return { data, width: size, height: size };
}

/** What a photo of `pixels` looks like: a little noise (a fixed sequence, so runs are repeatable). */
function noisy(pixels: Pixels, amplitude = 10): Pixels {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const data = Uint8ClampedArray.from(pixels.data, (v, i) => (i % 4 === 3 ? v : v + (random() - 0.5) * 2 * amplitude));
  return { ...pixels, data };
}

/** Box-filter downscale, as a canvas draws a larger photo into the 128×128 square. */
function downscale(pixels: Pixels, factor: number): Pixels {
  const width = pixels.width / factor;
  const data = new Uint8ClampedArray(width * width * 4);
  for (let y = 0; y < width; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++)
            sum += pixels.data[((y * factor + dy) * pixels.width + x * factor + dx) * 4 + c] as number;
        data[(y * width + x) * 4 + c] = sum / factor ** 2;
      }
  return { data, width, height: width };
}

/** Cosine of two parts of feature vectors (the parts are not unit length on their own). */
function cos(a: Float32Array, b: Float32Array): number {
  const norm = (v: Float32Array) => Math.sqrt(cosineSimilarity(v, v)) || 1;
  return cosineSimilarity(a, b) / (norm(a) * norm(b));
}

describe("imageFeatures", () => {
  it("gives the same unit-length vector for the same pixels, whatever array type holds them", () => {
    const picture = placeholder(200, "circle");
    const a = imageFeatures(picture);
    const b = imageFeatures({ ...picture, data: Array.from(picture.data) });
    const c = imageFeatures({ ...picture, data: new Uint8Array(picture.data) });
    expect(a).toHaveLength(FEATURE_LENGTH);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).toEqual(Array.from(a));
    expect(cosineSimilarity(a, a)).toBeCloseTo(1, 5);
    expect(FEATURE_VERSION).toMatch(/^hsv\d+x\d+x\d+-edges/);
  });

  it("tells colours apart in the histogram part and edge directions in the edge part", () => {
    const red = imageFeatures(placeholder(0, "square"));
    const blue = imageFeatures(placeholder(230, "square"));
    const colour = (v: Float32Array) => v.slice(0, COLOUR_LENGTH);
    expect(cos(colour(red), colour(blue))).toBeLessThan(0.2);

    const stripes = (vertical: boolean): Pixels => {
      const data = new Uint8ClampedArray(S * S * 4);
      for (let y = 0; y < S; y++)
        for (let x = 0; x < S; x++) {
          const on = Math.floor((vertical ? x : y) / 8) % 2 === 0;
          data.set(on ? [20, 20, 20, 255] : [240, 240, 240, 255], (y * S + x) * 4);
        }
      return { data, width: S, height: S };
    };
    const edges = (v: Float32Array) => v.slice(COLOUR_LENGTH, COLOUR_LENGTH + EDGE_LENGTH);
    const vertical = imageFeatures(stripes(true));
    const horizontal = imageFeatures(stripes(false));
    expect(cos(colour(vertical), colour(horizontal))).toBeGreaterThan(0.99);
    expect(cos(edges(vertical), edges(horizontal))).toBeLessThan(0.05);
  });

  it("refuses pixels that do not match their size", () => {
    expect(() => imageFeatures({ data: new Uint8Array(10), width: 4, height: 4 })).toThrow(ImageFeatureInputError);
    expect(() => imageFeatures({ data: new Uint8Array(8), width: 1, height: 2 })).toThrow(/at least 3×3/);
  });

  it("ranks a picture's own vector first for a noisy, rescaled copy of it", () => {
    const catalog: Pixels[] = [];
    for (let k = 0; k < 24; k++)
      catalog.push(placeholder((k * 37) % 360, k % 2 === 0 ? "square" : "circle", (k % 3) * 6));
    const vectors = catalog.map(imageFeatures);
    for (const [k, picture] of catalog.entries()) {
      const hue = (k * 37) % 360;
      // The photo: drawn larger, then scaled down into the square, with sensor noise.
      const big = placeholder(hue, k % 2 === 0 ? "square" : "circle", (k % 3) * 6, S * 2);
      const query = imageFeatures(noisy(downscale(big, 2)));
      expect(rankBySimilarity(query, vectors)[0]?.index, `picture ${k}`).toBe(k);
      expect(picture.width).toBe(S);
    }
  });
});

describe("the product image index", () => {
  let t: TestDatabase;
  const pictureOf = new Map<string, Pixels>();

  beforeAll(async () => {
    t = await createTestDatabase("image_features", 5584);
    await seedCatalog(t.db, { products: 40 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("indexes every distinct image once and finds a product from a photo of its cover", async () => {
    const { rows: urls } = await t.db.$client.query<{ url: string }>(
      "select distinct url from commerce.product_images order by url",
    );
    // Stand-in rasteriser: a distinct synthetic picture per URL (the real one is Chromium).
    urls.forEach(({ url }, k) => {
      pictureOf.set(url, placeholder((k * 47) % 360, k % 2 === 0 ? "square" : "circle", (k % 4) * 5));
    });
    const rasterise = async function* (list: readonly string[]) {
      for (const url of list) yield { url, pixels: pictureOf.get(url) ?? null };
    };
    const report = await indexProductImages(t.db, rasterise);
    expect(report).toMatchObject({ images: urls.length, indexed: urls.length, skipped: [] });
    // A second run has nothing left to do.
    expect((await indexProductImages(t.db, rasterise)).images).toBe(0);

    // A product whose cover no other product uses as its cover.
    const { rows } = await t.db.$client.query<{ product_id: string; url: string }>(
      `select i.product_id, i.url from commerce.product_images i
        where i.position = (select min(position) from commerce.product_images j where j.product_id = i.product_id)
          and (select count(*) from commerce.product_images k where k.url = i.url and k.position = i.position) = 1
        order by i.url limit 3`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const product of rows) {
      const photo = noisy(pictureOf.get(product.url) as Pixels, 8);
      const query = imageQuerySchema.parse({ features: Array.from(imageFeatures(photo)), version: FEATURE_VERSION });
      const matches = await nearestProductsByImage(t.db, query.features, query.limit);
      expect(matches[0]).toMatchObject({ productId: product.product_id, imageUrl: product.url });
      expect(matches[0]?.similarity).toBeGreaterThan(0.9);
    }
  });

  it("refuses a vector of the wrong length or version, saying why", () => {
    const short = imageQuerySchema.safeParse({ features: [0.1, 0.2], version: FEATURE_VERSION });
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]?.message).toMatch(new RegExp(`exactly ${FEATURE_LENGTH} numbers`));
    const old = imageQuerySchema.safeParse({ features: new Array(FEATURE_LENGTH).fill(0), version: "v0" });
    expect(old.error?.issues[0]?.message).toMatch(/another version/);
  });
});
