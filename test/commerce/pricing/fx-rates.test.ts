// FX conversion: exact integer minor-unit math, currency exponents (JPY 0, USD/INR 2, KWD 3, ETH
// 18), banker's rounding (half-even), direct / inverse / USD-cross rates from commerce.fx_rates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  convertMinor,
  convertWithRate,
  divideRounded,
  MissingFxRateError,
  parseDecimalRate,
  UnsupportedCurrencyError,
} from "../../../lib/pricing/index.ts";
import { seedFxRates } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("pricing_fx", 5551);
  await seedFxRates(t.db, [
    ["USD", "JPY", "150"],
    ["USD", "INR", "83.25"],
    ["EUR", "USD", "1.08"],
    ["ETH", "USD", "3500"],
    ["USD", "KWD", "0.307"],
  ]);
});
afterAll(async () => {
  await t?.stop();
});

describe("rounding", () => {
  it("half-even sends ties to the even neighbour and is exact otherwise", () => {
    expect(divideRounded(5n, 2n, "half-even")).toBe(2n);
    expect(divideRounded(7n, 2n, "half-even")).toBe(4n);
    expect(divideRounded(1n, 2n, "half-even")).toBe(0n);
    expect(divideRounded(3n, 2n, "half-even")).toBe(2n);
    expect(divideRounded(-5n, 2n, "half-even")).toBe(-2n);
    expect(divideRounded(2n, 3n, "half-even")).toBe(1n);
    expect(divideRounded(2n, 3n, "down")).toBe(0n);
  });

  it("parses numeric(24,12) text exactly (no floats)", () => {
    expect(parseDecimalRate("83.250000000000")).toEqual({ num: 83250000000000n, den: 10n ** 12n });
    expect(parseDecimalRate("150")).toEqual({ num: 150n, den: 1n });
    expect(() => parseDecimalRate("0")).toThrow(/positive/);
    expect(() => parseDecimalRate("1e3")).toThrow();
  });

  it("a 19-digit amount converts without losing a unit", () => {
    const big = 9_007_199_254_740_993n; // above 2^53: a float would round it
    expect(convertWithRate(big, { num: 1n, den: 1n }, 2, 2)).toBe(big);
  });
});

describe("convertMinor against commerce.fx_rates", () => {
  it("USD → JPY (exponent 2 → 0), ties half-even: 1¢ → ¥2 (1.5), 3¢ → ¥4 (4.5), 5¢ → ¥8 (7.5)", async () => {
    expect(await convertMinor(t.db, 1n, "USD", "JPY")).toBe(2n);
    expect(await convertMinor(t.db, 3n, "USD", "JPY")).toBe(4n);
    expect(await convertMinor(t.db, 5n, "USD", "JPY")).toBe(8n);
    expect(await convertMinor(t.db, 1999n, "USD", "JPY")).toBe(2998n); // 2998.5 → even
  });

  it("USD → INR keeps paise: $10.00 → ₹832.50", async () => {
    expect(await convertMinor(t.db, 1000n, "USD", "INR")).toBe(83250n);
  });

  it("JPY → USD through the inverse row: ¥1500 → $10.00, ¥1 → 1¢ (0.67 rounded)", async () => {
    expect(await convertMinor(t.db, 1500n, "JPY", "USD")).toBe(1000n);
    expect(await convertMinor(t.db, 1n, "JPY", "USD")).toBe(1n);
  });

  it("EUR → INR crosses through USD: €1.00 × 1.08 × 83.25 = ₹89.91", async () => {
    expect(await convertMinor(t.db, 100n, "EUR", "INR")).toBe(8991n);
  });

  it("USD → KWD (exponent 3): $1.00 → 0.307 KWD = 307 fils", async () => {
    expect(await convertMinor(t.db, 100n, "USD", "KWD")).toBe(307n);
  });

  it("USD → ETH in wei from an ETH/USD row: $3500 → 1 ETH, 1¢ → 2857142857143 wei", async () => {
    expect(await convertMinor(t.db, 350_000n, "USD", "ETH")).toBe(10n ** 18n);
    expect(await convertMinor(t.db, 1n, "USD", "ETH")).toBe(2_857_142_857_143n);
  });

  it("'down' rounding never rounds up (used for discounts)", async () => {
    expect(await convertMinor(t.db, 1n, "USD", "JPY", { rounding: "down" })).toBe(1n);
  });

  it("an unknown currency is refused by name", async () => {
    await expect(convertMinor(t.db, 100n, "USD", "XYZ")).rejects.toThrow(UnsupportedCurrencyError);
    await expect(convertMinor(t.db, 100n, "XYZ", "USD")).rejects.toThrow(/Currency XYZ is not supported/);
  });

  it("a pair with no path is a MissingFxRateError", async () => {
    await expect(convertMinor(t.db, 100n, "GBP", "JPY")).rejects.toThrow(MissingFxRateError);
    await expect(convertMinor(t.db, 100n, "GBP", "JPY")).rejects.toThrow(/No exchange rate from GBP to JPY/);
  });
});
