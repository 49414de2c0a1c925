// Erases a person's personal data in one transaction: either all of it goes, or nothing changes.
// Orders stay (accounting and tax law need them) but lose every link to the person.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { cartItems, carts, orders, reviewTexts, sellers, sessions, userRoles, users, wallets } from "../db/schema.ts";
import { shipments } from "../tracking/tables.ts";
import { PrivacyError } from "./errors.ts";
import { type OnChainStatement, onChainStatement } from "./on-chain-statement.ts";

export type AccountDeletionSummary = {
  userId: string;
  deletedAt: string;
  walletsUnlinked: string[];
  rolesRemoved: string[];
  sessionsRevoked: number;
  cartsDeleted: number;
  cartItemsDetached: number;
  reviewTextsDetached: number;
  ordersAnonymised: number;
  /** Positions reported by the parcels' tracking devices, erased (the parcels' status stays). */
  trackingPositionsErased: number;
  /** Products viewed, added to a cart or bought, as kept for recommendations. */
  activityEventsDeleted: number;
  /** Referral links this person was part of (as referrer or referee), and their referral code. */
  referralsRemoved: number;
  /** Rewards paid to them: kept (they are on chain and in the books) without the link to the account. */
  rewardsDetached: number;
  /**
   * Their creator storefront, renamed and emptied (it stays, nameless, for the commissions already
   * signed into orders); its picks deleted.
   */
  creatorProfileAnonymised: boolean;
  creatorPicksDeleted: number;
  /** Clicks from creators' pages they made while signed in. */
  creatorClicksDeleted: number;
  /** Lines they wrote in live events' chats. */
  liveChatMessagesDeleted: number;
  sellerProfilesDetached: number;
  onChain: OnChainStatement;
};

export async function deleteAccount(db: Db, userId: string, now: Date = new Date()): Promise<AccountDeletionSummary> {
  const id = z.uuid().safeParse(userId);
  if (!id.success) throw new PrivacyError(400, `"${String(userId)}" is not a user id; pass the user's uuid.`);

  return db.transaction(async (tx) => {
    // Lock the user so a sign-in or a second deletion cannot interleave.
    const locked = await tx.execute<{ id: string; deleted_at: Date | null }>(
      sql`select id, deleted_at from commerce.users where id = ${id.data} for update`,
    );
    if (locked.rows.length === 0) throw new PrivacyError(404, `No user has id ${id.data}; check the id.`);
    // Deleting the only admin would leave nobody able to grant roles again.
    const admins = await tx.execute<{ user_id: string }>(
      sql`select user_id from commerce.user_roles where role = 'admin' for update`,
    );
    if (admins.rows.length === 1 && admins.rows[0]?.user_id === id.data) {
      throw new PrivacyError(409, "This account is the only admin; grant admin to someone else, then delete it.");
    }

    const unlinked = await tx
      .delete(wallets)
      .where(eq(wallets.userId, id.data))
      .returning({ address: wallets.address });
    const roles = await tx.delete(userRoles).where(eq(userRoles.userId, id.data)).returning({ role: userRoles.role });
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, id.data), isNull(sessions.revokedAt)))
      .returning({ tokenHash: sessions.tokenHash });
    // Their own carts go entirely (items cascade); items they added to others' shared carts stay
    // for the cart's owner, without the name of who added them.
    const cartsDeleted = await tx.delete(carts).where(eq(carts.ownerUserId, id.data)).returning({ id: carts.id });
    const itemsDetached = await tx
      .update(cartItems)
      .set({ addedBy: null })
      .where(eq(cartItems.addedBy, id.data))
      .returning({ cartId: cartItems.cartId });
    const reviews = await tx
      .update(reviewTexts)
      .set({ authorUserId: null })
      .where(eq(reviewTexts.authorUserId, id.data))
      .returning({ contentHash: reviewTexts.contentHash });
    // A parcel's trail ends at the buyer's door, so every reported position goes; the parcel's
    // status and delivery time stay with the order for accounting and disputes.
    const theirShipments = tx
      .select({ id: shipments.id })
      .from(shipments)
      .where(inArray(shipments.orderId, tx.select({ id: orders.id }).from(orders).where(eq(orders.userId, id.data))));
    const positions = await tx.execute<{ n: number }>(
      sql`with erased as (delete from commerce.tracking_events where shipment_id in (${theirShipments}) returning 1)
          select count(*)::integer as n from erased`,
    );
    await tx
      .update(shipments)
      .set({ lastLat: null, lastLon: null, updatedAt: now })
      .where(inArray(shipments.id, theirShipments));
    const activity = await tx.execute<{ n: number }>(
      sql`with deleted as (delete from commerce.interactions where user_id = ${id.data} returning 1)
          select count(*)::integer as n from deleted`,
    );
    const social = await eraseSocialData(tx, id.data);
    const anonymised = await tx
      .update(orders)
      .set({ userId: null, guestEmailEnc: null, shippingAddressEnc: null, updatedAt: now })
      .where(eq(orders.userId, id.data))
      .returning({ id: orders.id });
    const sellersDetached = await tx
      .update(sellers)
      .set({ userId: null })
      .where(eq(sellers.userId, id.data))
      .returning({ id: sellers.id });
    // The row stays as a tombstone (deleted_at), so foreign keys and audit trails keep working.
    await tx
      .update(users)
      .set({ displayName: null, emailEnc: null, phoneEnc: null, deletedAt: now })
      .where(eq(users.id, id.data));

    const addresses = unlinked.map((w) => w.address);
    return {
      userId: id.data,
      deletedAt: now.toISOString(),
      walletsUnlinked: addresses,
      rolesRemoved: roles.map((r) => r.role).sort(),
      sessionsRevoked: revoked.length,
      cartsDeleted: cartsDeleted.length,
      cartItemsDetached: itemsDetached.length,
      reviewTextsDetached: reviews.length,
      ordersAnonymised: anonymised.length,
      trackingPositionsErased: positions.rows[0]?.n ?? 0,
      activityEventsDeleted: activity.rows[0]?.n ?? 0,
      ...social,
      sellerProfilesDetached: sellersDetached.length,
      onChain: onChainStatement(addresses),
    };
  });
}

