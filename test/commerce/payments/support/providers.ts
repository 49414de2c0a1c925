// The four providers wired to local fakes of their APIs, with the settings a deployment would
// give them (built by loadPaymentSettings from environment variables, base URLs included).
import { generateKeyPairSync } from "node:crypto";
import { BtcpayProvider } from "../../../../lib/payments/btcpay.ts";
import { CoinbaseProvider } from "../../../../lib/payments/coinbase.ts";
import { RazorpayProvider } from "../../../../lib/payments/razorpay.ts";
import { loadPaymentSettings, type PaymentSettings } from "../../../../lib/payments/settings.ts";
import { StripeProvider } from "../../../../lib/payments/stripe.ts";
import { type FakeBtcpay, startFakeBtcpay } from "./fake-btcpay.ts";
import { type FakeCoinbase, startFakeCoinbase } from "./fake-coinbase.ts";
import { type FakeRazorpay, startFakeRazorpay } from "./fake-razorpay.ts";
import { type FakeStripe, startFakeStripe } from "./fake-stripe.ts";

export const SECRETS = {
  stripe: { current: "whsec_current_stripe", previous: "whsec_previous_stripe", wrong: "whsec_attacker" },
  razorpay: { current: "rzp_wh_current", previous: "rzp_wh_previous", wrong: "rzp_wh_attacker" },
  coinbase: { current: "cb_wh_current", previous: "cb_wh_previous", wrong: "cb_wh_attacker" },
  btcpay: { current: "btcpay_wh_current", previous: "btcpay_wh_previous", wrong: "btcpay_wh_attacker" },
} as const;

export const KEYS = {
  stripe: "sk_test_neocart_fake",
  razorpay: { id: "rzp_test_neocart", secret: "rzp_key_secret" },
  coinbase: { id: "organizations/neocart/apiKeys/test-key" },
  btcpay: { store: "StoreNeoCart1", key: "btcpay_api_key" },
};

export type TestProviders = {
  settings: { [K in keyof PaymentSettings]-?: NonNullable<PaymentSettings[K]> };
  stripe: StripeProvider;
  razorpay: RazorpayProvider;
  coinbase: CoinbaseProvider;
  btcpay: BtcpayProvider;
  fakes: { stripe: FakeStripe; razorpay: FakeRazorpay; coinbase: FakeCoinbase; btcpay: FakeBtcpay };
  close(): Promise<void>;
};

export async function startTestProviders(): Promise<TestProviders> {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const coinbasePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const fakes = {
    stripe: await startFakeStripe(KEYS.stripe),
    razorpay: await startFakeRazorpay(KEYS.razorpay.id, KEYS.razorpay.secret),
    coinbase: await startFakeCoinbase(KEYS.coinbase.id, coinbasePem),
    btcpay: await startFakeBtcpay(KEYS.btcpay.store, KEYS.btcpay.key),
  };
  const settings = loadPaymentSettings({
    STRIPE_SECRET_KEY: KEYS.stripe,
    STRIPE_WEBHOOK_SECRET: SECRETS.stripe.current,
    STRIPE_WEBHOOK_SECRET_PREVIOUS: SECRETS.stripe.previous,
    STRIPE_API_URL: fakes.stripe.url,
    RAZORPAY_KEY_ID: KEYS.razorpay.id,
    RAZORPAY_KEY_SECRET: KEYS.razorpay.secret,
    RAZORPAY_WEBHOOK_SECRET: SECRETS.razorpay.current,
    RAZORPAY_WEBHOOK_SECRET_PREVIOUS: SECRETS.razorpay.previous,
    RAZORPAY_API_URL: fakes.razorpay.url,
    COINBASE_CDP_API_KEY_ID: KEYS.coinbase.id,
    COINBASE_CDP_API_KEY_SECRET: coinbasePem.replaceAll("\n", "\\n"),
    COINBASE_WEBHOOK_SECRET: SECRETS.coinbase.current,
    COINBASE_WEBHOOK_SECRET_PREVIOUS: SECRETS.coinbase.previous,
    COINBASE_API_URL: fakes.coinbase.url,
    BTCPAY_SERVER_URL: fakes.btcpay.url,
    BTCPAY_STORE_ID: KEYS.btcpay.store,
    BTCPAY_API_KEY: KEYS.btcpay.key,
    BTCPAY_WEBHOOK_SECRET: SECRETS.btcpay.current,
    BTCPAY_WEBHOOK_SECRET_PREVIOUS: SECRETS.btcpay.previous,
  });
  if (!settings.stripe || !settings.razorpay || !settings.coinbase || !settings.btcpay) {
    throw new Error("test settings: every provider must be configured");
  }
  return {
    settings: {
      stripe: settings.stripe,
      razorpay: settings.razorpay,
      coinbase: settings.coinbase,
      btcpay: settings.btcpay,
    },
    stripe: new StripeProvider(settings.stripe),
    razorpay: new RazorpayProvider(settings.razorpay),
    coinbase: new CoinbaseProvider(settings.coinbase),
    btcpay: new BtcpayProvider(settings.btcpay),
    fakes,
    async close() {
      await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    },
  };
}
