// Sends an order to its provider and returns the hosted page the shopper pays on. Every provider
// goes through the one PaymentProvider interface (lib/payments), asked for its hosted page.
import type { Db } from "../db/client.ts";
import { PaymentRequestError } from "../payments/errors.ts";
import { requireProvider } from "../payments/index.ts";
import type { FiatChoice } from "./fiat-methods.ts";
import { configuredPayments } from "./payment-providers.ts";

export async function startFiatPayment(
  db: Db,
  args: { orderId: string; choice: FiatChoice; returnUrl: string; cancelUrl: string; email?: string | undefined },
): Promise<string> {
  const { providers } = configuredPayments();
  const { choice, orderId } = args;
  const created = await requireProvider(providers, choice.provider).createPayment(db, {
    orderId,
    method: choice.id,
    hosted: { successUrl: args.returnUrl, cancelUrl: args.cancelUrl },
    customerEmail: args.email,
  });
  if (!created.redirectUrl) {
    throw new PaymentRequestError(
      `${choice.provider} gave no hosted payment page for ${choice.id}; choose another way.`,
    );
  }
  return created.redirectUrl;
}
