// The buyer's consent to burn loyalty points for one fiat order: an EIP-712 message the holder
// signs in the wallet (holder, amount in token units, the order's chain order id, a deadline),
// bound to the chain and the LoyaltyPoints contract. The server burns nothing without it, and the
// order id makes it good for one order only (commerce.orders.chain_order_id is unique).
import { type Address, getAddress, type Hex, recoverTypedDataAddress } from "viem";
import { z } from "zod";
import { CommerceError } from "../pricing/errors.ts";
import { POINT_TOKEN_UNITS } from "../pricing/pricing-rules.ts";

export const POINTS_CONSENT_DOMAIN_NAME = "NeoCart Points Redemption";

export const pointsConsentTypes = {
  PointsRedemption: [
    { name: "holder", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "orderId", type: "bytes32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export function pointsConsentDomain(chainId: number, points: Address) {
  return { name: POINTS_CONSENT_DOMAIN_NAME, version: "1", chainId, verifyingContract: points } as const;
}

export const pointsConsentSchema = z
  .object({
    holder: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "a 0x wallet address")
      .transform((a) => getAddress(a)),
    /** Token units (18 decimals) as a decimal string. */
    amount: z
      .string()
      .regex(/^[1-9][0-9]{0,77}$/, "a positive whole number of token units")
      .transform((a) => BigInt(a)),
    orderId: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "a 0x-prefixed 32-byte order id")
      .transform((h) => h.toLowerCase() as Hex),
    /** Unix seconds. */
    deadline: z.number().int().positive(),
    signature: z
      .string()
      .regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte 0x signature")
      .transform((s) => s as Hex),
  })
  .strict();
export type PointsConsentInput = z.input<typeof pointsConsentSchema>;
export type PointsConsent = z.output<typeof pointsConsentSchema>;

export class PointsConsentError extends CommerceError {
  override name = "PointsConsentError";
  constructor(message: string) {
    super("points_consent_invalid", 403, message);
  }
}

/** Checks that `consent` was signed by its holder for exactly `points` whole points, in time. */
export async function verifyPointsConsent(
  consent: PointsConsent,
  expected: { chainId: number; points: Address; wholePoints: number; nowSeconds: number },
): Promise<void> {
  if (consent.amount !== BigInt(expected.wholePoints) * POINT_TOKEN_UNITS) {
    throw new PointsConsentError(
      `The signed consent is for ${consent.amount / POINT_TOKEN_UNITS} points, not the ${expected.wholePoints} asked for; sign again.`,
    );
  }
  if (consent.deadline <= expected.nowSeconds) {
    throw new PointsConsentError("The signed points consent has expired; sign it again.");
  }
  const signer = await recoverTypedDataAddress({
    domain: pointsConsentDomain(expected.chainId, expected.points),
    types: pointsConsentTypes,
    primaryType: "PointsRedemption",
    message: {
      holder: consent.holder,
      amount: consent.amount,
      orderId: consent.orderId,
      deadline: BigInt(consent.deadline),
    },
    signature: consent.signature,
  });
  if (signer !== consent.holder) {
    throw new PointsConsentError(
      "The points consent was not signed by the holder, or was changed after signing; sign it again in your wallet.",
    );
  }
}
