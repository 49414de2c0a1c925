-- Catalog search (lib/search): a denormalised search document per product (weighted tsvector in
-- English and Spanish, accent-insensitive; cheapest price converted to USD; sellers, delivery
-- options and payment methods of its offers; rating), GIN indexes, a term dictionary for typo
-- correction and type-ahead, and synonyms. Rating summary columns on products (filled by the seed,
-- or from the indexer's neocart_chain.product_rating view when it exists).
create extension if not exists pg_trgm;
create extension if not exists unaccent;

alter table commerce.products
  add column review_count integer not null default 0 check (review_count >= 0),
  add column rating_sum integer not null default 0 check (rating_sum >= 0 and rating_sum <= 5 * review_count);

-- Accents are folded before stemming, so "camara", "cámara" and "CÁMARA" are one lexeme.
create text search configuration commerce.neocart_en (copy = pg_catalog.english);
alter text search configuration commerce.neocart_en
  alter mapping for hword, hword_part, word with unaccent, english_stem;
create text search configuration commerce.neocart_es (copy = pg_catalog.spanish);
alter text search configuration commerce.neocart_es
  alter mapping for hword, hword_part, word with unaccent, spanish_stem;
-- Unstemmed words of Spanish titles: the Spanish stemmer folds "cámara" and "cama" into one stem,
-- so exact words are indexed too and rank a Spanish query's exact matches first.
create text search configuration commerce.neocart_exact (copy = pg_catalog.simple);
alter text search configuration commerce.neocart_exact
  alter mapping for asciiword, asciihword, hword_asciipart, hword, hword_part, word with unaccent, simple;

-- Digits after the decimal point (ISO 4217) for the currencies that are not 2.
create function commerce.currency_exponent(currency text) returns integer
  language sql immutable parallel safe
  as $$ select case upper(currency) when 'JPY' then 0 when 'KRW' then 0 when 'VND' then 0
    when 'BHD' then 3 when 'KWD' then 3 when 'OMR' then 3 else 2 end $$;

-- fx_rates rows (base USD) turn any offer price into USD cents, so one index orders and filters
-- prices across currencies. NULL when the rate is missing (such offers are not price-filterable).
create function commerce.to_usd_minor(amount bigint, currency text) returns bigint
  language sql stable parallel safe
  as $$ select case when upper(currency) = 'USD' then amount else (
    select round(amount::numeric * 100 / (10::numeric ^ commerce.currency_exponent(currency)) / r.rate)::bigint
    from commerce.fx_rates r where r.base = 'USD' and r.quote = upper(currency)) end $$;

create function commerce.from_usd_minor(amount bigint, currency text) returns bigint
  language sql stable parallel safe
  as $$ select case when upper(currency) = 'USD' then amount else (
    select round(amount::numeric * r.rate * (10::numeric ^ commerce.currency_exponent(currency)) / 100)::bigint
    from commerce.fx_rates r where r.base = 'USD' and r.quote = upper(currency)) end $$;

create table commerce.search_documents (
  product_id uuid primary key references commerce.products (id) on delete cascade,
  category_slug text not null,
  -- Root first, ending with the leaf: a filter on "electronics" matches every product below it.
  category_path text[] not null,
  brand text not null,
  title text not null,
  -- Everything searchable (matched through the GIN index; kept out of line, see below).
  document tsvector not null,
  -- Titles, brand and category only: what ranking reads for every match, kept small and inline.
  rank_vector tsvector not null,
  -- The cheapest active offer, in USD cents and in its own currency.
  price_usd_minor bigint,
  best_price_minor bigint,
  best_currency char(3),
  offer_count integer not null default 0,
  seller_ids uuid[] not null default '{}',
  delivery_options text[] not null default '{}',
  payment_methods text[] not null default '{}',
  in_stock boolean not null default false,
  review_count integer not null default 0,
  -- Average stars × 100 (as neocart_chain.product_rating.average_centi_stars); NULL with no reviews.
  rating_centi integer,
  created_at timestamptz not null
);
-- Facets and ranking read every matching row: with the large document moved out of line (TOAST)
-- a heap page holds several times more rows, and clustering by category (seed-catalog runs
-- CLUSTER) puts the matches of a typical query on few pages.
alter table commerce.search_documents set (toast_tuple_target = 256);
alter table commerce.search_documents alter column rank_vector set storage main;
create index search_documents_document_idx on commerce.search_documents using gin (document);
create index search_documents_cluster_idx on commerce.search_documents (category_slug, product_id);
alter table commerce.search_documents cluster on search_documents_cluster_idx;
create index search_documents_category_idx on commerce.search_documents using gin (category_path);
create index search_documents_seller_idx on commerce.search_documents using gin (seller_ids);
create index search_documents_price_idx on commerce.search_documents (price_usd_minor);
create index search_documents_rating_idx on commerce.search_documents (rating_centi desc nulls last, review_count desc);
create index search_documents_created_idx on commerce.search_documents (created_at desc);

-- Words of titles, brands and category names (accents folded, lower case): query terms are
-- corrected against this small table (trigram KNN) before the full-text query runs, and it
-- completes the last word of a type-ahead prefix.
create table commerce.search_terms (
  term text primary key check (term ~ '^[a-z0-9]+$'),
  frequency integer not null default 1
);
-- Typos are corrected to words, never to model codes ("kx470"): the KNN index skips those, which
-- keeps it a few thousand entries however large the catalog grows.
create index search_terms_trgm_idx on commerce.search_terms using gist (term gist_trgm_ops) where term ~ '^[a-z]+$';
create index search_terms_prefix_idx on commerce.search_terms (term text_pattern_ops, frequency);

-- A query term also matches its synonyms (one way: add both rows for a two-way synonym).
create table commerce.search_synonyms (
  term text not null check (term ~ '^[a-z0-9]+$'),
  synonym text not null check (synonym ~ '^[a-z0-9]+$'),
  primary key (term, synonym)
);
insert into commerce.search_synonyms (term, synonym) values
  ('tv', 'television'), ('tvs', 'television'), ('telly', 'television'), ('television', 'tv'),
  ('phone', 'smartphone'), ('cellphone', 'smartphone'), ('mobile', 'smartphone'), ('smartphone', 'phone'),
  ('movil', 'smartphone'), ('celular', 'smartphone'),
  ('sneakers', 'shoes'), ('trainers', 'sneakers'), ('trainers', 'shoes'), ('shoes', 'sneakers'),
  ('kicks', 'sneakers'), ('notebook', 'laptop'), ('computer', 'laptop'), ('headset', 'headphones'),
  ('earphones', 'earbuds'), ('earphones', 'headphones'), ('couch', 'sofa'), ('settee', 'sofa'),
  ('fridge', 'refrigerator'), ('bike', 'bicycle'), ('ebike', 'bicycle'), ('tee', 'shirt'),
  ('hoover', 'vacuum'), ('barbecue', 'grill'), ('bbq', 'grill'), ('specs', 'sunglasses'),
  ('shades', 'sunglasses'), ('cologne', 'perfume'), ('fragrance', 'perfume'), ('lego', 'building'),
  ('rucksack', 'backpack'), ('bag', 'backpack'), ('drill', 'driver');

-- Builds (or rebuilds) the search documents of the given products from the catalog tables.
create function commerce.refresh_search_documents(ids uuid[]) returns integer
  language sql volatile
  as $$
  with recursive tree as (
    select slug, array[slug] as path, name::text as names from commerce.categories where parent_slug is null
    union all
    select c.slug, t.path || c.slug, t.names || ' ' || c.name from commerce.categories c join tree t on c.parent_slug = t.slug
  ),
  written as (
    insert into commerce.search_documents as d (
      product_id, category_slug, category_path, brand, title, document, rank_vector, price_usd_minor, best_price_minor,
      best_currency, offer_count, seller_ids, delivery_options, payment_methods, in_stock, review_count,
      rating_centi, created_at)
    select p.id, p.category_slug, coalesce(t.path, array[p.category_slug]), p.brand, p.title,
      setweight(to_tsvector('commerce.neocart_en', p.title || ' ' || p.brand), 'A')
        || setweight(to_tsvector('commerce.neocart_en', coalesce(t.names, p.category_slug)), 'B')
        || setweight(to_tsvector('commerce.neocart_en', p.description), 'D')
        || coalesce((select setweight(to_tsvector('commerce.neocart_es', tr.title), 'A')
                         || setweight(to_tsvector('commerce.neocart_exact', tr.title), 'A')
                         || setweight(to_tsvector('commerce.neocart_es', tr.description), 'D')
                     from commerce.product_translations tr where tr.product_id = p.id and tr.locale = 'es'), ''),
      setweight(to_tsvector('commerce.neocart_en', p.title || ' ' || p.brand), 'A')
        || setweight(to_tsvector('commerce.neocart_en', coalesce(t.names, p.category_slug)), 'B')
        || coalesce((select setweight(to_tsvector('commerce.neocart_es', tr.title), 'A')
                         || setweight(to_tsvector('commerce.neocart_exact', tr.title), 'A')
                     from commerce.product_translations tr where tr.product_id = p.id and tr.locale = 'es'), ''),
      o.price_usd_minor, o.best_price_minor, o.best_currency, coalesce(o.offer_count, 0),
      coalesce(o.seller_ids, '{}'),
      coalesce((select array_agg(distinct x order by x) from commerce.offers o2, unnest(o2.delivery_options) x
                where o2.product_id = p.id and o2.active), '{}'),
      coalesce((select array_agg(distinct x order by x) from commerce.offers o2, unnest(o2.payment_methods) x
                where o2.product_id = p.id and o2.active), '{}'),
      coalesce(o.in_stock, false), p.review_count,
      case when p.review_count > 0 then round(p.rating_sum * 100.0 / p.review_count)::integer end,
      p.created_at
    from commerce.products p
    left join tree t on t.slug = p.category_slug
    left join lateral (
      select min(commerce.to_usd_minor(ofr.price_minor, ofr.currency)) as price_usd_minor,
        (array_agg(ofr.price_minor order by commerce.to_usd_minor(ofr.price_minor, ofr.currency) nulls last))[1] as best_price_minor,
        (array_agg(ofr.currency order by commerce.to_usd_minor(ofr.price_minor, ofr.currency) nulls last))[1] as best_currency,
        count(*)::integer as offer_count,
        array_agg(distinct ofr.seller_id) as seller_ids,
        bool_or(ofr.stock > 0) as in_stock
      from commerce.offers ofr where ofr.product_id = p.id and ofr.active
    ) o on true
    where p.id = any(ids)
    on conflict (product_id) do update set
      category_slug = excluded.category_slug, category_path = excluded.category_path, brand = excluded.brand,
      title = excluded.title, document = excluded.document, rank_vector = excluded.rank_vector,
      price_usd_minor = excluded.price_usd_minor,
      best_price_minor = excluded.best_price_minor, best_currency = excluded.best_currency,
      offer_count = excluded.offer_count, seller_ids = excluded.seller_ids,
      delivery_options = excluded.delivery_options, payment_methods = excluded.payment_methods,
      in_stock = excluded.in_stock, review_count = excluded.review_count, rating_centi = excluded.rating_centi,
      created_at = excluded.created_at
    returning d.product_id
  ),
  -- New words become correctable at once; frequencies are recounted by rebuild_search_terms().
  new_terms as (
    insert into commerce.search_terms (term)
    select distinct w from commerce.products p,
      regexp_split_to_table(lower(unaccent(p.title || ' ' || p.brand)), '[^a-z0-9]+') w
    where p.id = any(ids) and length(w) between 2 and 40
    on conflict (term) do nothing
  )
  select count(*)::integer from written
$$;

-- Recounts the term dictionary from every title (both languages), brand and category name.
create function commerce.rebuild_search_terms() returns integer
  language plpgsql volatile
  as $$
declare
  total integer;
begin
  delete from commerce.search_terms;
  insert into commerce.search_terms (term, frequency)
  select w, count(*)::integer from (
    select regexp_split_to_table(lower(unaccent(p.title || ' ' || p.brand)), '[^a-z0-9]+') from commerce.products p
    union all
    select regexp_split_to_table(lower(unaccent(tr.title)), '[^a-z0-9]+') from commerce.product_translations tr
    union all
    select regexp_split_to_table(lower(unaccent(c.name)), '[^a-z0-9]+') from commerce.categories c
    union all
    select term from commerce.search_synonyms
    union all
    select synonym from commerce.search_synonyms
  ) words (w)
  where length(w) between 2 and 40
  group by w;
  get diagnostics total = row_count;
  return total;
end $$;

-- Copies the indexer's on-chain rating aggregate onto products when that view exists (it is
-- absent when the indexer has never run), then refreshes the affected search documents.
create function commerce.sync_ratings_from_chain() returns integer
  language plpgsql volatile
  as $$
