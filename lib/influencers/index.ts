// Public surface of lib/influencers: creator storefronts and the commission they earn on chain.
export * from "./checkout-affiliate.ts";
export * from "./commission-terms.ts";
export * from "./creator-earnings.ts";
export * from "./creator-picks.ts";
export * from "./creator-profile.ts";
export * from "./errors.ts";
export * from "./referrals.ts";
export * from "./tables.ts";
