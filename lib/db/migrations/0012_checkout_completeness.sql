-- Checkout completeness (docs/commerce-payments.md, docs/commerce-orders.md): the object that
-- holds a payment's money when it is not the one the payment was created as, points redeemed on
-- fiat orders (burned on chain before the provider payment, re-minted once if the order is not
-- paid), and the priced delivery option of an order. Mirrored in lib/payments/tables.ts and
-- lib/orders/tables.ts.

-- A Stripe Checkout Session (payments.provider_payment_id = cs_…) is paid by a PaymentIntent that
-- exists only once the shopper pays; refunds are made on it and charge.refunded names it.
create table commerce.payment_captures (
  payment_id uuid primary key references commerce.payments (id) on delete cascade,
  provider text not null,
  capture_id text not null check (length(capture_id) between 1 and 255),
  created_at timestamptz not null default now(),
  unique (provider, capture_id)
);

-- Loyalty points redeemed on a fiat order. The holder signed an EIP-712 consent naming the order's
-- chain order id; the points service burns them (LoyaltyPoints.redeem) before the provider payment
-- and mints them back once if the order ends unpaid or refunded. Tx hashes are the proof.
create table commerce.points_redemptions (
  order_id uuid primary key references commerce.orders (id) on delete cascade,
  chain_id integer not null,
  points_address text not null check (points_address ~ '^0x[0-9a-f]{40}$'),
  holder text not null check (holder ~ '^0x[0-9a-f]{40}$'),
  -- Token units (18 decimals), exactly the consent's amount.
  amount numeric(78, 0) not null check (amount > 0),
  consent_deadline timestamptz not null,
  consent_signature text not null check (consent_signature ~ '^0x[0-9a-f]+$'),
  -- pending: recorded with the order, not burned yet; burned; burn_failed: the chain refused the
  -- burn (nothing to give back); remint_due: the order ended unpaid or refunded; reminted.
  status text not null default 'pending'
    check (status in ('pending', 'burned', 'burn_failed', 'remint_due', 'reminted')),
  burn_tx_hash text unique check (burn_tx_hash ~ '^0x[0-9a-f]{64}$'),
  burned_at timestamptz,
  remint_reason text,
  remint_tx_hash text unique check (remint_tx_hash ~ '^0x[0-9a-f]{64}$'),
  reminted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status not in ('burned', 'remint_due', 'reminted') or burn_tx_hash is not null),
  check ((status = 'reminted') = (remint_tx_hash is not null))
);
create index points_redemptions_remint_due_idx on commerce.points_redemptions (order_id) where status = 'remint_due';

-- The delivery option priced at checkout (lib/orders/price-delivery.ts): its fee is part of the
-- order total (orders.total_minor = subtotal - discount + delivery_fee_minor), the carbon estimate
-- and, for green delivery, the offset bought with that fee.
create table commerce.order_deliveries (
  order_id uuid primary key references commerce.orders (id) on delete cascade,
  option text not null check (option in ('standard', 'green', 'drone')),
  fee_minor bigint not null check (fee_minor >= 0),
  currency char(3) not null,
  carbon_grams integer not null check (carbon_grams >= 0),
  offset_minor bigint check (offset_minor >= 0),
  route_km double precision not null check (route_km >= 0),
  estimated_hours double precision not null check (estimated_hours >= 0),
  drone_region text,
  -- Where the parcel ships from and to, as priced (the destination's district, not the address).
  origin_label text not null,
  destination_label text not null,
  created_at timestamptz not null default now()
);
