// What the fraud model sees of an order, computed the same way for the synthetic labelled set and
// for a real order read from the database (lib/ml/fraud-score.ts), so training and serving agree.
import { createRandom, type Random } from "../catalog/prng.ts";

export type FraudInput = {
  amountUsd: number;
  /** The buyer's orders before this one (0 for a first order or a guest). */
  priorOrders: number;
  /** Their mean amount in USD, when there is history. */
  priorMeanAmountUsd: number | null;
  /** The buyer's other orders in the hour / day before this one. */
  ordersLastHour: number;
  ordersLastDay: number;
  /** Hours since the paying wallet was linked; null when no wallet is involved. */
  walletAgeHours: number | null;
  /** Order currency differs from the buyer's profile currency (a proxy for a country mismatch). */
  currencyMismatch: boolean;
  failedPaymentsLastDay: number;
  guest: boolean;
};

export const FRAUD_FEATURES = [
  "orders in the last hour",
  "orders in the last day",
  "log(amount / usual amount)",
  "new wallet (< 24 h)",
  "currency mismatch",
  "failed payments today",
  "first order",
  "log(amount in USD)",
  "guest checkout",
] as const;

export function fraudFeatures(input: FraudInput): number[] {
  const ratio =
    input.priorMeanAmountUsd && input.priorMeanAmountUsd > 0
      ? Math.log(Math.max(0.01, input.amountUsd) / input.priorMeanAmountUsd)
      : 0;
  return [
    Math.min(10, input.ordersLastHour),
    Math.min(30, input.ordersLastDay),
    ratio,
    input.walletAgeHours !== null && input.walletAgeHours < 24 ? 1 : 0,
    input.currencyMismatch ? 1 : 0,
    Math.min(5, input.failedPaymentsLastDay),
    input.priorOrders === 0 ? 1 : 0,
    Math.log1p(Math.max(0, input.amountUsd)),
    input.guest ? 1 : 0,
  ];
}

/** The rules the admin fraud queue used before this model (lib/dashboards/fraud-queue.ts): velocity only. */
export function rulesFlag(input: FraudInput): boolean {
  return input.ordersLastHour + 1 >= 3 || input.ordersLastDay + 1 >= 8;
}

const normal = (r: Random) => {
  // Box–Muller from the seeded stream.
  const u = Math.max(1e-12, r.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
};
const poisson = (r: Random, lambda: number) => {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = r.next();
  while (p > limit) {
    k++;
    p *= r.next();
  }
  return k;
};

/**
 * A labelled synthetic set: mostly ordinary orders, about `fraudRate` fraudulent ones. The two
 * overlap on every feature (big legitimate orders, bulk buyers, travellers paying in another
 * currency, careful fraudsters), so no single rule separates them.
 */
export function generateFraudSet(
  count: number,
  options: { seed?: string; fraudRate?: number } = {},
): { inputs: FraudInput[]; labels: number[] } {
  const r = createRandom(`${options.seed ?? "neocart"}:fraud`);
  const rate = options.fraudRate ?? 0.05;
  const inputs: FraudInput[] = [];
  const labels: number[] = [];
  for (let k = 0; k < count; k++) {
    const fraud = r.chance(rate);
    const guest = r.chance(fraud ? 0.35 : 0.1);
    const priorOrders = guest ? 0 : fraud ? (r.chance(0.5) ? 0 : r.int(1, 3)) : r.chance(0.15) ? 0 : 1 + poisson(r, 5);
    const usual = Math.exp(Math.log(60) + 0.8 * normal(r));
    const priorMeanAmountUsd = priorOrders > 0 ? usual : null;
    const amountUsd = fraud ? usual * Math.exp(1.3 + 0.8 * normal(r)) : usual * Math.exp(0.5 * normal(r));
    const ordersLastHour = fraud ? poisson(r, 1.5) : r.chance(0.85) ? 0 : r.chance(0.8) ? 1 : r.int(2, 3);
    const ordersLastDay = ordersLastHour + poisson(r, fraud ? 2 : 0.3);
    const hasWallet = r.chance(fraud ? 0.75 : 0.6);
    const walletAgeHours = hasWallet
      ? fraud && r.chance(0.6)
        ? r.next() * 24
        : Math.exp(Math.log(1) + r.next() * Math.log(24 * 730))
      : null;
    inputs.push({
      amountUsd: Math.round(amountUsd * 100) / 100,
      priorOrders,
      priorMeanAmountUsd,
      ordersLastHour,
      ordersLastDay,
      walletAgeHours,
      currencyMismatch: r.chance(fraud ? 0.4 : 0.07),
      failedPaymentsLastDay: fraud ? poisson(r, 1) : r.chance(0.92) ? 0 : r.chance(0.85) ? 1 : 2,
      guest,
    });
    labels.push(fraud ? 1 : 0);
  }
  return { inputs, labels };
}
