// A UPI checkout completed through Razorpay's webhook: the app's Razorpay points at a local fake
// of Razorpay Payment Links (support/fake-razorpay-checkout.ts). The shopper's cart is priced in
// USD, so the checkout explains that UPI is paid in rupees only and offers the switch; after it the
// cart is priced in INR, the shopper picks UPI, pays on the fake's hosted page (its Pay button posts
// a signed payment_link.paid event to /api/webhooks/razorpay) and the return page shows the order
// paid.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { browserHarness, screenshot } from "./support/browser.ts";
import { type FakeRazorpayCheckout, startFakeRazorpayCheckout } from "./support/fake-razorpay-checkout.ts";
import { query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
let fake: FakeRazorpayCheckout | undefined;

beforeAll(async () => {
  const env = webStack().appEnv;
  const apiUrl = env.RAZORPAY_API_URL;
  if (!apiUrl || !env.RAZORPAY_KEY_ID || !env.RAZORPAY_KEY_SECRET || !env.RAZORPAY_WEBHOOK_SECRET) {
    throw new Error(
      "The e2e stack does not configure Razorpay: paymentProvidersEnv (scripts/web/payment-providers-env.ts) sets RAZORPAY_*; restart an attached stack started before it did.",
    );
  }
  fake = await startFakeRazorpayCheckout({
    keyId: env.RAZORPAY_KEY_ID,
    keySecret: env.RAZORPAY_KEY_SECRET,
    webhookSecret: env.RAZORPAY_WEBHOOK_SECRET,
    webhookUrl: `${webStack().origin}/api/webhooks/razorpay`,
    port: Number(new URL(apiUrl).port),
  });
});

afterAll(async () => {
  await fake?.close();
});

describe("UPI checkout", () => {
  test("a guest switches to INR, pays by UPI on Razorpay's hosted page and the order is paid through the webhook", async () => {
    const page = await browser.newPage();
    await page.goto(`/product/${webStack().fixtures.product.slug}`);
    await page.getByTestId("add-to-cart").first().click();
    await page.waitForURL(/\/cart$/);
    await page.getByTestId("cart-line").first().waitFor();
    await page.getByTestId("checkout-card").click();
    await page.waitForURL(/\/checkout$/);
    await page.getByTestId("fiat-checkout-form").waitFor();

    // Priced in USD: UPI is not offered, but explained, with the switch to INR.
    expect(await page.getByTestId("fiat-method-upi").count()).toBe(0);
    const notice = page.getByTestId("fiat-needs-currency-upi");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/UPI.*INR only.*priced in USD/);
    await screenshot(page, "checkout-upi-needs-inr");
    await page.getByTestId("fiat-switch-currency-INR").click();
    await page.getByTestId("fiat-method-upi").waitFor();
    expect(await page.getByTestId("fiat-needs-currency-upi").count()).toBe(0);
    expect(await page.getByTestId("fiat-total").textContent()).toContain("₹");

    await page.getByTestId("fiat-email").fill("upi-guest@example.com");
    await page.getByTestId("fiat-shipName").fill("Aryabhata");
    await page.getByTestId("fiat-shipLine1").fill("1 MG Road");
    await page.getByTestId("fiat-shipCity").fill("Bengaluru");
    await page.getByTestId("fiat-shipPostalCode").fill("560001");
    await page.getByTestId("fiat-shipCountry").fill("IN");
    // Delivery is priced in rupees too, from the seller's hub to the area picked.
    await page.getByTestId("delivery-area").selectOption("in-bengaluru-indiranagar");
    await page.getByTestId("delivery-option-standard").waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("delivery-fee-standard").textContent()).toContain("₹");
    await page.getByTestId("fiat-method-upi").check();
    await screenshot(page, "checkout-upi");
    await page.getByTestId("fiat-submit").click();

    await page.waitForURL((url) => url.href.startsWith(`${fake?.url}/i/`));
    expect(await page.getByTestId("fake-razorpay-amount").textContent()).toMatch(/ INR$/);
    await screenshot(page, "razorpay-upi-link");
    await page.getByTestId("fake-razorpay-pay").click();
    await page.waitForURL(/\/checkout\/return\?order=/);
    const returned = new URL(page.url());
    const orderId = returned.searchParams.get("order") as string;
    expect(returned.searchParams.get("razorpay_payment_link_status")).toBe("paid");
    expect(returned.searchParams.get("razorpay_payment_link_reference_id")).toBe(orderId);
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });
    await screenshot(page, "checkout-return-upi-paid");

    const [order] = await query<{ status: string; currency: string; total_minor: string }>(
      "select status, currency, total_minor::text from commerce.orders where id = $1",
      [orderId],
    );
    expect(order).toMatchObject({ status: "paid", currency: "INR" });
    const payments = await query<{
      provider: string;
      status: string;
      method: string;
      provider_payment_id: string;
      amount_minor: string;
      currency: string;
    }>(
      "select provider, status, method, provider_payment_id, amount_minor::text, currency from commerce.payments where order_id = $1",
      [orderId],
    );
    expect(payments).toEqual([
      {
        provider: "razorpay",
        status: "succeeded",
        method: "upi",
        provider_payment_id: expect.stringMatching(/^plink_/),
        amount_minor: order?.total_minor,
        currency: "INR",
      },
    ]);
    // The link the app asked for: UPI, the order's total in paise, back to the order's status page.
    const linkId = payments[0]?.provider_payment_id ?? "";
    const record = fake?.links.get(linkId);
    expect(record?.link).toMatchObject({
      upi_link: true,
      amount: Number(order?.total_minor),
      currency: "INR",
      reference_id: orderId,
      callback_method: "get",
    });
    expect(record?.link.callback_url).toBe(`${webStack().origin}/checkout/return?order=${orderId}`);
    expect(record?.webhookAnswer?.status).toBe(200);
    const events = await query<{ type: string; outcome: string }>(
      "select type, outcome from commerce.webhook_events where provider = 'razorpay' and event_id = $1",
      [record?.eventId],
    );
    expect(events).toEqual([{ type: "payment_link.paid", outcome: "paid" }]);
  });
});
