// Escrow checkouts and fiat orders on a real PostgreSQL: the server prices the cart, takes the
// stock with a guard and writes the order in one transaction; the quote is signed with the
// configured key over the Escrow's EIP-712 types. Bad input changes nothing; two buyers racing for
// the last unit never both get it.
import { type Address, getAddress, recoverTypedDataAddress, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import { receiptTypes, reviewsDomain } from "../../../lib/contracts/typed-data.ts";
import {
  createEscrowCheckout,
  createFiatOrder,
  DeliveryOptionUnavailableError,
  EscrowCartNotSingleProductError,
  issuePurchaseReceipt,
  PaymentMethodNotAcceptedError,
  ReceiptBuyerMismatchError,
  ReceiptNotAvailableError,
  SelfPurchaseError,
  SellerNotPayableError,
} from "../../../lib/orders/index.ts";
import {
  CartNotFoundError,
  InvalidInputError,
  OfferUnavailableError,
  OutOfStockError,
  UnsupportedCurrencyError,
} from "../../../lib/pricing/index.ts";
import {
  DEV_QUOTE_SIGNER_KEY,
  isConfiguredSigner,
  loadQuoteSigners,
  QuoteSignerConfigError,
  recoverQuoteSigner,
  resolveChainConfig,
} from "../../../lib/quotes/index.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { seedFxRates, seedOffer, seedSeller, seedUser, stockOf } from "./support/seed-catalog.ts";

const SELLER_PAYOUT = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const BUYER = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const FIAT_BUYER = getAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc");
const CHAIN = {
  chainId: 31337,
  escrow: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  reviews: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  stablecoin: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
} as const;
const CONTACT = {
  shippingAddress: { name: "Ada Buyer", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
};
const DEV_SIGNER = privateKeyToAccount(DEV_QUOTE_SIGNER_KEY).address;
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const options = { chain: CHAIN, signers: loadQuoteSigners({}), now: () => NOW };

let t: TestDatabase;
let sellerId: string;

async function cartWith(offerId: string, quantity: number) {
  const cart = await createCart(t.db);
  await addCartItem(t.db, { via: "owner", cartId: cart.id }, { offerId, quantity });
  return cart.id;
}

async function orderCount() {
  const { rows } = await t.db.$client.query<{ n: string }>("select count(*) as n from commerce.orders");
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  t = await createTestDatabase("orders_checkout", 5554);
  await seedFxRates(t.db, [
    ["ETH", "USD", "3500"],
    ["USD", "JPY", "150"],
  ]);
  sellerId = await seedSeller(t.db, SELLER_PAYOUT);
});
afterAll(async () => {
  await t?.stop();
});

describe("escrow checkout", () => {
  it("prices on the server, takes the stock, records the order and signs the exact quote", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1750, stock: 10 });
    const cartId = await cartWith(offer.offerId, 2);
    const userId = await seedUser(t.db, BUYER);
    const checkout = await createEscrowCheckout(
      t.db,
      { cartId, buyerAddress: BUYER.toLowerCase(), userId, currency: "USD", deliveryOption: "standard" },
      options,
    );
    // $35.00 at 3500 USD/ETH = 0.01 ETH.
    expect(checkout.quote.order).toEqual({
      buyer: BUYER,
      seller: getAddress(SELLER_PAYOUT),
      token: zeroAddress,
      amount: 10n ** 16n,
      fee: 25n * 10n ** 13n,
      affiliate: zeroAddress,
      affiliateBps: 0,
      cashback: 35n * 10n ** 18n,
      productId: offer.productChainId,
      deliveryWindow: 5 * 86_400,
    });
    expect(checkout.quote.orderId).toBe(checkout.order.chainOrderId);
    expect(checkout.quote.expiry).toBe(BigInt(NOW / 1000 + 900));
    expect(checkout.value).toBe(10n ** 16n);
    expect(checkout.signer).toBe(DEV_SIGNER);
    expect(await recoverQuoteSigner(resolveChainConfig(CHAIN), checkout.quote, checkout.signature)).toBe(DEV_SIGNER);

    expect(await stockOf(t.db, offer.offerId)).toBe(8);
    const { rows } = await t.db.$client.query(
      `select o.kind, o.status, o.total_minor::text as total, o.user_id, i.quantity, i.unit_price_minor::text as unit,
              q.amount::text as amount, q.signer_address, h.status as first_status
       from commerce.orders o join commerce.order_items i on i.order_id = o.id
       join commerce.escrow_quotes q on q.order_id = o.id
       join commerce.order_status_history h on h.order_id = o.id where o.id = $1`,
      [checkout.order.id],
    );
    expect(rows).toEqual([
      {
        kind: "escrow",
        status: "awaiting_payment",
        total: "3500",
        user_id: userId,
        quantity: 2,
        unit: "1750",
        amount: "10000000000000000",
        signer_address: DEV_SIGNER.toLowerCase(),
        first_status: "awaiting_payment",
      },
    ]);
    const { rows: left } = await t.db.$client.query("select 1 from commerce.cart_items where cart_id = $1", [cartId]);
    expect(left).toEqual([]);
  });

  it("a tampered quote (amount changed after signing) no longer recovers to the signer", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1000 });
    const checkout = await createEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, 1), buyerAddress: BUYER, currency: "USD" },
      options,
    );
    const tampered = { ...checkout.quote, order: { ...checkout.quote.order, amount: 1n } };
    expect(await recoverQuoteSigner(resolveChainConfig(CHAIN), tampered, checkout.signature)).not.toBe(DEV_SIGNER);
  });

  it("pays in the stablecoin (6 decimals, pegged to USD), redeems points and pays an affiliate", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 4000 });
    const affiliate = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    const checkout = await createEscrowCheckout(
      t.db,
      {
        cartId: await cartWith(offer.offerId, 1),
        buyerAddress: BUYER,
        currency: "USD",
        token: "stablecoin",
        pointsToRedeem: 500,
        affiliate: { address: affiliate, bps: 300 },
        deliveryOption: "green",
      },
      options,
    );
    expect(checkout.pricing.totalMinor).toBe(3500n);
    expect(checkout.quote.order.token).toBe(CHAIN.stablecoin);
    expect(checkout.quote.order.amount).toBe(35_000_000n);
    expect(checkout.quote.pointsToRedeem).toBe(500n * 10n ** 18n);
    expect(checkout.quote.order.affiliate).toBe(getAddress(affiliate));
    expect(checkout.quote.order.affiliateBps).toBe(300);
    expect(checkout.quote.order.deliveryWindow).toBe(7 * 86_400);
    expect(checkout.value).toBe(0n);
  });

  it("prices a JPY cart and converts its total to wei through USD", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 5250, currency: "JPY" });
    const checkout = await createEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, 1), buyerAddress: BUYER, currency: "JPY" },
      options,
    );
    // ¥5250 = $35 = 0.01 ETH
    expect(checkout.pricing.totalMinor).toBe(5250n);
    expect(checkout.quote.order.amount).toBe(10n ** 16n);
  });
});

