// Image features for search by photo, computed by the same code in the browser (the shopper's
// photo) and in Node (the catalog index, scripts/ml/index-images.ts), so a query and the index
// live in one space. Pure functions over RGBA pixels (a canvas's ImageData) — no model download:
// - colour: a histogram over HSV bins (hue × saturation × value), what a product "looks like";
// - shape: a histogram of edge orientations, weighted by edge strength, on a 2×2 grid of the
//   picture, with Sobel gradients from a TF.js conv2d.
// - layout: the mean colour of each cell of an 8×8 grid, relative to the picture's mean.
// Each part is L2-normalised and weighted, so the whole vector has unit length and the
// cosine similarity of two images is their dot product.
//
// Only tfjs-core and its pure-JS CPU backend are imported (the packages @tensorflow/tfjs is built
// from, same version): the browser page stays small, and CPU float32 arithmetic gives the same
// numbers in Chromium and Node.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";

/** Callers draw the picture into a square canvas this many pixels wide before reading it. */
export const IMAGE_SIZE = 128;
export const HUE_BINS = 24;
export const SATURATION_BINS = 3;
export const VALUE_BINS = 3;
export const ORIENTATION_BINS = 8;
export const GRID = 4;
export const LAYOUT_GRID = 8;
export const COLOUR_LENGTH = HUE_BINS * SATURATION_BINS * VALUE_BINS;
export const EDGE_LENGTH = ORIENTATION_BINS * GRID * GRID;
export const LAYOUT_LENGTH = LAYOUT_GRID * LAYOUT_GRID * 3;
export const FEATURE_LENGTH = COLOUR_LENGTH + EDGE_LENGTH + LAYOUT_LENGTH;
/** How much each part counts in the cosine (squares sum to 1). */
const WEIGHTS = { colour: Math.sqrt(0.3), edges: Math.sqrt(0.3), layout: Math.sqrt(0.4) };
/** Stored beside each indexed vector: change it whenever the features change meaning. */
export const FEATURE_VERSION = `hsv${HUE_BINS}x${SATURATION_BINS}x${VALUE_BINS}-edges${ORIENTATION_BINS}x${GRID}x${GRID}-layout${LAYOUT_GRID}-v1`;
/** Gradients weaker than this (on 0..1 grey levels) are noise such as JPEG ringing, not edges. */
const EDGE_THRESHOLD = 0.08;

export type Pixels = { data: ArrayLike<number>; width: number; height: number };

export class ImageFeatureInputError extends Error {
  override name = "ImageFeatureInputError";
}

function check(pixels: Pixels): void {
  const { width, height, data } = pixels;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 3 || height < 3) {
    throw new ImageFeatureInputError(`The image must be at least 3×3 pixels (got ${width}×${height}).`);
  }
  if (data.length !== width * height * 4) {
    throw new ImageFeatureInputError(`Expected ${width * height * 4} RGBA values, got ${data.length}.`);
  }
}

/** `array[index] += value` under noUncheckedIndexedAccess. */
function add(array: Float32Array, index: number, value: number): void {
  array[index] = (array[index] as number) + value;
}

function normalise(values: Float32Array, weight: number): Float32Array {
  let sum = 0;
  for (const v of values) sum += v * v;
  const scale = sum > 0 ? weight / Math.sqrt(sum) : 0;
  return values.map((v) => v * scale);
}

/** Hue × saturation × value histogram; transparent pixels count as white (a page background). */
export function colourHistogram(pixels: Pixels): Float32Array {
  check(pixels);
  const bins = new Float32Array(COLOUR_LENGTH);
  const { data } = pixels;
  for (let i = 0; i < data.length; i += 4) {
    const alpha = (data[i + 3] as number) / 255;
    const r = ((data[i] as number) / 255) * alpha + (1 - alpha);
    const g = ((data[i + 1] as number) / 255) * alpha + (1 - alpha);
    const b = ((data[i + 2] as number) / 255) * alpha + (1 - alpha);
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const chroma = max - min;
    let hue = 0;
    if (chroma > 0) {
      if (max === r) hue = ((g - b) / chroma + 6) % 6;
      else if (max === g) hue = (b - r) / chroma + 2;
      else hue = (r - g) / chroma + 4;
    }
    const saturation = max === 0 ? 0 : chroma / max;
    const s = Math.min(SATURATION_BINS - 1, Math.floor(saturation * SATURATION_BINS));
    const v = Math.min(VALUE_BINS - 1, Math.floor(max * VALUE_BINS));
    // Hue is circular and shifts a little with lighting and compression: split each pixel between
    // the two nearest hue bins so a small shift moves weight gradually instead of jumping a bin.
    const position = (hue / 6) * HUE_BINS - 0.5;
    const lower = Math.floor(position);
    const upperShare = position - lower;
    const h0 = (lower + HUE_BINS) % HUE_BINS;
    const h1 = (lower + 1) % HUE_BINS;
    add(bins, (h0 * SATURATION_BINS + s) * VALUE_BINS + v, 1 - upperShare);
    add(bins, (h1 * SATURATION_BINS + s) * VALUE_BINS + v, upperShare);
  }
  return bins;
}

const SOBEL = [
  // [row][col][in][out]: out 0 = d/dx, out 1 = d/dy
  [[[-1, -1]], [[0, -2]], [[1, -1]]],
  [[[-2, 0]], [[0, 0]], [[2, 0]]],
  [[[-1, 1]], [[0, 2]], [[1, 1]]],
];

