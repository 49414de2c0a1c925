-- Provider subscriptions (Stripe Checkout in subscription mode) and their renewals. The order
-- the shopper placed is the subscription: its first period is the order's own payment; each
-- later billing period is a renewal, i.e. one commerce.payments row (provider_payment_id = the
-- provider's invoice id, so the existing unique key makes an invoice count once) plus the period
-- it paid for here. Renewals never create new orders: the items, address and seller stay those
-- of the original order, and the order keeps its own status (a past-due or cancelled
-- subscription does not un-pay the first period). Mirrored in lib/payments/tables.ts.
create table commerce.subscriptions (
  order_id uuid primary key references commerce.orders (id) on delete cascade,
  provider text not null check (provider in ('stripe', 'razorpay', 'coinbase', 'btcpay')),
  provider_subscription_id text not null,
  status text not null check (status in ('active', 'past_due', 'canceled')),
  -- End of the last period whose renewal was paid and matched the order (never moved by a
  -- flagged or failed renewal).
  paid_through timestamptz,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider, provider_subscription_id)
);

create table commerce.subscription_renewals (
  -- The payment row of the renewal invoice: its status (succeeded, flagged, failed), amount,
  -- currency and flagged_reason are the renewal's.
  payment_id uuid primary key references commerce.payments (id) on delete cascade,
  order_id uuid not null references commerce.subscriptions (order_id) on delete cascade,
  period_start timestamptz,
  period_end timestamptz,
  created_at timestamptz not null default now()
);
create index subscription_renewals_order_idx on commerce.subscription_renewals (order_id, period_start);
