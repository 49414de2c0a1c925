// Delivery options priced at checkout (issue 7) on a real PostgreSQL: every option the cart's
// products allow is quoted from the seller's dispatch hub to the shopper's delivery area (green
// with its CO2 estimate and offset, drone only inside a geofence and under the weight limit), and
// the order's total, for fiat and escrow alike, includes the fee the server priced, recorded in
// commerce.order_deliveries. Refusals say what to choose instead and write nothing.
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import {
  createEscrowCheckout,
  createFiatOrder,
  DeliveryAreaCountryMismatchError,
  DeliveryOptionUnavailableError,
  listOrders,
  priceDelivery,
  quoteDeliveryChoices,
  UnknownDeliveryAreaError,
} from "../../../lib/orders/index.ts";
import { InvalidInputError } from "../../../lib/pricing/index.ts";
import { loadQuoteSigners } from "../../../lib/quotes/index.ts";
import { defaultDeliveryRules } from "../../../lib/tracking/delivery-rules.ts";
import { DroneOutsideServiceAreaError, DroneWeightLimitError } from "../../../lib/tracking/errors.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { seedFxRates, seedOffer, seedSeller, seedUser, stockOf } from "./support/seed-catalog.ts";

const SELLER_PAYOUT = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const BUYER = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const CHAIN = {
  chainId: 31337,
  escrow: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  reviews: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  stablecoin: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
} as const;
const escrowOptions = { chain: CHAIN, signers: loadQuoteSigners({}), now: () => Date.UTC(2026, 10, 25, 12) };
const address = (country: string) => ({
  shippingAddress: { name: "Ada Buyer", line1: "1 Main St", city: "Somewhere", postalCode: "12345", country },
});
const rules = defaultDeliveryRules;

let t: TestDatabase;
let usSeller: string;
let deSeller: string;

async function cartWith(...lines: [offerId: string, quantity: number][]) {
  const cart = await createCart(t.db);
  for (const [offerId, quantity] of lines) {
    await addCartItem(t.db, { via: "owner", cartId: cart.id }, { offerId, quantity });
  }
  return cart.id;
}

/** An offer of a product weighing `grams` (its weightGrams attribute) shipping by `options`. */
async function offerWeighing(grams: number, options = ["standard", "green", "drone"], sellerId = usSeller) {
  const offer = await seedOffer(t.db, { sellerId, priceMinor: 4_000, stock: 20, deliveryOptions: options });
  await t.db.$client.query("update commerce.products set attributes = $2 where id = $1", [
    offer.productId,
    JSON.stringify({ weightGrams: grams }),
  ]);
  return offer;
}

async function count(table: string) {
  const { rows } = await t.db.$client.query<{ n: string }>(`select count(*) as n from commerce.${table}`);
  return Number(rows[0]?.n);
}

/** The fee formula of the rules, in USD cents, for one parcel. */
function expectedFee(option: "standard" | "green" | "drone", grams: number, routeKm: number) {
  const fee = rules.fees[option];
  return BigInt(
    fee.baseMinor + fee.perKgMinor * Math.ceil(grams / 1000) + Math.ceil((fee.per1000KmMinor * routeKm) / 1000),
  );
}

beforeAll(async () => {
  t = await createTestDatabase("orders_delivery", 5651);
  // 1 ETH = 2000 USD keeps cents → wei exact (1 cent = 5e12 wei).
  await seedFxRates(t.db, [
    ["ETH", "USD", "2000"],
    ["USD", "EUR", "0.9"],
  ]);
  usSeller = await seedSeller(t.db, SELLER_PAYOUT);
  deSeller = await seedSeller(t.db, SELLER_PAYOUT);
  await t.db.$client.query("update commerce.sellers set country = 'DE' where id = $1", [deSeller]);
});
afterAll(async () => {
  await t?.stop();
});

