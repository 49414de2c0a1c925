// Points redeemed on fiat orders, on a real Hardhat node with the marketplace deployed (the points
// service, Hardhat #1, holds MINTER_ROLE and REDEEMER_ROLE) and a real PostgreSQL: the holder's
// EIP-712 consent is checked (amount, signer, deadline, linked wallet, one use), the cart is
// priced with the points (cap respected), the points are burned once before any payment, and
// given back once when the payment fails (an expired Stripe Checkout Session, delivered as a
// signed webhook) or the order is refunded, or when the burn itself is refused.
import { randomBytes } from "node:crypto";
import type { Address, Hex } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import { loyaltyPointsAbi } from "../../../lib/contracts/abis.ts";
import { parseKeyring } from "../../../lib/crypto/index.ts";
import { closeDb, createDb, type Db } from "../../../lib/db/client.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import { createFiatOrder } from "../../../lib/orders/index.ts";
import { PointsConsentError, pointsConsentDomain, pointsConsentTypes } from "../../../lib/orders/points-consent.ts";
import {
  burnRedeemedPoints,
  cancelAndReturnPoints,
  PointsBurnFailedError,
  remintAllOwedPoints,
  remintOwedPoints,
} from "../../../lib/orders/points-redemption.ts";
import {
  DEV_POINTS_SERVICE_KEY,
  loadPointsService,
  type PointsService,
  PointsServiceConfigError,
} from "../../../lib/orders/points-service.ts";
import { handleWebhook } from "../../../lib/payments/webhooks.ts";
import { POINT_TOKEN_UNITS, PointsCapExceededError } from "../../../lib/pricing/index.ts";
import { createScratchDatabase, type ScratchDatabase } from "../../indexer/support/scratch-database.ts";
import { startTestStack, type TestStack } from "../../indexer/support/test-stack.ts";
import { stripeDelivery, stripeEventBody } from "../payments/support/deliveries.ts";
import { SECRETS, startTestProviders, type TestProviders } from "../payments/support/providers.ts";
import { seedOffer, seedSeller, seedUser, stockOf } from "./support/seed-catalog.ts";

