-- Shoppable videos and live events (lib/video/, lib/live/). Mirrored in lib/video/tables.ts and
-- lib/live/tables.ts. Media files are the app's own (public/videos/): a URL is a local path, so a
-- page never loads media from elsewhere (the CSP's media-src is 'self' too).
create table commerce.videos (
  id uuid primary key default gen_random_uuid(),
  -- Stable key for seeding and links that survive a re-seed.
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  seller_id uuid not null references commerce.sellers (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  source_url text not null check (source_url ~ '^/videos/[a-z0-9][a-z0-9._-]*\.(mp4|webm|m3u8)$'),
  poster_url text check (poster_url ~ '^/videos/[a-z0-9][a-z0-9._-]*\.(jpg|png|webp)$'),
  duration_seconds double precision not null check (duration_seconds > 0 and duration_seconds <= 86400),
  created_at timestamptz not null default now()
);
create index videos_seller_idx on commerce.videos (seller_id);

-- A product shown over a window of the video. Windows of one video do not overlap (checked by
-- lib/video/placements.ts and, against races, by the exclusion constraint), so one card shows at a time.
create extension if not exists btree_gist;
create table commerce.video_placements (
  id uuid primary key default gen_random_uuid(),
  video_id uuid not null references commerce.videos (id) on delete cascade,
  product_id uuid not null references commerce.products (id) on delete cascade,
  start_seconds double precision not null check (start_seconds >= 0),
  end_seconds double precision not null,
  label text not null check (length(label) between 1 and 120),
  check (end_seconds > start_seconds),
  exclude using gist (video_id with =, numrange(start_seconds::numeric, end_seconds::numeric) with &&)
);
create index video_placements_video_idx on commerce.video_placements (video_id, start_seconds);

create table commerce.live_events (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  seller_id uuid not null references commerce.sellers (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  source_url text not null check (source_url ~ '^/videos/[a-z0-9][a-z0-9._-]*\.(mp4|webm|m3u8)$'),
  poster_url text check (poster_url ~ '^/videos/[a-z0-9][a-z0-9._-]*\.(jpg|png|webp)$'),
  status text not null default 'live' check (status in ('live', 'ended')),
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'ended') = (ended_at is not null))
);

-- Products the host pinned; one row per product, so pinning twice is a no-op.
create table commerce.live_pins (
  event_id uuid not null references commerce.live_events (id) on delete cascade,
  product_id uuid not null references commerce.products (id) on delete cascade,
  pinned_by uuid references commerce.users (id) on delete set null,
  pinned_at timestamptz not null default now(),
  primary key (event_id, product_id)
);

create table commerce.live_chat_messages (
  id bigserial primary key,
  event_id uuid not null references commerce.live_events (id) on delete cascade,
  -- A deleted account takes its chat lines with it.
  user_id uuid not null references commerce.users (id) on delete cascade,
  -- Chosen by the browser per message, so a retried post is stored once.
  client_message_id uuid not null,
  body text not null check (length(body) between 1 and 500),
  created_at timestamptz not null default now(),
  unique (user_id, client_message_id)
);
create index live_chat_messages_event_idx on commerce.live_chat_messages (event_id, id desc);
