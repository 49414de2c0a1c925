// createFiatOrder stores the guest's email and the shipping address, encrypted, in the same
// transaction as the order: a failure after the order row is inserted leaves neither the order
// nor its contact (nor taken stock), and a bad address is refused before anything is written.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import { decryptField, parseKeyring } from "../../../lib/crypto/index.ts";
import { createFiatOrder } from "../../../lib/orders/index.ts";
import { InvalidInputError } from "../../../lib/pricing/index.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { seedOffer, seedSeller, stockOf } from "./support/seed-catalog.ts";

const keyring = parseKeyring(`k1:${randomBytes(32).toString("base64")}`);
const ADDRESS = {
  name: "Grace Guest",
  line1: "500 Market St",
  city: "San Francisco",
  postalCode: "94105",
  country: "us",
};

let t: TestDatabase;
let sellerId: string;
beforeAll(async () => {
  t = await createTestDatabase("orders_fiat_contact", 5602);
  sellerId = await seedSeller(t.db);
});
afterAll(async () => {
  await t?.stop();
});

async function cartWith(offerId: string, quantity: number) {
  const cart = await createCart(t.db);
  await addCartItem(t.db, { via: "owner", cartId: cart.id }, { offerId, quantity });
  return cart.id;
}

async function counts(cartId: string) {
  const q = async (sql: string, params: unknown[] = []) =>
    Number((await t.db.$client.query<{ n: string }>(sql, params)).rows[0]?.n);
  return {
    orders: await q("select count(*) as n from commerce.orders"),
    withContact: await q("select count(*) as n from commerce.orders where shipping_address_enc is not null"),
    history: await q("select count(*) as n from commerce.order_status_history"),
    cartLines: await q("select count(*) as n from commerce.cart_items where cart_id = $1", [cartId]),
  };
}

describe("fiat order contact", () => {
  it("is stored encrypted in the order's own row and decrypts to what the guest gave", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1200, stock: 5 });
    const { order } = await createFiatOrder(
      t.db,
      {
        cartId: await cartWith(offer.offerId, 1),
        currency: "USD",
        contact: { guestEmail: "grace@example.com", shippingAddress: ADDRESS },
      },
      { keyring },
    );
    const { rows } = await t.db.$client.query(
      "select guest_email_enc, shipping_address_enc from commerce.orders where id = $1",
      [order.id],
    );
    const row = rows[0];
    // Ciphertext at rest, not the plain values.
    expect(row.guest_email_enc).not.toContain("grace");
    expect(row.shipping_address_enc).not.toContain("Market");
    expect(decryptField(keyring, row.guest_email_enc)).toBe("grace@example.com");
    expect(JSON.parse(decryptField(keyring, row.shipping_address_enc))).toEqual({ ...ADDRESS, country: "US" });
  });

  it("a signed-in buyer's order has the address and no guest email", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 800, stock: 5 });
    const { order } = await createFiatOrder(
      t.db,
      { cartId: await cartWith(offer.offerId, 1), currency: "USD", contact: { shippingAddress: ADDRESS } },
      { keyring },
    );
    expect(order.guestEmailEnc).toBeNull();
    expect(order.shippingAddressEnc).not.toBeNull();
  });

  it("a failure after the order insert leaves neither order nor contact, and the stock untouched", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 1500, stock: 3 });
    const cartId = await cartWith(offer.offerId, 2);
    const before = await counts(cartId);
    // A real failure inside the transaction, after commerce.orders got its row: the order's lines
    // cannot be written.
    await t.db.$client.query(`
      create function commerce.test_refuse_order_items() returns trigger language plpgsql as $$
      begin raise exception 'order_items are refused by the test'; end $$;
      create trigger test_refuse_order_items before insert on commerce.order_items
      for each row execute function commerce.test_refuse_order_items();`);
    try {
      await expect(
        createFiatOrder(
          t.db,
          { cartId, currency: "USD", contact: { guestEmail: "late@example.com", shippingAddress: ADDRESS } },
          { keyring },
        ),
      ).rejects.toThrow(/order_items are refused by the test/);
    } finally {
      await t.db.$client.query(`
        drop trigger test_refuse_order_items on commerce.order_items;
        drop function commerce.test_refuse_order_items();`);
    }
    expect(await counts(cartId)).toEqual(before);
    expect(await stockOf(t.db, offer.offerId)).toBe(3);
    // The same cart checks out once the failure is gone: nothing half-written is in the way.
    const { order } = await createFiatOrder(
      t.db,
      { cartId, currency: "USD", contact: { guestEmail: "late@example.com", shippingAddress: ADDRESS } },
      { keyring },
    );
    expect(decryptField(keyring, order.guestEmailEnc as string)).toBe("late@example.com");
    expect(await stockOf(t.db, offer.offerId)).toBe(1);
  });

  it("a bad address or email is refused with the field to fix, before anything is written", async () => {
    const offer = await seedOffer(t.db, { sellerId, priceMinor: 900, stock: 2 });
    const cartId = await cartWith(offer.offerId, 1);
    const before = await counts(cartId);
    await expect(
      createFiatOrder(
        t.db,
        { cartId, currency: "USD", contact: { shippingAddress: { ...ADDRESS, country: "USA" } } },
        { keyring },
      ),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      createFiatOrder(
        t.db,
        { cartId, currency: "USD", contact: { guestEmail: "not-an-email", shippingAddress: ADDRESS } },
        { keyring },
      ),
    ).rejects.toThrow(/guestEmail/);
    await expect(createFiatOrder(t.db, { cartId, currency: "USD" } as never, { keyring })).rejects.toThrow(/contact/);
    expect(await counts(cartId)).toEqual(before);
    expect(await stockOf(t.db, offer.offerId)).toBe(2);
  });
});
