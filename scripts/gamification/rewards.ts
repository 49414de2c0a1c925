// `npm run rewards -- [--once]`: the rewards service. Each pass finds the rewards the indexed facts
// now earn (review points, referral points, badges), sends what the ledger owes with the service
// keys, and re-ranks the leaderboard; it prints one progress line per pass. --once runs a single
// pass (and exits 1 if rewards are left failing); otherwise it loops every
// NEOCART_REWARDS_INTERVAL_SECONDS until Ctrl-C. Settings: lib/gamification/service-settings.ts.
import { parseArgs } from "node:util";
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { createRewardsChain, describePass, runRewardsPass } from "../../lib/gamification/run-rewards.ts";
import { ledgerCounts } from "../../lib/gamification/send-awards.ts";
import { loadRewardsSettings, RewardsConfigError } from "../../lib/gamification/service-settings.ts";

const { values } = parseArgs({ options: { once: { type: "boolean", default: false } } });

let settings: ReturnType<typeof loadRewardsSettings>;
try {
  settings = loadRewardsSettings();
} catch (error) {
  if (error instanceof RewardsConfigError) {
    console.error(`rewards: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

await migrate(settings.databaseUrl);
const db = createDb(settings.databaseUrl, { max: 4 });
const chain = createRewardsChain(settings);
const log = (line: string) => console.log(`rewards: ${line}`);
log(
  `chain ${settings.chainId} at ${settings.rpcUrl}, views ${settings.viewsSchema}, points from ${settings.pointsSigner.address}, badges from ${settings.badgeSigner.address}, ${settings.confirmations} confirmations`,
);

let stopping = false;
let wake: (() => void) | undefined;
const stop = () => {
  stopping = true;
  wake?.();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

let exitCode = 0;
while (!stopping) {
  try {
    const pass = await runRewardsPass(db, chain, {
      viewsSchema: settings.viewsSchema,
      confirmations: settings.confirmations,
      log,
    });
    const counts = await ledgerCounts(db);
    log(
      `${describePass(pass)} | ledger: ${counts.confirmed} confirmed, ${counts.submitted} sent, ${counts.pending} pending`,
    );
    if (values.once) {
      exitCode = pass.sent.retrying > 0 ? 1 : 0;
      break;
    }
  } catch (error) {
    // The chain or the database being away is a reason to wait, not to stop: the ledger keeps
    // every reward's state, so the next pass picks up where this one ended.
    log(`pass failed: ${error instanceof Error ? error.message : String(error)}; retrying next pass`);
    if (values.once) {
      exitCode = 1;
      break;
    }
  }
  await new Promise<void>((resolve) => {
    wake = resolve;
    setTimeout(resolve, settings.intervalSeconds * 1000);
  });
}
await closeDb(db);
process.exit(exitCode);
