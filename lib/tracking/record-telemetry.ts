// One telemetry message from the broker: checked (topic, size, JSON shape, clock, device token),
// stored once per (shipment, seq) in a transaction that also moves the shipment's status and
// position when the message is the newest, and announced with NOTIFY for live streams. Returns
// what happened instead of throwing for anything a device can cause.
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../pricing/executor.ts";
import { hashDeviceToken, sameSecret, verifyDeviceToken } from "./device-token.ts";
import { type TrackingUpdate, trackingChannel } from "./notifications.ts";
import type { ShipmentStatus } from "./statuses.ts";
import { shipments, trackingEvents } from "./tables.ts";
import { parseTelemetryMessage } from "./telemetry-message.ts";
import { DEFAULT_TOPIC_ROOT, shipmentIdOfTopic } from "./topics.ts";

export type RejectReason =
  | "topic"
  | "too_large"
  | "malformed"
  | "clock_skew"
  | "topic_mismatch"
  | "unauthorised"
  | "unknown_shipment";

export const rejectReasons: readonly RejectReason[] = [
  "topic",
  "too_large",
  "malformed",
  "clock_skew",
  "topic_mismatch",
  "unauthorised",
  "unknown_shipment",
];

export type TelemetryOutcome =
  | { kind: "stored"; update: TrackingUpdate }
  | { kind: "duplicate"; shipmentId: string; seq: number }
  | { kind: "rejected"; reason: RejectReason; detail: string; topic: string; shipmentId?: string; seq?: number };

type ShipmentAfter = {
  status: ShipmentStatus;
  last_seq: string | null;
  carbon_total_g: number;
  delivered_at: Date | string | null;
};

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export async function recordTelemetry(
  db: Executor,
  input: { topic: string; payload: Uint8Array | string },
  options: { secret: string; topicRoot?: string; now?: Date },
): Promise<TelemetryOutcome> {
  const { topic } = input;
  const reject = (reason: RejectReason, detail: string, extra: { shipmentId?: string; seq?: number } = {}) =>
    ({ kind: "rejected", reason, detail, topic, ...extra }) as const;

  const topicShipment = shipmentIdOfTopic(topic, options.topicRoot ?? DEFAULT_TOPIC_ROOT);
  if (!topicShipment) return reject("topic", "not <root>/shipments/<shipment uuid>/telemetry");
  const parsed = parseTelemetryMessage(input.payload, options.now);
  if (!parsed.ok) return reject(parsed.reason, parsed.detail, { shipmentId: topicShipment });
  const m = parsed.message;
  const ids = { shipmentId: m.shipmentId, seq: m.seq };
  // A device may only speak on its own shipment's topic, so a topic ACL on the broker holds.
  if (m.shipmentId !== topicShipment) return reject("topic_mismatch", `message names ${m.shipmentId}`, ids);
  // The HMAC check needs no database, so forged traffic costs no query.
  if (!verifyDeviceToken(options.secret, m.shipmentId, m.token)) return reject("unauthorised", "bad device token", ids);

  const [shipment] = await db
    .select({ tokenHash: shipments.deviceTokenHash })
    .from(shipments)
    .where(eq(shipments.id, m.shipmentId));
  if (!shipment) return reject("unknown_shipment", "no such shipment", ids);
  // The stored hash must agree too: it is what the shipment was provisioned with.
  if (!sameSecret(shipment.tokenHash, hashDeviceToken(m.token))) {
    return reject("unauthorised", "token does not match the shipment's device", ids);
  }

  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(trackingEvents)
      .values({
        shipmentId: m.shipmentId,
        seq: m.seq,
        deviceId: m.deviceId,
        status: m.status,
        recordedAt: m.timestamp,
        lat: m.position.lat,
        lon: m.position.lon,
        temperatureC: m.temperatureC ?? null,
        carbonG: m.carbonGramsCo2e,
      })
      .onConflictDoNothing()
      .returning({ seq: trackingEvents.seq });
    if (inserted.length === 0) return { kind: "duplicate", ...ids } as const;

    const at = m.timestamp.toISOString();
    // Columns in SET see the row as it was, so `newer` is judged once against the old last_seq.
    // Concurrent messages of one shipment serialise on the row lock; the later one re-reads it.
    const newer = sql`(last_seq is null or last_seq < ${m.seq}::bigint)`;
    const after = await tx.execute<ShipmentAfter>(sql`
      update commerce.shipments set
        -- The first event replaces the quote's estimate (the device measures the real route);
        -- later ones only raise the cumulative figure, so a late message cannot shrink it.
        carbon_total_g = case when last_seq is null then ${m.carbonGramsCo2e}::float8
                              else greatest(carbon_total_g, ${m.carbonGramsCo2e}::float8) end,
        status = case when ${newer} then ${m.status}::text else status end,
        last_event_at = case when ${newer} then ${at}::timestamptz else last_event_at end,
        last_lat = case when ${newer} then ${m.position.lat}::float8 else last_lat end,
        last_lon = case when ${newer} then ${m.position.lon}::float8 else last_lon end,
        delivered_at = case when ${newer} and ${m.status}::text = 'delivered'
                            then coalesce(delivered_at, ${at}::timestamptz) else delivered_at end,
        last_seq = case when ${newer} then ${m.seq}::bigint else last_seq end,
        updated_at = now()
      where id = ${m.shipmentId}::uuid
      returning status, last_seq::text as last_seq, carbon_total_g, delivered_at`);
    const row = after.rows[0];
    if (!row) throw new Error(`shipment ${m.shipmentId} vanished while its event was stored`);
    const lastSeq = row.last_seq === null ? null : Number(row.last_seq);
    const update: TrackingUpdate = {
      shipmentId: m.shipmentId,
      seq: m.seq,
      deviceId: m.deviceId,
      status: m.status,
      timestamp: at,
      position: m.position,
      temperatureC: m.temperatureC ?? null,
      carbonGramsCo2e: m.carbonGramsCo2e,
      shipment: {
        status: row.status,
        lastSeq,
        carbonTotalGrams: Number(row.carbon_total_g),
        deliveredAt: iso(row.delivered_at),
        latest: lastSeq === m.seq,
      },
    };
    // Delivered on commit only, so listeners never see an event that was rolled back.
    await tx.execute(sql`select pg_notify(${trackingChannel(m.shipmentId)}, ${JSON.stringify(update)})`);
    return { kind: "stored", update } as const;
  });
}
