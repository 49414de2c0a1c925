// Which ways to pay without a wallet the checkout offers (lib/web-cart/fiat-methods.ts): UPI needs
// Razorpay configured, every offer accepting "upi" and the cart priced in INR; in another currency
// it is not offered but named, with INR as the currency to switch to.
import { describe, expect, it } from "vitest";
import {
  availableFiatChoices,
  choiceTakesCurrency,
  FIAT_CHOICES,
  fiatChoicesNeedingCurrency,
} from "../../../lib/web-cart/fiat-methods.ts";

const ids = (choices: { id: string }[]) => choices.map((c) => c.id);

describe("fiat choices", () => {
  const lines = [
    ["wallet", "card", "upi"],
    ["card", "upi", "crypto"],
  ];

  it("UPI is offered with Razorpay configured, every line accepting upi and the cart in INR", () => {
    expect(ids(availableFiatChoices(lines, ["stripe", "razorpay"], "INR"))).toEqual(["card", "subscription", "upi"]);
    expect(FIAT_CHOICES.upi).toMatchObject({ provider: "razorpay", orderMethod: "upi", currencies: ["INR"] });
  });

  it("in another currency UPI is not offered, and is named with the currency to switch to", () => {
    expect(ids(availableFiatChoices(lines, ["stripe", "razorpay"], "USD"))).toEqual(["card", "subscription"]);
    expect(fiatChoicesNeedingCurrency(lines, ["stripe", "razorpay"], "usd")).toEqual([
      { choice: FIAT_CHOICES.upi, currency: "INR" },
    ]);
    expect(fiatChoicesNeedingCurrency(lines, ["stripe", "razorpay"], "INR")).toEqual([]);
    expect(choiceTakesCurrency(FIAT_CHOICES.upi, "inr")).toBe(true);
    expect(choiceTakesCurrency(FIAT_CHOICES.card, "JPY")).toBe(true);
  });

  it("no Razorpay, or a line not accepting upi: no UPI and nothing to switch to", () => {
    expect(ids(availableFiatChoices(lines, ["stripe"], "INR"))).toEqual(["card", "subscription"]);
    expect(fiatChoicesNeedingCurrency(lines, ["stripe"], "USD")).toEqual([]);
    const noUpi = [["card", "upi"], ["card"]];
    expect(ids(availableFiatChoices(noUpi, ["stripe", "razorpay"], "INR"))).toEqual(["card", "subscription"]);
    expect(fiatChoicesNeedingCurrency(noUpi, ["stripe", "razorpay"], "USD")).toEqual([]);
    expect(availableFiatChoices([], ["stripe", "razorpay"], "INR")).toEqual([]);
  });
});
