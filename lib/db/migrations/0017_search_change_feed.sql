-- A change feed of search documents for the in-memory text index (lib/search/text-index.ts).
--
-- Each app process holds every document's lexemes and matches and ranks in memory; before a
-- search it reads what changed since its last read. Versions come from a sequence, so they are
-- taken at write time, not in commit order: a process that asked for "versions above the highest
-- I hold" would miss a transaction that took a lower version and committed later. The writer's
-- transaction id orders the feed instead: every transaction with an id below a snapshot's xmin has
-- finished, so a reader that asks for "written by transaction xmin or later" with the xmin of its
-- previous read sees every commit exactly once or more (it keeps the newest version of each).
alter table commerce.search_documents add column written_xid xid8;
create index search_documents_written_xid_idx on commerce.search_documents (written_xid);

create or replace function commerce.stamp_search_document_version() returns trigger
  language plpgsql
  as $$
begin
  new.version := nextval('commerce.search_document_versions');
  new.written_xid := pg_current_xact_id();
  return new;
end $$;

-- Deleted documents leave a tombstone for a day; a process that has not read the feed for longer
-- than that reloads everything instead (text-index.ts, FEED_RETENTION).
create table commerce.search_document_deletions (
  product_id uuid not null,
  version bigint not null,
  deleted_xid xid8 not null default pg_current_xact_id(),
  deleted_at timestamptz not null default now()
);
create index search_document_deletions_xid_idx on commerce.search_document_deletions (deleted_xid);
create index search_document_deletions_at_idx on commerce.search_document_deletions (deleted_at);

create function commerce.record_search_document_deletion() returns trigger
  language plpgsql
  as $$
begin
  insert into commerce.search_document_deletions (product_id, version) values (old.product_id, old.version);
  delete from commerce.search_document_deletions where deleted_at < now() - interval '1 day';
  return old;
end $$;

create trigger search_documents_deletion after delete on commerce.search_documents
  for each row execute function commerce.record_search_document_deletion();

-- A search result shows a product's first image, which the in-memory item store keeps by document
-- version (lib/search/item-store.ts): an image change refreshes the document, so it gets a new one.
create trigger images_search_insert after insert on commerce.product_images
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_children();
create trigger images_search_update after update on commerce.product_images
  referencing new table as changed for each statement execute function commerce.search_refresh_changed_children();
create trigger images_search_delete after delete on commerce.product_images
  referencing old table as changed for each statement execute function commerce.search_refresh_changed_children();
