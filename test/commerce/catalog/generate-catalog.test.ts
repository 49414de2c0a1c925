// The catalog generator without a database: deterministic output, a believable tree and
// products, valid placeholder SVGs and valid glTF binaries.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildGlb } from "../../../lib/catalog/build-glb.ts";
import { allCategories, categoryPath, leaves } from "../../../lib/catalog/category-tree.ts";
import { keccakText } from "../../../lib/catalog/deterministic-ids.ts";
import { generateProduct } from "../../../lib/catalog/generate-product.ts";
import { generateSellers } from "../../../lib/catalog/generate-sellers.ts";
import { createRandom } from "../../../lib/catalog/prng.ts";
import { writeCatalogAssets } from "../../../lib/catalog/write-catalog-assets.ts";
import { repoRoot } from "../../../scripts/stack/child-process.ts";

type Gltf = {
  asset: { version: string };
  meshes: { primitives: { attributes: Record<string, number>; indices: number; material: number }[] }[];
  materials: { pbrMetallicRoughness: { baseColorFactor: number[] } }[];
  accessors: {
    bufferView: number;
    componentType: number;
    count: number;
    type: string;
    min?: number[];
    max?: number[];
  }[];
  bufferViews: { buffer: number; byteOffset: number; byteLength: number }[];
  buffers: { byteLength: number }[];
};

/** Parses and checks a .glb the way a strict loader would; returns its JSON and vertex data. */
function readGlb(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67); // "glTF"
  expect(view.getUint32(4, true)).toBe(2);
  expect(view.getUint32(8, true)).toBe(bytes.byteLength);
  const jsonLength = view.getUint32(12, true);
  expect(view.getUint32(16, true)).toBe(0x4e4f534a); // "JSON"
  expect(jsonLength % 4).toBe(0);
  const gltf = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as Gltf;
  const binStart = 20 + jsonLength;
  const binLength = view.getUint32(binStart, true);
  expect(view.getUint32(binStart + 4, true)).toBe(0x004e4942); // "BIN\0"
  expect(binLength % 4).toBe(0);
  expect(binStart + 8 + binLength).toBe(bytes.byteLength);
  expect(gltf.asset.version).toBe("2.0");
  expect(gltf.buffers[0]?.byteLength).toBe(binLength);
  const bin = bytes.slice(binStart + 8, binStart + 8 + binLength);
  for (const bv of gltf.bufferViews) expect(bv.byteOffset + bv.byteLength).toBeLessThanOrEqual(binLength);
  const accessorData = (index: number) => {
    const accessor = gltf.accessors[index];
    const bv = accessor ? gltf.bufferViews[accessor.bufferView] : undefined;
    if (!accessor || !bv) throw new Error(`accessor ${index} missing`);
    return accessor.componentType === 5126
      ? new Float32Array(bin.buffer, bv.byteOffset, bv.byteLength / 4)
      : new Uint16Array(bin.buffer, bv.byteOffset, bv.byteLength / 2);
  };
  return { gltf, accessorData };
}

