// Renders catalog images (the SVGs lib/catalog/write-catalog-assets.ts writes under public/) to
// RGBA pixels with Chromium — the engine that draws them for shoppers — on a 128×128 canvas, the
// same way the image search page draws a shopper's photo before computing its features.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { IMAGE_SIZE, type Pixels } from "../../lib/ml/image-features.ts";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

const MIME: Record<string, string> = {
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
};

const BATCH = 16;

async function dataUrlOf(url: string, publicDir: string): Promise<string | null> {
  const mime = MIME[path.extname(url).toLowerCase()];
  if (!url.startsWith("/") || !mime) return null;
  // Only files under publicDir: a URL such as /../../etc/passwd must not escape it.
  const file = path.resolve(publicDir, `.${path.posix.normalize(url)}`);
  if (!file.startsWith(path.resolve(publicDir) + path.sep)) return null;
  try {
    return `data:${mime};base64,${(await readFile(file)).toString("base64")}`;
  } catch {
    return null;
  }
}

/** Pixels of each local image URL (`/images/…` under `publicDir`); null for ones it cannot read. */
export async function* rasteriseImages(
  urls: readonly string[],
  options: { publicDir: string; browser?: Browser },
): AsyncGenerator<{ url: string; pixels: Pixels | null }> {
  const browser = options.browser ?? (await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }));
  try {
    const page = await browser.newPage();
    // A batch per round trip, pixels as base64: far cheaper than one JSON number array per image.
    for (let from = 0; from < urls.length; from += BATCH) {
      const batch: { url: string; src: string | null }[] = [];
      for (const url of urls.slice(from, from + BATCH))
        batch.push({ url, src: await dataUrlOf(url, options.publicDir) });
      const rendered = await page.evaluate(
        async ({ sources, size }) => {
          // In the page (this script's tsconfig has no DOM types): just what is used, typed here.
          type Context2d = {
            imageSmoothingQuality: string;
            fillStyle: string;
            fillRect(x: number, y: number, w: number, h: number): void;
            drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
          const dom = globalThis as unknown as {
            document: {
              createElement(tag: "canvas"): { width: number; height: number; getContext(kind: "2d"): Context2d | null };
            };
            Image: new () => { src: string; decode(): Promise<void> };
          };
          // Drawn large first, then scaled down, as a shopper's photo or screenshot of the product
          // is: features of the two then differ by the photo's own noise, not by the resampling.
          const large = dom.document.createElement("canvas");
          large.width = size * 4;
          large.height = size * 4;
          const largeContext = large.getContext("2d");
          const canvas = dom.document.createElement("canvas");
          canvas.width = size;
          canvas.height = size;
          const context = canvas.getContext("2d");
          if (!context || !largeContext) throw new Error("no 2d canvas");
          context.imageSmoothingQuality = "high";
          const out: (string | null)[] = [];
          for (const src of sources) {
            if (!src) {
              out.push(null);
              continue;
            }
            try {
              const image = new dom.Image();
              image.src = src;
              await image.decode();
              largeContext.fillStyle = "#ffffff";
              largeContext.fillRect(0, 0, size * 4, size * 4);
              largeContext.drawImage(image, 0, 0, size * 4, size * 4);
              context.fillStyle = "#ffffff";
              context.fillRect(0, 0, size, size);
              context.drawImage(large, 0, 0, size, size);
              const bytes = context.getImageData(0, 0, size, size).data;
              let binary = "";
              for (let k = 0; k < bytes.length; k += 8192) {
                binary += String.fromCharCode(...bytes.subarray(k, k + 8192));
              }
              out.push(btoa(binary));
            } catch {
              out.push(null);
            }
          }
          return out;
        },
        { sources: batch.map((b) => b.src), size: IMAGE_SIZE },
      );
      for (const [k, item] of batch.entries()) {
        const base64 = rendered[k];
        yield {
          url: item.url,
          pixels: base64
            ? { data: new Uint8Array(Buffer.from(base64, "base64")), width: IMAGE_SIZE, height: IMAGE_SIZE }
            : null,
        };
      }
    }
    await page.close();
  } finally {
    if (!options.browser) await browser.close();
  }
}
