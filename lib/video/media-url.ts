// Media of videos and live events are files the app serves itself (public/videos/), never another
// origin: the CSP allows media only from 'self', and a seller-supplied URL must not make viewers'
// browsers fetch from elsewhere. The same rules are CHECK constraints in migration 0015.
import { z } from "zod";

export const mediaSourceSchema = z
  .string()
  .regex(
    /^\/videos\/[a-z0-9][a-z0-9._-]*\.(mp4|webm|m3u8)$/,
    "must be a file under /videos/ ending in .mp4, .webm or .m3u8 (lower-case letters, digits, . _ -)",
  );

export const posterSchema = z
  .string()
  .regex(
    /^\/videos\/[a-z0-9][a-z0-9._-]*\.(jpg|png|webp)$/,
    "must be an image under /videos/ ending in .jpg, .png or .webp",
  );

export const slugSchema = z
  .string()
  .max(80, "must be at most 80 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by single hyphens");

/** The MIME type a <source> element announces, so the browser can skip what it cannot play. */
export function mediaType(sourceUrl: string): string {
  if (sourceUrl.endsWith(".webm")) return "video/webm";
  if (sourceUrl.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
  return "video/mp4";
}
