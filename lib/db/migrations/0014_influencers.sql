-- Influencer storefronts (lib/influencers/): a creator's public page of curated products, the
-- clicks that attribute a later purchase to the creator, the commission sellers pay creators, and
-- which escrow orders were attributed. The commission itself is paid on chain by the Escrow's
-- affiliate share; these tables only decide and record who gets it. Mirrored in
-- lib/influencers/tables.ts.
create table commerce.creator_profiles (
  id uuid primary key default gen_random_uuid(),
  -- One storefront per user: the commission is paid to one wallet, and one page per person keeps
  -- the "who recommends this" disclosure honest.
  user_id uuid not null unique references commerce.users (id) on delete cascade,
  handle text not null unique check (handle ~ '^[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]$'),
  display_name text not null check (length(display_name) between 1 and 80),
  bio text not null default '' check (length(bio) <= 500),
  -- The wallet the creator signed in with when creating the page; the Escrow credits it.
  payout_address text not null check (payout_address ~ '^0x[0-9a-f]{40}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table commerce.creator_picks (
  creator_id uuid not null references commerce.creator_profiles (id) on delete cascade,
  product_id uuid not null references commerce.products (id) on delete cascade,
  note text not null default '' check (length(note) <= 280),
  position integer not null check (position >= 0),
  added_at timestamptz not null default now(),
  primary key (creator_id, product_id)
);
create index creator_picks_order_idx on commerce.creator_picks (creator_id, position);

-- What a seller pays creators, in basis points of the order's amount after the platform fee
-- (the Escrow's affiliateBps). No row: the platform default (lib/influencers/commission-terms.ts).
create table commerce.creator_commission_terms (
  seller_id uuid primary key references commerce.sellers (id) on delete cascade,
  commission_bps integer not null check (commission_bps between 0 and 3000),
  updated_at timestamptz not null default now()
);

-- One row per (browser, product, creator): a click from a creator's page onto a product. The
-- latest click for a product within the window decides the creator (last click wins). visitor_id
-- is the random id in the shopper's referral cookie; user_id is set when the shopper was signed
-- in, so the attribution follows them to another device.
create table commerce.creator_referrals (
  id uuid primary key default gen_random_uuid(),
  visitor_id text not null check (visitor_id ~ '^[A-Za-z0-9_-]{22,64}$'),
  user_id uuid references commerce.users (id) on delete cascade,
  creator_id uuid not null references commerce.creator_profiles (id) on delete cascade,
  product_id uuid not null references commerce.products (id) on delete cascade,
  clicked_at timestamptz not null default now(),
  unique (visitor_id, product_id, creator_id)
);
create index creator_referrals_visitor_idx on commerce.creator_referrals (visitor_id, product_id, clicked_at desc);
create index creator_referrals_user_idx on commerce.creator_referrals (user_id, product_id, clicked_at desc)
  where user_id is not null;

-- The escrow orders whose signed quote names a creator as affiliate, with the terms signed.
create table commerce.creator_order_attributions (
  order_id uuid primary key references commerce.orders (id) on delete cascade,
  creator_id uuid not null references commerce.creator_profiles (id) on delete cascade,
  referral_id uuid references commerce.creator_referrals (id) on delete set null,
  affiliate_address text not null check (affiliate_address ~ '^0x[0-9a-f]{40}$'),
  commission_bps integer not null check (commission_bps between 1 and 10000),
  created_at timestamptz not null default now()
);
create index creator_order_attributions_creator_idx on commerce.creator_order_attributions (creator_id, created_at desc);
