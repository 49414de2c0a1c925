// Everything NeoCart's database holds about one person, decrypted, as plain JSON (the right of
// access / data portability), plus what lives on chain and cannot be erased.
import { asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { decryptOptional } from "../crypto/envelope.ts";
import { type Keyring, loadKeyring } from "../crypto/keyring.ts";
import type { Db } from "../db/client.ts";
import {
  cartItems,
  carts,
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
} from "../db/schema.ts";
import { shipments, trackingEvents } from "../tracking/tables.ts";
import { PrivacyError } from "./errors.ts";
import { type OnChainStatement, onChainStatement } from "./on-chain-statement.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type UserDataExport = {
  exportedAt: string;
  profile: {
    id: string;
    displayName: string | null;
    email: string | null;
    phone: string | null;
    locale: string;
    currency: string;
    createdAt: string;
    deletedAt: string | null;
  };
  wallets: { address: string; linkedAt: string }[];
  roles: string[];
  sellerProfiles: { id: string; slug: string; name: string; payoutAddress: string | null; country: string }[];
  orders: {
    id: string;
    kind: string;
    chainOrderId: string;
    status: string;
    currency: string;
    subtotalMinor: string;
    discountMinor: string;
    totalMinor: string;
    pointsRedeemed: string;
    deliveryOption: string;
    guestEmail: string | null;
    shippingAddress: string | null;
    createdAt: string;
    items: { productId: string; productTitle: string; offerId: string; quantity: number; unitPriceMinor: string }[];
    statusHistory: { status: string; note: string | null; at: string }[];
    payments: { provider: string; method: string | null; amountMinor: string; currency: string; status: string }[];
    /** Parcels and the positions their tracking devices reported (the last one is near the buyer's address). */
    shipments: {
      id: string;
      carrier: string;
      deliveryOption: string;
      status: string;
      deliveredAt: string | null;
      carbonTotalG: number;
      events: {
        seq: number;
        status: string;
        recordedAt: string;
        lat: number;
        lon: number;
        temperatureC: number | null;
      }[];
    }[];
  }[];
  carts: {
    id: string;
    collaborative: boolean;
    currency: string;
    createdAt: string;
    items: { offerId: string; quantity: number; addedAt: string }[];
  }[];
  reviewTexts: { contentHash: string; chainOrderId: string; productId: string; body: string; createdAt: string }[];
  /** Products viewed, added to a cart or bought: what the recommendations are trained on. */
  activity: { kind: string; productId: string; productTitle: string; quantity: number; at: string }[];
  /** Your referral code, who referred you (when) and the people you referred (when, rewarded yet). */
  referrals: {
    code: string | null;
    referredAt: string | null;
    referred: { at: string; rewarded: boolean }[];
  };
  /** Points and badges the rewards service gave you, with the transaction that paid each. */
  rewards: {
    kind: string;
    points: string | null;
    badgeId: number | null;
    recipient: string;
    status: string;
    txHash: string | null;
    at: string;
  }[];
  /** Your creator storefront, if you opened one, with your picks. */
  creatorProfile: {
    handle: string;
    displayName: string;
    bio: string;
    payoutAddress: string;
    createdAt: string;
    picks: { productId: string; productTitle: string; note: string; position: number }[];
  } | null;
  /** Clicks from creators' storefronts onto products while you were signed in (they decide commissions). */
  creatorClicks: { creatorHandle: string; productId: string; productTitle: string; at: string }[];
  /** What you wrote in live events' chats. */
  liveChat: { eventId: string; eventTitle: string; body: string; at: string }[];
  sessions: { address: string; createdAt: string; expiresAt: string; revokedAt: string | null }[];
  onChain: OnChainStatement;
};

