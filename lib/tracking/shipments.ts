// Shipments: created for an order (with the device token for its tracker), read back for the
// order page (snapshot of status and events), always scoped to the order's owner when asked for
// by a person.
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { orders } from "../db/schema.ts";
import { deliveryOptionSchema } from "../orders/delivery-options.ts";
import { OrderNotFoundError } from "../orders/errors.ts";
import { currencyCodeSchema } from "../pricing/currencies.ts";
import type { Executor } from "../pricing/executor.ts";
import { parseInput } from "../pricing/parse-input.ts";
import { deviceTokenFor, hashDeviceToken } from "./device-token.ts";
import type { ShipmentStatus } from "./statuses.ts";
import { type ShipmentRow, shipments, type TrackingEventRow, trackingEvents } from "./tables.ts";
import { DEFAULT_TOPIC_ROOT, telemetryTopic } from "./topics.ts";

export const createShipmentSchema = z
  .object({
    orderId: z.uuid(),
    carrier: z.string().trim().min(1).max(100),
    deliveryOption: deliveryOptionSchema,
    eta: z.date().optional(),
    /** The quote's estimate, shown until the device reports its own. */
    carbonEstimateGrams: z.number().min(0).optional(),
    /** What the buyer paid to offset the shipment (green delivery). */
    offset: z.object({ minor: z.bigint().nonnegative(), currency: currencyCodeSchema }).optional(),
  })
  .strict();
export type CreateShipmentInput = z.input<typeof createShipmentSchema>;

export type CreatedShipment = {
  shipment: ShipmentRow;
  /** Give this to the parcel's device; only its hash is stored. */
  deviceToken: string;
  /** Where the device publishes. */
  topic: string;
};

export async function createShipment(
  db: Executor,
  input: CreateShipmentInput,
  options: { secret: string; topicRoot?: string },
): Promise<CreatedShipment> {
  const args = parseInput(createShipmentSchema, input, "shipment");
  const [order] = await db.select({ id: orders.id }).from(orders).where(eq(orders.id, args.orderId));
  if (!order) throw new OrderNotFoundError(args.orderId);
  // The id is chosen here because the token (and so its hash) is derived from it.
  const id = randomUUID();
  const deviceToken = deviceTokenFor(options.secret, id);
  const [shipment] = await db
    .insert(shipments)
    .values({
      id,
      orderId: args.orderId,
      carrier: args.carrier,
      deliveryOption: args.deliveryOption,
      deviceTokenHash: hashDeviceToken(deviceToken),
      eta: args.eta ?? null,
      carbonTotalG: args.carbonEstimateGrams ?? 0,
      offsetMinor: args.offset?.minor ?? null,
      offsetCurrency: args.offset?.currency ?? null,
    })
    .returning();
  return {
    shipment: shipment as ShipmentRow,
    deviceToken,
    topic: telemetryTopic(id, options.topicRoot ?? DEFAULT_TOPIC_ROOT),
  };
}

/** JSON-ready view of a shipment (no token hash), as the order page and the SSE stream send it. */
export type ShipmentView = {
  id: string;
  orderId: string;
  carrier: string;
  deliveryOption: string;
  status: ShipmentStatus;
  eta: string | null;
  carbonTotalGrams: number;
  offset: { minor: string; currency: string } | null;
  lastSeq: number | null;
  lastEventAt: string | null;
  position: { lat: number; lon: number } | null;
  deliveredAt: string | null;
  createdAt: string;
};

export type TrackingEventView = {
  seq: number;
  deviceId: string;
  status: ShipmentStatus;
  timestamp: string;
  position: { lat: number; lon: number };
  temperatureC: number | null;
  carbonGramsCo2e: number;
};

export function toShipmentView(row: ShipmentRow): ShipmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    carrier: row.carrier,
    deliveryOption: row.deliveryOption,
    status: row.status,
    eta: row.eta?.toISOString() ?? null,
    carbonTotalGrams: row.carbonTotalG,
    offset:
      row.offsetMinor !== null && row.offsetCurrency !== null
        ? { minor: row.offsetMinor.toString(), currency: row.offsetCurrency }
        : null,
    lastSeq: row.lastSeq,
    lastEventAt: row.lastEventAt?.toISOString() ?? null,
    position: row.lastLat !== null && row.lastLon !== null ? { lat: row.lastLat, lon: row.lastLon } : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toTrackingEventView(row: TrackingEventRow): TrackingEventView {
  return {
    seq: row.seq,
    deviceId: row.deviceId,
    status: row.status,
    timestamp: row.recordedAt.toISOString(),
    position: { lat: row.lat, lon: row.lon },
    temperatureC: row.temperatureC,
    carbonGramsCo2e: row.carbonG,
  };
}

const lookupSchema = z.object({ shipmentId: z.uuid(), userId: z.uuid() }).strict();

/** The shipment when it belongs to one of `userId`'s orders; undefined otherwise (missing or not theirs alike). */
export async function findShipmentOfUser(
  db: Executor,
  input: { shipmentId: string; userId: string },
): Promise<ShipmentRow | undefined> {
  const args = parseInput(lookupSchema, input, "shipment lookup");
  const [row] = await db
    .select({ shipment: shipments })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .where(and(eq(shipments.id, args.shipmentId), eq(orders.userId, args.userId)));
  return row?.shipment;
}

export type TrackingSnapshot = { shipment: ShipmentView; events: TrackingEventView[] };

/** The shipment and its latest `limit` events, oldest first (what the map draws), or undefined. */
export async function readTrackingSnapshot(
  db: Executor,
  shipmentId: string,
  limit = 1000,
): Promise<TrackingSnapshot | undefined> {
  const id = z.uuid().safeParse(shipmentId);
  if (!id.success) return undefined;
  const [row] = await db.select().from(shipments).where(eq(shipments.id, id.data));
  if (!row) return undefined;
  const events = await db
    .select()
    .from(trackingEvents)
    .where(eq(trackingEvents.shipmentId, id.data))
    .orderBy(desc(trackingEvents.seq))
    .limit(limit);
  return { shipment: toShipmentView(row), events: events.reverse().map(toTrackingEventView) };
}

/** The shipments of one of `userId`'s orders (empty when the order is not theirs). */
export async function listOrderShipments(
  db: Executor,
  input: { orderId: string; userId: string },
): Promise<ShipmentView[]> {
  const args = parseInput(z.object({ orderId: z.uuid(), userId: z.uuid() }).strict(), input, "order shipments");
  const rows = await db
    .select({ shipment: shipments })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .where(and(eq(shipments.orderId, args.orderId), eq(orders.userId, args.userId)))
    .orderBy(asc(shipments.createdAt), asc(shipments.id));
  return rows.map((r) => toShipmentView(r.shipment));
}