describe("delivery choices at checkout", () => {
  it("prices standard, green (CO2 estimate + offset) and drone inside the San Francisco geofence", async () => {
    const offer = await offerWeighing(500);
    const choices = await quoteDeliveryChoices(t.db, {
      items: [{ offerId: offer.offerId, quantity: 2 }],
      areaId: "us-sf-mission",
      currency: "USD",
    });
    expect(choices.map((c) => c.option)).toEqual(["standard", "green", "drone"]);
    const [standard, green, drone] = choices.map((c) => ("price" in c ? c.price : undefined));
    if (!standard || !green || !drone) throw new Error(`an option was refused: ${JSON.stringify(choices)}`);

    expect(standard.feeMinor).toBe(expectedFee("standard", 1000, standard.routeKm));
    expect(standard.offsetMinor).toBeNull();
    expect(standard.originLabel).toBe("San Francisco hub");
    expect(standard.weightGrams).toBe(1000);

    expect(green.carbonGrams).toBeGreaterThan(0);
    expect(green.offsetMinor).toBeGreaterThanOrEqual(1n);
    // The offset is bought with the fee: base fee + the offset of its own estimate.
    expect(green.feeMinor).toBe(expectedFee("green", 1000, green.routeKm) + (green.offsetMinor ?? 0n));

    expect(drone.droneRegion).toBe("San Francisco");
    expect(drone.feeMinor).toBe(expectedFee("drone", 1000, drone.routeKm));
    expect(drone.estimatedHours).toBeLessThan(standard.estimatedHours);
  });

  it("shows drone refused outside the geofence and over the weight limit, with the reason", async () => {
    const light = await offerWeighing(500);
    const outside = await quoteDeliveryChoices(t.db, {
      items: [{ offerId: light.offerId, quantity: 1 }],
      areaId: "us-oakland",
      currency: "USD",
    });
    const refused = outside.find((c) => c.option === "drone");
    expect(refused && "unavailable" in refused && refused.unavailable.code).toBe("drone_outside_service_area");
    expect(refused && "unavailable" in refused && refused.unavailable.message).toMatch(/choose standard or green/);
    expect(outside.filter((c) => "price" in c).map((c) => c.option)).toEqual(["standard", "green"]);

    // Weight by category when the product has none of its own: laptops weigh 2.6 kg > 2.5 kg.
    await t.db.$client.query(
      "insert into commerce.categories (slug, name) values ('laptops', 'Laptops') on conflict do nothing",
    );
    const laptop = await seedOffer(t.db, { sellerId: usSeller, priceMinor: 90_000, deliveryOptions: ["drone"] });
    await t.db.$client.query("update commerce.products set category_slug = 'laptops' where id = $1", [
      laptop.productId,
    ]);
    const heavy = await quoteDeliveryChoices(t.db, {
      items: [{ offerId: laptop.offerId, quantity: 1 }],
      areaId: "us-sf-sunset",
      currency: "USD",
    });
    expect(heavy).toHaveLength(1);
    expect(heavy[0] && "unavailable" in heavy[0] && heavy[0].unavailable.message).toMatch(/2\.60 kg.*2\.50 kg/);
  });

  it("lists only the options every product allows and converts fees into the cart currency", async () => {
    const both = await offerWeighing(500, ["standard", "green"]);
    const onlyStandard = await offerWeighing(500, ["standard", "drone"]);
    const items = [
      { offerId: both.offerId, quantity: 1 },
      { offerId: onlyStandard.offerId, quantity: 1 },
    ];
    const usd = await quoteDeliveryChoices(t.db, { items, areaId: "us-new-york", currency: "USD" });
    expect(usd.map((c) => c.option)).toEqual(["standard"]);
    const eur = await quoteDeliveryChoices(t.db, { items, areaId: "us-new-york", currency: "EUR" });
    const [usdPrice, eurPrice] = [usd[0], eur[0]].map((c) => (c && "price" in c ? c.price.feeMinor : -1n));
    expect(eurPrice).toBe(((usdPrice ?? 0n) * 9n + 5n) / 10n);
  });

  it("refuses an unknown area and an option a product does not ship by", async () => {
    const offer = await offerWeighing(500, ["standard"]);
    const items = [{ offerId: offer.offerId, quantity: 1 }];
    await expect(
      priceDelivery(t.db, { items, option: "standard", areaId: "atlantis", currency: "USD" }),
    ).rejects.toThrow(UnknownDeliveryAreaError);
    await expect(
      priceDelivery(t.db, { items, option: "green", areaId: "us-new-york", currency: "USD" }),
    ).rejects.toThrow(DeliveryOptionUnavailableError);
  });
});

