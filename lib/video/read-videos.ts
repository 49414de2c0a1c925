// What the video pages show: the list of shoppable videos, and one video with its placements,
// each placement carrying its product's card (title, image, cheapest price in the shopper's
// currency) so the player can show it the moment playback enters the window.
import { asc, count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { type ProductCard, readProductCards } from "../catalog/read-product-cards.ts";
import type { Db } from "../db/client.ts";
import { sellers } from "../db/schema.ts";
import { videoPlacements, videos } from "./tables.ts";

export type VideoSummary = {
  id: string;
  title: string;
  description: string;
  posterUrl: string | null;
  durationSeconds: number;
  sellerName: string;
  placementCount: number;
};

export type PlacedProduct = {
  id: string;
  startSeconds: number;
  endSeconds: number;
  label: string;
  product: ProductCard;
};

export type ShoppableVideo = Omit<VideoSummary, "placementCount"> & {
  sellerId: string;
  sourceUrl: string;
  placements: PlacedProduct[];
};

export async function listVideos(db: Db, options: { limit?: number } = {}): Promise<VideoSummary[]> {
  const rows = await db
    .select({
      id: videos.id,
      title: videos.title,
      description: videos.description,
      posterUrl: videos.posterUrl,
      durationSeconds: videos.durationSeconds,
      sellerName: sellers.name,
      placementCount: count(videoPlacements.id),
    })
    .from(videos)
    .innerJoin(sellers, eq(sellers.id, videos.sellerId))
    .leftJoin(videoPlacements, eq(videoPlacements.videoId, videos.id))
    .groupBy(videos.id, sellers.name)
    .orderBy(desc(videos.createdAt), asc(videos.id))
    .limit(options.limit ?? 60);
  return rows;
}

/** The video and its placements in playback order, or null for an unknown or malformed id. */
export async function readShoppableVideo(
  db: Db,
  videoId: string,
  options: { currency: string; locale: string },
): Promise<ShoppableVideo | null> {
  if (!z.uuid().safeParse(videoId).success) return null;
  const [video] = await db
    .select({
      id: videos.id,
      title: videos.title,
      description: videos.description,
      posterUrl: videos.posterUrl,
      sourceUrl: videos.sourceUrl,
      durationSeconds: videos.durationSeconds,
      sellerId: videos.sellerId,
      sellerName: sellers.name,
    })
    .from(videos)
    .innerJoin(sellers, eq(sellers.id, videos.sellerId))
    .where(eq(videos.id, videoId));
  if (!video) return null;
  const placements = await db
    .select()
    .from(videoPlacements)
    .where(eq(videoPlacements.videoId, videoId))
    .orderBy(asc(videoPlacements.startSeconds));
  const cards = await readProductCards(db, { ids: [...new Set(placements.map((p) => p.productId))] }, options);
  const byId = new Map(cards.map((c) => [c.id, c]));
  return {
    ...video,
    placements: placements.flatMap((p) => {
      const product = byId.get(p.productId);
      return product
        ? [{ id: p.id, startSeconds: p.startSeconds, endSeconds: p.endSeconds, label: p.label, product }]
        : [];
    }),
  };
}
