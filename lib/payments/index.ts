// Builds the configured providers from settings; the app picks one by name.
import { BtcpayProvider } from "./btcpay.ts";
import { CoinbaseProvider } from "./coinbase.ts";
import { PaymentSettingsError } from "./errors.ts";
import type { PaymentProvider, ProviderName } from "./provider.ts";
import { RazorpayProvider } from "./razorpay.ts";
import type { PaymentSettings } from "./settings.ts";
import { StripeProvider } from "./stripe.ts";

export function createPaymentProviders(settings: PaymentSettings): Partial<Record<ProviderName, PaymentProvider>> {
  const providers: Partial<Record<ProviderName, PaymentProvider>> = {};
  if (settings.stripe) providers.stripe = new StripeProvider(settings.stripe);
  if (settings.razorpay) providers.razorpay = new RazorpayProvider(settings.razorpay);
  if (settings.coinbase) providers.coinbase = new CoinbaseProvider(settings.coinbase);
  if (settings.btcpay) providers.btcpay = new BtcpayProvider(settings.btcpay);
  return providers;
}

export function requireProvider(
  providers: Partial<Record<ProviderName, PaymentProvider>>,
  name: ProviderName,
): PaymentProvider {
  const provider = providers[name];
  if (!provider) {
    throw new PaymentSettingsError(
      `Payment provider ${name} is not configured; set its variables (docs/commerce-payments.md).`,
    );
  }
  return provider;
}
