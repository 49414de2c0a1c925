// Server-Sent Events for one shipment, for app/api/tracking/[shipmentId]/events/route.ts: `event:
// snapshot` (the shipment and its latest events), then one `event: tracking` per newly stored
// event as the ingester NOTIFYs it (lib/realtime/sse-stream.ts: listening starts before the
// snapshot is read; events the snapshot holds are not sent twice). Ownership is the caller's to
// check.
import type { Db } from "../db/client.ts";
import { notifiedEventStream } from "../realtime/sse-stream.ts";
import { type TrackingNotificationHub, type TrackingUpdate, trackingHubFor } from "./notifications.ts";
import { readTrackingSnapshot } from "./shipments.ts";

export { SSE_HEADERS } from "../realtime/sse-stream.ts";

export type TrackingStreamOptions = {
  keepAliveMs?: number;
  snapshotLimit?: number;
  /** Default: the process's hub for `db`'s pool. */
  hub?: TrackingNotificationHub;
};

export function trackingEventStream(
  db: Db,
  shipmentId: string,
  signal: AbortSignal,
  options: TrackingStreamOptions = {},
): ReadableStream<Uint8Array> {
  const hub = options.hub ?? trackingHubFor(db);
  return notifiedEventStream<TrackingUpdate>({
    signal,
    keepAliveMs: options.keepAliveMs,
    subscribe: ({ onNotice, onLost }) => hub.subscribe(shipmentId, { onUpdate: onNotice, onLost }),
    async open(writer) {
      const snapshot = await readTrackingSnapshot(db, shipmentId, options.snapshotLimit);
      if (!snapshot) {
        writer.send("error", { error: `There is no shipment ${shipmentId}.` });
        return undefined;
      }
      writer.send("snapshot", snapshot);
      const sent = new Set(snapshot.events.map((e) => e.seq));
      return (update) => {
        if (!sent.has(update.seq)) writer.send("tracking", update, update.seq);
      };
    },
    failure: {
      event: "error",
      message: "Live tracking is unavailable right now; retrying shortly.",
      log: `tracking stream for ${shipmentId}`,
    },
  });
}
