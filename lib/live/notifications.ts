// Live events' real-time changes travel through PostgreSQL NOTIFY (lib/realtime/notification-hub.ts),
// one channel per event, so every app replica hears every chat line and pin whichever replica
// stored it. The NOTIFY is sent inside the transaction that stores the change, so listeners hear
// of it exactly when it is committed, never for a rollback.
import { sql } from "drizzle-orm";
import type pg from "pg";
import type { Executor } from "../pricing/executor.ts";
import { hubRegistry, NotificationHub } from "../realtime/notification-hub.ts";
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

/** One channel per live event, written by publishLiveNotice in the storing transaction. */
export class LiveNotificationHub {
  readonly #hub: NotificationHub<LiveNotice>;

  constructor(config: pg.ClientConfig) {
    this.#hub = new NotificationHub(config, "live notifications");
  }

  /** Resolves once the LISTEN is in place, so nothing published afterwards is missed. */
  subscribe(eventId: string, subscriber: LiveSubscriber): Promise<() => Promise<void>> {
    return this.#hub.subscribe(liveChannel(eventId), {
      onMessage: (notice) => subscriber.onNotice(notice),
      onLost: (error) => subscriber.onLost(error),
    });
  }

  close(): Promise<void> {
    return this.#hub.close();
  }
}

/** The hub of this process for the database behind `db` (one listening connection per pool). */
export const liveHubFor = hubRegistry((config) => new LiveNotificationHub(config));
