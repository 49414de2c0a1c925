// One live event: the stream, the host's pinned products and the chat, all live.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveRoom } from "../../../components/live/live-room.tsx";
import { CHAT_HISTORY, CHAT_MAX_LENGTH, listRecentChat } from "../../../lib/live/chat.ts";
import { canHostLiveEvent, readLiveEvent } from "../../../lib/live/events.ts";
import { readPinnedViews } from "../../../lib/live/sse.ts";
import { mediaType } from "../../../lib/video/media-url.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Live event" };

export default async function LiveEventPage(props: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await props.params;
  const { t, locale, currency } = await preferences();
  const db = database();
  const event = await readLiveEvent(db, eventId);
  if (!event) notFound();
  const [viewer, pins, messages] = await Promise.all([
    currentViewer().catch(() => null),
    readPinnedViews(db, event.id, { currency, locale }),
    listRecentChat(db, event.id, CHAT_HISTORY),
  ]);
  const canHost = viewer ? await canHostLiveEvent(db, event, viewer.userId) : false;
  return (
    <div className="stack">
      <p className="row">
        <Link href="/live">{t("live.back")}</Link>
        {canHost && <Link href={`/live/${event.id}/host`}>{t("live.hostLink")}</Link>}
      </p>
      <h1>{event.title}</h1>
      <p className="muted">{t("video.by", { seller: event.sellerName })}</p>
      {event.description && <p>{event.description}</p>}
      <LiveRoom
        eventId={event.id}
        title={event.title}
        sourceUrl={event.sourceUrl}
        sourceType={mediaType(event.sourceUrl)}
        posterUrl={event.posterUrl}
        initial={{ status: event.status, pins, messages }}
        signedIn={viewer !== null}
        chatMaxLength={CHAT_MAX_LENGTH}
        strings={{
          stream: t("live.stream"),
          status: { live: t("live.status.live"), ended: t("live.status.ended") },
          connection: {
            connecting: t("live.connection.connecting"),
            open: t("live.connection.open"),
            retrying: t("live.connection.retrying"),
          },
          pinned: t("live.pinned"),
          noPins: t("live.noPins"),
          pinsAnnounce: t("live.pinsAnnounce"),
          pinsAnnounceNone: t("live.pinsAnnounceNone"),
          addToCart: t("video.addToCart"),
          adding: t("video.adding"),
          goToCart: t("video.goToCart"),
          outOfStock: t("video.outOfStock"),
          chat: t("live.chat"),
          chatLog: t("live.chatLog"),
          noMessages: t("live.noMessages"),
          signInToChat: t("live.signInToChat"),
          signIn: t("live.signIn"),
          ended: t("live.ended"),
          noSupport: t("video.noSupport"),
          download: t("video.download"),
          form: {
            message: t("live.message"),
            hint: t("live.messageHint", { max: CHAT_MAX_LENGTH }),
            send: t("live.send"),
            sending: t("live.sending"),
          },
        }}
      />
    </div>
  );
}
