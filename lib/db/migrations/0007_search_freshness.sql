-- Search freshness (lib/search): documents follow category renames and moves, and a generation
-- number tells every app process when its cached search results may be stale.

-- Bumped when a committing transaction has changed what search can show (documents, the term
-- dictionary, synonyms, exchange rates). Processes cache results per generation: reading one
-- sequence value is far cheaper than the search it saves. A sequence, not a counter row, so
-- concurrent catalog writers never queue on a lock.
create sequence commerce.search_generation;

create function commerce.bump_search_generation() returns trigger
  language plpgsql
  as $$
begin
  perform nextval('commerce.search_generation');
  return null;
end $$;

-- Deferred to commit: a reader that caches a result in between sees the bump only after the
-- writer's rows are (about to be) visible, so the window for caching a stale result under the new
-- generation is the commit itself rather than the whole transaction. Row-level because only
-- constraint triggers can be deferred; a bump costs a few microseconds.
create constraint trigger search_documents_generation after insert or update or delete on commerce.search_documents
  deferrable initially deferred for each row execute function commerce.bump_search_generation();
create constraint trigger search_terms_generation after insert or update or delete on commerce.search_terms
  deferrable initially deferred for each row execute function commerce.bump_search_generation();
create constraint trigger search_synonyms_generation after insert or update or delete on commerce.search_synonyms
  deferrable initially deferred for each row execute function commerce.bump_search_generation();
create constraint trigger fx_rates_search_generation after insert or update or delete on commerce.fx_rates
  deferrable initially deferred for each row execute function commerce.bump_search_generation();

-- Words of new and renamed categories join the dictionary at once: typo correction would
-- otherwise "correct" a new category word into some other word.
create function commerce.add_category_search_terms() returns trigger
  language plpgsql
  as $$
begin
  insert into commerce.search_terms (term)
  select distinct w from changed c, regexp_split_to_table(lower(unaccent(c.name)), '[^a-z0-9]+') w
  where length(w) between 2 and 40
  on conflict (term) do nothing;
  return null;
end $$;

create trigger categories_search_terms_insert after insert on commerce.categories
  referencing new table as changed for each statement execute function commerce.add_category_search_terms();
create trigger categories_search_terms_update after update on commerce.categories
  referencing new table as changed for each statement execute function commerce.add_category_search_terms();

-- A renamed or moved category changes the category words (weight B) and the category_path of
-- every product below it: those documents are rebuilt in the same transaction. Products are found
-- through the GIN index on category_path, whose arrays hold every ancestor.
create function commerce.search_refresh_changed_categories() returns trigger
  language plpgsql
  as $$
declare
  slugs text[];
begin
  if current_setting('neocart.search_refresh', true) = 'deferred' then
    return null;
  end if;
  select coalesce(array_agg(distinct n.slug), '{}') into slugs
  from changed n join previous o on o.slug = n.slug
  where (o.name, o.parent_slug) is distinct from (n.name, n.parent_slug);
  if cardinality(slugs) > 0 then
    perform commerce.refresh_search_documents(array(
      select d.product_id from commerce.search_documents d where d.category_path && slugs));
  end if;
  return null;
end $$;

create trigger categories_search_update after update on commerce.categories
  referencing old table as previous new table as changed
  for each statement execute function commerce.search_refresh_changed_categories();

-- Every search scans the GIN pending list (rows inserted since its last merge) in full; the
-- default 4 MB makes that a few milliseconds per query on a busy catalog. A smaller list merges
-- more often and bounds the scan; bulk loads still batch their merges.
alter index commerce.search_documents_document_idx set (gin_pending_list_limit = 512);
