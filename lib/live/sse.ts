// Server-Sent Events for one live event, for app/api/live/[eventId]/events/route.ts. The stream
// sends `event: snapshot` (status, pinned products, newest chat lines) and then, as changes are
// NOTIFYed: `chat` (one new line), `pins` (the whole pinned list, re-read in this viewer's
// currency and language) and `status` (the event ended). The LISTEN starts before the snapshot is
// read, so nothing committed in between is lost, and chat lines the snapshot holds are not sent
// twice. Comments every 15 s keep proxies from closing an idle connection. If the listening
// connection fails the stream ends; the browser's EventSource reconnects and gets a new snapshot.
import type { Db } from "../db/client.ts";
import type { Locale } from "../i18n/locales.ts";
import { CHAT_HISTORY, listRecentChat } from "./chat.ts";
import { readLiveEvent } from "./events.ts";
import { type ChatMessageView, type LiveNotice, type LiveNotificationHub, liveHubFor } from "./notifications.ts";
import { type PinnedProductView, toPinnedView } from "./pinned-view.ts";
import { readPinnedCards } from "./pins.ts";
import type { LiveEventStatus } from "./tables.ts";

export type LiveSnapshot = { status: LiveEventStatus; pins: PinnedProductView[]; messages: ChatMessageView[] };

export type LiveStreamOptions = {
  currency: string;
  locale: Locale;
  keepAliveMs?: number;
  /** Default: the process's hub for `db`'s pool. */
  hub?: LiveNotificationHub;
};

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-store, no-transform",
  connection: "keep-alive",
  // nginx buffers responses unless told otherwise, which would hold events back.
  "x-accel-buffering": "no",
} as const;

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

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
  const encoder = new TextEncoder();
  const hub = options.hub ?? liveHubFor(db);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  // Pin re-reads run one after another, so a later change is never overtaken by an earlier read.
  let pinsQueue: Promise<void> = Promise.resolve();

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
  const sendPins = () => {
    pinsQueue = pinsQueue
      .then(async () => {
        if (!closed) send(frame("pins", await readPinnedViews(db, eventId, options)));
      })
      .catch((error: Error) => {
        console.error(`live stream ${eventId}: reading pins failed: ${error.message}`);
        finish();
      });
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal.aborted) return finish();
      signal.addEventListener("abort", finish, { once: true });
      send("retry: 3000\n\n");
      let sentChat: Set<number> | undefined;
      const early: LiveNotice[] = [];
      const handle = (notice: LiveNotice) => {
        if (notice.type === "chat") {
          if (!sentChat?.has(notice.message.id)) send(frame("chat", notice.message));
        } else if (notice.type === "pins") {
          sendPins();
        } else if (notice.type === "status") {
          send(frame("status", { status: notice.status }));
        }
      };
      try {
        unsubscribe = await hub.subscribe(eventId, {
          onNotice: (n) => (sentChat ? handle(n) : early.push(n)),
          onLost: () => finish(),
        });
        if (closed) {
          await unsubscribe();
          return;
        }
        const event = await readLiveEvent(db, eventId);
        if (!event) {
          send(frame("failure", { error: `There is no live event ${eventId}.` }));
          return finish();
        }
        const [pins, messages] = await Promise.all([
          readPinnedViews(db, eventId, options),
          listRecentChat(db, eventId, CHAT_HISTORY),
        ]);
        send(frame("snapshot", { status: event.status, pins, messages } satisfies LiveSnapshot));
        sentChat = new Set(messages.map((m) => m.id));
        // The snapshot already holds every pin change before it; only newer chat lines remain.
        for (const notice of early.splice(0)) if (notice.type !== "pins") handle(notice);
        timer = setInterval(() => send(": keepalive\n\n"), options.keepAliveMs ?? 15_000);
        timer.unref();
      } catch (error) {
        console.error(`live stream for ${eventId} failed: ${(error as Error).message}`);
        send(frame("failure", { error: "The live updates are unavailable right now; retrying shortly." }));
        finish();
      }
    },
    cancel() {
      finish();
    },
  });
}
