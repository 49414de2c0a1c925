// Mints back loyalty points owed on fiat orders that ended unpaid or refunded (the app also sweeps
// after every applied webhook; this is the periodic backstop for debts left when the chain was down).
//   DATABASE_URL=… NEOCART_POINTS_SERVICE_KEY=0x… NEOCART_RPC_URL=… node scripts/orders/remint-owed-points.ts
//   … node scripts/orders/remint-owed-points.ts --every 300     (keeps sweeping every 5 minutes)
// Exit code 1 when a sweep left something owed (for cron alerting), 0 otherwise.
import { closeDb, createDb } from "../../lib/db/client.ts";
import { sweepOwedPoints } from "../../lib/orders/sweep-owed-points.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the commerce database.");
  process.exit(2);
}
const everyIndex = process.argv.indexOf("--every");
const everySeconds = everyIndex > 0 ? Number(process.argv[everyIndex + 1]) : 0;
if (!Number.isFinite(everySeconds) || everySeconds < 0) {
  console.error("--every takes a number of seconds, e.g. --every 300");
  process.exit(2);
}
const db = createDb(url, { max: 2 });

async function sweepOnce(): Promise<boolean> {
  const outcome = await sweepOwedPoints(db);
  if (!outcome.ran) {
    console.log(`points re-mint: ${outcome.reason}${outcome.error ? ` (${outcome.error})` : ""}`);
    return outcome.reason !== "no_points_service";
  }
  console.log(`points re-mint: ${outcome.reminted.length} order(s) reminted, ${outcome.failed.length} still owed`);
  return outcome.failed.length === 0;
}

if (everySeconds === 0) {
  const ok = await sweepOnce();
  await closeDb(db);
  process.exit(ok ? 0 : 1);
}
const timer = setInterval(() => void sweepOnce(), everySeconds * 1000);
void sweepOnce();
const stop = async () => {
  clearInterval(timer);
  await closeDb(db);
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
