// Creator storefronts on a real PostgreSQL: profiles and curation are scoped to their owner; a
// click from a storefront attributes the product's next wallet checkout to the creator for 30
// days (last click wins), and the signed escrow quote then names the creator's wallet as the
// affiliate with the commission the server's terms give (platform default or the seller's own).
// The buyer crediting themselves and a seller crediting itself are refused.
import { getAddress, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import {
  type AttributedCheckoutInput,
  addCreatorPick,
  createAttributedEscrowCheckout,
  DEFAULT_CREATOR_COMMISSION_BPS,
  expectedAffiliateShare,
  findCreatorByHandle,
  HandleTakenError,
  listCreatorPicks,
  moveCreatorPick,
  newVisitorId,
  PickNotFoundError,
  PickProductNotFoundError,
  readCreatorEarnings,
  readSellerCommission,
  recordCreatorReferral,
  removeCreatorPick,
  resolveCheckoutAffiliate,
  saveCreatorProfile,
  setCreatorPickNote,
  setSellerCommission,
} from "../../../lib/influencers/index.ts";
import { InvalidInputError } from "../../../lib/pricing/index.ts";
import { loadQuoteSigners, recoverQuoteSigner, resolveChainConfig } from "../../../lib/quotes/index.ts";
import { seedFxRates, seedOffer, seedSeller, seedUser } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const CHAIN = {
  chainId: 31337,
  escrow: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  reviews: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  stablecoin: "0x0B306BF915C4d645ff596e518fAf3F9669b97016",
} as const;
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const DAY = 86_400_000;
const options = { chain: CHAIN, signers: loadQuoteSigners({}), now: () => NOW };

const SELLER_PAYOUT = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
const BUYER = getAddress("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65");
const CREATOR = getAddress("0x14dc79964da2c08b23698b3d3cc7ca32193d9955");
const CREATOR_SECOND_WALLET = getAddress("0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f");
const OTHER_CREATOR = getAddress("0xa0ee7a142d267c1f36714e4a8f75612f20a79720");

let t: TestDatabase;
let sellerId: string;
let buyerUserId: string;
let creatorUserId: string;
let otherCreatorUserId: string;

async function cartWith(offerId: string, ownerUserId?: string) {
  const cart = await createCart(t.db, ownerUserId ? { ownerUserId } : {});
  await addCartItem(t.db, { via: "owner", cartId: cart.id, userId: ownerUserId }, { offerId, quantity: 1 });
  return cart.id;
}

async function slugOf(productId: string) {
  const { rows } = await t.db.$client.query<{ slug: string }>("select slug from commerce.products where id = $1", [
    productId,
  ]);
  return rows[0]?.slug as string;
}

/** A creator (profile + one curated product) and a product to buy. */
async function storefrontWith(handle: string, owner: { userId: string; address: string }, sellerOf = sellerId) {
  await saveCreatorProfile(t.db, owner, { handle, displayName: `Creator ${handle}`, bio: "I test things." });
  const offer = await seedOffer(t.db, { sellerId: sellerOf, priceMinor: 3500, stock: 100 });
  const slug = await slugOf(offer.productId);
  const creator = await findCreatorByHandle(t.db, handle);
  if (!creator) throw new Error("creator not saved");
  await addCreatorPick(t.db, creator.id, { product: slug, note: "My favourite." });
  return { offer, slug, creator };
}

beforeAll(async () => {
  t = await createTestDatabase("influencers", 5621);
  await seedFxRates(t.db, [["ETH", "USD", "3500"]]);
  sellerId = await seedSeller(t.db, SELLER_PAYOUT);
  buyerUserId = await seedUser(t.db, BUYER);
  creatorUserId = await seedUser(t.db, CREATOR);
  await t.db.$client.query("insert into commerce.wallets (address, user_id) values ($1, $2)", [
    CREATOR_SECOND_WALLET.toLowerCase(),
    creatorUserId,
  ]);
  otherCreatorUserId = await seedUser(t.db, OTHER_CREATOR);
});
afterAll(async () => {
  await t?.stop();
});

describe("creator profiles and curation", () => {
  it("creates a profile paid to the signed-in wallet, updates it, and refuses a taken or malformed handle", async () => {
    const owner = { userId: await seedUser(t.db), address: "0x90f79bf6eb2c4f870365e785982e1f101e93b906" };
    const created = await saveCreatorProfile(t.db, owner, { handle: " Ana_Picks ", displayName: "Ana", bio: "" });
    expect(created.handle).toBe("ana_picks");
    expect(created.payoutAddress).toBe(getAddress(owner.address));
    const updated = await saveCreatorProfile(
      t.db,
      { ...owner, address: OTHER_CREATOR },
      { handle: "ana-picks", displayName: "Ana P.", bio: "Kitchen gear." },
    );
    expect(updated.id).toBe(created.id);
    expect(updated.handle).toBe("ana-picks");
    // The payout wallet is the one proven at creation; a later save does not move the money.
    expect(updated.payoutAddress).toBe(getAddress(owner.address));

    const rival = { userId: await seedUser(t.db), address: "0x976ea74026e726554db657fa54763abd0c3a0aa9" };
    await expect(saveCreatorProfile(t.db, rival, { handle: "ana-picks", displayName: "Imposter" })).rejects.toThrow(
      HandleTakenError,
    );
    for (const handle of ["ab", "-ana", "ana picks", "a".repeat(31), "ana/../x"]) {
      await expect(saveCreatorProfile(t.db, rival, { handle, displayName: "X" })).rejects.toThrow(InvalidInputError);
    }
    await expect(
      saveCreatorProfile(t.db, rival, { handle: "rival", displayName: "X", payoutAddress: BUYER }),
    ).rejects.toThrow(/Unrecognized key/);
    expect(await findCreatorByHandle(t.db, "rival")).toBeNull();
  });

  it("adds, annotates, reorders and removes picks, each creator only their own", async () => {
    const owner = { userId: await seedUser(t.db), address: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc" };
    const me = await saveCreatorProfile(t.db, owner, { handle: "curator", displayName: "Curator" });
    const slugs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const offer = await seedOffer(t.db, { sellerId, priceMinor: 1000 + i });
      slugs.push(await slugOf(offer.productId));
    }
    await addCreatorPick(t.db, me.id, { product: slugs[0], note: "first" });
    await addCreatorPick(t.db, me.id, { product: `https://shop.example/product/${slugs[1]}?ref=x`, note: "second" });
    await addCreatorPick(t.db, me.id, { product: slugs[2] });
    // Adding again keeps the place and changes only the note.
    await addCreatorPick(t.db, me.id, { product: slugs[0], note: "first, again" });
    let picks = await listCreatorPicks(t.db, me.id);
    expect(picks.map((p) => [p.slug, p.note])).toEqual([
      [slugs[0], "first, again"],
      [slugs[1], "second"],
      [slugs[2], ""],
    ]);

    await moveCreatorPick(t.db, me.id, { productId: picks[2]?.productId, direction: "up" });
    await moveCreatorPick(t.db, me.id, { productId: picks[0]?.productId, direction: "up" }); // already first
    await setCreatorPickNote(t.db, me.id, { productId: picks[2]?.productId, note: "moved up" });
    picks = await listCreatorPicks(t.db, me.id);
    expect(picks.map((p) => [p.slug, p.note])).toEqual([
      [slugs[0], "first, again"],
      [slugs[2], "moved up"],
      [slugs[1], "second"],
    ]);

    const other = await saveCreatorProfile(
      t.db,
      { userId: await seedUser(t.db), address: "0x71be63f3384f5fb98995898a86b02fb2426c5788" },
      { handle: "someone-else", displayName: "Else" },
    );
    const target = { productId: picks[0]?.productId };
    await expect(removeCreatorPick(t.db, other.id, target)).rejects.toThrow(PickNotFoundError);
    await expect(moveCreatorPick(t.db, other.id, { ...target, direction: "down" })).rejects.toThrow(PickNotFoundError);
    await expect(setCreatorPickNote(t.db, other.id, { ...target, note: "mine now" })).rejects.toThrow(
      PickNotFoundError,
    );
    await expect(addCreatorPick(t.db, me.id, { product: "no-such-product" })).rejects.toThrow(PickProductNotFoundError);
    await expect(addCreatorPick(t.db, me.id, { product: slugs[0], note: "x".repeat(281) })).rejects.toThrow(
      InvalidInputError,
    );

    await removeCreatorPick(t.db, me.id, target);
    expect((await listCreatorPicks(t.db, me.id)).map((p) => p.slug)).toEqual([slugs[2], slugs[1]]);
  });
  it("a deleted account's storefront goes dark and earns nothing more", async () => {
    const owner = { userId: await seedUser(t.db), address: "0x1cbd3b2770909d4e10f157cabc84c7264073c9ec" };
    const { offer, slug } = await storefrontWith("gone-soon", owner);
    const visitorId = newVisitorId();
    await recordCreatorReferral(t.db, { handle: "gone-soon", productSlug: slug, visitorId, at: new Date(NOW - 1000) });
    await t.db.$client.query("update commerce.users set deleted_at = now() where id = $1", [owner.userId]);
    expect(await findCreatorByHandle(t.db, "gone-soon")).toBeNull();
    expect(await recordCreatorReferral(t.db, { handle: "gone-soon", productSlug: slug, visitorId })).toEqual({
      recorded: false,
      reason: "unknown_creator",
    });
    const attribution = await resolveCheckoutAffiliate(t.db, {
      cartId: await cartWith(offer.offerId, buyerUserId),
      buyerAddress: BUYER,
      visitorId,
      now: new Date(NOW),
    });
    expect(attribution).toEqual({ status: "none", reason: "no_referral" });
  });
});

describe("commission terms", () => {
  it("default to the platform's 5 % and take a seller's own figure within 0–30 %", async () => {
    const seller = await seedSeller(t.db, "0x2546bcd3c84621e976d8185a91a922ae77ecec30");
    expect(await readSellerCommission(t.db, seller)).toEqual({
      bps: DEFAULT_CREATOR_COMMISSION_BPS,
      source: "platform",
    });
    expect(DEFAULT_CREATOR_COMMISSION_BPS).toBe(500);
    expect(await setSellerCommission(t.db, seller, { percent: "12.5" })).toBe(1250);
    expect(await setSellerCommission(t.db, seller, { percent: "12.5" })).toBe(1250);
    expect(await readSellerCommission(t.db, seller)).toEqual({ bps: 1250, source: "seller" });
    for (const percent of ["30.01", "-1", "2.555", "five"]) {
      await expect(setSellerCommission(t.db, seller, { percent })).rejects.toThrow(InvalidInputError);
    }
    expect(await readSellerCommission(t.db, seller)).toEqual({ bps: 1250, source: "seller" });
  });
});

describe("attribution and the signed quote", () => {
  it("a storefront click makes the quote carry the creator's wallet and the platform commission", async () => {
    const { offer, slug } = await storefrontWith("quote-carrier", { userId: creatorUserId, address: CREATOR });
    const visitorId = newVisitorId();
    const clicked = await recordCreatorReferral(t.db, {
      handle: "quote-carrier",
      productSlug: slug,
      visitorId,
      at: new Date(NOW - DAY),
    });
    expect(clicked.recorded).toBe(true);

    const cartId = await cartWith(offer.offerId, buyerUserId);
    const checkout = await createAttributedEscrowCheckout(
      t.db,
      { cartId, buyerAddress: BUYER, userId: buyerUserId, currency: "USD" },
      { visitorId },
      options,
    );
    expect(checkout.quote.order.affiliate).toBe(CREATOR);
    expect(checkout.quote.order.affiliateBps).toBe(500);
    // The affiliate is inside what the server signed: the contract pays exactly this.
    expect(await recoverQuoteSigner(resolveChainConfig(CHAIN), checkout.quote, checkout.signature)).toBe(
      checkout.signer,
    );
    const { rows } = await t.db.$client.query(
      "select affiliate_address, commission_bps from commerce.creator_order_attributions where order_id = $1",
      [checkout.order.id],
    );
    expect(rows).toEqual([{ affiliate_address: CREATOR.toLowerCase(), commission_bps: 500 }]);
    // 0.01 ETH, 2.5 % fee: the creator's share on completion is 5 % of the rest.
    expect(expectedAffiliateShare(checkout.quote.order.amount, checkout.quote.order.fee, 500)).toBe(
      ((10n ** 16n - 25n * 10n ** 13n) * 500n) / 10_000n,
    );
  });

  it("takes the commission from the seller's own terms, and none when the seller opted out", async () => {
    const seller = await seedSeller(t.db, "0xbcd4042de499d14e55001ccbb24a551f3b954096");
    const { offer, slug } = await storefrontWith(
      "terms-reader",
      { userId: otherCreatorUserId, address: OTHER_CREATOR },
      seller,
    );
    const visitorId = newVisitorId();
    await recordCreatorReferral(t.db, {
      handle: "terms-reader",
      productSlug: slug,
      visitorId,
      at: new Date(NOW - 60_000),
    });

    await setSellerCommission(t.db, seller, { percent: "12" });
    const generous = await createAttributedEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, buyerUserId), buyerAddress: BUYER, userId: buyerUserId, currency: "USD" },
      { visitorId },
      options,
    );
    expect(generous.quote.order).toMatchObject({ affiliate: OTHER_CREATOR, affiliateBps: 1200 });

    await setSellerCommission(t.db, seller, { percent: "0" });
    const optedOut = await createAttributedEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, buyerUserId), buyerAddress: BUYER, userId: buyerUserId, currency: "USD" },
      { visitorId },
      options,
    );
    expect(optedOut.quote.order).toMatchObject({ affiliate: zeroAddress, affiliateBps: 0 });
    expect(optedOut.attribution).toEqual({ status: "none", reason: "seller_opted_out" });
  });

  it("the browser cannot name an affiliate or a rate", async () => {
    const { offer } = await storefrontWith("no-injection", {
      userId: await seedUser(t.db),
      address: "0xdd2fd4581271e230360230f9337d5c0430bf44c0",
    });
    const cartId = await cartWith(offer.offerId, buyerUserId);
    // What a tampered request would carry: not an input of the attributed checkout at all.
    const forged = {
      cartId,
      buyerAddress: BUYER,
      userId: buyerUserId,
      currency: "USD",
      affiliate: { address: BUYER, bps: 10_000 },
    } as unknown as AttributedCheckoutInput;
    await expect(createAttributedEscrowCheckout(t.db, forged, {}, options)).rejects.toThrow(InvalidInputError);
    // A forged visitor id matches no click: the quote names no affiliate.
    const checkout = await createAttributedEscrowCheckout(
      t.db,
      { cartId, buyerAddress: BUYER, currency: "USD" },
      { visitorId: "../../etc/passwd" },
      options,
    );
    expect(checkout.quote.order).toMatchObject({ affiliate: zeroAddress, affiliateBps: 0 });
  });

  it("refuses self-referral: the creator buying through their own page, from any of their wallets", async () => {
    // The creator user already has a storefront: saving renames it, and gets one more product.
    const { offer, slug } = await storefrontWith("self-buyer", { userId: creatorUserId, address: CREATOR });
    const handle = "self-buyer";
    // Signed in as the creator: the click is not even recorded.
    const visitorId = newVisitorId();
    expect(
      await recordCreatorReferral(t.db, { handle, productSlug: slug, visitorId, viewerUserId: creatorUserId }),
    ).toEqual({ recorded: false, reason: "own_storefront" });
    // Signed out when clicking, then buying with the payout wallet or another wallet of the same user.
    await recordCreatorReferral(t.db, { handle, productSlug: slug, visitorId, at: new Date(NOW - 1000) });
    for (const wallet of [CREATOR, CREATOR_SECOND_WALLET]) {
      const checkout = await createAttributedEscrowCheckout(
        t.db,
        {
          cartId: await cartWith(offer.offerId, creatorUserId),
          buyerAddress: wallet,
          userId: creatorUserId,
          currency: "USD",
        },
        { visitorId },
        options,
      );
      expect(checkout.quote.order).toMatchObject({ affiliate: zeroAddress, affiliateBps: 0 });
      expect(checkout.attribution).toEqual({ status: "none", reason: "self_referral" });
    }
  });

  it("refuses a seller crediting itself through a storefront, by payout wallet or by user", async () => {
    const sellerUser = await seedUser(t.db, "0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199");
    const byWallet = await seedSeller(t.db, "0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199");
    const { offer, slug } = await storefrontWith(
      "seller-self",
      { userId: sellerUser, address: "0x8626f6940e2eb28930efb4cef49b2d1f2c9c1199" },
      byWallet,
    );
    const visitorId = newVisitorId();
    await recordCreatorReferral(t.db, {
      handle: "seller-self",
      productSlug: slug,
      visitorId,
      at: new Date(NOW - 1000),
    });
    const checkout = await createAttributedEscrowCheckout(
      t.db,
      { cartId: await cartWith(offer.offerId, buyerUserId), buyerAddress: BUYER, userId: buyerUserId, currency: "USD" },
      { visitorId },
      options,
    );
    expect(checkout.quote.order).toMatchObject({ affiliate: zeroAddress, affiliateBps: 0 });
    expect(checkout.attribution).toEqual({ status: "none", reason: "seller_self" });

    // The same user running a seller with another payout wallet is still the seller.
    const byUser = await seedSeller(t.db, "0xfabb0ac9d68b0b445fb7357272ff202c5651694a");
    await t.db.$client.query("update commerce.sellers set user_id = $1 where id = $2", [sellerUser, byUser]);
    const second = await seedOffer(t.db, { sellerId: byUser, priceMinor: 1500 });
    const creator = await findCreatorByHandle(t.db, "seller-self");
    if (!creator) throw new Error("missing creator");
    const secondSlug = await slugOf(second.productId);
    await addCreatorPick(t.db, creator.id, { product: secondSlug });
    await recordCreatorReferral(t.db, {
      handle: "seller-self",
      productSlug: secondSlug,
      visitorId,
      at: new Date(NOW - 1000),
    });
    const attribution = await resolveCheckoutAffiliate(t.db, {
      cartId: await cartWith(second.offerId, buyerUserId),
      buyerAddress: BUYER,
      buyerUserId,
      visitorId,
      now: new Date(NOW),
    });
    expect(attribution).toEqual({ status: "none", reason: "seller_self" });
  });

  it("counts a click for 30 days, lets the last click win, and follows a signed-in shopper to another device", async () => {
    const a = await storefrontWith("window-a", {
      userId: await seedUser(t.db),
      address: "0xcd3b766ccdd6ae721141f452c550ca635964ce71",
    });
    const bUser = await seedUser(t.db);
    await saveCreatorProfile(
      t.db,
      { userId: bUser, address: "0x2546bcd3c84621e976d8185a91a922ae77ecec30" },
      {
        handle: "window-b",
        displayName: "B",
      },
    );
    const b = await findCreatorByHandle(t.db, "window-b");
    if (!b) throw new Error("missing creator");
    await addCreatorPick(t.db, b.id, { product: a.slug });
    const cartId = await cartWith(a.offer.offerId, buyerUserId);
    const resolve = (visitorId: string | undefined, userId?: string) =>
      resolveCheckoutAffiliate(t.db, {
        cartId,
        buyerAddress: BUYER,
        buyerUserId: userId,
        visitorId,
        now: new Date(NOW),
      });

    const visitor = newVisitorId();
    await recordCreatorReferral(t.db, {
      handle: "window-a",
      productSlug: a.slug,
      visitorId: visitor,
      at: new Date(NOW - 31 * DAY),
    });
    expect(await resolve(visitor)).toEqual({ status: "none", reason: "no_referral" });
    await recordCreatorReferral(t.db, {
      handle: "window-a",
      productSlug: a.slug,
      visitorId: visitor,
      at: new Date(NOW - 29 * DAY),
    });
    expect(await resolve(visitor)).toMatchObject({
      status: "attributed",
      creatorId: a.creator.id,
      affiliate: { bps: 500 },
    });
    expect(await resolve(newVisitorId())).toEqual({ status: "none", reason: "no_referral" });

    await recordCreatorReferral(t.db, {
      handle: "window-b",
      productSlug: a.slug,
      visitorId: visitor,
      at: new Date(NOW - 2 * DAY),
    });
    expect(await resolve(visitor)).toMatchObject({ status: "attributed", creatorId: b.id });
    await recordCreatorReferral(t.db, {
      handle: "window-a",
      productSlug: a.slug,
      visitorId: visitor,
      at: new Date(NOW - DAY),
    });
    expect(await resolve(visitor)).toMatchObject({ status: "attributed", creatorId: a.creator.id });
    const { rows } = await t.db.$client.query<{ n: string }>(
      "select count(*) as n from commerce.creator_referrals where visitor_id = $1",
      [visitor],
    );
    expect(Number(rows[0]?.n)).toBe(2); // one row per creator and product: repeated clicks move its time

    // Signed in on the phone when clicking; buying later on the laptop (another cookie).
    const phone = newVisitorId();
    await recordCreatorReferral(t.db, {
      handle: "window-b",
      productSlug: a.slug,
      visitorId: phone,
      viewerUserId: buyerUserId,
      at: new Date(NOW - 60_000),
    });
    expect(await resolve(newVisitorId(), buyerUserId)).toMatchObject({ status: "attributed", creatorId: b.id });
    // A product the creator does not curate records nothing.
    const stray = await seedOffer(t.db, { sellerId, priceMinor: 999 });
    expect(
      await recordCreatorReferral(t.db, {
        handle: "window-b",
        productSlug: await slugOf(stray.productId),
        visitorId: phone,
      }),
    ).toEqual({ recorded: false, reason: "not_curated" });
    expect(await recordCreatorReferral(t.db, { handle: "nobody-here", productSlug: a.slug, visitorId: phone })).toEqual(
      {
        recorded: false,
        reason: "unknown_creator",
      },
    );
  });
});

