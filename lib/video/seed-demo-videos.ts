// Demo content for the dev catalog: the clips in public/videos/ (lib/video/demo-clips.ts) as
// shoppable videos and a live event, each scene's window showing a product of the scene's
// category from the seeded catalog. Idempotent: a clip already seeded (by slug) is left as it is,
// and a catalog without a product of some category just gets fewer placements.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { createLiveEvent } from "../live/events.ts";
import { liveEvents, livePins } from "../live/tables.ts";
import { createShoppableVideo, type PlacementInput } from "./create-video.ts";
import { DEMO_CLIPS, type DemoClip } from "./demo-clips.ts";
import { videos } from "./tables.ts";

export type SeedDemoVideosResult = { videosCreated: number; liveEventsCreated: number; skipped: number };

/** The most reviewed product of `category` with an offer in stock, and that offer's seller. */
async function productOf(db: Db, category: string): Promise<{ productId: string; sellerId: string } | undefined> {
  const { rows } = await db.execute<{ product_id: string; seller_id: string }>(sql`
    select d.product_id, o.seller_id
    from commerce.search_documents d
    join commerce.products p on p.id = d.product_id
    join lateral (
      select o.seller_id from commerce.offers o
      where o.product_id = p.id and o.active and o.stock > 0
      order by o.price_minor, o.id limit 1
    ) o on true
    where p.category_slug = ${category} and d.in_stock
    order by d.review_count desc, p.slug
    limit 1`);
  const row = rows[0];
  return row ? { productId: row.product_id, sellerId: row.seller_id } : undefined;
}

async function placementsOf(db: Db, clip: DemoClip) {
  const placements: (PlacementInput & { sellerId: string })[] = [];
  let start = 0;
  for (const scene of clip.scenes) {
    const found = scene.category ? await productOf(db, scene.category) : undefined;
    if (found) {
      placements.push({
        productId: found.productId,
        sellerId: found.sellerId,
        startSeconds: start,
        endSeconds: start + scene.seconds,
        label: scene.caption.replace(/^\d+\.\s*/, ""),
      });
    }
    start += scene.seconds;
  }
  return placements;
}

export async function seedDemoVideos(db: Db): Promise<SeedDemoVideosResult> {
  const result: SeedDemoVideosResult = { videosCreated: 0, liveEventsCreated: 0, skipped: 0 };
  for (const clip of DEMO_CLIPS) {
    const table = clip.kind === "video" ? videos : liveEvents;
    const [existing] = await db.select({ id: table.id }).from(table).where(eq(table.slug, clip.slug));
    const placements = existing ? [] : await placementsOf(db, clip);
    const sellerId = placements[0]?.sellerId;
    if (existing || !sellerId) {
      result.skipped++;
      continue;
    }
    const media = { sourceUrl: `/videos/${clip.file}.mp4`, posterUrl: `/videos/${clip.file}.jpg` };
    const common = { slug: clip.slug, sellerId, title: clip.title, description: clip.description, ...media };
    if (clip.kind === "video") {
      await createShoppableVideo(db, {
        ...common,
        durationSeconds: clip.seconds,
        placements: placements.map(({ sellerId: _, ...p }) => p),
      });
      result.videosCreated++;
    } else {
      const event = await createLiveEvent(db, common);
      // The host's first pin, so the demo page has something to buy before anyone hosts it.
      const first = placements[0];
      if (first) await db.insert(livePins).values({ eventId: event.id, productId: first.productId });
      result.liveEventsCreated++;
    }
  }
  return result;
}
