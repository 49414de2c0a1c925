-- The escrow checkout quote issued for each escrow order: what was signed, by which key, until
-- when. Lets the order view tell "awaiting payment" from "quote expired", and a job release the
-- stock of quotes that expired unpaid. Mirrored in lib/orders/tables.ts.
create table commerce.escrow_quotes (
  order_id uuid primary key references commerce.orders (id) on delete cascade,
  chain_id integer not null check (chain_id > 0),
  escrow_address text not null check (escrow_address ~ '^0x[0-9a-f]{40}$'),
  -- 0x0 for ETH, else the ERC-20 paid in.
  token text not null check (token ~ '^0x[0-9a-f]{40}$'),
  amount numeric(78, 0) not null check (amount > 0),
  fee numeric(78, 0) not null check (fee >= 0),
  points_to_redeem numeric(78, 0) not null default 0,
  expires_at timestamptz not null,
  signer_address text not null check (signer_address ~ '^0x[0-9a-f]{40}$'),
  signature text not null check (signature ~ '^0x[0-9a-f]+$'),
  created_at timestamptz not null default now()
);
create index escrow_quotes_expiry_idx on commerce.escrow_quotes (expires_at);
