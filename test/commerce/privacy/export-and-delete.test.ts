// A person's data export holds everything we store about them (decrypted) and says what is on
// chain; deleting the account erases personal data in one transaction and keeps orders,
// anonymised, for accounting.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSession, issueNonce, signIn } from "../../../lib/auth/index.ts";
import { decryptField, encryptField, parseKeyring } from "../../../lib/crypto/index.ts";
import {
  cartItems,
  carts,
  categories,
  offers,
  orderItems,
  orderStatusHistory,
  orders,
  payments,
  products,
  reviewTexts,
  sellers,
  sessions,
  userRoles,
  users,
  wallets,
} from "../../../lib/db/schema.ts";
import { deleteAccount, exportUserData, PrivacyError } from "../../../lib/privacy/index.ts";
import { shipments, trackingEvents } from "../../../lib/tracking/tables.ts";
import { newAccount, settings, signedMessage } from "../auth/support/sign-in-fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const keyring = parseKeyring(`k1:${randomBytes(32).toString("base64")}`);
const hex32 = () => `0x${randomBytes(32).toString("hex")}`;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("privacy_export_delete", 5545);
});
afterAll(async () => {
  await t?.stop();
});

/** A signed-in user with a profile, an order with items and payment, carts and a review. */
async function seedPerson() {
  const account = newAccount();
  const session = await signIn(t.db, await signedMessage(account, (await issueNonce(t.db)).nonce), settings());
  const userId = session.userId;
  await t.db
    .update(users)
    .set({
      displayName: "Alice Example",
      emailEnc: encryptField(keyring, "alice@example.com"),
      phoneEnc: encryptField(keyring, "+1 555 0100"),
    })
    .where(eq(users.id, userId));

  const slug = `c-${randomBytes(4).toString("hex")}`;
  await t.db.insert(categories).values({ slug, name: "Gadgets" });
  const [seller] = await t.db
    .insert(sellers)
    .values({ slug: `s-${slug}`, name: "Gadget Shop" })
    .returning({ id: sellers.id });
  const [product] = await t.db
    .insert(products)
    .values({
      sku: `sku-${slug}`,
      slug: `p-${slug}`,
      chainIdHash: hex32(),
      categorySlug: slug,
      brand: "Acme",
      title: "Pocket Drone",
      description: "Small.",
    })
    .returning({ id: products.id });
  const [offer] = await t.db
    .insert(offers)
    .values({
      productId: product?.id as string,
      sellerId: seller?.id as string,
      priceMinor: 4999n,
      currency: "USD",
      stock: 5,
    })
    .returning({ id: offers.id });
  const ids = { product: product?.id as string, seller: seller?.id as string, offer: offer?.id as string };

  const [order] = await t.db
    .insert(orders)
    .values({
      kind: "escrow",
      userId,
      chainOrderId: hex32(),
      currency: "USD",
      subtotalMinor: 9998n,
      totalMinor: 9998n,
      status: "paid",
      shippingAddressEnc: encryptField(keyring, "1 Main St, Springfield"),
      guestEmailEnc: encryptField(keyring, "alice+orders@example.com"),
    })
    .returning({ id: orders.id, chainOrderId: orders.chainOrderId });
  const orderId = order?.id as string;
  await t.db.insert(orderItems).values({
    orderId,
    offerId: ids.offer,
    productId: ids.product,
    sellerId: ids.seller,
    quantity: 2,
    unitPriceMinor: 4999n,
  });
  await t.db.insert(orderStatusHistory).values({ orderId, status: "paid", note: "escrow funded" });
  await t.db.insert(payments).values({
    orderId,
    provider: "wallet",
    providerPaymentId: hex32(),
    amountMinor: 9998n,
    currency: "USD",
    status: "succeeded",
  });

  // A parcel whose device reported two positions, the last one at Alice's door.
  const [shipment] = await t.db
    .insert(shipments)
    .values({
      orderId,
      carrier: "NeoCart Drone",
      deliveryOption: "drone",
      deviceTokenHash: "ab".repeat(32),
      status: "delivered",
      lastSeq: 2,
      lastLat: 51.5014,
      lastLon: -0.1419,
      deliveredAt: new Date(),
    })
    .returning({ id: shipments.id });
  const shipmentId = shipment?.id as string;
  await t.db.insert(trackingEvents).values([
    {
      shipmentId,
      seq: 1,
      deviceId: "drone-7",
      status: "in_transit",
      recordedAt: new Date(),
      lat: 51.5,
      lon: -0.12,
      carbonG: 10,
    },
    {
      shipmentId,
      seq: 2,
      deviceId: "drone-7",
      status: "delivered",
      recordedAt: new Date(),
      lat: 51.5014,
      lon: -0.1419,
      carbonG: 12,
    },
  ]);
  // What the recommender learns from: a view and an add to cart.
  await t.db.$client.query(
    `insert into commerce.interactions (user_id, product_id, offer_id, kind, quantity, occurred_at)
     values ($1, $2, $3, 'view', 1, now() - interval '1 minute'), ($1, $2, $3, 'cart', 1, now())`,
    [userId, ids.product, ids.offer],
  );

  const [cart] = await t.db
    .insert(carts)
    .values({ ownerUserId: userId, shareToken: randomBytes(12).toString("hex") })
    .returning({ id: carts.id });
  await t.db.insert(cartItems).values({ cartId: cart?.id as string, offerId: ids.offer, quantity: 1, addedBy: userId });

  // Someone else's collaborative cart that Alice added to.
  const [friend] = await t.db.insert(users).values({ displayName: "Bob" }).returning({ id: users.id });
  const [shared] = await t.db
    .insert(carts)
    .values({ ownerUserId: friend?.id, shareToken: randomBytes(12).toString("hex"), collaborative: true })
    .returning({ id: carts.id });
  await t.db
    .insert(cartItems)
    .values({ cartId: shared?.id as string, offerId: ids.offer, quantity: 3, addedBy: userId });

  // Alice referred Bob, was rewarded on chain, and runs a creator storefront she also clicked through.
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const code = Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join("");
  const wallet = account.address.toLowerCase();
  await t.db.$client.query("insert into commerce.referral_codes (user_id, code) values ($1, $2)", [userId, code]);
  await t.db.$client.query(
    "insert into commerce.referrals (referee_user_id, referrer_user_id, code) values ($1, $2, $3)",
    [friend?.id, userId, code],
  );
  await t.db.$client.query(
    `insert into commerce.reward_awards (award_key, kind, recipient, user_id, points, reason, status, tx_hash)
     values ($1, 'review_points', $2, $3, 50000000000000000000, 'verified review', 'confirmed', $4)`,
    [`review:${hex32()}`, wallet, userId, hex32()],
  );
  const handle = `alice-${randomBytes(3).toString("hex")}`;
  const { rows: creator } = await t.db.$client.query<{ id: string }>(
    `insert into commerce.creator_profiles (user_id, handle, display_name, bio, payout_address)
     values ($1, $2, 'Alice Picks', 'Gadgets I fly every weekend.', $3) returning id`,
    [userId, handle, wallet],
  );
  await t.db.$client.query(
    "insert into commerce.creator_picks (creator_id, product_id, note, position) values ($1, $2, 'Best first drone.', 0)",
    [creator[0]?.id, ids.product],
  );
  await t.db.$client.query(
    "insert into commerce.creator_referrals (visitor_id, user_id, creator_id, product_id) values ($1, $2, $3, $4)",
    [randomBytes(16).toString("base64url"), userId, creator[0]?.id, ids.product],
  );

  // A line in a live event's chat.
  const { rows: live } = await t.db.$client.query<{ id: string }>(
    `insert into commerce.live_events (slug, seller_id, title, source_url)
     values ($1, $2, 'Drone night', '/videos/drone.mp4') returning id`,
    [`drone-night-${randomBytes(3).toString("hex")}`, ids.seller],
  );
  await t.db.$client.query(
    `insert into commerce.live_chat_messages (event_id, user_id, client_message_id, body)
     values ($1, $2, gen_random_uuid(), 'Does it fold?')`,
    [live[0]?.id, userId],
  );

  const contentHash = hex32();
  await t.db.insert(reviewTexts).values({
    contentHash,
    chainOrderId: order?.chainOrderId as string,
    productId: ids.product,
    authorUserId: userId,
    body: "Flies well.",
  });
  return {
    account,
    session,
    userId,
    orderId,
    handle,
    code,
    creatorId: creator[0]?.id as string,
    shipmentId,
    productId: ids.product,
    cartId: cart?.id as string,
    sharedCartId: shared?.id as string,
    contentHash,
  };
}

