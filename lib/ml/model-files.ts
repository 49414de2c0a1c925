// Model files under .neocart/models/<kind>/<version>/: model.json (topology, weight manifest,
// metadata) and weights.bin, the layout tfjs's own file handler writes. tfjs-node's file:// handler
// is not available with the pure-JS backend, so saving goes through tf.io.withSaveHandler and
// loading through tf.io.fromMemory, with the file IO done here.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { tf } from "./tf.ts";

/**
 * Where trained models live unless a caller says otherwise (ignored by git with the rest of
 * .neocart). From the working directory, not this file: the web app's bundles have no
 * import.meta.dirname, and every NeoCart process runs from the repository root.
 */
export const DEFAULT_MODELS_DIR = path.resolve(
  process.env.NEOCART_MODELS_DIR ?? path.join(process.cwd(), ".neocart", "models"),
);

export class ModelFilesMissingError extends Error {
  override name = "ModelFilesMissingError";
}

type ModelJson = {
  format?: string;
  generatedBy: string;
  modelTopology?: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
};

function weightBuffer(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return tf.io.concatenateArrayBuffers(Array.isArray(data) ? data : [data]);
}

/** Writes artifacts as model.json + weights.bin; files appear atomically (written, then renamed). */
export async function writeModelArtifacts(dir: string, artifacts: tf.io.ModelArtifacts): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json: ModelJson = {
    format: artifacts.format,
    generatedBy: `NeoCart lib/ml with TensorFlow.js ${tf.version_core}`,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: artifacts.userDefinedMetadata as Record<string, unknown> | undefined,
  };
  await writeFile(path.join(dir, "weights.bin.tmp"), new Uint8Array(weightBuffer(artifacts.weightData)));
  await writeFile(path.join(dir, "model.json.tmp"), JSON.stringify(json));
  await rename(path.join(dir, "weights.bin.tmp"), path.join(dir, "weights.bin"));
  await rename(path.join(dir, "model.json.tmp"), path.join(dir, "model.json"));
}

/** A tfjs save handler writing to `dir`: `model.save(fileSaveHandler(dir))`. */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await writeModelArtifacts(dir, artifacts);
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

export async function readModelArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  let text: string;
  let weights: Buffer;
  try {
    [text, weights] = await Promise.all([
      readFile(path.join(dir, "model.json"), "utf8"),
      readFile(path.join(dir, "weights.bin")),
    ]);
  } catch (error) {
    throw new ModelFilesMissingError(
      `Model files not found in ${dir} (${(error as Error).message}); run \`node scripts/ml/train.ts\` to train them.`,
    );
  }
  const json = JSON.parse(text) as ModelJson;
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return {
    format: json.format,
    generatedBy: json.generatedBy,
    modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData,
    userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts["userDefinedMetadata"],
  };
}

/** Saves plain named tensors (factor matrices, coefficients) with JSON metadata, in the same layout. */
export async function saveTensors(
  dir: string,
  tensors: Record<string, tf.Tensor>,
  metadata: Record<string, unknown>,
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await fileSaveHandler(dir).save?.({
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: metadata as Record<string, object>,
  });
}

export async function loadTensors(dir: string): Promise<{
  tensors: Record<string, Float32Array>;
  shapes: Record<string, number[]>;
  metadata: Record<string, unknown>;
}> {
  const artifacts = await readModelArtifacts(dir);
  const decoded = tf.io.decodeWeights(weightBuffer(artifacts.weightData), artifacts.weightSpecs ?? []);
  const tensors: Record<string, Float32Array> = {};
  const shapes: Record<string, number[]> = {};
  for (const [name, tensor] of Object.entries(decoded)) {
    tensors[name] = tensor.dataSync() as Float32Array;
    shapes[name] = tensor.shape;
    tensor.dispose();
  }
  return { tensors, shapes, metadata: (artifacts.userDefinedMetadata ?? {}) as Record<string, unknown> };
}

/** Loads a LayersModel saved with fileSaveHandler, with its metadata. */
export async function loadLayersModelFrom(
  dir: string,
): Promise<{ model: tf.LayersModel; metadata: Record<string, unknown> }> {
  const artifacts = await readModelArtifacts(dir);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return { model, metadata: (artifacts.userDefinedMetadata ?? {}) as Record<string, unknown> };
}
