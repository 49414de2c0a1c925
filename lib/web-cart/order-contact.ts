// A fiat order's contact data, encrypted at rest (lib/crypto envelopes, the columns the key
// rotation re-encrypts): the guest's email and the shipping address. lib/orders createFiatOrder
// does not take them, so they are written right after it, before the shopper is sent to pay.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { encryptField, loadKeyring } from "../crypto/index.ts";
import type { Db } from "../db/client.ts";
import { orders } from "../db/schema.ts";

export const shippingAddressSchema = z
  .object({
    name: z.string().trim().min(1, "enter the recipient's name").max(120),
    line1: z.string().trim().min(1, "enter the street address").max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1, "enter the city").max(120),
    postalCode: z.string().trim().min(1, "enter the postal code").max(20),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "enter a two-letter country code such as US or ES"),
  })
  .strict();
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

export async function storeOrderContact(
  db: Db,
  orderId: string,
  contact: { guestEmail?: string | undefined; shippingAddress: ShippingAddress },
): Promise<void> {
  const keyring = loadKeyring();
  await db
    .update(orders)
    .set({
      guestEmailEnc: contact.guestEmail ? encryptField(keyring, contact.guestEmail) : null,
      shippingAddressEnc: encryptField(keyring, JSON.stringify(contact.shippingAddress)),
    })
    .where(eq(orders.id, orderId));
}
