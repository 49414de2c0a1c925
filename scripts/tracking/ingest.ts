// `node scripts/tracking/ingest.ts`: the tracking ingester on its own, until Ctrl-C. Stores into
// DATABASE_URL (migrated first); subscribes to MQTT_URL, or starts the embedded broker on
// NEOCART_MQTT_PORT (default 1884) when MQTT_URL is unset. Prints its counters every 10 s.
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { DEFAULT_EMBEDDED_MQTT_PORT, loadTrackingSecret, startTracking } from "../../lib/tracking/index.ts";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("ingest: set DATABASE_URL (`npm run db` prints one)");
  process.exit(2);
}
await migrate(databaseUrl, (line) => console.log(line));
const db = createDb(databaseUrl, { max: 40 });
const tracking = await startTracking({
  db,
  secret: loadTrackingSecret(),
  mqttUrl: process.env.MQTT_URL || undefined,
  embeddedPort: Number(process.env.NEOCART_MQTT_PORT ?? DEFAULT_EMBEDDED_MQTT_PORT),
});
console.log(`ingest: devices publish to ${tracking.mqttUrl} (${tracking.broker} broker); Ctrl-C stops`);
const report = setInterval(() => {
  const s = tracking.ingester.stats;
  const rejected = Object.entries(s.rejected)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
  console.log(
    `ingest: received ${s.received}, stored ${s.stored}, duplicates ${s.duplicates}, rejected ${rejected || "0"}, failed ${s.failed}`,
  );
}, 10_000);
async function stop() {
  clearInterval(report);
  await tracking.stop();
  await closeDb(db);
  process.exit(0);
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