declare
  changed uuid[];
begin
  if to_regclass('neocart_chain.product_rating') is null then
    return 0;
  end if;
  execute $q$
    with updated as (
      update commerce.products p set review_count = r.review_count::integer, rating_sum = r.rating_sum::integer
      from neocart_chain.product_rating r
      where r.id = p.chain_id_hash and (p.review_count, p.rating_sum) is distinct from (r.review_count::integer, r.rating_sum::integer)
      returning p.id)
    select coalesce(array_agg(id), '{}') from updated $q$ into changed;
  perform commerce.refresh_search_documents(changed);
  return cardinality(changed);
end $$;

-- Keeps documents current when the catalog changes through the app. A bulk loader sets
-- neocart.search_refresh = 'deferred' (transaction-local) and refreshes once per batch instead.
create function commerce.search_refresh_changed_products() returns trigger
  language plpgsql
  as $$
begin
  if current_setting('neocart.search_refresh', true) = 'deferred' then
    return null;
  end if;
  perform commerce.refresh_search_documents(array(select distinct id from changed));
  return null;
end $$;

create function commerce.search_refresh_changed_children() returns trigger
  language plpgsql
  as $$
begin
  if current_setting('neocart.search_refresh', true) = 'deferred' then
    return null;
  end if;
  perform commerce.refresh_search_documents(array(select distinct product_id from changed));
  return null;
