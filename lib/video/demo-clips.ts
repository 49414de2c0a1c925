// The demo clips in public/videos/: what scripts/video/generate-demo-videos.ts renders and what
// seed-demo-videos.ts seeds. Each scene advertises one catalog category; the seed places a
// product of that category over the scene's window, so the caption on screen and the product
// card agree.

export type DemoScene = { seconds: number; colour: string; caption: string; category?: string };
export type DemoClip = {
  /** File name under public/videos/ without extension (the .mp4 and its .jpg poster). */
  file: string;
  /** Stable key of the seeded row (videos.slug / live_events.slug): the seed is idempotent on it. */
  slug: string;
  kind: "video" | "live";
  title: string;
  description: string;
  scenes: DemoScene[];
  seconds: number;
};

function clip(spec: Omit<DemoClip, "seconds">): DemoClip {
  return { ...spec, seconds: spec.scenes.reduce((sum, s) => sum + s.seconds, 0) };
}

export const DEMO_CLIPS: readonly DemoClip[] = [
  clip({
    file: "studio-sound",
    slug: "studio-sound",
    kind: "video",
    title: "Studio sound at home",
    description: "Three picks for listening and recording at home.",
    scenes: [
      { seconds: 3, colour: "#1f2937", caption: "Studio sound at home" },
      { seconds: 6, colour: "#0f766e", caption: "1. Headphones", category: "headphones" },
      { seconds: 6, colour: "#1d4ed8", caption: "2. Speakers", category: "speakers" },
      { seconds: 6, colour: "#7c3aed", caption: "3. Earbuds", category: "earbuds" },
      { seconds: 3, colour: "#1f2937", caption: "Thanks for watching" },
    ],
  }),
  clip({
    file: "morning-kitchen",
    slug: "morning-kitchen",
    kind: "video",
    title: "A slow morning kitchen",
    description: "Coffee, tea and a blender: the morning routine.",
    scenes: [
      { seconds: 3, colour: "#78350f", caption: "Good morning" },
      { seconds: 6, colour: "#b45309", caption: "Fresh coffee", category: "coffee-makers" },
      { seconds: 6, colour: "#15803d", caption: "Green tea", category: "tea" },
      { seconds: 6, colour: "#be123c", caption: "Smoothie time", category: "blenders" },
    ],
  }),
  clip({
    file: "live-unboxing",
    slug: "live-unboxing",
    kind: "live",
    title: "Live unboxing: new gadgets",
    description: "Our sellers unbox this week's gadgets live. Ask questions in the chat.",
    scenes: [
      { seconds: 5, colour: "#111827", caption: "LIVE: unboxing" },
      { seconds: 5, colour: "#0369a1", caption: "Smartwatches", category: "smartwatches" },
      { seconds: 5, colour: "#4d7c0f", caption: "Cameras", category: "cameras" },
      { seconds: 5, colour: "#9d174d", caption: "Tablets", category: "tablets" },
    ],
  }),
];
