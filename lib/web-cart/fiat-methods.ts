// The ways to pay without a wallet, which provider takes each, and which of them a cart can use:
// every line's offer must accept the order's payment method, the provider must be configured and,
// for a method paid in one currency only (UPI: Indian rupees), the cart must be priced in it.
// Each choice ends on the provider's hosted page (UPI: a Razorpay UPI Payment Link).
import type { ProviderName } from "../payments/provider.ts";

export const fiatChoiceIds = ["card", "bnpl", "subscription", "upi", "crypto", "bitcoin"] as const;
export type FiatChoiceId = (typeof fiatChoiceIds)[number];

export type FiatChoice = {
  id: FiatChoiceId;
  provider: ProviderName;
  /** The method the order records and the offers must accept (a subscription is billed by card). */
  orderMethod: "card" | "bnpl" | "upi" | "crypto" | "bitcoin";
  /** The only currencies the order may be priced in for this choice (any when absent). */
  currencies?: readonly string[];
};

export const FIAT_CHOICES: Record<FiatChoiceId, FiatChoice> = {
  card: { id: "card", provider: "stripe", orderMethod: "card" },
  bnpl: { id: "bnpl", provider: "stripe", orderMethod: "bnpl" },
  subscription: { id: "subscription", provider: "stripe", orderMethod: "card" },
  // Razorpay's UPI Payment Links collect INR only; the order is priced in the shopper's currency.
  upi: { id: "upi", provider: "razorpay", orderMethod: "upi", currencies: ["INR"] },
  crypto: { id: "crypto", provider: "coinbase", orderMethod: "crypto" },
  bitcoin: { id: "bitcoin", provider: "btcpay", orderMethod: "bitcoin" },
};

/** Whether an order priced in `currency` can be paid with `choice`. */
export function choiceTakesCurrency(choice: FiatChoice, currency: string): boolean {
  return !choice.currencies || choice.currencies.includes(currency.toUpperCase());
}

/** Choices every line accepts and whose provider is configured, whatever the currency. */
function acceptedChoices(
  linesPaymentMethods: readonly (readonly string[])[],
  configured: readonly ProviderName[],
): FiatChoice[] {
  if (linesPaymentMethods.length === 0) return [];
  return fiatChoiceIds
    .map((id) => FIAT_CHOICES[id])
    .filter(
      (choice) =>
        configured.includes(choice.provider) &&
        linesPaymentMethods.every((methods) => methods.includes(choice.orderMethod)),
    );
}

/** The choices a cart priced in `currency` can use (without a currency, currency rules are not checked). */
export function availableFiatChoices(
  linesPaymentMethods: readonly (readonly string[])[],
  configured: readonly ProviderName[],
  currency?: string,
): FiatChoice[] {
  const accepted = acceptedChoices(linesPaymentMethods, configured);
  return currency === undefined ? accepted : accepted.filter((choice) => choiceTakesCurrency(choice, currency));
}

/**
 * Choices the cart could use in another currency only (UPI while the cart is priced in USD), with
 * the currency to switch to: the checkout says why they are missing and offers the switch.
 */
export function fiatChoicesNeedingCurrency(
  linesPaymentMethods: readonly (readonly string[])[],
  configured: readonly ProviderName[],
  currency: string,
): { choice: FiatChoice; currency: string }[] {
  return acceptedChoices(linesPaymentMethods, configured).flatMap((choice) =>
    !choiceTakesCurrency(choice, currency) && choice.currencies?.[0]
      ? [{ choice, currency: choice.currencies[0] }]
      : [],
  );
}
