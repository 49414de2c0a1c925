-- Data and bookkeeping for the TF.js models (lib/ml). Shopper behaviour is kept as raw events so
-- every model can be retrained from scratch; the synthetic generator marks its rows with the seed
-- it used, so re-running it replaces exactly its own rows and never touches real ones.
create table commerce.interactions (
  id bigserial primary key,
  -- A commerce.users id for real shoppers; synthetic shoppers have no account, hence no foreign key.
  user_id uuid not null,
  product_id uuid not null references commerce.products (id) on delete cascade,
  offer_id uuid references commerce.offers (id) on delete set null,
  kind text not null check (kind in ('view', 'cart', 'purchase')),
  quantity integer not null default 1 check (quantity > 0),
  -- Price paid or shown, in USD minor units, so demand can be related to price across currencies.
  unit_price_usd_minor bigint check (unit_price_usd_minor >= 0),
  occurred_at timestamptz not null,
  -- Null for real events; the generator's seed for synthetic ones.
  synthetic_seed text
);
create index interactions_user_idx on commerce.interactions (user_id, occurred_at desc);
create index interactions_product_idx on commerce.interactions (product_id, occurred_at);
create index interactions_synthetic_idx on commerce.interactions (synthetic_seed) where synthetic_seed is not null;

-- Weekly shelf price per product (USD minor units): what demand and price elasticity are fitted against.
create table commerce.product_price_weeks (
  product_id uuid not null references commerce.products (id) on delete cascade,
  week_start date not null,
  price_usd_minor bigint not null check (price_usd_minor > 0),
  synthetic_seed text,
  primary key (product_id, week_start)
);

-- One row per trained model: where its files are (relative to the models folder), how good it is on
-- held-out data and how long training took. The newest row of a kind is the one served.
create table commerce.ml_models (
  id bigserial primary key,
  kind text not null check (kind in ('recommender', 'demand', 'price', 'fraud')),
  version text not null,
  files text not null,
  metrics jsonb not null default '{}',
  params jsonb not null default '{}',
  training_ms integer not null check (training_ms >= 0),
  trained_at timestamptz not null default now(),
  unique (kind, version)
);
create index ml_models_kind_idx on commerce.ml_models (kind, trained_at desc, id desc);

-- Weekly unit forecasts per product written by the demand model, read by seller dashboards.
create table commerce.demand_forecasts (
  product_id uuid not null references commerce.products (id) on delete cascade,
  week_start date not null,
  units real not null check (units >= 0),
  model_version text not null,
  primary key (product_id, week_start)
);

-- The price range a seller accepts for an offer; price suggestions never leave it.
create table commerce.offer_price_bounds (
  offer_id uuid primary key references commerce.offers (id) on delete cascade,
  min_price_minor bigint not null check (min_price_minor > 0),
  max_price_minor bigint not null,
  updated_at timestamptz not null default now(),
  check (max_price_minor >= min_price_minor)
);
