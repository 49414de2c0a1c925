// Partial pooling of per-category elasticities (empirical Bayes, random-effects meta-analysis): a
// category with little price variation or few units sold has a noisy estimate, and taken alone it
// can be far off (a thin category once came out at 0.41 against a true 1.16). Each estimate is
// pulled towards the precision-weighted mean of all categories by how uncertain it is compared
// with how much categories really differ: ε̂_c = μ + τ² / (τ² + se_c²) · (ε_c − μ). The spread τ²
// between categories is estimated from the data (DerSimonian–Laird), so when categories truly
// differ a lot, well-measured ones barely move and only the thin ones are pulled in.

export type ElasticityEstimate = { elasticity: number; standardError: number };

export type ShrunkElasticities = {
  elasticity: Record<string, number>;
  /** Precision-weighted mean the estimates are pulled towards. */
  pooled: number;
  /** Estimated standard deviation of true elasticities between categories. */
  between: number;
  /** 0..1 per category: how far towards the pooled mean it was moved. */
  shrinkage: Record<string, number>;
};

export function shrinkElasticities(estimates: Readonly<Record<string, ElasticityEstimate>>): ShrunkElasticities {
  const entries = Object.entries(estimates).filter(
    ([, e]) => Number.isFinite(e.elasticity) && Number.isFinite(e.standardError) && e.standardError > 0,
  );
  const elasticity: Record<string, number> = {};
  const shrinkage: Record<string, number> = {};
  if (entries.length === 0) return { elasticity, pooled: Number.NaN, between: 0, shrinkage };
  const weights = entries.map(([, e]) => 1 / e.standardError ** 2);
  const sumW = weights.reduce((s, w) => s + w, 0);
  const fixedMean = entries.reduce((s, [, e], k) => s + (weights[k] ?? 0) * e.elasticity, 0) / sumW;
  // DerSimonian–Laird: the excess of Cochran's Q over its expectation under "no real differences".
  const q = entries.reduce((s, [, e], k) => s + (weights[k] ?? 0) * (e.elasticity - fixedMean) ** 2, 0);
  const sumW2 = weights.reduce((s, w) => s + w * w, 0);
  const denominator = sumW - sumW2 / sumW;
  const tau2 = entries.length > 1 && denominator > 0 ? Math.max(0, (q - (entries.length - 1)) / denominator) : 0;
  // The mean under the random-effects weights, which count each category more evenly.
  const reWeights = entries.map(([, e]) => 1 / (e.standardError ** 2 + tau2));
  const sumRe = reWeights.reduce((s, w) => s + w, 0);
  const pooled = entries.reduce((s, [, e], k) => s + (reWeights[k] ?? 0) * e.elasticity, 0) / sumRe;
  for (const [key, e] of entries) {
    const keep = tau2 / (tau2 + e.standardError ** 2);
    elasticity[key] = pooled + keep * (e.elasticity - pooled);
    shrinkage[key] = 1 - keep;
  }
  return { elasticity, pooled, between: Math.sqrt(tau2), shrinkage };
}
