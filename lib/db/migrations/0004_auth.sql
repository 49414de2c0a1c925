-- Sign-in support tables. Rate-limit counters live in Postgres (not process memory) so a restart
-- or a second app replica does not hand an attacker a fresh budget.
create table commerce.auth_rate_limits (
  -- What is limited and for whom, e.g. 'sign-in:ip:203.0.113.7'.
  bucket text primary key,
  window_started_at timestamptz not null,
  hits integer not null check (hits >= 0)
);

-- Expired nonces are purged by expiry; this keeps that delete cheap.
create index siwe_nonces_expires_idx on commerce.siwe_nonces (expires_at);
