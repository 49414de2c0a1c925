// The configured payment providers, built once per module instance from the environment. Kept in
// module scope, not on globalThis: after a dev hot reload a provider built by the old modules
// would throw the old error classes, which the new handleWebhook would not recognize.
import { createPaymentProviders } from "../payments/index.ts";
import type { PaymentProvider, ProviderName } from "../payments/provider.ts";
import { loadPaymentSettings, type PaymentSettings } from "../payments/settings.ts";

type Configured = { settings: PaymentSettings; providers: Partial<Record<ProviderName, PaymentProvider>> };
let configured: Configured | undefined;

export function configuredPayments(): Configured {
  if (!configured) {
    const settings = loadPaymentSettings();
    configured = { settings, providers: createPaymentProviders(settings) };
  }
  return configured;
}
