// `node scripts/video/seed-demo-videos.ts`: seeds the demo shoppable videos and live event
// (lib/video/seed-demo-videos.ts) into DATABASE_URL, after migrating it. Needs the catalog
// seeded first (`npm run seed:catalog`): placements use its products. Safe to re-run.
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { seedDemoVideos } from "../../lib/video/seed-demo-videos.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (e.g. the one `npm run db` prints) and run again.");
  process.exit(1);
}
await migrate(url);
const db = createDb(url, { max: 2 });
try {
  const result = await seedDemoVideos(db);
  console.log(
    `videos: ${result.videosCreated} created, live events: ${result.liveEventsCreated} created, ${result.skipped} already there or without products`,
  );
} finally {
  await closeDb(db);
}
