-- Search documents get a version, and their columns a new order (lib/search/facet-store.ts).
--
-- Every write to a document stamps it with a new version from a sequence. A search reads only
-- the versions of its matches from PostgreSQL; each app process keeps the facet columns of the
-- versions it has seen in memory and counts facets there, fetching just the versions it does not
-- hold. A version is never reused, so a process can never count a document in a state it no
-- longer has.
--
-- The table is rebuilt rather than altered: PostgreSQL reads a row's columns in order and can
-- jump straight to fixed-width columns only while none before them is of variable length or
-- NULL. A search reads the version (and, to rank, the review count and rank_vector) of every
-- match, so those come first; appending the version as the last column cost about 2 ms per
-- query for a 6,000-match search on 2 cores.
create sequence commerce.search_document_versions;

create table commerce.search_documents_next (
  version bigint not null,
  product_id uuid not null references commerce.products (id) on delete cascade,
  review_count integer not null default 0,
  created_at timestamptz not null,
  offer_count integer not null default 0,
  in_stock boolean not null default false,
  rank_vector tsvector not null,
  rating_centi integer,
  price_usd_minor bigint,
  best_price_minor bigint,
  best_currency char(3),
  category_slug text not null,
  category_path text[] not null,
  seller_ids uuid[] not null default '{}',
  delivery_options text[] not null default '{}',
  payment_methods text[] not null default '{}',
  brand text not null,
  title text not null,
  document tsvector not null
);

-- As in 0002, and set before the rows are copied (storage settings apply to rows written after
-- them): rank_vector, read for every match, is kept inline.
alter table commerce.search_documents_next set (toast_tuple_target = 256);
alter table commerce.search_documents_next alter column rank_vector set storage main;

insert into commerce.search_documents_next (
  version, product_id, review_count, created_at, offer_count, in_stock, rank_vector, rating_centi, price_usd_minor,
  best_price_minor, best_currency, category_slug, category_path, seller_ids, delivery_options, payment_methods,
  brand, title, document)
select nextval('commerce.search_document_versions'), product_id, review_count, created_at, offer_count, in_stock,
  rank_vector, rating_centi, price_usd_minor, best_price_minor, best_currency, category_slug, category_path, seller_ids,
  delivery_options, payment_methods, brand, title, document
from commerce.search_documents
order by category_slug, product_id;

drop table commerce.search_documents;
alter table commerce.search_documents_next rename to search_documents;
alter table commerce.search_documents add constraint search_documents_pkey primary key (product_id);
alter table commerce.search_documents rename constraint search_documents_next_product_id_fkey
  to search_documents_product_id_fkey;

create unique index search_documents_version_idx on commerce.search_documents (version);
create index search_documents_document_idx on commerce.search_documents using gin (document)
  with (gin_pending_list_limit = 512);
create index search_documents_cluster_idx on commerce.search_documents (category_slug, product_id);
alter table commerce.search_documents cluster on search_documents_cluster_idx;
create index search_documents_category_idx on commerce.search_documents using gin (category_path);
create index search_documents_seller_idx on commerce.search_documents using gin (seller_ids);
create index search_documents_price_idx on commerce.search_documents (price_usd_minor);
create index search_documents_rating_idx on commerce.search_documents (rating_centi desc nulls last, review_count desc);
create index search_documents_created_idx on commerce.search_documents (created_at desc);

create function commerce.stamp_search_document_version() returns trigger
  language plpgsql
  as $$
begin
  new.version := nextval('commerce.search_document_versions');
  return new;
end $$;

create trigger search_documents_version before insert or update on commerce.search_documents
  for each row execute function commerce.stamp_search_document_version();
-- As in 0007: cached results learn of every committed change.
create constraint trigger search_documents_generation after insert or update or delete on commerce.search_documents
  deferrable initially deferred for each row execute function commerce.bump_search_generation();

analyze commerce.search_documents;
