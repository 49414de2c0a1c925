// Creating a shoppable video with its product placements. Everything is checked before anything
// is written (so a refused video leaves no rows), then written in one transaction.
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { products, sellers } from "../db/schema.ts";
import { describeIssues, VideoInputError } from "./errors.ts";
import { mediaSourceSchema, posterSchema, slugSchema } from "./media-url.ts";
import { videoPlacements, videos } from "./tables.ts";

export const MAX_PLACEMENTS_PER_VIDEO = 50;

const seconds = z.number({ error: "must be a number of seconds" }).finite("must be a finite number of seconds");

export const placementInputSchema = z.strictObject({
  productId: z.uuid("must be a product id (UUID)"),
  startSeconds: seconds.min(0, "must be 0 or more"),
  endSeconds: seconds,
  label: z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
});
export type PlacementInput = z.input<typeof placementInputSchema>;

export const videoInputSchema = z.strictObject({
  slug: slugSchema,
  sellerId: z.uuid("must be a seller id (UUID)"),
  title: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: z.string().trim().max(2000, "must be at most 2,000 characters").default(""),
  sourceUrl: mediaSourceSchema,
  posterUrl: posterSchema.optional(),
  durationSeconds: seconds.positive("must be more than 0").max(86_400, "must be at most 24 hours"),
  placements: z
    .array(placementInputSchema)
    .max(MAX_PLACEMENTS_PER_VIDEO, `a video has at most ${MAX_PLACEMENTS_PER_VIDEO} placements`)
    .default([]),
});
export type VideoInput = z.input<typeof videoInputSchema>;

type Placement = z.output<typeof placementInputSchema>;

/**
 * Checks placement windows against the video: each inside [0, duration], end after start, and no
 * two overlapping (one product card at a time; the database's exclusion constraint agrees).
 * Returns them in playback order.
 */
export function checkPlacementWindows(durationSeconds: number, placements: readonly Placement[]): Placement[] {
  placements.forEach((p, i) => {
    if (p.endSeconds <= p.startSeconds) {
      throw new VideoInputError(`Placement ${i + 1} ends (${p.endSeconds} s) before it starts (${p.startSeconds} s).`);
    }
    if (p.endSeconds > durationSeconds) {
      throw new VideoInputError(
        `Placement ${i + 1} ends at ${p.endSeconds} s, after the video's end (${durationSeconds} s); shorten it.`,
      );
    }
  });
  const ordered = [...placements].sort((a, b) => a.startSeconds - b.startSeconds);
  for (let i = 1; i < ordered.length; i++) {
    const before = ordered[i - 1] as Placement;
    const current = ordered[i] as Placement;
    if (current.startSeconds < before.endSeconds) {
      throw new VideoInputError(
        `Placements "${before.label}" (${before.startSeconds}–${before.endSeconds} s) and "${current.label}" (${current.startSeconds}–${current.endSeconds} s) overlap; one product shows at a time.`,
      );
    }
  }
  return ordered;
}

export async function createShoppableVideo(db: Db, input: VideoInput): Promise<{ id: string }> {
  const parsed = videoInputSchema.safeParse(input);
  if (!parsed.success) throw new VideoInputError(describeIssues("The video", parsed.error.issues));
  const video = parsed.data;
  const placements = checkPlacementWindows(video.durationSeconds, video.placements);

  const [seller] = await db.select({ id: sellers.id }).from(sellers).where(eq(sellers.id, video.sellerId));
  if (!seller) throw new VideoInputError(`No seller has id ${video.sellerId}; check the seller.`);
  const productIds = [...new Set(placements.map((p) => p.productId))];
  if (productIds.length > 0) {
    const found = await db.select({ id: products.id }).from(products).where(inArray(products.id, productIds));
    const known = new Set(found.map((r) => r.id));
    const missing = productIds.filter((id) => !known.has(id));
    if (missing.length > 0) throw new VideoInputError(`No product has id ${missing.join(", ")}; check the placements.`);
  }

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(videos)
      .values({
        slug: video.slug,
        sellerId: video.sellerId,
        title: video.title,
        description: video.description,
        sourceUrl: video.sourceUrl,
        posterUrl: video.posterUrl ?? null,
        durationSeconds: video.durationSeconds,
      })
      .onConflictDoNothing({ target: videos.slug })
      .returning({ id: videos.id });
    if (!row) throw new VideoInputError(`A video with slug "${video.slug}" exists already; choose another slug.`);
    if (placements.length > 0) {
      await tx.insert(videoPlacements).values(placements.map((p) => ({ ...p, videoId: row.id })));
    }
    return { id: row.id };
  });
}
