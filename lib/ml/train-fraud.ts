// Fraud risk: logistic regression in TF.js (one sigmoid unit over standardised features) on the
// labelled synthetic set. The decision threshold is the one with the best F1 on the training part;
// precision and recall are then measured on the held-out fifth, next to the velocity rules the admin
// queue used before.
import { FRAUD_FEATURES, type FraudInput, fraudFeatures, rulesFlag } from "./fraud-features.ts";
import { tf } from "./tf.ts";

export type FraudParams = { epochs: number; learningRate: number; seed: number };
export const DEFAULT_FRAUD_PARAMS: FraudParams = { epochs: 25, learningRate: 0.05, seed: 5 };

export type Classification = { precision: number; recall: number; f1: number };
export type FraudMetrics = {
  model: Classification & { auc: number };
  rules: Classification;
  threshold: number;
  examples: { train: number; test: number; fraudRate: number };
};
export type FraudScaler = { mean: number[]; std: number[]; threshold: number };

function classification(predicted: boolean[], labels: number[]): Classification {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, k) => {
    if (p && labels[k] === 1) tp++;
    else if (p) fp++;
    else if (labels[k] === 1) fn++;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return { precision: round(precision), recall: round(recall), f1: round(f1) };
}

/** Area under the ROC curve (rank statistic; ties count half). */
function auc(scores: number[], labels: number[]): number {
  const order = scores.map((s, k) => [s, labels[k] ?? 0] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let rankSum = 0;
  for (let k = 0; k < order.length; ) {
    let j = k;
    while (j < order.length && order[j]?.[0] === order[k]?.[0]) j++;
    const midRank = (k + j + 1) / 2;
    for (let m = k; m < j; m++) {
      if (order[m]?.[1] === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    k = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return Math.round(((rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)) * 10_000) / 10_000;
}

export function buildFraudModel(seed: number, learningRate: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 1,
      activation: "sigmoid",
      inputShape: [FRAUD_FEATURES.length],
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(learningRate), loss: "binaryCrossentropy" });
  return model;
}

export function standardise(rows: number[][], scaler: Pick<FraudScaler, "mean" | "std">): number[][] {
  return rows.map((row) => row.map((v, f) => (v - (scaler.mean[f] ?? 0)) / (scaler.std[f] ?? 1)));
}

export async function trainFraud(
  inputs: FraudInput[],
  labels: number[],
  params: FraudParams = DEFAULT_FRAUD_PARAMS,
): Promise<{ model: tf.LayersModel; scaler: FraudScaler; metrics: FraudMetrics }> {
  const isTest = (k: number) => k % 5 === 0;
  const rows = inputs.map(fraudFeatures);
  const trainIdx = rows.map((_, k) => k).filter((k) => !isTest(k));
  const testIdx = rows.map((_, k) => k).filter(isTest);
  const width = FRAUD_FEATURES.length;
  const mean = Array.from(
    { length: width },
    (_, f) => trainIdx.reduce((s, k) => s + (rows[k]?.[f] ?? 0), 0) / trainIdx.length,
  );
  const std = Array.from({ length: width }, (_, f) => {
    const v = trainIdx.reduce((s, k) => s + ((rows[k]?.[f] ?? 0) - (mean[f] ?? 0)) ** 2, 0) / trainIdx.length;
    return Math.sqrt(v) || 1;
  });
  const trainRows = standardise(
    trainIdx.map((k) => rows[k] ?? []),
    { mean, std },
  );
  const trainLabels = trainIdx.map((k) => labels[k] ?? 0);
  const model = buildFraudModel(params.seed, params.learningRate);
  const x = tf.tensor2d(trainRows);
  const y = tf.tensor2d(trainLabels, [trainLabels.length, 1]);
  await model.fit(x, y, { epochs: params.epochs, batchSize: 256, shuffle: false, verbose: 0 });
  const trainScores = Array.from(tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()));
  x.dispose();
  y.dispose();

  let threshold = 0.5;
  let bestF1 = -1;
  for (let t = 0.05; t < 0.96; t += 0.01) {
    const { f1 } = classification(
      trainScores.map((s) => s >= t),
      trainLabels,
    );
    if (f1 > bestF1) {
      bestF1 = f1;
      threshold = Math.round(t * 100) / 100;
    }
  }
  const testRows = standardise(
    testIdx.map((k) => rows[k] ?? []),
    { mean, std },
  );
  const testLabels = testIdx.map((k) => labels[k] ?? 0);
  const testScores = Array.from(tf.tidy(() => (model.predict(tf.tensor2d(testRows)) as tf.Tensor).dataSync()));
  const fraudRate = labels.reduce((s, l) => s + l, 0) / Math.max(1, labels.length);
  return {
    model,
    scaler: { mean, std, threshold },
    metrics: {
      model: {
        ...classification(
          testScores.map((s) => s >= threshold),
          testLabels,
        ),
        auc: auc(testScores, testLabels),
      },
      rules: classification(
        testIdx.map((k) => rulesFlag(inputs[k] as FraudInput)),
        testLabels,
      ),
      threshold,
      examples: { train: trainIdx.length, test: testIdx.length, fraudRate: Math.round(fraudRate * 10_000) / 10_000 },
    },
  };
}