type Writer = Pick<Db, "execute">;

/** Referrals, rewards and creator storefront data, in the caller's transaction. */
async function eraseSocialData(
  tx: Writer,
  userId: string,
): Promise<
  Pick<
    AccountDeletionSummary,
    | "referralsRemoved"
    | "rewardsDetached"
    | "creatorProfileAnonymised"
    | "creatorPicksDeleted"
    | "creatorClicksDeleted"
    | "liveChatMessagesDeleted"
  >
> {
  const count = async (query: ReturnType<typeof sql>) => (await tx.execute<{ n: number }>(query)).rows[0]?.n ?? 0;
  await tx.execute(sql`delete from commerce.referral_codes where user_id = ${userId}`);
  // Rewards already recorded for the other person of a referral are still paid; the link goes.
  const referralsRemoved = await count(
    sql`with gone as (delete from commerce.referrals where referee_user_id = ${userId} or referrer_user_id = ${userId}
        returning 1) select count(*)::integer as n from gone`,
  );
  const rewardsDetached = await count(
    sql`with kept as (update commerce.reward_awards set user_id = null, updated_at = now() where user_id = ${userId}
        returning 1) select count(*)::integer as n from kept`,
  );
  const creatorClicksDeleted = await count(
    sql`with gone as (delete from commerce.creator_referrals where user_id = ${userId} returning 1)
        select count(*)::integer as n from gone`,
  );
  const creatorPicksDeleted = await count(
    sql`with gone as (delete from commerce.creator_picks where creator_id in
          (select id from commerce.creator_profiles where user_id = ${userId}) returning 1)
        select count(*)::integer as n from gone`,
  );
  // The handle may be their name: it becomes "deleted-" and part of the row id.
  const creatorProfileAnonymised =
    (await count(
      sql`with renamed as (update commerce.creator_profiles
            set handle = 'deleted-' || left(replace(id::text, '-', ''), 12), display_name = 'Deleted creator',
                bio = '', updated_at = now()
            where user_id = ${userId} returning 1) select count(*)::integer as n from renamed`,
    )) > 0;
  const liveChatMessagesDeleted = await count(
    sql`with gone as (delete from commerce.live_chat_messages where user_id = ${userId} returning 1)
        select count(*)::integer as n from gone`,
  );
  return {
    referralsRemoved,
    rewardsDetached,
    creatorProfileAnonymised,
    creatorPicksDeleted,
    creatorClicksDeleted,
    liveChatMessagesDeleted,
  };
}