describe("creator earnings from the indexer's views", () => {
  it("sums pending shares of open orders with the Escrow's formula and credited shares of completed ones", async () => {
    const schema = "test_chain_views";
    await t.db.$client.query(`
      create schema ${schema};
      create table ${schema}.escrow_order (id text, state text, token text, amount numeric, fee numeric,
        affiliate text, affiliate_bps integer, affiliate_share numeric, product_id text, created_at numeric);
      create table ${schema}.escrow_credit (token text, account text, credited numeric, withdrawn numeric, withdrawable numeric)`);
    const me = CREATOR.toLowerCase();
    const eth = zeroAddress;
    await t.db.$client.query(
      `insert into ${schema}.escrow_order values
        ('0x01', 'paid', $1, 1000000, 25000, $2, 500, null, '0xaa', 100),
        ('0x02', 'completed', $1, 2000000, 50000, $2, 500, 97500, '0xaa', 200),
        ('0x03', 'refunded', $1, 3000000, 75000, $2, 500, null, '0xaa', 300),
        ('0x04', 'completed', $1, 9000000, 0, '0x0000000000000000000000000000000000000001', 500, 450000, '0xaa', 400)`,
      [eth, me],
    );
    await t.db.$client.query(`insert into ${schema}.escrow_credit values ($1, $2, 97500, 0, 97500)`, [eth, me]);
    const earnings = await readCreatorEarnings(t.db, schema, CREATOR);
    expect(earnings.indexed).toBe(true);
    expect(earnings.orders.map((o) => [o.id, o.status, o.share])).toEqual([
      ["0x03", "none", 0n],
      ["0x02", "credited", 97_500n],
      ["0x01", "pending", 48_750n],
    ]);
    expect(earnings.totals).toEqual([{ token: eth, pending: 48_750n, credited: 97_500n }]);
    expect(earnings.credits).toEqual([{ token: eth, withdrawable: 97_500n, withdrawn: 0n, credited: 97_500n }]);
    expect((await readCreatorEarnings(t.db, "no_such_schema", CREATOR)).indexed).toBe(false);
  });
});