describe("bad input changes nothing", () => {
  async function expectNothingChanged(offerId: string, stock: number, attempt: () => Promise<unknown>, error: unknown) {
    const before = await orderCount();
    await expect(attempt()).rejects.toThrow(error as Error);
    expect(await stockOf(t.db, offerId)).toBe(stock);
    expect(await orderCount()).toBe(before);
  }

  it("unknown cart, out of stock, wrong currency, withdrawn offer, client-sent prices", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1000, stock: 2 });
    const cartId = await cartWith(offer.offerId, 5);
    const base = { buyerAddress: BUYER, currency: "USD" };
    await expectNothingChanged(
      offer.offerId,
      2,
      () => createEscrowCheckout(t.db, { ...base, cartId: "00000000-0000-4000-8000-000000000009" }, options),
      CartNotFoundError,
    );
    await expectNothingChanged(
      offer.offerId,
      2,
      () => createEscrowCheckout(t.db, { ...base, cartId }, options),
      OutOfStockError,
    );
    await expect(createFiatOrder(t.db, { cartId, currency: "USD", contact: CONTACT })).rejects.toThrow(
      `Offer ${offer.offerId} is out of stock (2 left, 5 requested)`,
    );
    await t.db.$client.query("update commerce.cart_items set quantity = 1 where cart_id = $1", [cartId]);
    await expectNothingChanged(
      offer.offerId,
      2,
      () => createEscrowCheckout(t.db, { ...base, cartId, currency: "XYZ" }, options),
      UnsupportedCurrencyError,
    );
    await expectNothingChanged(
      offer.offerId,
      2,
      () => createEscrowCheckout(t.db, { ...base, cartId, totalMinor: 1 } as never, options),
      InvalidInputError,
    );
    await expectNothingChanged(
      offer.offerId,
      2,
      () => createEscrowCheckout(t.db, { ...base, cartId, buyerAddress: "0x1234" }, options),
      InvalidInputError,
    );
    await t.db.$client.query("update commerce.offers set active = false where id = $1", [offer.offerId]);
    await expectNothingChanged(
      offer.offerId,
      2,
      () => createFiatOrder(t.db, { cartId, currency: "USD", contact: CONTACT }),
      OfferUnavailableError,
    );
  });

  it("escrow needs one seller and product, a payout address, an allowed delivery, a buyer who is not the seller", async () => {
    const a = await seedOffer(t.db, { sellerId, priceMinor: 1000, stock: 5 });
    const b = await seedOffer(t.db, { sellerId, priceMinor: 1000, stock: 5 });
    const mixed = await cartWith(a.offerId, 1);
    await addCartItem(t.db, { via: "owner", cartId: mixed }, { offerId: b.offerId, quantity: 1 });
    const base = { buyerAddress: BUYER, currency: "USD" };
    await expectNothingChanged(
      a.offerId,
      5,
      () => createEscrowCheckout(t.db, { ...base, cartId: mixed }, options),
      EscrowCartNotSingleProductError,
    );
    const unpaid = await seedOffer(t.db, { sellerId: await seedSeller(t.db, null), priceMinor: 1000, stock: 5 });
    const unpaidCart = await cartWith(unpaid.offerId, 1);
    await expectNothingChanged(
      unpaid.offerId,
      5,
      () => createEscrowCheckout(t.db, { ...base, cartId: unpaidCart }, options),
      SellerNotPayableError,
    );
    const single = await cartWith(a.offerId, 1);
    await expectNothingChanged(
      a.offerId,
      5,
      () => createEscrowCheckout(t.db, { ...base, cartId: single, deliveryOption: "drone" }, options),
      DeliveryOptionUnavailableError,
    );
    await expectNothingChanged(
      a.offerId,
      5,
      () => createEscrowCheckout(t.db, { ...base, cartId: single, buyerAddress: SELLER_PAYOUT }, options),
      SelfPurchaseError,
    );
    await expectNothingChanged(
      a.offerId,
      5,
      () => createFiatOrder(t.db, { cartId: single, currency: "USD", paymentMethod: "upi", contact: CONTACT }),
      PaymentMethodNotAcceptedError,
    );
  });
});

