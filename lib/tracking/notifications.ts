// Live updates travel through PostgreSQL NOTIFY, one channel per shipment, so every app replica
// hears every stored event whichever ingester stored it, and a replica only receives the
// channels its open SSE streams LISTEN to. Each process (per pg pool) keeps one dedicated
// listening connection, shared by all of its streams.
import pg from "pg";
import type { Db } from "../db/client.ts";
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

type Channel = { subscribers: Set<TrackingSubscriber>; listening: Promise<void> };

const IDLE_CLOSE_MS = 30_000;

export class TrackingNotificationHub {
  readonly #config: pg.ClientConfig;
  #client: Promise<pg.Client> | undefined;
  readonly #channels = new Map<string, Channel>();
  #idleTimer: NodeJS.Timeout | undefined;
  // LISTEN/UNLISTEN run one at a time: pg deprecates overlapping queries on one client.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /** Resolves once the LISTEN is in place, so nothing published afterwards is missed. */
  async subscribe(shipmentId: string, subscriber: TrackingSubscriber): Promise<() => Promise<void>> {
    clearTimeout(this.#idleTimer);
    const name = trackingChannel(shipmentId);
    let channel = this.#channels.get(name);
    if (!channel) {
      const listening = this.#query(`listen ${pg.escapeIdentifier(name)}`);
      channel = { subscribers: new Set(), listening: listening.then(() => undefined) };
      this.#channels.set(name, channel);
      // A failed LISTEN must not stay cached for the next subscriber.
      channel.listening.catch(() => {
        if (this.#channels.get(name) === channel) this.#channels.delete(name);
      });
    }
    channel.subscribers.add(subscriber);
    try {
      await channel.listening;
    } catch (error) {
      channel.subscribers.delete(subscriber);
      throw error;
    }
    const current = channel;
    return async () => {
      current.subscribers.delete(subscriber);
      if (current.subscribers.size > 0 || this.#channels.get(name) !== current) return;
      this.#channels.delete(name);
      if (this.#client) await this.#query(`unlisten ${pg.escapeIdentifier(name)}`).catch(() => {});
      if (this.#channels.size === 0) this.#scheduleIdleClose();
    };
  }

  /** Closes the listening connection (its streams are told the connection is gone). */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#fail(new Error("tracking notifications closed"));
    await (await client?.catch(() => undefined))?.end().catch(() => {});
  }

  #query(text: string): Promise<unknown> {
    // #queue never rejects (see below), so each query waits for the one before it.
    const run = this.#queue.then(async () => (await this.#connect()).query(text));
    this.#queue = run.catch(() => {});
    return run;
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client({ ...this.#config, keepAlive: true });
    client.on("notification", (message) => this.#deliver(message));
    const lost = (error: Error) => {
      if (this.#client !== connecting) return;
      this.#client = undefined;
      this.#fail(error);
      client.end().catch(() => {});
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("tracking notification connection ended")));
    const connecting = client.connect().then(() => client);
    this.#client = connecting;
    connecting.catch(() => {
      if (this.#client === connecting) this.#client = undefined;
    });
    return connecting;
  }

  #deliver(message: pg.Notification) {
    const channel = this.#channels.get(message.channel);
    if (!channel || !message.payload) return;
    let update: TrackingUpdate;
    try {
      update = JSON.parse(message.payload) as TrackingUpdate;
    } catch {
      return; // Only the ingester notifies on these channels; anything else is not ours to parse.
    }
    for (const subscriber of channel.subscribers) subscriber.onUpdate(update);
  }

  #fail(error: Error) {
    const channels = [...this.#channels.values()];
    this.#channels.clear();
    for (const channel of channels) for (const subscriber of channel.subscribers) subscriber.onLost(error);
  }

  #scheduleIdleClose() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#channels.size === 0) void this.close();
    }, IDLE_CLOSE_MS);
    this.#idleTimer.unref();
  }
}

const hubs = new WeakMap<pg.Pool, TrackingNotificationHub>();

/** The hub of this process for the database behind `db` (one listening connection per pool). */
export function trackingHubFor(db: Db): TrackingNotificationHub {
  const pool = db.$client;
  let hub = hubs.get(pool);
  if (!hub) {
    const { connectionString, host, port, user, password, database, ssl } = pool.options;
    hub = new TrackingNotificationHub({ connectionString, host, port, user, password, database, ssl });
    hubs.set(pool, hub);
  }
  return hub;
}
