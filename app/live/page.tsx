// Live shopping events: the ones on now first, then past ones.
import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "../../lib/i18n/format.ts";
import { listLiveEvents } from "../../lib/live/events.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Live shopping" };

export default async function LiveEventsPage() {
  const { t, locale } = await preferences();
  const events = await listLiveEvents(database());
  return (
    <div className="stack">
      <h1>{t("live.title")}</h1>
      <p className="muted">{t("live.intro")}</p>
      <p>
        <Link href="/videos">{t("video.title")}</Link>
      </p>
      {events.length === 0 ? (
        <p className="muted">{t("live.none")}</p>
      ) : (
        <ul className="grid video-list">
          {events.map((event) => (
            <li key={event.id} className="card stack" data-testid="live-item" data-event-id={event.id}>
              <Link href={`/live/${event.id}`} className="video-list-link">
                {event.posterUrl && (
                  // biome-ignore lint/performance/noImgElement: posters are small local JPEGs; next/image adds nothing
                  <img src={event.posterUrl} alt="" width={480} height={270} loading="lazy" />
                )}
                <h2 className="video-list-title">{event.title}</h2>
              </Link>
              <p className="row">
                <span className={event.status === "live" ? "badge badge-bad" : "badge"}>
                  {t(event.status === "live" ? "live.status.live" : "live.status.ended")}
                </span>
                <span className="muted">{formatDate(event.startedAt, locale)}</span>
              </p>
              <p className="muted">{t("video.by", { seller: event.sellerName })}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
