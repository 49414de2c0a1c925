// A card checkout completed through the provider's webhook: the app's Stripe points at a local
// fake Stripe Checkout (support/fake-stripe-checkout.ts); the shopper adds the e2e offer to the
// cart, pays on the fake's hosted page, whose Pay button posts a signed checkout.session.completed
// event to /api/webhooks/stripe, and the return page shows the order paid. Also: a signed-in
// buyer's purchase receipt, and a shared, collaborative cart.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { browserHarness, screenshot } from "./support/browser.ts";
import { type FakeStripeCheckout, startFakeStripeCheckout } from "./support/fake-stripe-checkout.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
let fake: FakeStripeCheckout | undefined;

beforeAll(async () => {
  const env = webStack().appEnv;
  const apiUrl = env.STRIPE_API_URL;
  if (!apiUrl || !env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET) {
    throw new Error(
      "The e2e stack does not configure Stripe: add fakeStripeAppEnv(port) (support/fake-stripe-checkout.ts) to the app's environment in scripts/web/start-web-stack.ts.",
    );
  }
  fake = await startFakeStripeCheckout({
    secretKey: env.STRIPE_SECRET_KEY,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET,
    webhookUrl: `${webStack().origin}/api/webhooks/stripe`,
    port: Number(new URL(apiUrl).port),
  });
});

afterAll(async () => {
  await fake?.close();
});

async function addE2eOfferToCart(page: Page) {
  await page.goto(`/product/${webStack().fixtures.product.slug}`);
  await page.getByTestId("add-to-cart").first().click();
  await page.waitForURL(/\/cart$/);
  await page.getByTestId("cart-line").first().waitFor();
}

async function payByCard(page: Page, options: { guestEmail?: string }) {
  await page.getByTestId("checkout-card").click();
  await page.waitForURL(/\/checkout$/);
  await page.getByTestId("fiat-checkout-form").waitFor();
  if (options.guestEmail) await page.getByTestId("fiat-email").fill(options.guestEmail);
  await page.getByTestId("fiat-shipName").fill("Ada Lovelace");
  await page.getByTestId("fiat-shipLine1").fill("1 Analytical Way");
  await page.getByTestId("fiat-shipCity").fill("London");
  await page.getByTestId("fiat-shipPostalCode").fill("N1 9GU");
  await page.getByTestId("fiat-shipCountry").fill("GB");
  await page.getByTestId("fiat-method-card").check();
  await screenshot(page, "checkout-card");
  await page.getByTestId("fiat-submit").click();
  await page.waitForURL((url) => url.href.startsWith(`${fake?.url}/c/pay/`));
  await page.getByTestId("fake-stripe-pay").click();
  await page.waitForURL(/\/checkout\/return\?order=/);
  const orderId = new URL(page.url()).searchParams.get("order") as string;
  await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
  return orderId;
}

describe("card checkout", () => {
  test("a guest pays by card and the order is paid through the provider's webhook", async () => {
    const page = await browser.newPage();
    await addE2eOfferToCart(page);
    await screenshot(page, "cart");
    const orderId = await payByCard(page, { guestEmail: "guest@example.com" });
    await screenshot(page, "checkout-return-paid");

    const [order] = await query<{ status: string; guest_email_enc: string | null; user_id: string | null }>(
      "select status, guest_email_enc, user_id from commerce.orders where id = $1",
      [orderId],
    );
    expect(order?.status).toBe("paid");
    expect(order?.user_id).toBeNull();
    // Encrypted at rest, never the plain address.
    expect(order?.guest_email_enc).toMatch(/^v1:/);
    expect(order?.guest_email_enc).not.toContain("guest@example.com");
    const payments = await query<{ provider: string; status: string; provider_payment_id: string }>(
      "select provider, status, provider_payment_id from commerce.payments where order_id = $1",
      [orderId],
    );
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ provider: "stripe", status: "succeeded" });
    const session = fake?.sessions.get(payments[0]?.provider_payment_id ?? "");
    expect(session?.webhookAnswer?.status).toBe(200);
    const events = await query<{ outcome: string }>(
      "select outcome from commerce.webhook_events where provider = 'stripe' and payload->'data'->'object'->>'id' = $1",
      [payments[0]?.provider_payment_id],
    );
    expect(events.map((e) => e.outcome)).toEqual(["paid"]);

    // Another browser (no guest cookie) cannot read the order's status.
    const stranger = await browser.newPage();
    const response = await stranger.request.get(`/api/checkout/${orderId}/status`);
    expect(response.status()).toBe(404);
  });

  test("a signed-in buyer pays by card and gets the purchase receipt", async () => {
    const context = await browser.newContext();
    await signIn(context, account("shopper2"));
    const page = await context.newPage();
    await addE2eOfferToCart(page);
    const orderId = await payByCard(page, {});
    await page.getByTestId("order-receipt").first().click();
    await expect.poll(() => page.getByText('"signature"').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const receipt = await page.request.get(`/api/checkout/${orderId}/receipt`);
    expect(receipt.status()).toBe(200);
    const body = (await receipt.json()) as { signature: string; receipt: { buyer: string } };
    expect(body.signature).toMatch(/^0x[0-9a-f]+$/i);
    expect(body.receipt.buyer.toLowerCase()).toBe(account("shopper2").address.toLowerCase());
    await screenshot(page, "checkout-receipt");
  });

  test("a shared cart made collaborative takes another shopper's changes", async () => {
    const owner = await browser.newPage();
    await addE2eOfferToCart(owner);
    await owner.getByTestId("cart-collaborative").getByRole("button").click();
    await owner
      .getByTestId("cart-collaborative")
      .getByRole("status")
      .filter({ hasText: /collaborative/ })
      .waitFor();
    const shareUrl = await owner.getByTestId("cart-share-url").inputValue();

    const friend = await browser.newPage();
    await friend.goto(shareUrl);
    await friend.getByTestId("cart-line-quantity").first().fill("3");
    await friend.getByTestId("cart-line-update").first().click();
    await friend.getByText("Quantity updated.").waitFor();
    await screenshot(friend, "cart-shared");

    await owner.reload();
    await expect.poll(() => owner.getByTestId("cart-line-quantity").first().inputValue()).toBe("3");
  });
});