describe("fiat orders include the delivery fee", () => {
  it("adds the green fee (offset included) to the total and records the delivery", async () => {
    const offer = await offerWeighing(1_200);
    const cartId = await cartWith([offer.offerId, 1]);
    const [quoted] = (
      await quoteDeliveryChoices(t.db, {
        items: [{ offerId: offer.offerId, quantity: 1 }],
        areaId: "us-los-angeles",
        currency: "USD",
      })
    ).filter((c) => c.option === "green");
    const { order, delivery } = await createFiatOrder(t.db, {
      cartId,
      currency: "USD",
      deliveryOption: "green",
      deliveryArea: "us-los-angeles",
      contact: address("US"),
    });
    if (!quoted || !("price" in quoted) || !delivery) throw new Error("green was not priced");
    expect(delivery.feeMinor).toBe(quoted.price.feeMinor);
    expect(order.subtotalMinor).toBe(4_000n);
    expect(order.totalMinor).toBe(4_000n + delivery.feeMinor);
    const { rows } = await t.db.$client.query(
      "select option, fee_minor, currency, carbon_grams, offset_minor, origin_label, destination_label from commerce.order_deliveries where order_id = $1",
      [order.id],
    );
    expect(rows).toEqual([
      {
        option: "green",
        fee_minor: String(delivery.feeMinor),
        currency: "USD",
        carbon_grams: delivery.carbonGrams,
        offset_minor: String(delivery.offsetMinor),
        origin_label: "San Francisco hub",
        destination_label: "Los Angeles",
      },
    ]);
    expect(delivery.carbonGrams).toBeGreaterThan(0);
  });

  it("prices one parcel per dispatch hub for a cart from two countries", async () => {
    const us = await offerWeighing(500);
    const de = await offerWeighing(500, ["standard", "green"], deSeller);
    const cartId = await cartWith([us.offerId, 1], [de.offerId, 1]);
    const { order, delivery } = await createFiatOrder(t.db, {
      cartId,
      currency: "USD",
      deliveryOption: "standard",
      deliveryArea: "us-new-york",
      contact: address("US"),
    });
    expect(delivery?.parcels).toBe(2);
    expect(delivery?.originLabel).toBe("San Francisco hub + Berlin hub");
    expect(order.totalMinor).toBe(8_000n + (delivery?.feeMinor ?? 0n));
  });

  it("refuses a delivery area in another country than the address, a tampered option or area, and writes nothing", async () => {
    const offer = await offerWeighing(500, ["standard"]);
    const cartId = await cartWith([offer.offerId, 1]);
    const before = [await count("orders"), await count("order_deliveries"), await stockOf(t.db, offer.offerId)];
    const base = { cartId, currency: "USD", contact: address("US") } as const;
    await expect(
      createFiatOrder(t.db, { ...base, deliveryOption: "standard", deliveryArea: "gb-london" }),
    ).rejects.toThrow(DeliveryAreaCountryMismatchError);
    await expect(
      createFiatOrder(t.db, { ...base, deliveryOption: "green", deliveryArea: "us-new-york" }),
    ).rejects.toThrow(DeliveryOptionUnavailableError);
    await expect(createFiatOrder(t.db, { ...base, deliveryOption: "standard", deliveryArea: "moon" })).rejects.toThrow(
      /not a delivery area we serve; choose your delivery area from the list/,
    );
    await expect(
      createFiatOrder(t.db, { ...base, deliveryOption: "teleport" as "standard", deliveryArea: "us-new-york" }),
    ).rejects.toThrow(InvalidInputError);
    expect([await count("orders"), await count("order_deliveries"), await stockOf(t.db, offer.offerId)]).toEqual(
      before,
    );
  });
});

describe("escrow checkouts include the delivery fee in the quote", () => {
  it("signs a quote whose amount is the goods plus the drone fee, and lists the delivery on the order", async () => {
    const offer = await offerWeighing(800);
    const cartId = await cartWith([offer.offerId, 1]);
    const userId = await seedUser(t.db, BUYER);
    const checkout = await createEscrowCheckout(
      t.db,
      { cartId, buyerAddress: BUYER, userId, currency: "USD", deliveryOption: "drone", deliveryArea: "us-sf-sunset" },
      escrowOptions,
    );
    const fee = checkout.delivery?.feeMinor ?? 0n;
    expect(fee).toBe(expectedFee("drone", 800, checkout.delivery?.routeKm ?? 0));
    expect(checkout.pricing.totalMinor).toBe(4_000n + fee);
    expect(checkout.order.totalMinor).toBe(4_000n + fee);
    // USD cents → wei at 2000 USD/ETH: 1 cent = 5e12 wei.
    expect(checkout.quote.order.amount).toBe((4_000n + fee) * 5_000_000_000_000n);
    expect(checkout.value).toBe(checkout.quote.order.amount);

    const [listed] = await listOrders(t.db, { userId, viewsSchema: "no_such_schema" });
    expect(listed?.delivery).toMatchObject({
      option: "drone",
      feeMinor: fee,
      droneRegion: "San Francisco",
      destinationLabel: "San Francisco, Sunset",
    });
  });

  it("refuses drone outside the geofence or over the weight limit with a clear message, and writes nothing", async () => {
    const light = await offerWeighing(800);
    const heavy = await offerWeighing(3_000);
    const userId = await seedUser(t.db);
    const before = [await count("orders"), await count("escrow_quotes"), await stockOf(t.db, light.offerId)];
    const outside = createEscrowCheckout(
      t.db,
      {
        cartId: await cartWith([light.offerId, 1]),
        buyerAddress: BUYER,
        userId,
        currency: "USD",
        deliveryOption: "drone",
        deliveryArea: "us-los-angeles",
      },
      escrowOptions,
    );
    await expect(outside).rejects.toThrow(DroneOutsideServiceAreaError);
    await expect(outside).rejects.toThrow(/only available inside San Francisco, Bengaluru, Berlin/);
    const overweight = createEscrowCheckout(
      t.db,
      {
        cartId: await cartWith([heavy.offerId, 1]),
        buyerAddress: BUYER,
        userId,
        currency: "USD",
        deliveryOption: "drone",
        deliveryArea: "us-sf-mission",
      },
      escrowOptions,
    );
    await expect(overweight).rejects.toThrow(DroneWeightLimitError);
    await expect(overweight).rejects.toThrow(/3\.00 kg and drones carry at most 2\.50 kg; choose standard or green/);
    expect([await count("orders"), await count("escrow_quotes"), await stockOf(t.db, light.offerId)]).toEqual(before);
  });
});
