// Live events' real-time changes travel through PostgreSQL NOTIFY, one channel per event, so every
// app replica hears every chat line and pin whichever replica stored it, and a replica receives
// only the channels its open streams LISTEN to. The NOTIFY is sent inside the transaction that
// stores the change, so listeners hear of it exactly when it is committed, never for a rollback.
// Each process (per pg pool) keeps one dedicated listening connection shared by all its streams.
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Db } from "../db/client.ts";
import type { Executor } from "../pricing/executor.ts";
import type { LiveEventStatus } from "./tables.ts";

export type ChatMessageView = { id: number; author: string; body: string; createdAt: string };

/** What is NOTIFYed. Pins carry no cards: each stream re-reads them in its viewer's currency. */
export type LiveNotice =
  | { type: "chat"; message: ChatMessageView }
  | { type: "pins" }
  | { type: "status"; status: LiveEventStatus };

/** Channel names are identifiers (at most 63 bytes): the prefix plus the uuid's 32 hex digits. */
export function liveChannel(eventId: string): string {
  return `neocart_live_${eventId.toLowerCase().replaceAll("-", "")}`;
}

/** NOTIFYs the event's listeners when the caller's transaction commits. */
export async function publishLiveNotice(tx: Executor, eventId: string, notice: LiveNotice): Promise<void> {
  await tx.execute(sql`select pg_notify(${liveChannel(eventId)}, ${JSON.stringify(notice)})`);
}

export type LiveSubscriber = {
  onNotice(notice: LiveNotice): void;
  /** The listening connection failed: the subscriber should close (an EventSource reconnects). */
  onLost(error: Error): void;
};

type Channel = { subscribers: Set<LiveSubscriber>; listening: Promise<void> };

const IDLE_CLOSE_MS = 30_000;

export class LiveNotificationHub {
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
  async subscribe(eventId: string, subscriber: LiveSubscriber): Promise<() => Promise<void>> {
    clearTimeout(this.#idleTimer);
    const name = liveChannel(eventId);
    let channel = this.#channels.get(name);
    if (!channel) {
      const listening = this.#query(`listen ${pg.escapeIdentifier(name)}`).then(() => undefined);
      const created: Channel = { subscribers: new Set(), listening };
      channel = created;
      this.#channels.set(name, created);
      // A failed LISTEN must not stay cached for the next subscriber.
      listening.catch(() => {
        if (this.#channels.get(name) === created) this.#channels.delete(name);
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

  /** Closes the listening connection (its subscribers are told it is gone). */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#fail(new Error("live notifications closed"));
    await (await client?.catch(() => undefined))?.end().catch(() => {});
  }

  #query(text: string): Promise<unknown> {
    // #queue never rejects, so each query waits for the one before it.
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
    client.on("end", () => lost(new Error("live notification connection ended")));
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
    let notice: LiveNotice;
    try {
      notice = JSON.parse(message.payload) as LiveNotice;
    } catch {
      return; // Only publishLiveNotice writes to these channels; anything else is not ours.
    }
    for (const subscriber of channel.subscribers) subscriber.onNotice(notice);
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

const hubs = new WeakMap<pg.Pool, LiveNotificationHub>();

/** The hub of this process for the database behind `db` (one listening connection per pool). */
export function liveHubFor(db: Db): LiveNotificationHub {
  const pool = db.$client;
  let hub = hubs.get(pool);
  if (!hub) {
    const { connectionString, host, port, user, password, database, ssl } = pool.options;
    hub = new LiveNotificationHub({ connectionString, host, port, user, password, database, ssl });
    hubs.set(pool, hub);
  }
  return hub;
}
