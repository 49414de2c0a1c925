// PostgreSQL LISTEN/NOTIFY for server-sent streams: every app replica hears every change,
// whichever process stored it, and a replica receives only the channels its open streams LISTEN
// to. A hub keeps one dedicated listening connection (per pool and per kind of update) shared by
// all of its streams, and closes it after a while without listeners.
import pg from "pg";
import type { Db } from "../db/client.ts";

export type NotificationSubscriber<T> = {
  onMessage(payload: T): void;
  /** The listening connection failed: the subscriber should close (an EventSource reconnects). */
  onLost(error: Error): void;
};

type Channel<T> = { subscribers: Set<NotificationSubscriber<T>>; listening: Promise<void> };

const IDLE_CLOSE_MS = 30_000;

/** Payloads are JSON written only by our own NOTIFY calls on these channels, typed by `T`. */
export class NotificationHub<T> {
  readonly #config: pg.ClientConfig;
  readonly #label: string;
  #client: Promise<pg.Client> | undefined;
  readonly #channels = new Map<string, Channel<T>>();
  #idleTimer: NodeJS.Timeout | undefined;
  // LISTEN/UNLISTEN run one at a time: pg deprecates overlapping queries on one client.
  #queue: Promise<unknown> = Promise.resolve();

  /** `label` names the hub in errors ("tracking notifications"). */
  constructor(config: pg.ClientConfig, label: string) {
    this.#config = config;
    this.#label = label;
  }

  /** Resolves once the LISTEN is in place, so nothing published afterwards is missed. */
  async subscribe(name: string, subscriber: NotificationSubscriber<T>): Promise<() => Promise<void>> {
    clearTimeout(this.#idleTimer);
    let channel = this.#channels.get(name);
    if (!channel) {
      const listening = this.#query(`listen ${pg.escapeIdentifier(name)}`).then(() => undefined);
      const created: Channel<T> = { subscribers: new Set(), listening };
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
    this.#fail(new Error(`${this.#label} closed`));
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
    client.on("end", () => lost(new Error(`${this.#label} connection ended`)));
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
    let payload: T;
    try {
      payload = JSON.parse(message.payload) as T;
    } catch {
      return; // Only our own NOTIFYs use these channels; anything else is not ours to parse.
    }
    for (const subscriber of channel.subscribers) subscriber.onMessage(payload);
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

/** Connection settings of `db`'s pool, for a hub's own listening connection. */
export function listenerConfigOf(db: Db): pg.ClientConfig {
  const { connectionString, host, port, user, password, database, ssl } = db.$client.options;
  return { connectionString, host, port, user, password, database, ssl };
}

/** One hub per pool and kind, made by `create` the first time it is asked for. */
export function hubRegistry<H>(create: (config: pg.ClientConfig) => H): (db: Db) => H {
  const hubs = new WeakMap<pg.Pool, H>();
  return (db) => {
    let hub = hubs.get(db.$client);
    if (!hub) {
      hub = create(listenerConfigOf(db));
      hubs.set(db.$client, hub);
    }
    return hub;
  };
}
