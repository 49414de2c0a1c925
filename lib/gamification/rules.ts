// The rewards rules in one place, so the numbers the pages show, the tests check and the service
// pays are the same numbers. Points are the 18-decimal LoyaltyPoints token; 100 points = 1 USD.
import { POINT_TOKEN_UNITS } from "../pricing/pricing-rules.ts";

/** Points for each verified review (a purchase reviewed on chain whose text matches its hash). */
export const REVIEW_POINTS = 50n;
/** Points the referrer gets when someone they referred completes a first purchase. */
export const REFERRER_POINTS = 500n;
/** Points the referred shopper gets with that first purchase. */
export const REFEREE_POINTS = 250n;

export const pointUnits = (wholePoints: bigint): bigint => wholePoints * POINT_TOKEN_UNITS;

/** Badge ids of contracts/Badges.sol. */
export const BADGE = {
  FIRST_PURCHASE: 1,
  REVIEWER: 2,
  GROUP_BUY_ORGANISER: 3,
  GROUP_BUY_PLEDGER: 4,
  TOP_SELLER: 5,
} as const;
export type BadgeId = (typeof BADGE)[keyof typeof BADGE];

/** What a badge counts: each is a fact the indexer (or the commerce tables) holds per account. */
export type BadgeMeasure = "purchases" | "verifiedReviews" | "poolsOpened" | "pledges" | "completedSales";

export type BadgeRule = { id: BadgeId; measure: BadgeMeasure; target: number };

/**
 * The rule of each badge, after Badges.sol's NatSpec: a first completed purchase (escrow order
 * completed, or a card order paid), a verified review, a group buy opened, a pledge made. "Top
 * seller" has no on-chain definition; we recognise it at 10 completed escrow sales, a bar a
 * seller can see and work towards on the loyalty page.
 */
export const BADGE_RULES: readonly BadgeRule[] = [
  { id: BADGE.FIRST_PURCHASE, measure: "purchases", target: 1 },
  { id: BADGE.REVIEWER, measure: "verifiedReviews", target: 1 },
  { id: BADGE.GROUP_BUY_ORGANISER, measure: "poolsOpened", target: 1 },
  { id: BADGE.GROUP_BUY_PLEDGER, measure: "pledges", target: 1 },
  { id: BADGE.TOP_SELLER, measure: "completedSales", target: 10 },
];
