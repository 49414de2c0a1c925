-- Gamification: referral codes and who referred whom, the ledger of every reward the rewards
-- service gives (points minted, badges awarded on chain), and the leaderboard it keeps ranked.
-- Mirrored in lib/gamification/tables.ts.

-- One shareable code per user, made the first time they open their referral page.
create table commerce.referral_codes (
  user_id uuid primary key references commerce.users (id) on delete cascade,
  -- Crockford-like alphabet without 0/O/1/I/L so a code read aloud or typed is not mistaken.
  code text not null unique check (code ~ '^[A-HJKMNP-Z2-9]{8}$'),
  created_at timestamptz not null default now()
);

-- Who referred whom. The referee is the key: a user is referred at most once, ever, so a second
-- attach (another code, a later sign-in) is refused by the database itself, not only by code.
create table commerce.referrals (
  referee_user_id uuid primary key references commerce.users (id) on delete cascade,
  referrer_user_id uuid not null references commerce.users (id) on delete cascade,
  code text not null,
  attached_at timestamptz not null default now(),
  check (referee_user_id <> referrer_user_id)
);
create index referrals_referrer_idx on commerce.referrals (referrer_user_id, attached_at desc);

-- Every reward, recorded under a unique key before its transaction is sent (with the signed
-- transaction and its hash), so a restart or a second runner can tell "sent" from "not sent" and
-- never pays twice. A reward moves pending -> submitted -> confirmed; a failed or dropped
-- transaction goes back to pending with a later next_attempt_at.
create table commerce.reward_awards (
  -- 'review:<order id>', 'referral:<referee user id>:referrer|referee', 'badge:<address>:<id>'
  award_key text primary key,
  kind text not null check (kind in ('review_points', 'referral_points', 'badge')),
  recipient text not null check (recipient ~ '^0x[0-9a-f]{40}$'),
  user_id uuid references commerce.users (id) on delete set null,
  -- Point-token units (18 decimals) for points rewards; the badge id for badges.
  points numeric(78, 0) check (points > 0),
  badge_id integer check (badge_id between 1 and 5),
  -- What earned it, for people reading the ledger (an order id, a referee, a count).
  reason text not null,
  status text not null default 'pending' check (status in ('pending', 'submitted', 'confirmed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  sender text check (sender ~ '^0x[0-9a-f]{40}$'),
  tx_nonce bigint check (tx_nonce >= 0),
  tx_hash text check (tx_hash ~ '^0x[0-9a-f]{64}$'),
  raw_tx text check (raw_tx ~ '^0x[0-9a-f]+$'),
  block_number bigint,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  confirmed_at timestamptz,
  check ((kind = 'badge') = (badge_id is not null)),
  check ((kind = 'badge') = (points is null)),
  check (status <> 'submitted' or (tx_hash is not null and raw_tx is not null and tx_nonce is not null))
);
create index reward_awards_due_idx on commerce.reward_awards (next_attempt_at)
  where status in ('pending', 'submitted');
create index reward_awards_recipient_idx on commerce.reward_awards (recipient, kind);
create index reward_awards_tx_idx on commerce.reward_awards (tx_hash) where tx_hash is not null;

-- Points earned (minted to an account: cashback, reviews, referrals) ranked per period, rebuilt
-- from the indexer's views at most once a minute so the leaderboard page reads a few rows.
create table commerce.leaderboard_entries (
  period text not null check (period in ('month', 'all')),
  address text not null check (address ~ '^0x[0-9a-f]{40}$'),
  rank integer not null check (rank > 0),
  points numeric(78, 0) not null check (points > 0),
  primary key (period, address)
);
create index leaderboard_entries_rank_idx on commerce.leaderboard_entries (period, rank);

create table commerce.leaderboard_refreshes (
  period text primary key check (period in ('month', 'all')),
  -- Start of the month ranked ('month'); a new month makes the ranking stale at once.
  period_start timestamptz,
  refreshed_at timestamptz not null
);
