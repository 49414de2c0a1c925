"use client";
// A live event as a viewer sees it: the stream (the browser's <video> playing the event's source),
// the products the host pins and the chat, both following /api/live/<id>/events (a snapshot on
// every (re)connect, then `pins`, `chat` and `status` events). Only type imports from lib/live:
// its runtime modules are server-side.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { addPinnedToCart } from "../../app/live/actions.ts";
import type { ChatMessageView } from "../../lib/live/notifications.ts";
import type { PinnedProductView } from "../../lib/live/pinned-view.ts";
import type { LiveSnapshot } from "../../lib/live/sse.ts";
import type { LiveEventStatus } from "../../lib/live/tables.ts";
import { ActionForm } from "../cart/action-form.tsx";
import { fill } from "../video/fill.ts";
import { ChatForm, type ChatFormStrings } from "./chat-form.tsx";

export type LiveRoomStrings = {
  stream: string;
  status: Record<LiveEventStatus, string>;
  connection: Record<Connection, string>;
  pinned: string;
  noPins: string;
  pinsAnnounce: string;
  pinsAnnounceNone: string;
  addToCart: string;
  adding: string;
  goToCart: string;
  outOfStock: string;
  chat: string;
  chatLog: string;
  noMessages: string;
  signInToChat: string;
  signIn: string;
  ended: string;
  noSupport: string;
  download: string;
  form: ChatFormStrings;
};

type Connection = "connecting" | "open" | "retrying";

// The log keeps the newest lines only; older ones scroll out as in any chat.
const KEEP_MESSAGES = 200;

function appendMessage(messages: ChatMessageView[], message: ChatMessageView): ChatMessageView[] {
  if (messages.some((m) => m.id === message.id)) return messages;
  return [...messages, message].sort((a, b) => a.id - b.id).slice(-KEEP_MESSAGES);
}

