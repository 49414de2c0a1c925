// `node scripts/video/generate-demo-videos.ts`: renders the demo clips of the shoppable videos and
// the live event into public/videos/ (MP4, H.264 baseline, no audio, "faststart" so a browser can
// play and seek before the whole file arrives) plus a JPEG poster for each. The clips are committed;
// run this only to change them. It needs ffmpeg (Debian: `apt-get install -y ffmpeg`) and a
// DejaVu font (fonts-dejavu-core, which Chromium's package pulls in). Nothing is downloaded: every
// frame is drawn by ffmpeg's own colour sources and text filter.
//
// Each clip is a few coloured scenes with a caption and a running clock, so a person (or a test's
// screenshot) can tell which moment of the video is showing; the scene boundaries line up with
// the placements lib/video/seed-demo-videos.ts seeds.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { DEMO_CLIPS, type DemoClip } from "../../lib/video/demo-clips.ts";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const outDir = path.join(repoRoot, "public", "videos");
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
const WIDTH = 480;
const HEIGHT = 270;
const FPS = 15;
// Well under the 1 MB budget per file at this size; the scenes are flat colour and text.
const CRF = 30;

/** drawtext takes its text inside a filter graph: quote what the graph parser would read. */
const escapeText = (text: string) => text.replace(/\\/g, "\\\\").replace(/'/g, "\u2019").replace(/:/g, "\\:");

function filterGraph(clip: DemoClip): string {
  const inputs = clip.scenes.map((_, i) => `[${i}:v]`).join("");
  const captions = clip.scenes.map((scene, i) => {
    const start = clip.scenes.slice(0, i).reduce((sum, s) => sum + s.seconds, 0);
    const end = start + scene.seconds;
    return (
      `drawtext=fontfile=${FONT}:text='${escapeText(scene.caption)}':fontsize=26:fontcolor=white:` +
      `x=(w-text_w)/2:y=(h-text_h)/2-20:enable='between(t,${start},${end})'`
    );
  });
  const title = `drawtext=fontfile=${FONT}:text='${escapeText(clip.title)}':fontsize=16:fontcolor=white@0.9:x=12:y=12`;
  // A bar sweeping across each second shows motion, so a frozen player is visible at a glance;
  // the clock sits at the top, clear of the browser's controls.
  const sweep = `drawbox=x='mod(t*${WIDTH},${WIDTH})':y=${HEIGHT - 14}:w=24:h=6:color=white@0.8:t=fill`;
  const clock = `drawtext=fontfile=${FONT}:text='%{pts\\:hms}':fontsize=18:fontcolor=white:x=w-text_w-12:y=12`;
  return `${inputs}concat=n=${clip.scenes.length}:v=1:a=0,${[...captions, title, sweep, clock].join(",")}[out]`;
}

function run(args: string[]) {
  const result = spawnSync("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (result.error) throw new Error(`ffmpeg could not start (${result.error.message}); apt-get install -y ffmpeg`);
  if (result.status !== 0) throw new Error(`ffmpeg failed:\n${result.stderr.slice(-2000)}`);
}

async function render(clip: DemoClip) {
  const video = path.join(outDir, `${clip.file}.mp4`);
  const poster = path.join(outDir, `${clip.file}.jpg`);
  const sources = clip.scenes.flatMap((scene) => [
    "-f",
    "lavfi",
    "-i",
    `color=c=${scene.colour}:s=${WIDTH}x${HEIGHT}:r=${FPS}:d=${scene.seconds}`,
  ]);
  run([
    "-y",
    "-loglevel",
    "error",
    ...sources,
    "-filter_complex",
    filterGraph(clip),
    "-map",
    "[out]",
    "-an",
    "-c:v",
    "libx264",
    "-profile:v",
    "baseline",
    "-pix_fmt",
    "yuv420p",
    "-crf",
    String(CRF),
    // A keyframe every second keeps seeking to a placement quick.
    "-g",
    String(FPS),
    "-movflags",
    "+faststart",
    video,
  ]);
  run(["-y", "-loglevel", "error", "-ss", "1", "-i", video, "-frames:v", "1", "-q:v", "6", poster]);
  const size = (await stat(video)).size;
  if (size > 1_000_000) throw new Error(`${video} is ${size} bytes, over the 1 MB budget: raise CRF or shorten it`);
  console.log(`${path.relative(repoRoot, video)}: ${(size / 1024).toFixed(0)} KiB, ${clip.seconds} s`);
}

if (!existsSync(FONT)) {
  throw new Error(`${FONT} is missing: apt-get install -y fonts-dejavu-core`);
}
await mkdir(outDir, { recursive: true });
for (const clip of DEMO_CLIPS) await render(clip);
