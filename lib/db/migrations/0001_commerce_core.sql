-- NeoCart commerce tables (schema "commerce"; the indexer owns its own schemas). Money is in
-- minor units (bigint) with an ISO 4217 currency; on-chain ids (orders, products) are 0x hex.
create extension if not exists pgcrypto;
create schema if not exists commerce;

create table commerce.users (
  id uuid primary key default gen_random_uuid(),
  display_name text,
  -- Personal data is encrypted at rest (AES-GCM envelope "v1:<key id>:<iv>:<ciphertext+tag>").
  email_enc text,
  phone_enc text,
  locale text not null default 'en',
  currency char(3) not null default 'USD',
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);

create table commerce.wallets (
  address text primary key check (address ~ '^0x[0-9a-f]{40}$'),
  user_id uuid not null references commerce.users (id) on delete cascade,
  linked_at timestamptz not null default now()
);
create index wallets_user_idx on commerce.wallets (user_id);

create table commerce.user_roles (
  user_id uuid not null references commerce.users (id) on delete cascade,
  role text not null check (role in ('shopper', 'seller', 'arbiter', 'admin')),
  granted_at timestamptz not null default now(),
  primary key (user_id, role)
);

create table commerce.sellers (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references commerce.users (id) on delete set null,
  slug text not null unique,
  name text not null,
  -- Where escrow proceeds go (the order's seller on chain).
  payout_address text check (payout_address ~ '^0x[0-9a-f]{40}$'),
  country char(2) not null default 'US',
  created_at timestamptz not null default now()
);

create table commerce.categories (
  slug text primary key,
  parent_slug text references commerce.categories (slug),
  name text not null
);

create table commerce.products (
  id uuid primary key default gen_random_uuid(),
  sku text not null unique,
  slug text not null unique,
  -- keccak256(sku): the productId the contracts (escrow orders, reviews) use.
  chain_id_hash text not null unique check (chain_id_hash ~ '^0x[0-9a-f]{64}$'),
  category_slug text not null references commerce.categories (slug),
  brand text not null,
  title text not null,
  description text not null,
  attributes jsonb not null default '{}',
  model_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index products_category_idx on commerce.products (category_slug);

create table commerce.product_translations (
  product_id uuid not null references commerce.products (id) on delete cascade,
  locale text not null,
  title text not null,
  description text not null,
  primary key (product_id, locale)
);

create table commerce.product_images (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references commerce.products (id) on delete cascade,
  url text not null,
  alt text not null,
  position integer not null default 0
);
create index product_images_product_idx on commerce.product_images (product_id, position);

create table commerce.variants (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references commerce.products (id) on delete cascade,
  sku text not null unique,
  attributes jsonb not null default '{}'
);
create index variants_product_idx on commerce.variants (product_id);

-- A seller's offer of a product (or one of its variants): price, stock, how it ships and is paid.
create table commerce.offers (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references commerce.products (id) on delete cascade,
  variant_id uuid references commerce.variants (id) on delete cascade,
  seller_id uuid not null references commerce.sellers (id) on delete cascade,
  price_minor bigint not null check (price_minor > 0),
  currency char(3) not null,
  stock integer not null default 0 check (stock >= 0),
  delivery_options text[] not null default '{standard}',
  payment_methods text[] not null default '{wallet,card}',
  active boolean not null default true,
  created_at timestamptz not null default now(),
  unique nulls not distinct (seller_id, product_id, variant_id)
);
create index offers_product_idx on commerce.offers (product_id) where active;
create index offers_seller_idx on commerce.offers (seller_id);

create table commerce.fx_rates (
  base char(3) not null,
  quote char(3) not null,
  rate numeric(24, 12) not null check (rate > 0),
  updated_at timestamptz not null default now(),
  primary key (base, quote)
);

create table commerce.carts (
  id uuid primary key default gen_random_uuid(),
  owner_user_id uuid references commerce.users (id) on delete set null,
  -- Anyone with the link may view and (collaborative carts) edit.
  share_token text not null unique,
  collaborative boolean not null default false,
  currency char(3) not null default 'USD',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table commerce.cart_items (
  cart_id uuid not null references commerce.carts (id) on delete cascade,
  offer_id uuid not null references commerce.offers (id) on delete cascade,
  quantity integer not null check (quantity > 0 and quantity <= 999),
  added_by uuid references commerce.users (id) on delete set null,
  added_at timestamptz not null default now(),
  primary key (cart_id, offer_id)
);

-- Orders of both kinds: fiat (paid through a provider) and escrow (paid on chain; its state
-- lives in the indexer's tables and is joined in the unified order view).
create table commerce.orders (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('fiat', 'escrow')),
  user_id uuid references commerce.users (id) on delete set null,
  guest_email_enc text,
  -- bytes32 order id used on chain (escrow orders; fiat orders for their purchase receipts).
  chain_order_id text not null unique check (chain_order_id ~ '^0x[0-9a-f]{64}$'),
  currency char(3) not null,
  subtotal_minor bigint not null check (subtotal_minor >= 0),
  discount_minor bigint not null default 0 check (discount_minor >= 0),
  total_minor bigint not null check (total_minor >= 0),
  points_redeemed numeric(78, 0) not null default 0,
  status text not null,
  shipping_address_enc text,
  delivery_option text not null default 'standard',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index orders_user_idx on commerce.orders (user_id, created_at desc);

create table commerce.order_items (
  order_id uuid not null references commerce.orders (id) on delete cascade,
  offer_id uuid not null references commerce.offers (id),
  product_id uuid not null references commerce.products (id),
  seller_id uuid not null references commerce.sellers (id),
  quantity integer not null check (quantity > 0),
  unit_price_minor bigint not null check (unit_price_minor >= 0),
  primary key (order_id, offer_id)
);
create index order_items_seller_idx on commerce.order_items (seller_id);

create table commerce.order_status_history (
  id bigserial primary key,
  order_id uuid not null references commerce.orders (id) on delete cascade,
  status text not null,
  note text,
  at timestamptz not null default now()
);
create index order_status_history_order_idx on commerce.order_status_history (order_id, id);

create table commerce.payments (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references commerce.orders (id) on delete cascade,
  provider text not null check (provider in ('stripe', 'razorpay', 'coinbase', 'btcpay', 'wallet')),
  provider_payment_id text not null,
  method text,
  amount_minor bigint not null check (amount_minor >= 0),
  currency char(3) not null,
  status text not null,
  refunded_minor bigint not null default 0 check (refunded_minor >= 0),
  flagged_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider, provider_payment_id)
);
create index payments_order_idx on commerce.payments (order_id);

-- Every webhook delivery we accepted, recorded before it acts: the primary key makes a replay a no-op.
create table commerce.webhook_events (
  provider text not null,
  event_id text not null,
  type text not null,
  received_at timestamptz not null default now(),
  payload jsonb not null,
  outcome text,
  primary key (provider, event_id)
);

create table commerce.siwe_nonces (
  nonce text primary key,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table commerce.sessions (
  -- sha256 of the cookie's token: a leaked table does not leak sessions.
  token_hash text primary key,
  user_id uuid not null references commerce.users (id) on delete cascade,
  address text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user_idx on commerce.sessions (user_id);

-- Review text lives here, keyed by the content hash the Reviews contract stores.
create table commerce.review_texts (
  content_hash text primary key check (content_hash ~ '^0x[0-9a-f]{64}$'),
  chain_order_id text not null,
  product_id uuid not null references commerce.products (id) on delete cascade,
  author_user_id uuid references commerce.users (id) on delete set null,
  body text not null,
  locale text not null default 'en',
  created_at timestamptz not null default now()
);
create index review_texts_product_idx on commerce.review_texts (product_id, created_at desc);
