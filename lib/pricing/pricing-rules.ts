// The shop's pricing rules in one place, so the numbers a test checks and the docs quote are the
// numbers the code uses.

/** 100 loyalty points are worth 1 USD (so 1 point = 1 US cent), converted to the cart currency. */
export const POINTS_PER_USD = 100n;
/** Points may pay for at most this share of the subtotal (basis points: 5 000 = 50 %). */
export const MAX_POINTS_SHARE_BPS = 5_000;
/** Platform fee, a share of the total the buyer pays (basis points: 250 = 2.5 %). */
export const PLATFORM_FEE_BPS = 250;
/** Loyalty points are an 18-decimal ERC-20: one whole point on chain is 10^18 units. */
export const POINT_TOKEN_UNITS = 10n ** 18n;
/** Cashback minted by the escrow on completion: 1 point per whole USD of the total. */
export const CASHBACK_POINTS_PER_USD = 1n;
