// A fiat order's contact data: the guest's email and the shipping address, validated here and
// encrypted at rest (lib/crypto envelopes, the columns the key rotation re-encrypts). They are
// written by the same insert as the order, so an order never exists without them, nor they without it.
import { z } from "zod";
import { encryptField, type Keyring } from "../crypto/index.ts";

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

export const orderContactSchema = z
  .object({
    /** Guests only: a signed-in buyer is reached through the account. */
    guestEmail: z.email().max(254).optional(),
    shippingAddress: shippingAddressSchema,
  })
  .strict();
export type OrderContact = z.infer<typeof orderContactSchema>;

/** The orders columns that hold the contact, encrypted with the keyring's current key. */
export function encryptOrderContact(
  keyring: Keyring,
  contact: OrderContact,
): { guestEmailEnc: string | null; shippingAddressEnc: string } {
  return {
    guestEmailEnc: contact.guestEmail ? encryptField(keyring, contact.guestEmail) : null,
    shippingAddressEnc: encryptField(keyring, JSON.stringify(contact.shippingAddress)),
  };
}
