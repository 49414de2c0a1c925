// Rows and helpers the tracking tests share: users and orders in plain SQL, shipments through
// lib/tracking, outcome waiting without timers, an SSE reader, and a reachability check for the
// machine's Mosquitto.
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import type { Db } from "../../../lib/db/client.ts";
import type { TelemetryOutcome, TrackingIngester } from "../../../lib/tracking/index.ts";

export async function seedUser(db: Db): Promise<string> {
  const { rows } = await db.$client.query<{ id: string }>(
    "insert into commerce.users (display_name) values ('tracking test') returning id",
  );
  return rows[0]?.id as string;
}

export async function seedOrder(db: Db, userId: string, kind: "escrow" | "fiat" = "escrow") {
  const chainOrderId = `0x${randomBytes(32).toString("hex")}`;
  const { rows } = await db.$client.query<{ id: string }>(
    `insert into commerce.orders (kind, user_id, chain_order_id, currency, subtotal_minor, total_minor, status)
     values ($1, $2, $3, 'USD', 1000, 1000, 'paid') returning id`,
    [kind, userId, chainOrderId],
  );
  return { id: rows[0]?.id as string, chainOrderId };
}

/** Records every outcome of an ingester and resolves waits as soon as their condition holds. */
export function watchOutcomes(ingester: TrackingIngester) {
  const seen: TelemetryOutcome[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  ingester.events.on("outcome", (outcome: TelemetryOutcome) => {
    seen.push(outcome);
    for (const w of [...waiters]) {
      if (w.test()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const until = (test: () => boolean) =>
    test() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));
  const of = (shipmentId: string) =>
    seen.filter((o) => (o.kind === "stored" ? o.update.shipmentId : o.shipmentId) === shipmentId);
  return {
    seen,
    until,
    of,
    /** Waits until `count` outcomes (of any kind) concern `shipmentId`. */
    forShipment: (shipmentId: string, count: number) => until(() => of(shipmentId).length >= count),
  };
}

export type SseEvent = { event: string; data: unknown; id?: string };

/** Reads Server-Sent Events from a stream, one parsed event at a time (comments skipped). */
export function sseReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split("\n")) {
            if (line.startsWith(":") || !line.includes(":")) continue;
            const at = line.indexOf(":");
            fields.set(line.slice(0, at), line.slice(at + 1).trimStart());
          }
          const data = fields.get("data");
          if (data === undefined) continue; // retry: and keep-alive comments
          return { event: fields.get("event") ?? "message", data: JSON.parse(data), id: fields.get("id") };
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

/** Whether something accepts TCP connections at host:port (within a second). */
export function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A topic root of its own, so runs sharing a broker never see each other's messages. */
export function uniqueTopicRoot(label: string): string {
  return `neocart-test-${label}-${randomBytes(4).toString("hex")}`;
}
