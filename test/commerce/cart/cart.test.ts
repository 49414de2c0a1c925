// Carts: unguessable share tokens, validated edits (unknown offer, quantity 1..999), the
// shareable-link read, and collaborative editing only on collaborative carts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCartItem,
  CartAccessDeniedError,
  CartItemNotFoundError,
  CartNotCollaborativeError,
  createCart,
  QuantityLimitError,
  readCart,
  readSharedCart,
  removeCartItem,
  SharedCartNotFoundError,
  UnknownOfferError,
  updateCartItem,
} from "../../../lib/cart/index.ts";
import { CartNotFoundError, InvalidInputError, OfferUnavailableError } from "../../../lib/pricing/index.ts";
import { seedOffer, seedSeller, seedUser } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
let offerA: string;
let offerB: string;
let owner: string;
let friend: string;

beforeAll(async () => {
  t = await createTestDatabase("cart", 5553);
  const seller = await seedSeller(t.db);
  offerA = (await seedOffer(t.db, { sellerId: seller, priceMinor: 500 })).offerId;
  offerB = (await seedOffer(t.db, { sellerId: seller, priceMinor: 700 })).offerId;
  owner = await seedUser(t.db);
  friend = await seedUser(t.db);
});
afterAll(async () => {
  await t?.stop();
});

describe("cart", () => {
  it("share tokens are 256-bit random base64url strings, distinct per cart", async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add((await createCart(t.db)).shareToken);
    expect(tokens.size).toBe(20);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("adds, merges, updates and removes lines", async () => {
    const cart = await createCart(t.db, { ownerUserId: owner });
    const access = { via: "owner", cartId: cart.id, userId: owner } as const;
    await addCartItem(t.db, access, { offerId: offerA, quantity: 2 });
    expect(await addCartItem(t.db, access, { offerId: offerA, quantity: 3 })).toMatchObject({ quantity: 5 });
    await addCartItem(t.db, access, { offerId: offerB, quantity: 1 });
    await updateCartItem(t.db, access, { offerId: offerB, quantity: 7 });
    let read = await readCart(t.db, access);
    expect(read.items.map((i) => [i.offerId, i.quantity])).toEqual([
      [offerA, 5],
      [offerB, 7],
    ]);
    await removeCartItem(t.db, access, { offerId: offerA });
    read = await readCart(t.db, access);
    expect(read.items.map((i) => i.offerId)).toEqual([offerB]);
    await expect(removeCartItem(t.db, access, { offerId: offerA })).rejects.toThrow(CartItemNotFoundError);
    await expect(updateCartItem(t.db, access, { offerId: offerA, quantity: 1 })).rejects.toThrow(CartItemNotFoundError);
  });

  it("validates quantities (1..999, whole) and offers (known, active)", async () => {
    const cart = await createCart(t.db);
    const access = { via: "owner", cartId: cart.id } as const;
    for (const quantity of [0, -1, 1000, 1.5]) {
      await expect(addCartItem(t.db, access, { offerId: offerA, quantity })).rejects.toThrow(InvalidInputError);
    }
    await addCartItem(t.db, access, { offerId: offerA, quantity: 998 });
    await expect(addCartItem(t.db, access, { offerId: offerA, quantity: 2 })).rejects.toThrow(QuantityLimitError);
    await expect(addCartItem(t.db, access, { offerId: offerA, quantity: 2 })).rejects.toThrow(/1000/);
    await expect(
      addCartItem(t.db, access, { offerId: "00000000-0000-4000-8000-000000000001", quantity: 1 }),
    ).rejects.toThrow(UnknownOfferError);
    await expect(addCartItem(t.db, access, { offerId: "nope", quantity: 1 })).rejects.toThrow(InvalidInputError);
    const seller = await seedSeller(t.db);
    const inactive = await seedOffer(t.db, { sellerId: seller, priceMinor: 100, active: false });
    await expect(addCartItem(t.db, access, { offerId: inactive.offerId, quantity: 1 })).rejects.toThrow(
      OfferUnavailableError,
    );
    await expect(addCartItem(t.db, access, { offerId: offerA, quantity: 1, priceMinor: 1 } as never)).rejects.toThrow(
      InvalidInputError,
    );
  });

  it("anyone with the link reads the cart; a bad or unknown token is refused", async () => {
    const cart = await createCart(t.db, { ownerUserId: owner });
    await addCartItem(t.db, { via: "owner", cartId: cart.id, userId: owner }, { offerId: offerA, quantity: 1 });
    const shared = await readSharedCart(t.db, cart.shareToken);
    expect(shared.id).toBe(cart.id);
    expect(shared.items).toHaveLength(1);
    await expect(readSharedCart(t.db, "x".repeat(43))).rejects.toThrow(SharedCartNotFoundError);
    await expect(readSharedCart(t.db, "short")).rejects.toThrow(InvalidInputError);
  });

  it("a non-collaborative shared cart is read-only through its link", async () => {
    const cart = await createCart(t.db, { ownerUserId: owner, collaborative: false });
    const link = { via: "link", shareToken: cart.shareToken, userId: friend } as const;
    await expect(addCartItem(t.db, link, { offerId: offerA, quantity: 1 })).rejects.toThrow(CartNotCollaborativeError);
    expect((await readCart(t.db, { via: "owner", cartId: cart.id, userId: owner })).items).toEqual([]);
  });

  it("a collaborative cart takes edits through its link and records who added", async () => {
    const cart = await createCart(t.db, { ownerUserId: owner, collaborative: true });
    const link = { via: "link", shareToken: cart.shareToken, userId: friend } as const;
    await addCartItem(t.db, link, { offerId: offerB, quantity: 2 });
    await updateCartItem(t.db, link, { offerId: offerB, quantity: 4 });
    const read = await readCart(t.db, { via: "owner", cartId: cart.id, userId: owner });
    expect(read.items).toMatchObject([{ offerId: offerB, quantity: 4, addedBy: friend }]);
  });

  it("someone else's cart cannot be reached by id", async () => {
    const cart = await createCart(t.db, { ownerUserId: owner });
    await expect(
      addCartItem(t.db, { via: "owner", cartId: cart.id, userId: friend }, { offerId: offerA, quantity: 1 }),
    ).rejects.toThrow(CartAccessDeniedError);
    await expect(readCart(t.db, { via: "owner", cartId: cart.id })).rejects.toThrow(CartAccessDeniedError);
    await expect(readCart(t.db, { via: "owner", cartId: "00000000-0000-4000-8000-000000000002" })).rejects.toThrow(
      CartNotFoundError,
    );
  });
});
