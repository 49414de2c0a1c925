// The contracts whose ABIs and addresses the indexer and the app use.
export const MARKETPLACE_CONTRACTS = [
  "Escrow",
  "Reviews",
  "LoyaltyPoints",
  "Badges",
  "GroupBuy",
  "TestStablecoin",
] as const;

export type MarketplaceContract = (typeof MARKETPLACE_CONTRACTS)[number];