const keyring = parseKeyring(`k1:${randomBytes(32).toString("base64")}`);
const CONTACT = {
  shippingAddress: { name: "Pat Points", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
};
const HOSTED = { successUrl: "https://shop.example/ok", cancelUrl: "https://shop.example/cancel" };

let stack: TestStack;
let db: Db;
let scratch: ScratchDatabase | undefined;
let service: PointsService;
let providers: TestProviders;
let sellerId: string;
let holder: PrivateKeyAccount;
let userId: string;

const units = (points: number) => BigInt(points) * POINT_TOKEN_UNITS;

async function balanceOf(address: Address): Promise<bigint> {
  return (await stack.driver.publicClient.readContract({
    address: service.points,
    abi: loyaltyPointsAbi,
    functionName: "balanceOf",
    args: [address],
  })) as bigint;
}

async function mintTo(address: Address, points: number) {
  await stack.driver.mined(
    stack.driver.send(service.account.address, {
      address: service.points,
      abi: loyaltyPointsAbi,
      functionName: "mint",
      args: [address, units(points)],
    }),
  );
}

async function consentFor(
  account: PrivateKeyAccount,
  points: number,
  overrides: { orderId?: Hex; deadline?: number; signedPoints?: number } = {},
) {
  const message = {
    holder: account.address,
    amount: units(overrides.signedPoints ?? points),
    orderId: overrides.orderId ?? (`0x${randomBytes(32).toString("hex")}` as Hex),
    deadline: BigInt(overrides.deadline ?? Math.floor(Date.now() / 1000) + 600),
  };
  const signature = await account.signTypedData({
    domain: pointsConsentDomain(service.chainId, service.points),
    types: pointsConsentTypes,
    primaryType: "PointsRedemption",
    message,
  });
  // What the browser sends: the signed values, with the amount as the points asked for.
  return {
    holder: account.address,
    amount: units(points).toString(),
    orderId: message.orderId,
    deadline: Number(message.deadline),
    signature,
  };
}

async function cartOf(priceMinor: number) {
  const offer = await seedOffer(db, { sellerId, priceMinor, stock: 10 });
  const cart = await createCart(db, { ownerUserId: userId });
  await addCartItem(db, { via: "owner", cartId: cart.id, userId }, { offerId: offer.offerId, quantity: 1 });
  return { cartId: cart.id, offerId: offer.offerId };
}

function order(cartId: string, points: number, pointsConsent?: Awaited<ReturnType<typeof consentFor>>, user = userId) {
  return createFiatOrder(
    db,
    { cartId, userId: user, currency: "USD", contact: CONTACT, pointsToRedeem: points, pointsConsent },
    { keyring, points: { chainId: service.chainId, points: service.points } },
  );
}

async function redemption(orderId: string) {
  const { rows } = await db.$client.query("select * from commerce.points_redemptions where order_id = $1", [orderId]);
  return rows[0];
}
async function statusOf(orderId: string) {
  const { rows } = await db.$client.query("select status from commerce.orders where id = $1", [orderId]);
  return rows[0]?.status as string;
}
async function orderCount() {
  const { rows } = await db.$client.query<{ n: string }>("select count(*) as n from commerce.orders");
  return Number(rows[0]?.n);
}

async function deliverStripe(type: string, object: Record<string, unknown>) {
  const delivery = stripeDelivery(stripeEventBody(type, object), SECRETS.stripe.current);
  return handleWebhook(db, providers.stripe, delivery.body, delivery.headers);
}

beforeAll(async () => {
  stack = await startTestStack("commerce-points", { chain: 8703, postgres: 5603, indexer: 22303 });
  scratch = await createScratchDatabase(stack.postgres.url, "neocart_pts");
  await migrate(scratch.url);
  db = createDb(scratch.url, { max: 5, onIdleError: () => {} });

  const record = stack.driver.record;
  service = loadPointsService({
    NEOCART_CHAIN_ID: String(record.chainId),
    NEOCART_POINTS_ADDRESS: record.contracts.LoyaltyPoints.address,
    NEOCART_RPC_URL: stack.chain.rpcUrl,
  });
  // The deployment granted both points roles to the dev key's address (scripts/deploy/deploy-marketplace.ts).
  expect(service.account.address).toBe((record.roles as Record<string, string>).pointsService);
  providers = await startTestProviders();
  sellerId = await seedSeller(db);
  holder = privateKeyToAccount(generatePrivateKey());
  userId = await seedUser(db, holder.address);
  await mintTo(holder.address, 5_000);
}, 240_000);

afterAll(async () => {
  await providers?.close();
  if (db) await closeDb(db);
  await scratch?.drop();
  await stack?.stop();
});

describe("points service key", () => {
  it("falls back to the public dev key on the local chain only, and production refuses it", () => {
    expect(loadPointsService({}).account.address).toBe(privateKeyToAccount(DEV_POINTS_SERVICE_KEY).address);
    expect(() => loadPointsService({ NODE_ENV: "production" })).toThrow(PointsServiceConfigError);
    expect(() => loadPointsService({ NEOCART_CHAIN_ID: "84532" })).toThrow(/NEOCART_POINTS_SERVICE_KEY is not set/);
    expect(() =>
      loadPointsService({ NODE_ENV: "production", NEOCART_POINTS_SERVICE_KEY: DEV_POINTS_SERVICE_KEY }),
    ).toThrow(/public Hardhat dev key/);
    expect(() => loadPointsService({ NEOCART_POINTS_SERVICE_KEY: "0x1234" })).toThrow(/32-byte/);
  });
});

describe("points redeemed on a fiat order", () => {
  it("the consented points price the order and are burned once, before the payment", async () => {
    const { cartId } = await cartOf(2_000);
    const before = await balanceOf(holder.address);
    const consent = await consentFor(holder, 500);
    const { order: placed, pricing } = await order(cartId, 500, consent);
    expect(placed.chainOrderId).toBe(consent.orderId);
    // 500 points = $5.00 off $20.00.
    expect(pricing.discountMinor).toBe(500n);
    expect(placed.totalMinor).toBe(1_500n);
    expect(await redemption(placed.id)).toMatchObject({ status: "pending", amount: units(500).toString() });
    expect(await balanceOf(holder.address)).toBe(before);

    // Two requests at once (a double submit): one burn on chain, the same hash for both.
    const [a, b] = await Promise.all([
      burnRedeemedPoints(db, placed.id, service),
      burnRedeemedPoints(db, placed.id, service),
    ]);
    expect(a).toMatch(/^0x[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(await burnRedeemedPoints(db, placed.id, service)).toBe(a);
    expect(await balanceOf(holder.address)).toBe(before - units(500));
    expect(await redemption(placed.id)).toMatchObject({ status: "burned", burn_tx_hash: a });
    const receipt = await stack.driver.publicClient.getTransactionReceipt({ hash: a as Hex });
    expect(receipt.from.toLowerCase()).toBe(service.account.address.toLowerCase());
  });

  it("the cap is respected: more points than half the subtotal is refused and nothing is written", async () => {
    const { cartId, offerId } = await cartOf(2_000);
    const count = await orderCount();
    // 1,000 points ($10) is half of $20; 1,001 is over.
    await expect(order(cartId, 1_001, await consentFor(holder, 1_001))).rejects.toThrow(PointsCapExceededError);
    expect(await orderCount()).toBe(count);
    expect(await stockOf(db, offerId)).toBe(10);
    const { pricing } = await order(cartId, 1_000, await consentFor(holder, 1_000));
    expect(pricing.totalMinor).toBe(1_000n);
  });

  it("a tampered amount, a foreign signer, an expired or reused consent, an unlinked wallet are refused", async () => {
    const { cartId } = await cartOf(2_000);
    const count = await orderCount();
    const before = await balanceOf(holder.address);
    // Signed for 100 points, sent as 800: the signature no longer matches.
    await expect(order(cartId, 800, await consentFor(holder, 800, { signedPoints: 100 }))).rejects.toThrow(
      /not signed by the holder, or was changed after signing/,
    );
    // The consent's amount must be what is priced.
    await expect(order(cartId, 800, await consentFor(holder, 100))).rejects.toThrow(/consent is for 100 points/);
    // Someone else signing for the holder.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = { ...(await consentFor(stranger, 300)), holder: holder.address };
    await expect(order(cartId, 300, forged)).rejects.toThrow(PointsConsentError);
    await expect(
      order(cartId, 300, await consentFor(holder, 300, { deadline: Math.floor(Date.now() / 1000) - 1 })),
    ).rejects.toThrow(/expired/);
    // The stranger's own valid consent, but their wallet is not the signed-in user's.
    await expect(order(cartId, 300, await consentFor(stranger, 300))).rejects.toThrow(/not linked to your account/);
    await expect(order(cartId, 300)).rejects.toThrow(/signed consent/);
    expect(await orderCount()).toBe(count);

    const used = await consentFor(holder, 200);
    await order(cartId, 200, used);
    const again = await cartOf(2_000);
    await expect(order(again.cartId, 200, used)).rejects.toThrow(/already used/);
    expect(await balanceOf(holder.address)).toBe(before);
  });

  it("an expired payment cancels the order and re-mints the points once", async () => {
    const { cartId } = await cartOf(3_000);
    const { order: placed } = await order(cartId, 700, await consentFor(holder, 700));
    await burnRedeemedPoints(db, placed.id, service);
    const afterBurn = await balanceOf(holder.address);
    const session = await providers.stripe.createPayment(db, { orderId: placed.id, method: "card", hosted: HOSTED });
    const expired = {
      id: session.providerPaymentId,
      object: "checkout.session",
      status: "expired",
      payment_status: "unpaid",
      amount_total: 2300,
      currency: "usd",
      metadata: { orderId: placed.id },
      payment_intent: null,
    };
    expect((await deliverStripe("checkout.session.expired", expired)).body.outcome).toBe("failed");
    expect(await statusOf(placed.id)).toBe("canceled");
    expect(await redemption(placed.id)).toMatchObject({ status: "remint_due" });

    const [first, second] = await Promise.all([
      remintAllOwedPoints(db, service),
      remintOwedPoints(db, placed.id, service),
    ]);
    const { rows } = await db.$client.query(
      "select remint_tx_hash from commerce.points_redemptions where order_id = $1",
      [placed.id],
    );
    const hash = rows[0]?.remint_tx_hash;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect([...first.reminted, second].filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(holder.address)).toBe(afterBurn + units(700));
    // Later sweeps, a redelivered event, a second expiry: nothing more is minted.
    expect((await remintAllOwedPoints(db, service)).reminted).toEqual([]);
    expect(await remintOwedPoints(db, placed.id, service)).toBe(hash);
    expect((await deliverStripe("checkout.session.expired", expired)).body.outcome).toBe("stale");
    expect(await balanceOf(holder.address)).toBe(afterBurn + units(700));
    // The canceled order cannot be paid any more at the discounted price.
    await expect(
      providers.stripe.createPayment(db, { orderId: placed.id, method: "card", hosted: HOSTED }),
    ).rejects.toThrow(/only an order awaiting payment can be paid/);
  });

  it("a full refund of a paid order gives the points back once", async () => {
    const { cartId } = await cartOf(2_400);
    const { order: placed } = await order(cartId, 400, await consentFor(holder, 400));
    await burnRedeemedPoints(db, placed.id, service);
    const afterBurn = await balanceOf(holder.address);
    const session = await providers.stripe.createPayment(db, { orderId: placed.id, method: "card", hosted: HOSTED });
    const completed = providers.fakes.stripe.completeCheckout(session.providerPaymentId);
    expect((await deliverStripe("checkout.session.completed", completed)).body.outcome).toBe("paid");
    await providers.stripe.refund(db, { orderId: placed.id, amountMinor: 500n });
    expect(await redemption(placed.id)).toMatchObject({ status: "burned" });
    await providers.stripe.refund(db, { orderId: placed.id });
    expect(await redemption(placed.id)).toMatchObject({ status: "remint_due" });
    expect((await remintAllOwedPoints(db, service)).reminted).toEqual([placed.id]);
    expect((await remintAllOwedPoints(db, service)).reminted).toEqual([]);
    expect(await balanceOf(holder.address)).toBe(afterBurn + units(400));
  });

  it("a burn the chain refuses (too few points) cancels the order; nothing is owed back", async () => {
    const poor = privateKeyToAccount(generatePrivateKey());
    const poorUser = await seedUser(db, poor.address);
    await mintTo(poor.address, 100);
    const offer = await seedOffer(db, { sellerId, priceMinor: 2_000, stock: 10 });
    const cart = await createCart(db, { ownerUserId: poorUser });
    await addCartItem(db, { via: "owner", cartId: cart.id, userId: poorUser }, { offerId: offer.offerId, quantity: 1 });
    // 300 points consented but only 100 held (the indexer's balance lagged, or they were spent).
    const { order: placed } = await order(cart.id, 300, await consentFor(poor, 300), poorUser);
    await expect(burnRedeemedPoints(db, placed.id, service)).rejects.toThrow(PointsBurnFailedError);
    expect(await statusOf(placed.id)).toBe("canceled");
    expect(await redemption(placed.id)).toMatchObject({ status: "burn_failed", burn_tx_hash: null });
    expect(await balanceOf(poor.address)).toBe(units(100));
    await expect(burnRedeemedPoints(db, placed.id, service)).rejects.toThrow(PointsBurnFailedError);
    expect(await cancelAndReturnPoints(db, placed.id, "provider down", service)).toBeUndefined();
    expect(await balanceOf(poor.address)).toBe(units(100));
  });

  it("a payment that cannot start after the burn cancels the order and returns the points at once", async () => {
    const { cartId } = await cartOf(2_000);
    const { order: placed } = await order(cartId, 250, await consentFor(holder, 250));
    await burnRedeemedPoints(db, placed.id, service);
    const afterBurn = await balanceOf(holder.address);
    const hash = await cancelAndReturnPoints(db, placed.id, "stripe could not be reached", service);
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await statusOf(placed.id)).toBe("canceled");
    expect(await balanceOf(holder.address)).toBe(afterBurn + units(250));
    expect(await cancelAndReturnPoints(db, placed.id, "again", service)).toBeUndefined();
    expect(await balanceOf(holder.address)).toBe(afterBurn + units(250));
  });
});