end $$;

-- Checkout decrements stock on every order: only a change search shows (price, currency, seller,
-- delivery, payment, active, in stock or not) refreshes the document, so orders do no search work.
create function commerce.search_refresh_changed_offers() returns trigger
  language plpgsql
  as $$
begin
  if current_setting('neocart.search_refresh', true) = 'deferred' then
    return null;
  end if;
  perform commerce.refresh_search_documents(array(
    select n.product_id from changed n join previous o on o.id = n.id
    where (o.product_id, o.seller_id, o.price_minor, o.currency, o.delivery_options, o.payment_methods, o.active, o.stock > 0)
      is distinct from (n.product_id, n.seller_id, n.price_minor, n.currency, n.delivery_options, n.payment_methods, n.active, n.stock > 0)
    union
    select o.product_id from previous o join changed n on n.id = o.id where o.product_id <> n.product_id));
  return null;
end $$;

create trigger products_search_insert after insert on commerce.products
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_products();
create trigger products_search_update after update on commerce.products
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_products();
create trigger offers_search_insert after insert on commerce.offers
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_children();
create trigger offers_search_update after update on commerce.offers
  referencing old table as previous new table as changed
  for each statement execute function commerce.search_refresh_changed_offers();
create trigger offers_search_delete after delete on commerce.offers
  referencing old table as changed for each statement execute function commerce.search_refresh_changed_children();
create trigger translations_search_insert after insert on commerce.product_translations
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_children();
create trigger translations_search_update after update on commerce.product_translations
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_children();
create trigger translations_search_delete after delete on commerce.product_translations
  referencing old table as changed for each statement execute function commerce.search_refresh_changed_children();
