// A card checkout completed through the provider's webhook: the app's Stripe points at a local
// fake Stripe Checkout (support/fake-stripe-checkout.ts); the shopper adds the e2e offer to the
// cart, pays on the fake's hosted page, whose Pay button posts a signed checkout.session.completed
// event to /api/webhooks/stripe, and the return page shows the order paid. Also: a signed-in
// buyer's purchase receipt, a shared, collaborative cart, green delivery priced at checkout (fee and
// offset on the order in /orders), and loyalty points redeemed on a card order (consent signed by
// the injected wallet, points burned on chain by the app's points service before the payment).
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loyaltyPointsAbi } from "../../lib/contracts/abis.ts";
import { browserHarness, screenshot } from "./support/browser.ts";
import { type FakeStripeCheckout, startFakeStripeCheckout } from "./support/fake-stripe-checkout.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
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

/** Picks the delivery area and waits until its options are priced; then the option (default: the first offered). */
async function chooseDelivery(page: Page, area: string, option?: "standard" | "green" | "drone") {
  await page.getByTestId("delivery-area").selectOption(area);
  await page.locator('[data-testid^="delivery-choice-"]').first().waitFor({ timeout: 20_000 });
  if (option) await page.getByTestId(`delivery-option-${option}`).check();
}

async function payByCard(page: Page, options: { guestEmail?: string; beforeSubmit?: () => Promise<void> }) {
  await page.getByTestId("checkout-card").click();
  await page.waitForURL(/\/checkout$/);
  await page.getByTestId("fiat-checkout-form").waitFor();
  if (options.guestEmail) await page.getByTestId("fiat-email").fill(options.guestEmail);
  await page.getByTestId("fiat-shipName").fill("Ada Lovelace");
  await page.getByTestId("fiat-shipLine1").fill("1 Analytical Way");
  await page.getByTestId("fiat-shipCity").fill("London");
  await page.getByTestId("fiat-shipPostalCode").fill("N1 9GU");
  await page.getByTestId("fiat-shipCountry").fill("GB");
  await chooseDelivery(page, "gb-london");
  await page.getByTestId("fiat-method-card").check();
  await options.beforeSubmit?.();
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

  test("a buyer chooses green delivery: its fee and CO2 offset are priced, charged and shown on the order", async () => {
    const context = await browser.newContext();
    await signIn(context, account("shopper"));
    const page = await context.newPage();
    await addE2eOfferToCart(page);
    await page.getByTestId("checkout-card").click();
    await page.waitForURL(/\/checkout$/);
    await page.getByTestId("fiat-shipName").fill("Grace Hopper");
    await page.getByTestId("fiat-shipLine1").fill("1 Harbor Blvd");
    await page.getByTestId("fiat-shipCity").fill("Los Angeles");
    await page.getByTestId("fiat-shipPostalCode").fill("90012");
    await page.getByTestId("fiat-shipCountry").fill("US");
    await chooseDelivery(page, "us-los-angeles", "green");
    // Drone is offered for what the cart allows only; the e2e offer ships standard and green.
    expect(await page.getByTestId("delivery-choice-drone").count()).toBe(0);
    const greenText = (await page.getByTestId("delivery-choice-green").textContent()) ?? "";
    expect(greenText).toMatch(/kg CO2e estimated/);
    expect(greenText).toMatch(/offsetting it costs \$\d+\.\d\d, included/);
    const fee = (await page.getByTestId("delivery-fee-green").textContent()) ?? "";
    expect(fee).toMatch(/^\$\d+\.\d\d$/);
    await page.getByTestId("fiat-method-card").check();
    await screenshot(page, "checkout-delivery-green");
    // The priced options fit a phone: nothing scrolls sideways at 360 px.
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await page.evaluate(() => {
      type Root = { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
      const root = (globalThis as unknown as Root).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBe(0);
    await screenshot(page, "checkout-delivery-green-360");
    await page.getByTestId("fiat-submit").click();
    await page.waitForURL((url) => url.href.startsWith(`${fake?.url}/c/pay/`));
    await page.getByTestId("fake-stripe-pay").click();
    await page.waitForURL(/\/checkout\/return\?order=/);
    const orderId = new URL(page.url()).searchParams.get("order") as string;
    await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor({ timeout: 30_000 });

    const [row] = await query<{ total_minor: string; fee_minor: string; offset_minor: string; carbon_grams: number }>(
      `select o.total_minor, d.fee_minor, d.offset_minor, d.carbon_grams
         from commerce.orders o join commerce.order_deliveries d on d.order_id = o.id where o.id = $1`,
      [orderId],
    );
    const feeMinor = BigInt(row?.fee_minor ?? 0);
    expect(`$${(Number(feeMinor) / 100).toFixed(2)}`).toBe(fee);
    expect(BigInt(row?.total_minor ?? 0)).toBe(BigInt(webStack().fixtures.offer.priceMinor) + feeMinor);
    expect(BigInt(row?.offset_minor ?? 0)).toBeGreaterThan(0n);
    expect(row?.carbon_grams).toBeGreaterThan(0);
    // The provider charged the total with delivery.
    const [payment] = await query<{ amount_minor: string }>(
      "select amount_minor from commerce.payments where order_id = $1",
      [orderId],
    );
    expect(payment?.amount_minor).toBe(row?.total_minor);

    await page.goto("/orders");
    const shown = page.locator(`[data-order-id="${orderId}"] [data-testid="order-delivery"]`);
    await shown.waitFor();
    expect(await shown.getAttribute("data-option")).toBe("green");
    expect(await shown.getByTestId("order-delivery-fee").textContent()).toContain(`Green (carbon-neutral), ${fee}`);
    expect(await shown.getByTestId("order-delivery-carbon").textContent()).toMatch(
      /kg CO2e estimated; offset \$\d+\.\d\d paid with the fee/,
    );
    await screenshot(page, "orders-delivery-green");
  });

  test("a signed-in buyer redeems loyalty points on a card order; the points are burned on chain", async () => {
    const stack = webStack();
    const buyer = account("shopper2");
    const points = await loyaltyPointsAddress();
    const chain = { ...hardhat, rpcUrls: { default: { http: [stack.urls.rpc] } } };
    const publicClient = createPublicClient({ chain, transport: http(stack.urls.rpc) });
    const balanceOf = () =>
      publicClient.readContract({
        address: points,
        abi: loyaltyPointsAbi,
        functionName: "balanceOf",
        args: [buyer.address as Address],
      });
    // The app's own points service (the stack granted it MINTER_ROLE) gives the buyer 300 points.
    const serviceKey = stack.appEnv.NEOCART_POINTS_SERVICE_KEY as Hex;
    const service = createWalletClient({
      account: privateKeyToAccount(serviceKey),
      chain,
      transport: http(stack.urls.rpc),
    });
    const minted = await service.writeContract({
      address: points,
      abi: loyaltyPointsAbi,
      functionName: "mint",
      args: [buyer.address as Address, 300n * 10n ** 18n],
    });
    await publicClient.waitForTransactionReceipt({ hash: minted });
    const before = await balanceOf();
    // The checkout offers points by the indexer's balance: wait until it has seen the mint.
    await expect
      .poll(
        async () =>
          (
            await query<{ balance: string }>(
              `select balance::text as balance from "${stack.viewsSchema}".points_balance where id = $1`,
              [buyer.address.toLowerCase()],
            )
          )[0]?.balance,
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(before.toString());

    await query("delete from commerce.auth_rate_limits where bucket like 'sign-in:%'");
    const context = await browser.newContext();
    const wallet = await installTestWallet(context, { privateKey: buyer.privateKey, rpcUrl: stack.urls.rpc });
    const page = await context.newPage();
    await page.goto("/account");
    await page.getByTestId("connect-wallet").click();
    await page
      .locator('[data-testid="rk-wallet-option-dev.neocart.testwallet"], [data-testid="rk-wallet-option-injected"]')
      .first()
      .click();
    await page.getByTestId("sign-in-button").click();
    await expect
      .poll(() => page.getByTestId("signed-in-address").textContent(), { timeout: 15_000 })
      .toBe(buyer.address.toLowerCase());

    await addE2eOfferToCart(page);
    const orderId = await payByCard(page, {
      beforeSubmit: async () => {
        await page.getByTestId("fiat-points-use").check();
      },
    });
    expect(wallet.requests.map((r) => r.method)).toContain("eth_signTypedData_v4");

    const [redemption] = await query<{ status: string; amount: string; burn_tx_hash: string }>(
      "select status, amount::text as amount, burn_tx_hash from commerce.points_redemptions where order_id = $1",
      [orderId],
    );
    expect(redemption?.status).toBe("burned");
    expect(redemption?.burn_tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
    const burned = BigInt(redemption?.amount ?? 0);
    // All the usable points: the 300 minted here (and any the buyer held before), within the cap.
    expect(burned).toBeGreaterThanOrEqual(300n * 10n ** 18n);
    expect(await balanceOf()).toBe(before - burned);
    const [order] = await query<{ discount_minor: string; points_redeemed: string }>(
      "select discount_minor, points_redeemed::text as points_redeemed from commerce.orders where id = $1",
      [orderId],
    );
    // One point is worth one cent.
    const wholePoints = (burned / 10n ** 18n).toString();
    expect(order).toEqual({ discount_minor: wholePoints, points_redeemed: wholePoints });
  });
});

/** LoyaltyPoints on the stack's chain (its deployment record). */
async function loyaltyPointsAddress(): Promise<Address> {
  const record = JSON.parse(await readFile(webStack().deploymentFile, "utf8")) as {
    contracts: Record<string, { address: Address }>;
  };
  const address = record.contracts.LoyaltyPoints?.address;
  if (!address) throw new Error(`${webStack().deploymentFile} has no LoyaltyPoints`);
  return address;
}
