-- Price comparison: prices of catalog products at other shops, imported from feeds
-- (docs/price-comparison.md, lib/price-comparison/import-feed.ts). One row per product and
-- source; a re-import of the same feed updates the row in place.
create table commerce.external_offers (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references commerce.products (id) on delete cascade,
  source text not null check (length(source) between 1 and 80),
  external_url text not null check (external_url ~ '^https?://'),
  price_minor bigint not null check (price_minor >= 0),
  currency char(3) not null,
  delivery_minor bigint not null default 0 check (delivery_minor >= 0),
  in_stock boolean not null default true,
  fetched_at timestamptz not null default now(),
  unique (product_id, source)
);