describe("exportUserData", () => {
  it("returns the decrypted profile, wallets, roles, orders with items, carts, reviews, sessions and the on-chain statement", async () => {
    const p = await seedPerson();
    const data = await exportUserData(t.db, p.userId, keyring);

    expect(data.profile).toMatchObject({
      id: p.userId,
      displayName: "Alice Example",
      email: "alice@example.com",
      phone: "+1 555 0100",
      deletedAt: null,
    });
    expect(data.wallets).toEqual([{ address: p.account.address.toLowerCase(), linkedAt: expect.any(String) }]);
    expect(data.roles).toEqual(["shopper"]);
    expect(data.orders).toHaveLength(1);
    expect(data.orders[0]).toMatchObject({
      id: p.orderId,
      kind: "escrow",
      totalMinor: "9998",
      shippingAddress: "1 Main St, Springfield",
      guestEmail: "alice+orders@example.com",
      items: [{ productTitle: "Pocket Drone", quantity: 2, unitPriceMinor: "4999" }],
      statusHistory: [{ status: "paid", note: "escrow funded" }],
      payments: [{ provider: "wallet", amountMinor: "9998", status: "succeeded" }],
      shipments: [
        {
          id: p.shipmentId,
          carrier: "NeoCart Drone",
          status: "delivered",
          events: [
            expect.objectContaining({ seq: 1, lat: 51.5, lon: -0.12 }),
            expect.objectContaining({ seq: 2, status: "delivered", lat: 51.5014, lon: -0.1419 }),
          ],
        },
      ],
    });
    expect(data.referrals).toEqual({
      code: p.code,
      referredAt: null,
      referred: [{ at: expect.any(String), rewarded: false }],
    });
    expect(data.rewards).toEqual([
      expect.objectContaining({ kind: "review_points", points: "50000000000000000000", status: "confirmed" }),
    ]);
    expect(data.creatorProfile).toMatchObject({
      handle: p.handle,
      displayName: "Alice Picks",
      bio: "Gadgets I fly every weekend.",
      picks: [{ productTitle: "Pocket Drone", note: "Best first drone.", position: 0 }],
    });
    expect(data.liveChat).toEqual([expect.objectContaining({ eventTitle: "Drone night", body: "Does it fold?" })]);
    expect(data.creatorClicks).toEqual([
      expect.objectContaining({ creatorHandle: p.handle, productTitle: "Pocket Drone" }),
    ]);
    expect(data.activity).toEqual([
      expect.objectContaining({ kind: "view", productId: p.productId, productTitle: "Pocket Drone" }),
      expect.objectContaining({ kind: "cart", productId: p.productId, quantity: 1 }),
    ]);
    expect(data.carts).toEqual([
      expect.objectContaining({ id: p.cartId, items: [expect.objectContaining({ quantity: 1 })] }),
    ]);
    expect(data.reviewTexts).toEqual([expect.objectContaining({ contentHash: p.contentHash, body: "Flies well." })]);
    expect(data.sessions).toHaveLength(1);
    expect(data.sessions[0]).not.toHaveProperty("tokenHash");
    expect(data.onChain.summary).toContain(p.account.address.toLowerCase());
    expect(data.onChain.records.map((r) => r.what)).toEqual(
      expect.arrayContaining(["Escrow orders", "Review hashes", "Loyalty points", "Badges"]),
    );
    // Plain JSON: survives a round trip unchanged (no bigint, no Date objects).
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    // Never a ciphertext in the export.
    expect(JSON.stringify(data)).not.toMatch(/v1:k1:/);
  });

  it("refuses a malformed id (400) and an unknown user (404) with a message", async () => {
    await expect(exportUserData(t.db, "42", keyring)).rejects.toMatchObject({ status: 400 });
    const error = await exportUserData(t.db, "00000000-0000-4000-8000-000000000000", keyring).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrivacyError);
    expect((error as PrivacyError).message).toMatch(/No user has id/);
  });
});