describe("catalog generator", () => {
  it("the PRNG is deterministic and reasonably uniform", () => {
    const a = createRandom("x");
    const b = createRandom("x");
    const draws = Array.from({ length: 10_000 }, () => a.next());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(createRandom("y").next()).not.toBe(createRandom("x").next());
  });

  it("has a tree of 30+ leaf categories whose parents all exist", () => {
    expect(leaves.length).toBeGreaterThanOrEqual(30);
    const slugs = new Set(allCategories.map((c) => c.slug));
    expect(slugs.size).toBe(allCategories.length);
    for (const c of allCategories) if (c.parent) expect(slugs.has(c.parent)).toBe(true);
    expect(categoryPath("headphones")).toEqual(["electronics", "audio", "headphones"]);
    for (const leaf of leaves) {
      expect(leaf.adjectives.en.length).toBe(leaf.adjectives.es.length);
      expect(leaf.features.en.length).toBe(leaf.features.es.length);
      if (leaf.specs) expect(leaf.specs.en.length).toBe(leaf.specs.es.length);
    }
  });

  it("a product depends only on (seed, index), and ids derive from the SKU", () => {
    const sellers = generateSellers("s");
    const a = generateProduct("s", 4242, sellers);
    expect(generateProduct("s", 4242, sellers)).toEqual(a);
    expect(generateProduct("t", 4242, sellers).title).not.toBe(a.title);
    expect(a.sku).toBe("NC-0004242");
    expect(a.chainIdHash).toBe(keccakText("NC-0004242"));
    expect(a.chainIdHash).toMatch(/^0x[0-9a-f]{64}$/);
    for (const r of a.reviews) expect(r.contentHash).toBe(keccakText(r.body));
  });

  it("products look like a real catalog: several sellers, currencies, variants, delivery, payment", () => {
    const sellers = generateSellers("s");
    const products = Array.from({ length: 2_000 }, (_, i) => generateProduct("s", i, sellers));
    const multiSeller = products.filter((p) => new Set(p.offers.map((o) => o.sellerId)).size > 1);
    expect(multiSeller.length / products.length).toBeGreaterThan(0.25);
    expect(new Set(products.flatMap((p) => p.offers.map((o) => o.currency)))).toEqual(
      new Set(["USD", "EUR", "GBP", "INR", "JPY"]),
    );
    expect(products.filter((p) => p.variants.length > 0).length).toBeGreaterThan(200);
    expect(new Set(products.map((p) => p.categorySlug)).size).toBe(leaves.length);
    const delivery = new Set(products.flatMap((p) => p.offers.flatMap((o) => o.deliveryOptions)));
    expect(delivery).toEqual(new Set(["standard", "green", "drone"]));
    expect(products.some((p) => p.offers.some((o) => o.paymentMethods.includes("upi")))).toBe(true);
    expect(products.filter((p) => p.modelUrl).length).toBeGreaterThan(0);
    expect(products.every((p) => p.offers.every((o) => Number.isInteger(o.priceMinor) && o.priceMinor > 0))).toBe(true);
    // Unique keys: SKUs, slugs, offer (seller, product, variant), review hashes.
    expect(new Set(products.map((p) => p.slug)).size).toBe(products.length);
    const offerKeys = products.flatMap((p) => p.offers.map((o) => `${o.sellerId}:${p.id}:${o.variantId}`));
    expect(new Set(offerKeys).size).toBe(offerKeys.length);
    expect(products.some((p) => /[áéíóúñ]/.test(p.translation.title))).toBe(true);
  });

  it("writes valid SVG placeholders and glTF models for every leaf that needs them", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "neocart-assets-"));
    try {
      const written = await writeCatalogAssets(dir);
      const svgs = await readdir(path.join(dir, "images", "products"));
      expect(svgs.length).toBe(leaves.length * 4);
      const svg = await readFile(path.join(dir, "images", "products", "keyboards-1.svg"), "utf8");
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain("Keyboards &amp; Mice");
      const models = written.filter((f) => f.endsWith(".glb"));
      expect(models.length).toBe(leaves.filter((l) => l.model).length);
      for (const file of models) readGlb(new Uint8Array(await readFile(file)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the committed public/ assets exist for every URL the generator emits", () => {
    const sellers = generateSellers("s");
    const urls = new Set<string>();
    for (let i = 0; i < 3_000; i++) {
      const p = generateProduct("s", i, sellers);
      for (const image of p.images) urls.add(image.url);
      if (p.modelUrl) urls.add(p.modelUrl);
    }
    for (const url of urls) expect(existsSync(path.join(repoRoot, "public", url))).toBe(true);
  });

  it.each(["box", "cylinder"] as const)("a %s .glb has consistent bounds, normals and indices", (shape) => {
    const bytes = buildGlb({ name: "Test", shape, size: [0.4, 1.2, 0.2], color: [0.1, 0.2, 0.3, 1] });
    const { gltf, accessorData } = readGlb(bytes);
    const primitive = gltf.meshes[0]?.primitives[0];
    if (!primitive) throw new Error("no primitive");
    const positionAccessor = gltf.accessors[primitive.attributes.POSITION ?? -1];
    const positions = accessorData(primitive.attributes.POSITION ?? -1);
    const normals = accessorData(primitive.attributes.NORMAL ?? -1);
    const indices = accessorData(primitive.indices);
    const vertexCount = positions.length / 3;
    expect(positionAccessor?.count).toBe(vertexCount);
    for (let axis = 0; axis < 3; axis++) {
      const values = Array.from({ length: vertexCount }, (_, v) => positions[v * 3 + axis] ?? 0);
      expect(positionAccessor?.min?.[axis]).toBeCloseTo(Math.min(...values), 6);
      expect(positionAccessor?.max?.[axis]).toBeCloseTo(Math.max(...values), 6);
    }
    // Height 1.2 m: y spans [-0.6, 0.6]; a cylinder's diameter is the width.
    expect(positionAccessor?.max?.[1]).toBeCloseTo(0.6, 5);
    expect(positionAccessor?.max?.[0]).toBeCloseTo(0.2, 5);
    for (let v = 0; v < vertexCount; v++) {
      const length = Math.hypot(normals[v * 3] ?? 0, normals[v * 3 + 1] ?? 0, normals[v * 3 + 2] ?? 0);
      expect(length).toBeCloseTo(1, 5);
    }
    expect(indices.length % 3).toBe(0);
    for (const index of indices) expect(index).toBeLessThan(vertexCount);
    expect(gltf.materials[0]?.pbrMetallicRoughness.baseColorFactor).toEqual([0.1, 0.2, 0.3, 1]);
  });
});
