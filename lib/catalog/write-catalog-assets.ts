// The static files the generated catalog points at: SVG placeholder images per category
// (public/images/products/<leaf>-<n>.svg) and a small .glb model per leaf that has a model shape
// (public/models/<leaf>.glb). Generated, never downloaded; rewriting them is harmless.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildGlb, type ModelSpec } from "./build-glb.ts";
import { type LeafCategory, leaves } from "./category-tree.ts";
import { IMAGES_PER_CATEGORY } from "./generate-product.ts";

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Width × height × depth in metres, so AR shows products at a believable scale. */
const modelSizes: Record<string, readonly [number, number, number]> = {
  smartphones: [0.072, 0.147, 0.008],
  monitors: [0.61, 0.36, 0.05],
  televisions: [1.23, 0.71, 0.05],
  "gaming-consoles": [0.39, 0.1, 0.26],
  refrigerators: [0.7, 1.85, 0.68],
  sofas: [2.1, 0.85, 0.95],
  backpacks: [0.3, 0.45, 0.15],
  speakers: [0.07, 0.18, 0.07],
  "coffee-makers": [0.2, 0.33, 0.2],
  blenders: [0.18, 0.45, 0.18],
  lamps: [0.3, 1.5, 0.3],
  grills: [0.57, 0.75, 0.57],
};

function hueOf(slug: string): number {
  let h = 0;
  for (const ch of slug) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

export function placeholderSvg(leaf: LeafCategory, variant: number): string {
  const hue = (hueOf(leaf.slug) + variant * 37) % 360;
  const label = escapeXml(leaf.name);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800" role="img" aria-label="${label}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue} 70% 92%)"/><stop offset="1" stop-color="hsl(${hue} 55% 78%)"/>
  </linearGradient></defs>
  <rect width="800" height="800" fill="url(#g)"/>
  <${variant % 2 === 0 ? 'rect x="250" y="220" width="300" height="300" rx="36"' : 'circle cx="400" cy="370" r="160"'} fill="hsl(${hue} 45% 45%)" opacity="0.85"/>
  <text x="400" y="640" font-family="system-ui, sans-serif" font-size="44" text-anchor="middle" fill="hsl(${hue} 40% 25%)">${label}</text>
</svg>
`;
}

export function modelSpecFor(leaf: LeafCategory): ModelSpec | undefined {
  if (!leaf.model) return undefined;
  const hue = hueOf(leaf.slug) / 360;
  return {
    name: leaf.name,
    shape: leaf.model,
    size: modelSizes[leaf.slug] ?? [0.3, 0.3, 0.3],
    color: [0.3 + 0.5 * hue, 0.45, 0.8 - 0.5 * hue, 1],
  };
}

/** Writes every placeholder image and model under `publicDir`; returns the files written. */
export async function writeCatalogAssets(publicDir: string): Promise<string[]> {
  const imagesDir = path.join(publicDir, "images", "products");
  const modelsDir = path.join(publicDir, "models");
  await mkdir(imagesDir, { recursive: true });
  await mkdir(modelsDir, { recursive: true });
  const written: string[] = [];
  for (const leaf of leaves) {
    for (let n = 1; n <= IMAGES_PER_CATEGORY; n++) {
      const file = path.join(imagesDir, `${leaf.slug}-${n}.svg`);
      await writeFile(file, placeholderSvg(leaf, n));
      written.push(file);
    }
    const spec = modelSpecFor(leaf);
    if (spec) {
      const file = path.join(modelsDir, `${leaf.slug}.glb`);
      await writeFile(file, buildGlb(spec));
      written.push(file);
    }
  }
  return written;
}