describe("deleteAccount", () => {
  it("erases personal data, unlinks wallets, ends sessions, deletes carts, detaches reviews, anonymises orders", async () => {
    const p = await seedPerson();
    const summary = await deleteAccount(t.db, p.userId);
    expect(summary).toMatchObject({
      userId: p.userId,
      walletsUnlinked: [p.account.address.toLowerCase()],
      rolesRemoved: ["shopper"],
      sessionsRevoked: 1,
      cartsDeleted: 1,
      cartItemsDetached: 1,
      reviewTextsDetached: 1,
      ordersAnonymised: 1,
      trackingPositionsErased: 2,
      activityEventsDeleted: 2,
      referralsRemoved: 1,
      rewardsDetached: 1,
      creatorProfileAnonymised: true,
      creatorPicksDeleted: 1,
      creatorClicksDeleted: 1,
      liveChatMessagesDeleted: 1,
    });
    expect(summary.onChain.summary).toMatch(/cannot|Nobody/);

    const [user] = await t.db.select().from(users).where(eq(users.id, p.userId));
    expect(user).toMatchObject({ displayName: null, emailEnc: null, phoneEnc: null });
    expect(user?.deletedAt).toBeInstanceOf(Date);
    expect(await t.db.select().from(wallets).where(eq(wallets.userId, p.userId))).toEqual([]);
    expect(await t.db.select().from(userRoles).where(eq(userRoles.userId, p.userId))).toEqual([]);
    expect(await getSession(t.db, p.session.token)).toBeNull();
    const sessionRows = await t.db.select().from(sessions).where(eq(sessions.userId, p.userId));
    expect(sessionRows.every((s) => s.revokedAt !== null)).toBe(true);
    expect(await t.db.select().from(carts).where(eq(carts.id, p.cartId))).toEqual([]);
    const [sharedItem] = await t.db.select().from(cartItems).where(eq(cartItems.cartId, p.sharedCartId));
    expect(sharedItem).toMatchObject({ quantity: 3, addedBy: null });
    const [review] = await t.db.select().from(reviewTexts).where(eq(reviewTexts.contentHash, p.contentHash));
    expect(review).toMatchObject({ authorUserId: null, body: "Flies well." });

    const [order] = await t.db.select().from(orders).where(eq(orders.id, p.orderId));
    expect(order).toMatchObject({ userId: null, guestEmailEnc: null, shippingAddressEnc: null, totalMinor: 9998n });
    expect(await t.db.select().from(orderItems).where(eq(orderItems.orderId, p.orderId))).toHaveLength(1);
    expect(await t.db.select().from(payments).where(eq(payments.orderId, p.orderId))).toHaveLength(1);
    // The parcel stays (status, delivery time), its positions do not.
    const [parcel] = await t.db.select().from(shipments).where(eq(shipments.id, p.shipmentId));
    expect(parcel).toMatchObject({ status: "delivered", lastLat: null, lastLon: null });
    expect(parcel?.deliveredAt).toBeInstanceOf(Date);
    expect(await t.db.select().from(trackingEvents).where(eq(trackingEvents.shipmentId, p.shipmentId))).toEqual([]);
    const activity = await t.db.$client.query("select 1 from commerce.interactions where user_id = $1", [p.userId]);
    expect(activity.rowCount).toBe(0);

    // The storefront stays for the commissions signed into orders, without her name or picks.
    const { rows: profiles } = await t.db.$client.query(
      "select handle, display_name, bio from commerce.creator_profiles where id = $1",
      [p.creatorId],
    );
    expect(profiles[0]).toMatchObject({ display_name: "Deleted creator", bio: "" });
    expect(profiles[0]?.handle).toMatch(/^deleted-[0-9a-f]{12}$/);
    const { rowCount: codes } = await t.db.$client.query("select 1 from commerce.referral_codes where code = $1", [
      p.code,
    ]);
    expect(codes).toBe(0);

    // What is left to export is an empty tombstone.
    const after = await exportUserData(t.db, p.userId, keyring);
    expect(after.profile).toMatchObject({ email: null, phone: null, displayName: null });
    expect(after.wallets).toEqual([]);
    expect(after.orders).toEqual([]);
    expect(after.reviewTexts).toEqual([]);
    expect(after.rewards).toEqual([]);
    expect(after.liveChat).toEqual([]);
    expect(after.creatorProfile).toMatchObject({ displayName: "Deleted creator", bio: "", picks: [] });
    expect(after.referrals).toEqual({ code: null, referredAt: null, referred: [] });
  });

  it("the same wallet signing in again gets a new, empty account", async () => {
    const p = await seedPerson();
    await deleteAccount(t.db, p.userId);
    const again = await signIn(t.db, await signedMessage(p.account, (await issueNonce(t.db)).nonce), settings());
    expect(again.isNewUser).toBe(true);
    expect(again.userId).not.toBe(p.userId);
  });

  it("is all or nothing: a failure part-way leaves every row as it was", async () => {
    const p = await seedPerson();
    // Make the final users update fail (a check that rejects setting deleted_at), after every
    // other statement of the deletion has run inside the transaction.
    await t.db.$client.query(
      `alter table commerce.users add constraint test_block_delete check (deleted_at is null or display_name is not null) not valid`,
    );
    try {
      await expect(deleteAccount(t.db, p.userId)).rejects.toThrow(/test_block_delete/);
    } finally {
      await t.db.$client.query("alter table commerce.users drop constraint test_block_delete");
    }
    const data = await exportUserData(t.db, p.userId, keyring);
    expect(data.profile.email).toBe("alice@example.com");
    expect(data.wallets).toHaveLength(1);
    expect(data.orders[0]?.shippingAddress).toBe("1 Main St, Springfield");
    expect(data.carts).toHaveLength(1);
    expect(data.reviewTexts).toHaveLength(1);
    expect(data.orders[0]?.shipments[0]?.events).toHaveLength(2);
    expect(data.activity).toHaveLength(2);
    expect(await getSession(t.db, p.session.token)).not.toBeNull();
    expect(
      decryptField(keyring, (await t.db.select().from(users).where(eq(users.id, p.userId)))[0]?.emailEnc as string),
    ).toBe("alice@example.com");
  });

  it("refuses to delete the only admin, and changes nothing", async () => {
    await t.db.delete(userRoles).where(eq(userRoles.role, "admin"));
    const p = await seedPerson();
    await t.db.insert(userRoles).values({ userId: p.userId, role: "admin" });
    const error = await deleteAccount(t.db, p.userId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrivacyError);
    expect((error as PrivacyError).status).toBe(409);
    expect((error as PrivacyError).message).toMatch(/only admin; grant admin to someone else/);
    expect((await exportUserData(t.db, p.userId, keyring)).profile.email).toBe("alice@example.com");
    await t.db.delete(userRoles).where(eq(userRoles.userId, p.userId));
  });

  it("refuses an unknown or malformed id", async () => {
    await expect(deleteAccount(t.db, "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/No user has id/);
    await expect(deleteAccount(t.db, "drop table users")).rejects.toMatchObject({ status: 400 });
  });
});