export async function exportUserData(
  db: Db,
  userId: string,
  keyring: Keyring = loadKeyring(),
  now: Date = new Date(),
): Promise<UserDataExport> {
  const id = z.uuid().safeParse(userId);
  if (!id.success) throw new PrivacyError(400, `"${String(userId)}" is not a user id; pass the user's uuid.`);

  // One repeatable-read snapshot, so the parts of the export agree with each other.
  return db.transaction(
    async (tx) => {
      const [user] = await tx.select().from(users).where(eq(users.id, id.data));
      if (!user) throw new PrivacyError(404, `No user has id ${id.data}; check the id.`);

      const walletRows = await tx.select().from(wallets).where(eq(wallets.userId, user.id));
      const roleRows = await tx.select().from(userRoles).where(eq(userRoles.userId, user.id));
      const sellerRows = await tx.select().from(sellers).where(eq(sellers.userId, user.id));
      const orderRows = await tx.select().from(orders).where(eq(orders.userId, user.id)).orderBy(orders.createdAt);
      const orderIds = orderRows.map((o) => o.id);
      const itemRows = orderIds.length
        ? await tx
            .select({ item: orderItems, productTitle: products.title })
            .from(orderItems)
            .innerJoin(products, eq(products.id, orderItems.productId))
            .where(inArray(orderItems.orderId, orderIds))
        : [];
      const historyRows = orderIds.length
        ? await tx
            .select()
            .from(orderStatusHistory)
            .where(inArray(orderStatusHistory.orderId, orderIds))
            .orderBy(orderStatusHistory.id)
        : [];
      const paymentRows = orderIds.length
        ? await tx.select().from(payments).where(inArray(payments.orderId, orderIds))
        : [];
      const shipmentRows = orderIds.length
        ? await tx
            .select()
            .from(shipments)
            .where(inArray(shipments.orderId, orderIds))
            .orderBy(asc(shipments.createdAt))
        : [];
      const eventRows = shipmentRows.length
        ? await tx
            .select()
            .from(trackingEvents)
            .where(
              inArray(
                trackingEvents.shipmentId,
                shipmentRows.map((s) => s.id),
              ),
            )
            .orderBy(asc(trackingEvents.seq))
        : [];
      const activityRows = await tx.execute<{
        kind: string;
        product_id: string;
        title: string;
        quantity: number;
        occurred_at: Date;
      }>(
        sql`select i.kind, i.product_id, p.title, i.quantity, i.occurred_at
            from commerce.interactions i join commerce.products p on p.id = i.product_id
            where i.user_id = ${user.id} order by i.occurred_at, i.id`,
      );
      const social = await readSocialData(tx, user.id);
      const cartRows = await tx.select().from(carts).where(eq(carts.ownerUserId, user.id));
      const cartItemRows = cartRows.length
        ? await tx
            .select()
            .from(cartItems)
            .where(
              inArray(
                cartItems.cartId,
                cartRows.map((c) => c.id),
              ),
            )
        : [];
      const reviewRows = await tx.select().from(reviewTexts).where(eq(reviewTexts.authorUserId, user.id));
      const sessionRows = await tx.select().from(sessions).where(eq(sessions.userId, user.id));

      return {
        exportedAt: now.toISOString(),
        profile: {
          id: user.id,
          displayName: user.displayName,
          email: decryptOptional(keyring, user.emailEnc),
          phone: decryptOptional(keyring, user.phoneEnc),
          locale: user.locale,
          currency: user.currency,
          createdAt: user.createdAt.toISOString(),
          deletedAt: iso(user.deletedAt),
        },
        wallets: walletRows.map((w) => ({ address: w.address, linkedAt: w.linkedAt.toISOString() })),
        roles: roleRows.map((r) => r.role).sort(),
        sellerProfiles: sellerRows.map((s) => ({
          id: s.id,
          slug: s.slug,
          name: s.name,
          payoutAddress: s.payoutAddress,
          country: s.country,
        })),
        orders: orderRows.map((o) => ({
          id: o.id,
          kind: o.kind,
          chainOrderId: o.chainOrderId,
          status: o.status,
          currency: o.currency,
          subtotalMinor: o.subtotalMinor.toString(),
          discountMinor: o.discountMinor.toString(),
          totalMinor: o.totalMinor.toString(),
          pointsRedeemed: o.pointsRedeemed,
          deliveryOption: o.deliveryOption,
          guestEmail: decryptOptional(keyring, o.guestEmailEnc),
          shippingAddress: decryptOptional(keyring, o.shippingAddressEnc),
          createdAt: o.createdAt.toISOString(),
          items: itemRows
            .filter((r) => r.item.orderId === o.id)
            .map((r) => ({
              productId: r.item.productId,
              productTitle: r.productTitle,
              offerId: r.item.offerId,
              quantity: r.item.quantity,
              unitPriceMinor: r.item.unitPriceMinor.toString(),
            })),
          statusHistory: historyRows
            .filter((h) => h.orderId === o.id)
            .map((h) => ({ status: h.status, note: h.note, at: h.at.toISOString() })),
          payments: paymentRows
            .filter((p) => p.orderId === o.id)
            .map((p) => ({
              provider: p.provider,
              method: p.method,
              amountMinor: p.amountMinor.toString(),
              currency: p.currency,
              status: p.status,
            })),
          shipments: shipmentRows
            .filter((sh) => sh.orderId === o.id)
            .map((sh) => ({
              id: sh.id,
              carrier: sh.carrier,
              deliveryOption: sh.deliveryOption,
              status: sh.status,
              deliveredAt: iso(sh.deliveredAt),
              carbonTotalG: sh.carbonTotalG,
              events: eventRows
                .filter((e) => e.shipmentId === sh.id)
                .map((e) => ({
                  seq: e.seq,
                  status: e.status,
                  recordedAt: e.recordedAt.toISOString(),
                  lat: e.lat,
                  lon: e.lon,
                  temperatureC: e.temperatureC,
                })),
            })),
        })),
        carts: cartRows.map((c) => ({
          id: c.id,
          collaborative: c.collaborative,
          currency: c.currency,
          createdAt: c.createdAt.toISOString(),
          items: cartItemRows
            .filter((i) => i.cartId === c.id)
            .map((i) => ({ offerId: i.offerId, quantity: i.quantity, addedAt: i.addedAt.toISOString() })),
        })),
        reviewTexts: reviewRows.map((r) => ({
          contentHash: r.contentHash,
          chainOrderId: r.chainOrderId,
          productId: r.productId,
          body: r.body,
          createdAt: r.createdAt.toISOString(),
        })),
        activity: activityRows.rows.map((a) => ({
          kind: a.kind,
          productId: a.product_id,
          productTitle: a.title,
          quantity: a.quantity,
          at: new Date(a.occurred_at).toISOString(),
        })),
        ...social,
        // Metadata only: the token hashes are credentials' fingerprints, not data about the person.
        sessions: sessionRows.map((s) => ({
          address: s.address,
          createdAt: s.createdAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
          revokedAt: iso(s.revokedAt),
        })),
        onChain: onChainStatement(walletRows.map((w) => w.address)),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

type Reader = Pick<Db, "execute">;

/** Referrals, rewards and creator storefront data: plain SQL over the gamification and creator tables. */
async function readSocialData(
  tx: Reader,
  userId: string,
): Promise<Pick<UserDataExport, "referrals" | "rewards" | "creatorProfile" | "creatorClicks" | "liveChat">> {
  const rows = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
    (await tx.execute<T>(query)).rows;
  const at = (d: Date | string) => new Date(d).toISOString();
  const [code] = await rows<{ code: string }>(sql`select code from commerce.referral_codes where user_id = ${userId}`);
  const [referredBy] = await rows<{ attached_at: Date }>(
    sql`select attached_at from commerce.referrals where referee_user_id = ${userId}`,
  );
  // The people referred stay anonymous: their accounts are their own data, not the referrer's.
  const referred = await rows<{ attached_at: Date; rewarded: boolean }>(
    sql`select r.attached_at, exists (select 1 from commerce.reward_awards a
          where a.award_key = 'referral:' || r.referee_user_id || ':referrer' and a.status = 'confirmed') as rewarded
        from commerce.referrals r where r.referrer_user_id = ${userId} order by r.attached_at`,
  );
  const rewards = await rows<{
    kind: string;
    points: string | null;
    badge_id: number | null;
    recipient: string;
    status: string;
    tx_hash: string | null;
    created_at: Date;
  }>(
    sql`select kind, points::text as points, badge_id, recipient, status, tx_hash, created_at
        from commerce.reward_awards where user_id = ${userId} order by created_at, award_key`,
  );
  const [profile] = await rows<{
    id: string;
    handle: string;
    display_name: string;
    bio: string;
    payout_address: string;
    created_at: Date;
  }>(
    sql`select id, handle, display_name, bio, payout_address, created_at
        from commerce.creator_profiles where user_id = ${userId}`,
  );
  const picks = profile
    ? await rows<{ product_id: string; title: string; note: string; position: number }>(
        sql`select cp.product_id, p.title, cp.note, cp.position from commerce.creator_picks cp
            join commerce.products p on p.id = cp.product_id where cp.creator_id = ${profile.id} order by cp.position`,
      )
    : [];
  const clicks = await rows<{ handle: string; product_id: string; title: string; clicked_at: Date }>(
    sql`select c.handle, r.product_id, p.title, r.clicked_at from commerce.creator_referrals r
        join commerce.creator_profiles c on c.id = r.creator_id join commerce.products p on p.id = r.product_id
        where r.user_id = ${userId} order by r.clicked_at`,
  );
  const chat = await rows<{ event_id: string; title: string; body: string; created_at: Date }>(
    sql`select m.event_id, e.title, m.body, m.created_at from commerce.live_chat_messages m
        join commerce.live_events e on e.id = m.event_id where m.user_id = ${userId} order by m.id`,
  );
  return {
    liveChat: chat.map((m) => ({ eventId: m.event_id, eventTitle: m.title, body: m.body, at: at(m.created_at) })),
    referrals: {
      code: code?.code ?? null,
      referredAt: referredBy ? at(referredBy.attached_at) : null,
      referred: referred.map((r) => ({ at: at(r.attached_at), rewarded: r.rewarded })),
    },
    rewards: rewards.map((r) => ({
      kind: r.kind,
      points: r.points,
      badgeId: r.badge_id,
      recipient: r.recipient,
      status: r.status,
      txHash: r.tx_hash,
      at: at(r.created_at),
    })),
    creatorProfile: profile
      ? {
          handle: profile.handle,
          displayName: profile.display_name,
          bio: profile.bio,
          payoutAddress: profile.payout_address,
          createdAt: at(profile.created_at),
          picks: picks.map((k) => ({
            productId: k.product_id,
            productTitle: k.title,
            note: k.note,
            position: k.position,
          })),
        }
      : null,
    creatorClicks: clicks.map((c) => ({
      creatorHandle: c.handle,
      productId: c.product_id,
      productTitle: c.title,
      at: at(c.clicked_at),
    })),
  };
}