describe("concurrency", () => {
  it("two checkouts racing for the last unit: exactly one succeeds", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 999, stock: 1 });
    const carts = [await cartWith(offer.offerId, 1), await cartWith(offer.offerId, 1)];
    const results = await Promise.allSettled(
      carts.map((cartId) => createEscrowCheckout(t.db, { cartId, buyerAddress: BUYER, currency: "USD" }, options)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(OutOfStockError);
    expect(await stockOf(t.db, offer.offerId)).toBe(0);
  });

  it("twelve mixed checkouts for three units: exactly three orders, stock 0, never negative", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 999, stock: 3 });
    const carts = await Promise.all(Array.from({ length: 12 }, () => cartWith(offer.offerId, 1)));
    const before = await orderCount();
    const results = await Promise.allSettled(
      carts.map((cartId, i) =>
        i % 2 === 0
          ? createEscrowCheckout(t.db, { cartId, buyerAddress: BUYER, currency: "USD" }, options)
          : createFiatOrder(t.db, { cartId, currency: "USD", contact: CONTACT }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(OutOfStockError);
    expect(await stockOf(t.db, offer.offerId)).toBe(0);
    expect(await orderCount()).toBe(before + 3);
  });
});

describe("fiat orders and purchase receipts", () => {
  it("a fiat order waits for payment; a paid one gets a receipt for the linked wallet only", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 2500, stock: 4 });
    const userId = await seedUser(t.db, FIAT_BUYER);
    const { order, pricing } = await createFiatOrder(t.db, {
      cartId: await cartWith(offer.offerId, 2),
      userId,
      currency: "JPY",
      paymentMethod: "card",
      contact: CONTACT,
    });
    expect(order.kind).toBe("fiat");
    expect(order.status).toBe("pending_payment");
    expect(pricing.totalMinor).toBe(7500n); // 2 × $25 × 150
    expect(await stockOf(t.db, offer.offerId)).toBe(2);

    const receiptOptions = { chain: CHAIN, signers: options.signers, now: () => NOW };
    await expect(issuePurchaseReceipt(t.db, order.id, FIAT_BUYER, receiptOptions)).rejects.toThrow(
      ReceiptNotAvailableError,
    );
    await t.db.$client.query("update commerce.orders set status = 'paid' where id = $1", [order.id]);

    const signed = await issuePurchaseReceipt(t.db, order.id, FIAT_BUYER, receiptOptions);
    expect(signed.receipt).toEqual({
      orderId: order.chainOrderId,
      buyer: FIAT_BUYER,
      productId: offer.productChainId,
      deadline: BigInt(NOW / 1000 + 90 * 86_400),
    });
    const recovered = await recoverTypedDataAddress({
      domain: reviewsDomain(CHAIN.chainId, CHAIN.reviews),
      types: receiptTypes,
      primaryType: "Receipt",
      message: signed.receipt,
      signature: signed.signature,
    });
    expect(recovered).toBe(DEV_SIGNER);
    const stranger: Address = "0x976ea74026e726554db657fa54763abd0c3a0aa9";
    await expect(issuePurchaseReceipt(t.db, order.id, stranger, receiptOptions)).rejects.toThrow(
      ReceiptBuyerMismatchError,
    );
  });

  it("escrow orders get no receipt (they are reviewed on chain once completed)", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1000 });
    const checkout = await createEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, 1), buyerAddress: BUYER, currency: "USD" },
      options,
    );
    await expect(issuePurchaseReceipt(t.db, checkout.order.id, BUYER, { chain: CHAIN })).rejects.toThrow(
      ReceiptNotAvailableError,
    );
  });
});

