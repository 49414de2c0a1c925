// One shoppable video: the native player, the product on screen beside it (View, Add to cart) and
// a chapter list of every placement.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { type PlayerPlacement, ShoppablePlayer } from "../../../components/video/shoppable-player.tsx";
import { formatMoney } from "../../../lib/i18n/format.ts";
import { mediaType } from "../../../lib/video/media-url.ts";
import { readShoppableVideo } from "../../../lib/video/read-videos.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Video" };

export default async function VideoPage(props: { params: Promise<{ videoId: string }> }) {
  const { videoId } = await props.params;
  const { t, locale, currency } = await preferences();
  const video = await readShoppableVideo(database(), videoId, { currency, locale });
  if (!video) notFound();
  const placements: PlayerPlacement[] = video.placements.map((p) => ({
    id: p.id,
    startSeconds: p.startSeconds,
    endSeconds: p.endSeconds,
    label: p.label,
    product: {
      slug: p.product.slug,
      title: p.product.title,
      imageUrl: p.product.imageUrl,
      price: p.product.price ? formatMoney(p.product.price.minor, p.product.price.currency, locale) : null,
      inStock: p.product.inStock,
    },
  }));
  return (
    <div className="stack">
      <p>
        <Link href="/videos">{t("video.back")}</Link>
      </p>
      <h1>{video.title}</h1>
      <p className="muted">{t("video.by", { seller: video.sellerName })}</p>
      {video.description && <p>{video.description}</p>}
      <ShoppablePlayer
        sourceUrl={video.sourceUrl}
        sourceType={mediaType(video.sourceUrl)}
        posterUrl={video.posterUrl}
        title={video.title}
        placements={placements}
        strings={{
          nowShowing: t("video.nowShowing"),
          nothingShowing: t("video.nothingShowing"),
          announce: t("video.announce"),
          view: t("video.view"),
          addToCart: t("video.addToCart"),
          adding: t("video.adding"),
          goToCart: t("video.goToCart"),
          outOfStock: t("video.outOfStock"),
          chapters: t("video.chapters"),
          chaptersHint: t("video.chaptersHint"),
          noSupport: t("video.noSupport"),
          download: t("video.download"),
        }}
      />
    </div>
  );
}
