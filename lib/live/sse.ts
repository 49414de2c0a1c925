// Server-Sent Events for one live event, for app/api/live/[eventId]/events/route.ts: `event:
// snapshot` (status, pinned products, newest chat lines), then, as changes are NOTIFYed, `chat`
// (one new line), `pins` (the whole pinned list, re-read in this viewer's currency and language)
// and `status` (the event ended). Listening starts before the snapshot is read
// (lib/realtime/sse-stream.ts), and chat lines the snapshot holds are not sent twice.
import type { Db } from "../db/client.ts";
import type { Locale } from "../i18n/locales.ts";
import { notifiedEventStream } from "../realtime/sse-stream.ts";
import { CHAT_HISTORY, listRecentChat } from "./chat.ts";
import { readLiveEvent } from "./events.ts";
import { type ChatMessageView, type LiveNotice, type LiveNotificationHub, liveHubFor } from "./notifications.ts";
import { type PinnedProductView, toPinnedView } from "./pinned-view.ts";
import { readPinnedCards } from "./pins.ts";
import type { LiveEventStatus } from "./tables.ts";

export { SSE_HEADERS } from "../realtime/sse-stream.ts";

export type LiveSnapshot = { status: LiveEventStatus; pins: PinnedProductView[]; messages: ChatMessageView[] };

export type LiveStreamOptions = {
  currency: string;
  locale: Locale;
  keepAliveMs?: number;
  /** Default: the process's hub for `db`'s pool. */
  hub?: LiveNotificationHub;
};

export async function readPinnedViews(
  db: Db,
  eventId: string,
  options: { currency: string; locale: Locale },
): Promise<PinnedProductView[]> {
  return (await readPinnedCards(db, eventId, options)).map((card) => toPinnedView(card, options.locale));
}

export function liveEventStream(
  db: Db,
  eventId: string,
  signal: AbortSignal,
  options: LiveStreamOptions,
): ReadableStream<Uint8Array> {
  const hub = options.hub ?? liveHubFor(db);
  return notifiedEventStream<LiveNotice>({
    signal,
    keepAliveMs: options.keepAliveMs,
    subscribe: ({ onNotice, onLost }) => hub.subscribe(eventId, { onNotice, onLost }),
    async open(writer) {
      const event = await readLiveEvent(db, eventId);
      if (!event) {
        writer.send("failure", { error: `There is no live event ${eventId}.` });
        return undefined;
      }
      const [pins, messages] = await Promise.all([
        readPinnedViews(db, eventId, options),
        listRecentChat(db, eventId, CHAT_HISTORY),
      ]);
      writer.send("snapshot", { status: event.status, pins, messages } satisfies LiveSnapshot);
      const sentChat = new Set(messages.map((m) => m.id));
      // Pin re-reads run one after another, so a later change is never overtaken by an earlier read.
      let pinsQueue: Promise<void> = Promise.resolve();
      const sendPins = () => {
        pinsQueue = pinsQueue
          .then(async () => {
            if (!writer.closed) writer.send("pins", await readPinnedViews(db, eventId, options));
          })
          .catch((error: Error) => {
            console.error(`live stream ${eventId}: reading pins failed: ${error.message}`);
            writer.finish();
          });
      };
      return (notice, early) => {
        if (notice.type === "chat") {
          if (!sentChat.has(notice.message.id)) writer.send("chat", notice.message);
        } else if (notice.type === "pins") {
          // The snapshot already holds every pin change made before it.
          if (!early) sendPins();
        } else if (notice.type === "status") {
          writer.send("status", { status: notice.status });
        }
      };
    },
    failure: {
      event: "failure",
      message: "The live updates are unavailable right now; retrying shortly.",
      log: `live stream for ${eventId}`,
    },
  });
}
