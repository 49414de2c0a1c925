// The price model on weekly sales drawn from a known demand curve (no database needed): per
// category elasticity recovered (slow sellers included), standard errors that match the thinness
// of each category, and partial pooling that pulls only the uncertain categories towards the others (lib/ml/train-price.ts, lib/ml/shrink-elasticity.ts).
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../lib/catalog/prng.ts";
import type { WeeklySeries } from "../../lib/ml/read-training-data.ts";
import { shrinkElasticities } from "../../lib/ml/shrink-elasticity.ts";
import { trainPrice } from "../../lib/ml/train-price.ts";

const WEEKS = 104;
const START = new Date(Date.UTC(2024, 6, 1));

function poisson(random: Random, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random.next();
  while (p > limit) {
    k++;
    p *= random.next();
  }
  return k;
}

type Category = { name: string; elasticity: number; products: number; weeklyUnits: number };

/** Weekly units ~ Poisson(level · (price/usual)^−ε · season), with promotions and a slow drift. */
function simulate(categories: Category[], seed: string): { series: WeeklySeries; rootOf: Map<string, string> } {
  const random = createRandom(seed);
  const products: string[] = [];
  const units: Float64Array[] = [];
  const logPrice: Float64Array[] = [];
  const rootOf = new Map<string, string>();
  for (const c of categories) {
    const peak = random.int(0, 51);
    for (let i = 0; i < c.products; i++) {
      const id = `${c.name}-${i}`;
      const level = c.weeklyUnits * Math.exp(random.next() - 0.5);
      const u = new Float64Array(WEEKS);
      const x = new Float64Array(WEEKS);
      let drift = 1;
      for (let w = 0; w < WEEKS; w++) {
        drift = Math.min(1.07, Math.max(0.93, drift + (random.next() - 0.5) * 0.02));
        const m = random.chance(0.1) ? 1 - (0.1 + 0.2 * random.next()) : drift;
        x[w] = Math.log(m);
        const season = 1 + 0.3 * Math.cos((2 * Math.PI * (w - peak)) / 52);
        u[w] = poisson(random, level * m ** -c.elasticity * season);
      }
      products.push(id);
      units.push(u);
      logPrice.push(x);
      rootOf.set(id, c.name);
    }
  }
  return { series: { products, start: START, weeks: WEEKS, units, logPrice }, rootOf };
}

describe("shrinkElasticities", () => {
  it("pulls uncertain estimates towards the pooled mean and leaves precise ones nearly alone", () => {
    const result = shrinkElasticities({
      a: { elasticity: 2.4, standardError: 0.05 },
      b: { elasticity: 1.0, standardError: 0.05 },
      c: { elasticity: 1.8, standardError: 0.06 },
      thin: { elasticity: 0.2, standardError: 0.8 },
    });
    expect(result.between).toBeGreaterThan(0.4);
    expect(Math.abs((result.elasticity.a ?? 0) - 2.4)).toBeLessThan(0.02);
    expect(Math.abs((result.elasticity.b ?? 0) - 1.0)).toBeLessThan(0.02);
    const thin = result.elasticity.thin ?? 0;
    expect(thin).toBeGreaterThan(0.2);
    expect(thin).toBeLessThan(result.pooled);
    expect(result.shrinkage.thin).toBeGreaterThan(0.5);
    expect(result.shrinkage.a).toBeLessThan(0.05);
  });

  it("estimates that differ no more than their noise collapse to the pooled mean; one estimate stays itself", () => {
    const same = shrinkElasticities({
      a: { elasticity: 1.5, standardError: 0.3 },
      b: { elasticity: 1.6, standardError: 0.3 },
      c: { elasticity: 1.4, standardError: 0.3 },
    });
    expect(same.between).toBe(0);
    for (const v of Object.values(same.elasticity)) expect(v).toBeCloseTo(1.5, 6);
    expect(shrinkElasticities({ only: { elasticity: 2, standardError: 0.5 } }).elasticity.only).toBe(2);
    expect(shrinkElasticities({ bad: { elasticity: Number.NaN, standardError: 0.1 } }).elasticity).toEqual({});
  });
});

describe("trainPrice", () => {
  const categories: Category[] = [
    { name: "busy", elasticity: 2.2, products: 150, weeklyUnits: 1.5 },
    // Many products that sell a unit every few weeks: the case the old per-product offsets got wrong.
    { name: "slow", elasticity: 1.8, products: 400, weeklyUnits: 0.15 },
    { name: "mid", elasticity: 1.2, products: 100, weeklyUnits: 0.8 },
    { name: "thin", elasticity: 0.9, products: 6, weeklyUnits: 0.4 },
  ];
  const { series, rootOf } = simulate(categories, "price-model-test");
  const model = trainPrice(series, rootOf);

  it("recovers each category's elasticity within its standard error, slow sellers included", () => {
    for (const c of categories) {
      const estimate = model.unpooled[c.name] as number;
      const se = model.standardError[c.name] as number;
      expect(Math.abs(estimate - c.elasticity), `${c.name}: ${estimate} ± ${se}`).toBeLessThan(3 * se + 0.02);
    }
    expect(Math.abs((model.unpooled.slow ?? 0) - 1.8)).toBeLessThan(0.25);
    expect(model.dispersion).toBeGreaterThanOrEqual(1);
    expect(model.dispersion).toBeLessThan(1.3); // Poisson data: no real overdispersion to find
  });

  it("knows which categories are thin, and pools only those noticeably", () => {
    const se = model.standardError;
    expect(se.thin).toBeGreaterThan(2 * (se.busy ?? 0));
    const moved = (name: string) => Math.abs((model.elasticity[name] ?? 0) - (model.unpooled[name] ?? 0));
    expect(moved("busy")).toBeLessThan(0.05);
    expect(moved("thin")).toBeGreaterThan(moved("busy"));
    // Served value between the category's own estimate and the pooled mean.
    const lo = Math.min(model.unpooled.thin ?? 0, model.pooled ?? 0) - 0.01;
    const hi = Math.max(model.unpooled.thin ?? 0, model.pooled ?? 0) + 0.01;
    expect(model.elasticity.thin).toBeGreaterThanOrEqual(lo);
    expect(model.elasticity.thin).toBeLessThanOrEqual(hi);
    expect(model.observations.thin).toBeGreaterThan(0);
  });

  it("a catalog with no sales fits nothing rather than inventing elasticities", () => {
    const empty = trainPrice({ ...series, units: series.units.map((u) => new Float64Array(u.length)) }, rootOf);
    expect(empty.elasticity).toEqual({});
    expect(empty.pooled).toBeNull();
  });
});
