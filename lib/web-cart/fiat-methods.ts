// The ways to pay without a wallet, which provider takes each, and which of them a cart can use:
// every line's offer must accept the order's payment method and the provider must be configured.
// Each choice ends on the provider's hosted page; Razorpay (UPI) has no hosted page in
// lib/payments yet (it creates an order for Razorpay Checkout's script), so it is not offered.
import type { ProviderName } from "../payments/provider.ts";

export const fiatChoiceIds = ["card", "bnpl", "subscription", "crypto", "bitcoin"] as const;
export type FiatChoiceId = (typeof fiatChoiceIds)[number];

export type FiatChoice = {
  id: FiatChoiceId;
  provider: ProviderName;
  /** The method the order records and the offers must accept (a subscription is billed by card). */
  orderMethod: "card" | "bnpl" | "crypto" | "bitcoin";
};

export const FIAT_CHOICES: Record<FiatChoiceId, FiatChoice> = {
  card: { id: "card", provider: "stripe", orderMethod: "card" },
  bnpl: { id: "bnpl", provider: "stripe", orderMethod: "bnpl" },
  subscription: { id: "subscription", provider: "stripe", orderMethod: "card" },
  crypto: { id: "crypto", provider: "coinbase", orderMethod: "crypto" },
  bitcoin: { id: "bitcoin", provider: "btcpay", orderMethod: "bitcoin" },
};

export function availableFiatChoices(
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
