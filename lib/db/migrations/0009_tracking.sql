-- Parcel tracking (docs/logistics.md): a shipment per parcel of an order, and the telemetry its
-- device publishes over MQTT, stored by the tracking ingester (lib/tracking/ingester.ts).
-- Mirrored in lib/tracking/tables.ts.
create table commerce.shipments (
  id uuid primary key default gen_random_uuid(),
  -- An order may ship in several parcels (one per seller), so this is not unique.
  order_id uuid not null references commerce.orders (id) on delete cascade,
  carrier text not null check (length(carrier) between 1 and 100),
  delivery_option text not null check (delivery_option in ('standard', 'green', 'drone')),
  -- sha256 (hex) of the device token. The token (an HMAC of the shipment id under the server's
  -- tracking secret) is handed to the device once; a stolen database does not yield tokens.
  device_token_hash text not null check (device_token_hash ~ '^[0-9a-f]{64}$'),
  status text not null default 'label_created'
    check (status in ('label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception')),
  eta timestamptz,
  -- Grams of CO2e: the quote's estimate at first, then the device's cumulative figure (never
  -- lowered, so a late or duplicate message cannot shrink it).
  carbon_total_g double precision not null default 0 check (carbon_total_g >= 0),
  -- What the buyer paid to offset it (green delivery), priced by the server.
  offset_minor bigint check (offset_minor >= 0),
  offset_currency char(3),
  -- Devices may deliver out of order: the event with the highest seq sets status and position.
  last_seq bigint,
  last_event_at timestamptz,
  last_lat double precision,
  last_lon double precision,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((offset_minor is null) = (offset_currency is null))
);
create index shipments_order_idx on commerce.shipments (order_id);
-- The order page asks "which of my escrow orders were delivered and await confirmation".
create index shipments_delivered_idx on commerce.shipments (order_id) where status = 'delivered';

-- One row per (shipment, seq): a message delivered twice (QoS 1 redelivery, a device retry, two
-- ingester replicas) is stored once.
create table commerce.tracking_events (
  shipment_id uuid not null references commerce.shipments (id) on delete cascade,
  seq bigint not null check (seq >= 0),
  device_id text not null,
  status text not null
    check (status in ('label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'exception')),
  -- The device's clock; received_at is ours.
  recorded_at timestamptz not null,
  received_at timestamptz not null default now(),
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180),
  temperature_c double precision,
  carbon_g double precision not null check (carbon_g >= 0),
  primary key (shipment_id, seq)
);
