// Payment providers as the e2e app sees them: Stripe's and Razorpay's APIs at local ports where a
// test file starts its fake (test/e2e/support/fake-stripe-checkout.ts,
// test/e2e/support/fake-razorpay-checkout.ts), with test-only secrets that protect nothing. The
// ports are fixed relative to the app's so the app can be started before any test runs.
export const E2E_STRIPE = { secretKey: "sk_test_neocart_e2e", webhookSecret: "whsec_neocart_e2e" } as const;
export const E2E_RAZORPAY = {
  keyId: "rzp_test_neocart_e2e",
  keySecret: "rzp_key_secret_neocart_e2e",
  webhookSecret: "rzp_whsec_neocart_e2e",
} as const;

/** The fake Stripe's port for an app on `appPort` (3171 → 4171). */
export const fakeStripePort = (appPort: number) => appPort + 1000;
/** The fake Razorpay's port for an app on `appPort` (3171 → 4271). */
export const fakeRazorpayPort = (appPort: number) => appPort + 1100;

export function paymentProvidersEnv(appPort: number, origin: string): Record<string, string> {
  return {
    PAYMENTS_RETURN_URL: `${origin}/checkout/return`,
    STRIPE_SECRET_KEY: E2E_STRIPE.secretKey,
    STRIPE_WEBHOOK_SECRET: E2E_STRIPE.webhookSecret,
    STRIPE_API_URL: `http://127.0.0.1:${fakeStripePort(appPort)}`,
    RAZORPAY_KEY_ID: E2E_RAZORPAY.keyId,
    RAZORPAY_KEY_SECRET: E2E_RAZORPAY.keySecret,
    RAZORPAY_WEBHOOK_SECRET: E2E_RAZORPAY.webhookSecret,
    RAZORPAY_API_URL: `http://127.0.0.1:${fakeRazorpayPort(appPort)}`,
  };
}
