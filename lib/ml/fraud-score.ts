// Fraud risk of an order for the admin queue: the trained logistic regression over the order's
// features (read here exactly as fraud-features.ts defines them), with each feature's contribution
// as the reasons. Without a trained model, the velocity rules the queue used before, said so.
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { FRAUD_FEATURES, type FraudInput, fraudFeatures, rulesFlag } from "./fraud-features.ts";
import { loadLayersModelFrom } from "./model-files.ts";
import { loadCurrentModel, type ModelOptions } from "./model-registry.ts";
import { tf } from "./tf.ts";
import type { FraudScaler } from "./train-fraud.ts";

export type FraudScore = {
  orderId: string;
  /** 0..1: the model's probability that the order is fraudulent (rules: 0.9 flagged, 0.1 not). */
  score: number;
  flagged: boolean;
  source: "model" | "rules";
  modelVersion: string | null;
  /** Features pushing the score up, strongest first. */
  reasons: { feature: string; contribution: number }[];
  input: FraudInput;
};

export class OrderNotFoundError extends Error {
  override name = "OrderNotFoundError";
}

type LoadedFraud = { model: tf.LayersModel; scaler: FraudScaler; weights: Float32Array };

async function loadFraud(dir: string): Promise<LoadedFraud> {
  const { model, metadata } = await loadLayersModelFrom(dir);
  const scaler = metadata.scaler as FraudScaler;
  const kernel = model.layers[0]?.getWeights()[0];
  return { model, scaler, weights: (kernel?.dataSync() as Float32Array | undefined) ?? new Float32Array(0) };
}

/** The order's fraud features, as of the moment it was placed. */
export async function readFraudInput(db: Db, orderId: string): Promise<FraudInput> {
  const { rows } = await db.$client.query<{
    amount_usd: string | null;
    user_id: string | null;
    prior_orders: number;
    prior_mean_usd: string | null;
    last_hour: number;
    last_day: number;
    wallet_age_hours: number | null;
    currency_mismatch: boolean;
    failed: number;
  }>(
    `select commerce.to_usd_minor(o.total_minor, o.currency)::float8 / 100 as amount_usd, o.user_id,
            coalesce(h.prior_orders, 0)::int as prior_orders, h.prior_mean_usd,
            coalesce(h.last_hour, 0)::int as last_hour, coalesce(h.last_day, 0)::int as last_day,
            (select extract(epoch from o.created_at - max(w.linked_at)) / 3600 from commerce.wallets w
              where w.user_id = o.user_id and w.linked_at <= o.created_at)::float8 as wallet_age_hours,
            coalesce(u.currency <> o.currency, false) as currency_mismatch,
            (select count(*)::int from commerce.payments p join commerce.orders o2 on o2.id = p.order_id
              where o.user_id is not null and o2.user_id = o.user_id and p.status = 'failed'
                and p.updated_at between o.created_at - interval '1 day' and o.created_at) as failed
       from commerce.orders o
       left join commerce.users u on u.id = o.user_id
       left join lateral (
         select count(*) as prior_orders,
                avg(commerce.to_usd_minor(p.total_minor, p.currency))::float8 / 100 as prior_mean_usd,
                count(*) filter (where p.created_at >= o.created_at - interval '1 hour') as last_hour,
                count(*) filter (where p.created_at >= o.created_at - interval '1 day') as last_day
           from commerce.orders p
          where o.user_id is not null and p.user_id = o.user_id and p.id <> o.id and p.created_at <= o.created_at
       ) h on true
      where o.id = $1`,
    [orderId],
  );
  const row = rows[0];
  if (!row) throw new OrderNotFoundError(`No order ${orderId}: check the order id.`);
  return {
    amountUsd: row.amount_usd === null ? 0 : Number(row.amount_usd),
    priorOrders: row.prior_orders,
    priorMeanAmountUsd: row.prior_mean_usd === null ? null : Number(row.prior_mean_usd),
    ordersLastHour: row.last_hour,
    ordersLastDay: row.last_day,
    walletAgeHours: row.wallet_age_hours,
    currencyMismatch: row.currency_mismatch,
    failedPaymentsLastDay: row.failed,
    guest: row.user_id === null,
  };
}

/** Scores features with a loaded model (also used by the bench and tests on synthetic inputs). */
export function scoreFraudInput(loaded: LoadedFraud, input: FraudInput) {
  const x = fraudFeatures(input).map((v, f) => (v - (loaded.scaler.mean[f] ?? 0)) / (loaded.scaler.std[f] ?? 1));
  const score = tf.tidy(() => (loaded.model.predict(tf.tensor2d([x])) as tf.Tensor).dataSync()[0] ?? 0);
  const reasons = x
    .map((v, f) => ({
      feature: FRAUD_FEATURES[f] as string,
      contribution: Math.round(v * (loaded.weights[f] ?? 0) * 100) / 100,
    }))
    .filter((r) => r.contribution > 0.1)
    .sort((a, b) => b.contribution - a.contribution);
  return { score: Math.round(score * 10_000) / 10_000, flagged: score >= loaded.scaler.threshold, reasons };
}

export async function fraudScore(db: Db, orderId: string, options: ModelOptions = {}): Promise<FraudScore> {
  const id = z.uuid().parse(orderId);
  const input = await readFraudInput(db, id);
  const loaded = await loadCurrentModel(db, "fraud", options, loadFraud);
  if (loaded) {
    return {
      orderId: id,
      ...scoreFraudInput(loaded.model, input),
      source: "model",
      modelVersion: loaded.record.version,
      input,
    };
  }
  const flagged = rulesFlag(input);
  return {
    orderId: id,
    score: flagged ? 0.9 : 0.1,
    flagged,
    source: "rules",
    modelVersion: null,
    reasons: flagged ? [{ feature: "orders in the last hour or day", contribution: 1 }] : [],
    input,
  };
}

export { loadFraud };
