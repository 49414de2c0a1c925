// A guest has no session, so the right to watch an order's status is a MAC of the order id under a
// key derived from the data keys (any listed key verifies, so a key rotation keeps tokens valid).
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { type DataKey, loadKeyring } from "../crypto/index.ts";

const macKey = (dataKey: DataKey) =>
  Buffer.from(hkdfSync("sha256", dataKey.key, Buffer.alloc(0), "neocart guest order token v1", 32));

const mac = (dataKey: DataKey, orderId: string) =>
  createHmac("sha256", macKey(dataKey)).update(orderId.toLowerCase()).digest("base64url");

export function guestOrderToken(orderId: string): string {
  return mac(loadKeyring().current, orderId);
}

export function isGuestOrderToken(orderId: string, token: string | undefined): boolean {
  if (!token) return false;
  const given = Buffer.from(token);
  for (const dataKey of loadKeyring().byId.values()) {
    const expected = Buffer.from(mac(dataKey, orderId));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return true;
  }
  return false;
}

/** "<order id>.<token>" as kept in the guest-order cookie. */
export function guestOrderCookieValue(orderId: string): string {
  return `${orderId}.${guestOrderToken(orderId)}`;
}

export function tokenFromGuestCookie(cookieValue: string | undefined, orderId: string): string | undefined {
  if (!cookieValue) return undefined;
  const dot = cookieValue.indexOf(".");
  if (dot < 0 || cookieValue.slice(0, dot).toLowerCase() !== orderId.toLowerCase()) return undefined;
  return cookieValue.slice(dot + 1);
}