/** Edge-orientation histogram (unsigned angle, magnitude-weighted) per cell of a GRID×GRID split. */
export function edgeHistogram(pixels: Pixels): Float32Array {
  check(pixels);
  const { width, height, data } = pixels;
  const grey = new Float32Array(width * height);
  for (let p = 0; p < grey.length; p++) {
    const alpha = (data[p * 4 + 3] as number) / 255;
    const lum =
      (0.299 * (data[p * 4] as number) + 0.587 * (data[p * 4 + 1] as number) + 0.114 * (data[p * 4 + 2] as number)) /
      255;
    grey[p] = lum * alpha + (1 - alpha);
  }
  const gradients = tf.tidy(() => {
    const image = tf.tensor4d(grey, [1, height, width, 1]);
    const kernel = tf.tensor4d(SOBEL.flat(3), [3, 3, 1, 2]);
    return tf.conv2d(image, kernel, 1, "valid").dataSync() as Float32Array;
  });
  const innerWidth = width - 2;
  const innerHeight = height - 2;
  const bins = new Float32Array(EDGE_LENGTH);
  for (let y = 0; y < innerHeight; y++) {
    const cellY = Math.min(GRID - 1, Math.floor((y * GRID) / innerHeight));
    for (let x = 0; x < innerWidth; x++) {
      const k = (y * innerWidth + x) * 2;
      const gx = (gradients[k] as number) / 4;
      const gy = (gradients[k + 1] as number) / 4;
      const magnitude = Math.hypot(gx, gy);
      if (magnitude < EDGE_THRESHOLD) continue;
      // Unsigned orientation in [0, π): a light-to-dark edge and a dark-to-light one look alike.
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      const o = Math.min(ORIENTATION_BINS - 1, Math.floor((angle / Math.PI) * ORIENTATION_BINS));
      const cellX = Math.min(GRID - 1, Math.floor((x * GRID) / innerWidth));
      add(bins, (cellY * GRID + cellX) * ORIENTATION_BINS + o, magnitude);
    }
  }
  return bins;
}

/**
 * Where the colours are: the mean RGB of each cell of a LAYOUT_GRID×LAYOUT_GRID split, minus the
 * picture's overall mean, so it describes the arrangement (a round object on the left, a dark band
 * below) rather than the overall tint, which the histogram already covers. Unlike the histograms,
 * these values can be negative, which keeps unrelated pictures from all looking alike.
 */
export function colourLayout(pixels: Pixels): Float32Array {
  check(pixels);
  const { width, height, data } = pixels;
  const sums = new Float32Array(LAYOUT_LENGTH);
  const counts = new Float32Array(LAYOUT_GRID * LAYOUT_GRID);
  for (let y = 0; y < height; y++) {
    const cy = Math.min(LAYOUT_GRID - 1, Math.floor((y * LAYOUT_GRID) / height));
    for (let x = 0; x < width; x++) {
      const cx = Math.min(LAYOUT_GRID - 1, Math.floor((x * LAYOUT_GRID) / width));
      const i = (y * width + x) * 4;
      const alpha = (data[i + 3] as number) / 255;
      const cell = cy * LAYOUT_GRID + cx;
      for (let c = 0; c < 3; c++) add(sums, cell * 3 + c, ((data[i + c] as number) / 255) * alpha + (1 - alpha));
      add(counts, cell, 1);
    }
  }
  const means = new Float32Array(3);
  for (let cell = 0; cell < counts.length; cell++) {
    for (let c = 0; c < 3; c++) {
      sums[cell * 3 + c] = (sums[cell * 3 + c] as number) / ((counts[cell] as number) || 1);
      add(means, c, (sums[cell * 3 + c] as number) / counts.length);
    }
  }
  return sums.map((v, k) => v - (means[k % 3] as number));
}

/** The image's feature vector (length FEATURE_LENGTH, unit L2 norm unless the image is blank). */
export function imageFeatures(pixels: Pixels): Float32Array {
  if (tf.getBackend() !== "cpu") {
    // In Node the CPU backend prints a banner urging tfjs-node on first use (as in lib/ml/tf.ts).
    tf.env().set("IS_NODE", false);
    tf.setBackend("cpu");
  }
  const out = new Float32Array(FEATURE_LENGTH);
  out.set(normalise(colourHistogram(pixels), WEIGHTS.colour), 0);
  out.set(normalise(edgeHistogram(pixels), WEIGHTS.edges), COLOUR_LENGTH);
  out.set(normalise(colourLayout(pixels), WEIGHTS.layout), COLOUR_LENGTH + EDGE_LENGTH);
  // A blank image has no edges: renormalise so the vector still has unit length.
  return normalise(out, 1);
}

/** Cosine similarity of two feature vectors (both unit length, so the dot product). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let dot = 0;
  for (let i = 0; i < n; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

/** Indices of `vectors` by similarity to `query`, best first (ties keep the input order). */
export function rankBySimilarity(
  query: ArrayLike<number>,
  vectors: readonly ArrayLike<number>[],
): { index: number; similarity: number }[] {
  return vectors
    .map((v, index) => ({ index, similarity: cosineSimilarity(query, v) }))
    .sort((a, b) => b.similarity - a.similarity || a.index - b.index);
}
