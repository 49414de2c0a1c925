// Every shoppable video: poster, title, seller, length and how many products it features.
import type { Metadata } from "next";
import Link from "next/link";
import { formatClock } from "../../components/video/fill.ts";
import { listVideos } from "../../lib/video/read-videos.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Shoppable videos" };

export default async function VideosPage() {
  const { t } = await preferences();
  const videos = await listVideos(database());
  return (
    <div className="stack">
      <h1>{t("video.title")}</h1>
      <p className="muted">{t("video.intro")}</p>
      <p>
        <Link href="/live">{t("live.title")}</Link>
      </p>
      {videos.length === 0 ? (
        <p className="muted">{t("video.none")}</p>
      ) : (
        <ul className="grid video-list">
          {videos.map((video) => (
            <li key={video.id} className="card stack" data-testid="video-item" data-video-id={video.id}>
              <Link href={`/videos/${video.id}`} className="video-list-link">
                {video.posterUrl && (
                  // biome-ignore lint/performance/noImgElement: posters are small local JPEGs; next/image adds nothing
                  <img src={video.posterUrl} alt="" width={480} height={270} loading="lazy" />
                )}
                <h2 className="video-list-title">{video.title}</h2>
              </Link>
              <p className="muted">{t("video.by", { seller: video.sellerName })}</p>
              <p className="row">
                <span className="badge">{t("video.duration", { time: formatClock(video.durationSeconds) })}</span>
                <span className="badge badge-ok">{t("video.products", { count: video.placementCount })}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
