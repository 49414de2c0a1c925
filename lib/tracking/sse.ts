// Server-Sent Events for one shipment, for app/api/tracking/[shipmentId]/events/route.ts.
// The stream sends `event: snapshot` (the shipment and its latest events) and then one
// `event: tracking` per newly stored event, as the ingester NOTIFYs them. The LISTEN starts
// before the snapshot is read, so nothing stored in between is lost; what the snapshot already
// holds is not sent twice. Comments every 15 s keep proxies from closing an idle connection. If
// the listening connection fails the stream ends and the browser's EventSource reconnects (after
// the `retry` delay) and gets a fresh snapshot. Ownership is the caller's to check.
import type { Db } from "../db/client.ts";
import { type TrackingNotificationHub, type TrackingUpdate, trackingHubFor } from "./notifications.ts";
import { readTrackingSnapshot } from "./shipments.ts";

export type TrackingStreamOptions = {
  keepAliveMs?: number;
  snapshotLimit?: number;
  /** Default: the process's hub for `db`'s pool. */
  hub?: TrackingNotificationHub;
};

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-store, no-transform",
  connection: "keep-alive",
  // nginx buffers responses unless told otherwise, which would hold events back.
  "x-accel-buffering": "no",
} as const;

const frame = (event: string, data: unknown, id?: number) =>
  `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function trackingEventStream(
  db: Db,
  shipmentId: string,
  signal: AbortSignal,
  options: TrackingStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const hub = options.hub ?? trackingHubFor(db);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    signal.removeEventListener("abort", finish);
    void unsubscribe?.().catch(() => {});
    try {
      controller.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  };
  const send = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal.aborted) return finish();
      signal.addEventListener("abort", finish, { once: true });
      send("retry: 3000\n\n");
      let sent: Set<number> | undefined;
      const early: TrackingUpdate[] = [];
      const sendUpdate = (u: TrackingUpdate) => {
        if (!sent?.has(u.seq)) send(frame("tracking", u, u.seq));
      };
      try {
        unsubscribe = await hub.subscribe(shipmentId, {
          onUpdate: (u) => (sent ? sendUpdate(u) : early.push(u)),
          onLost: () => finish(),
        });
        if (closed) {
          await unsubscribe();
          return;
        }
        const snapshot = await readTrackingSnapshot(db, shipmentId, options.snapshotLimit);
        if (!snapshot) {
          send(frame("error", { error: `There is no shipment ${shipmentId}.` }));
          return finish();
        }
        send(frame("snapshot", snapshot));
        sent = new Set(snapshot.events.map((e) => e.seq));
        for (const u of early.splice(0)) sendUpdate(u);
        timer = setInterval(() => send(": keepalive\n\n"), options.keepAliveMs ?? 15_000);
        timer.unref();
      } catch (error) {
        console.error(`tracking stream for ${shipmentId} failed: ${(error as Error).message}`);
        send(frame("error", { error: "Live tracking is unavailable right now; retrying shortly." }));
        finish();
      }
    },
    cancel() {
      finish();
    },
  });
}
