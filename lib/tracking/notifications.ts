// Live tracking updates travel through PostgreSQL NOTIFY (lib/realtime/notification-hub.ts), one
// channel per shipment, so every app replica hears every event whichever ingester stored it.
import type pg from "pg";
import { hubRegistry, NotificationHub } from "../realtime/notification-hub.ts";
import type { ShipmentStatus } from "./statuses.ts";

/** What the ingester NOTIFYs after storing an event, and what SSE consumers receive. */
export type TrackingUpdate = {
  shipmentId: string;
  seq: number;
  deviceId: string;
  status: ShipmentStatus;
  timestamp: string;
  position: { lat: number; lon: number };
  temperatureC: number | null;
  carbonGramsCo2e: number;
  /** The shipment after this event (an out-of-order event leaves its status as it was). */
  shipment: {
    status: ShipmentStatus;
    lastSeq: number | null;
    carbonTotalGrams: number;
    deliveredAt: string | null;
    /** Whether this event is now the shipment's latest (highest seq). */
    latest: boolean;
  };
};

/** Channel names are identifiers (at most 63 bytes): the prefix plus the uuid's 32 hex digits. */
export function trackingChannel(shipmentId: string): string {
  return `neocart_tracking_${shipmentId.toLowerCase().replaceAll("-", "")}`;
}

export type TrackingSubscriber = {
  onUpdate(update: TrackingUpdate): void;
  /** The listening connection failed: the subscriber should close (an EventSource reconnects). */
  onLost(error: Error): void;
};

/** One channel per shipment, written by the ingester after it stores an event. */
export class TrackingNotificationHub {
  readonly #hub: NotificationHub<TrackingUpdate>;

  constructor(config: pg.ClientConfig) {
    this.#hub = new NotificationHub(config, "tracking notifications");
  }

  /** Resolves once the LISTEN is in place, so nothing published afterwards is missed. */
  subscribe(shipmentId: string, subscriber: TrackingSubscriber): Promise<() => Promise<void>> {
    return this.#hub.subscribe(trackingChannel(shipmentId), {
      onMessage: (update) => subscriber.onUpdate(update),
      onLost: (error) => subscriber.onLost(error),
    });
  }

  close(): Promise<void> {
    return this.#hub.close();
  }
}

/** The hub of this process for the database behind `db` (one listening connection per pool). */
export const trackingHubFor = hubRegistry((config) => new TrackingNotificationHub(config));
