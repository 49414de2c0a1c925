// Provider settings: keys, webhook secrets and base URLs. Validated by zod; built from the
// environment only by loadPaymentSettings, so the rest of the module never reads process.env.
import { z } from "zod";
import { PaymentSettingsError } from "./errors.ts";

/** The current secret and, during a rotation window, the previous one: both verify. */
const webhookSecrets = z.array(z.string().min(1)).min(1).max(2);
const tolerance = z.number().int().positive().default(300);

export const stripeSettingsSchema = z.object({
  secretKey: z.string().regex(/^(sk|rk)_/, "a Stripe secret key starts with sk_ or rk_"),
  webhookSecrets,
  toleranceSeconds: tolerance,
  /** Where the API lives: https://api.stripe.com by default. */
  apiUrl: z.url().default("https://api.stripe.com"),
  /** Where Checkout sends the shopper back (subscriptions). */
  returnUrl: z.url().default("http://localhost:3000/orders"),
});

export const razorpaySettingsSchema = z.object({
  keyId: z.string().regex(/^rzp_/, "a Razorpay key id starts with rzp_"),
  keySecret: z.string().min(1),
  webhookSecrets,
  apiUrl: z.url().default("https://api.razorpay.com"),
});

export const coinbaseSettingsSchema = z.object({
  /** CDP API key id (the `name` in the downloaded key file). */
  apiKeyId: z.string().min(1),
  /** CDP API key secret: a PEM EC key (ES256) or a base64 Ed25519 key. */
  apiKeySecret: z.string().min(1),
  webhookSecrets,
  toleranceSeconds: tolerance,
  apiUrl: z.url().default("https://business.coinbase.com"),
  returnUrl: z.url().default("http://localhost:3000/orders"),
});

export const btcpaySettingsSchema = z.object({
  serverUrl: z.url(),
  storeId: z.string().min(1),
  apiKey: z.string().min(1),
  webhookSecrets,
  /** Refund payout method id (BTC on-chain by default). */
  refundPaymentMethod: z.string().default("BTC-CHAIN"),
  returnUrl: z.url().default("http://localhost:3000/orders"),
});

export const paymentSettingsSchema = z.object({
  stripe: stripeSettingsSchema.optional(),
  razorpay: razorpaySettingsSchema.optional(),
  coinbase: coinbaseSettingsSchema.optional(),
  btcpay: btcpaySettingsSchema.optional(),
});

export type StripeSettings = z.infer<typeof stripeSettingsSchema>;
export type RazorpaySettings = z.infer<typeof razorpaySettingsSchema>;
export type CoinbaseSettings = z.infer<typeof coinbaseSettingsSchema>;
export type BtcpaySettings = z.infer<typeof btcpaySettingsSchema>;
export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

/** "a,b" → ["a", "b"]: the second secret is the previous one, kept during a rotation. */
const secretsFrom = (current: string | undefined, previous: string | undefined) =>
  [current, previous].filter((s): s is string => Boolean(s));

/**
 * Reads the settings of every provider whose key is present in `env`. A provider with some but not
 * all of its variables set is an error (a half-configured provider would fail at the first payment).
 */
export function loadPaymentSettings(env: Record<string, string | undefined> = process.env): PaymentSettings {
  const raw: Record<string, unknown> = {};
  if (env.STRIPE_SECRET_KEY || env.STRIPE_WEBHOOK_SECRET) {
    raw.stripe = {
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecrets: secretsFrom(env.STRIPE_WEBHOOK_SECRET, env.STRIPE_WEBHOOK_SECRET_PREVIOUS),
      toleranceSeconds: env.STRIPE_WEBHOOK_TOLERANCE ? Number(env.STRIPE_WEBHOOK_TOLERANCE) : undefined,
      apiUrl: env.STRIPE_API_URL || undefined,
      returnUrl: env.PAYMENTS_RETURN_URL || undefined,
    };
  }
  if (env.RAZORPAY_KEY_ID || env.RAZORPAY_WEBHOOK_SECRET) {
    raw.razorpay = {
      keyId: env.RAZORPAY_KEY_ID,
      keySecret: env.RAZORPAY_KEY_SECRET,
      webhookSecrets: secretsFrom(env.RAZORPAY_WEBHOOK_SECRET, env.RAZORPAY_WEBHOOK_SECRET_PREVIOUS),
      apiUrl: env.RAZORPAY_API_URL || undefined,
    };
  }
  if (env.COINBASE_CDP_API_KEY_ID || env.COINBASE_WEBHOOK_SECRET) {
    raw.coinbase = {
      apiKeyId: env.COINBASE_CDP_API_KEY_ID,
      // Key files keep newlines; environment variables often carry them as "\n".
      apiKeySecret: env.COINBASE_CDP_API_KEY_SECRET?.replaceAll("\\n", "\n"),
      webhookSecrets: secretsFrom(env.COINBASE_WEBHOOK_SECRET, env.COINBASE_WEBHOOK_SECRET_PREVIOUS),
      toleranceSeconds: env.COINBASE_WEBHOOK_TOLERANCE ? Number(env.COINBASE_WEBHOOK_TOLERANCE) : undefined,
      apiUrl: env.COINBASE_API_URL || undefined,
      returnUrl: env.PAYMENTS_RETURN_URL || undefined,
    };
  }
  if (env.BTCPAY_SERVER_URL || env.BTCPAY_WEBHOOK_SECRET) {
    raw.btcpay = {
      serverUrl: env.BTCPAY_SERVER_URL,
      storeId: env.BTCPAY_STORE_ID,
      apiKey: env.BTCPAY_API_KEY,
      webhookSecrets: secretsFrom(env.BTCPAY_WEBHOOK_SECRET, env.BTCPAY_WEBHOOK_SECRET_PREVIOUS),
      refundPaymentMethod: env.BTCPAY_REFUND_PAYMENT_METHOD || undefined,
      returnUrl: env.PAYMENTS_RETURN_URL || undefined,
    };
  }
  const parsed = paymentSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new PaymentSettingsError(
      `Payment settings are incomplete or malformed (${problems}). See docs/commerce-payments.md for the variables.`,
    );
  }
  return parsed.data;
}
