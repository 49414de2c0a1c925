// Server-sent event streams fed by LISTEN/NOTIFY (notification-hub.ts). The LISTEN starts before
// the snapshot is read, so nothing stored in between is lost: notices that arrive meanwhile are
// held and handed over after the snapshot, which decides what it already covered. Comments every
// 15 s keep proxies from closing an idle connection. If the listening connection fails the stream
// ends; the browser's EventSource reconnects (after the `retry` delay) and gets a fresh snapshot.

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-store, no-transform",
  connection: "keep-alive",
  // nginx buffers responses unless told otherwise, which would hold events back.
  "x-accel-buffering": "no",
} as const;

export function sseFrame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export type StreamWriter = {
  send(event: string, data: unknown, id?: number): void;
  /** Ends the stream (idempotent). */
  finish(): void;
  readonly closed: boolean;
};

export type NotifiedStreamOptions<N> = {
  signal: AbortSignal;
  keepAliveMs?: number;
  /** Starts listening; resolves once the LISTEN is in place, with the way to stop. */
  subscribe(subscriber: { onNotice(notice: N): void; onLost(): void }): Promise<() => Promise<void>>;
  /**
   * Sends the snapshot and returns what to do with each notice from then on (those that arrived
   * while the snapshot was read come first, with `early` true); undefined ends the stream.
   */
  open(writer: StreamWriter): Promise<((notice: N, early: boolean) => void) | undefined>;
  /** What the browser is told when listening or the snapshot fails, and what the log says. */
  failure: { event: string; message: string; log: string };
};

export function notifiedEventStream<N>(options: NotifiedStreamOptions<N>): ReadableStream<Uint8Array> {
  const { signal } = options;
  const encoder = new TextEncoder();
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
  const write = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  const writer: StreamWriter = {
    send: (event, data, id) => write(sseFrame(event, data, id)),
    finish,
    get closed() {
      return closed;
    },
  };

  return new ReadableStream<Uint8Array>({
    async start(c) {
      controller = c;
      if (signal.aborted) return finish();
      signal.addEventListener("abort", finish, { once: true });
      write("retry: 3000\n\n");
      let handle: ((notice: N, early: boolean) => void) | undefined;
      const early: N[] = [];
      try {
        unsubscribe = await options.subscribe({
          onNotice: (notice) => (handle ? handle(notice, false) : early.push(notice)),
          onLost: () => finish(),
        });
        if (closed) {
          await unsubscribe();
          return;
        }
        const opened = await options.open(writer);
        if (!opened) return finish();
        for (const notice of early.splice(0)) opened(notice, true);
        handle = opened;
        timer = setInterval(() => write(": keepalive\n\n"), options.keepAliveMs ?? 15_000);
        timer.unref();
      } catch (error) {
        console.error(`${options.failure.log} failed: ${(error as Error).message}`);
        writer.send(options.failure.event, { error: options.failure.message });
        finish();
      }
    },
    cancel() {
      finish();
    },
  });
}