describe("quote signer keys", () => {
  const k1 = DEV_QUOTE_SIGNER_KEY;
  const k2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

  it("the first key of the list signs; the others are still recognised", async () => {
    const signers = loadQuoteSigners({ NEOCART_QUOTE_SIGNER_KEY: `${k2}, ${k1}` });
    expect(signers.active.address).toBe(privateKeyToAccount(k2).address);
    expect(isConfiguredSigner(signers, DEV_SIGNER)).toBe(true);
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1000 });
    const checkout = await createEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, 1), buyerAddress: BUYER, currency: "USD" },
      { ...options, signers },
    );
    expect(await recoverQuoteSigner(resolveChainConfig(CHAIN), checkout.quote, checkout.signature)).toBe(
      privateKeyToAccount(k2).address,
    );
  });

  it("production refuses a missing key and the public dev key; malformed keys are refused", () => {
    expect(() => loadQuoteSigners({ NODE_ENV: "production" })).toThrow(QuoteSignerConfigError);
    expect(() => loadQuoteSigners({ NODE_ENV: "production", NEOCART_QUOTE_SIGNER_KEY: k1 })).toThrow(/dev key/);
    expect(() => loadQuoteSigners({ NEOCART_QUOTE_SIGNER_KEY: "0x1234" })).toThrow(/entry 1/);
    expect(loadQuoteSigners({ NODE_ENV: "development" }).active.address).toBe(DEV_SIGNER);
  });
});