export function LiveRoom(props: {
  eventId: string;
  title: string;
  sourceUrl: string;
  sourceType: string;
  posterUrl: string | null;
  initial: LiveSnapshot;
  signedIn: boolean;
  chatMaxLength: number;
  strings: LiveRoomStrings;
}) {
  const { strings, eventId } = props;
  const [status, setStatus] = useState<LiveEventStatus>(props.initial.status);
  const [pins, setPins] = useState<PinnedProductView[]>(props.initial.pins);
  const [messages, setMessages] = useState<ChatMessageView[]>(props.initial.messages);
  const [connection, setConnection] = useState<Connection>("connecting");
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (props.initial.status === "ended") return;
    const source = new EventSource(`/api/live/${encodeURIComponent(eventId)}/events`);
    source.addEventListener("open", () => setConnection("open"));
    source.addEventListener("snapshot", (e) => {
      const snapshot = JSON.parse((e as MessageEvent<string>).data) as LiveSnapshot;
      setStatus(snapshot.status);
      setPins(snapshot.pins);
      setMessages((current) => snapshot.messages.reduce(appendMessage, current));
      setConnection("open");
    });
    source.addEventListener("chat", (e) => {
      const message = JSON.parse((e as MessageEvent<string>).data) as ChatMessageView;
      setMessages((current) => appendMessage(current, message));
    });
    source.addEventListener("pins", (e) =>
      setPins(JSON.parse((e as MessageEvent<string>).data) as PinnedProductView[]),
    );
    source.addEventListener("status", (e) => {
      const next = (JSON.parse((e as MessageEvent<string>).data) as { status: LiveEventStatus }).status;
      setStatus(next);
      // Nothing changes after the end: free the connection.
      if (next === "ended") source.close();
    });
    // EventSource reconnects by itself (after the stream's `retry` delay) and gets a fresh snapshot.
    source.addEventListener("error", () => setConnection("retrying"));
    return () => source.close();
  }, [eventId, props.initial.status]);

  // Follow the newest line, as chat logs do (only the log scrolls, never the page).
  const messageCount = messages.length;
  useEffect(() => {
    if (messageCount > 0 && log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [messageCount]);

  const ended = status === "ended";
  const pinTitles = pins.map((p) => p.title).join(", ");

  return (
    <div className="live-layout" data-testid="live-room" data-status={status} data-connection={connection}>
      <section className="stack live-stream" aria-labelledby="live-stream-heading">
        <h2 id="live-stream-heading" className="visually-hidden">
          {strings.stream}
        </h2>
        <div className="video-frame">
          <video
            controls
            autoPlay
            muted
            loop
            playsInline
            preload="auto"
            poster={props.posterUrl ?? undefined}
            aria-label={props.title}
            data-testid="live-player"
          >
            <source src={props.sourceUrl} type={props.sourceType} />
            <p>
              {strings.noSupport} <a href={props.sourceUrl}>{strings.download}</a>
            </p>
          </video>
        </div>
        <p className="row">
          <span className={ended ? "badge" : "badge badge-bad"} data-testid="live-status">
            {strings.status[status]}
          </span>
          {!ended && (
            <span className={connection === "open" ? "badge badge-ok" : "badge"} data-testid="live-connection">
              {strings.connection[connection]}
            </span>
          )}
        </p>
        {ended && (
          <p className="notice" role="status" data-testid="live-ended">
            {strings.ended}
          </p>
        )}
      </section>

      <section className="card stack" aria-labelledby="live-pins-heading" data-testid="live-pins">
        <h2 id="live-pins-heading">{strings.pinned}</h2>
        <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          {pins.length > 0 ? fill(strings.pinsAnnounce, { titles: pinTitles }) : strings.pinsAnnounceNone}
        </p>
        {pins.length === 0 ? (
          <p className="muted">{strings.noPins}</p>
        ) : (
          <ul className="live-pin-list">
            {pins.map((pin) => (
              <li key={pin.id} className="live-pin" data-testid="live-pin" data-product-id={pin.id}>
                {pin.imageUrl && (
                  // biome-ignore lint/performance/noImgElement: catalog images are small local SVGs; next/image adds nothing
                  <img src={pin.imageUrl} alt="" width={72} height={72} />
                )}
                <div className="stack">
                  <h3 className="live-pin-title">
                    <Link href={`/product/${pin.slug}`}>{pin.title}</Link>
                  </h3>
                  {pin.price && <p className="price">{pin.price}</p>}
                  {!pin.inStock && <p className="badge badge-warn">{strings.outOfStock}</p>}
                  {!ended && (
                    <ActionForm
                      action={addPinnedToCart}
                      hidden={{ eventId, productId: pin.id }}
                      submitLabel={strings.addToCart}
                      pendingLabel={strings.adding}
                      testId="live-pin-add"
                    />
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link href="/cart">{strings.goToCart}</Link>
        </p>
      </section>

      <section className="card stack" aria-labelledby="live-chat-heading">
        <h2 id="live-chat-heading">{strings.chat}</h2>
        <div
          ref={log}
          className="live-chat-log"
          role="log"
          aria-live="polite"
          aria-label={strings.chatLog}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; keyboard users must reach it to scroll it
          tabIndex={0}
          data-testid="live-chat-log"
        >
          {messages.length === 0 ? (
            <p className="muted">{strings.noMessages}</p>
          ) : (
            <ol className="live-chat-lines">
              {messages.map((m) => (
                <li key={m.id} data-testid="live-chat-message" data-message-id={m.id}>
                  <strong className="live-chat-author">{m.author}</strong> <span>{m.body}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
        {ended ? null : props.signedIn ? (
          <ChatForm eventId={eventId} maxLength={props.chatMaxLength} strings={strings.form} />
        ) : (
          <p className="notice">
            {strings.signInToChat} <Link href="/account">{strings.signIn}</Link>
          </p>
        )}
      </section>
    </div>
  );
}
