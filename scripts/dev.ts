// `npm run dev`: the whole local system, until Ctrl-C.
//   PostgreSQL  embedded under .neocart/postgres (or DATABASE_URL), commerce schema migrated,
//               a deterministic demo catalog seeded (2,000 products, idempotent)
//   chain       a Hardhat node on 127.0.0.1:8545 (or the node already answering there)
//   contracts   deployed, roles wired, a little demo activity seeded (once per chain)
//   indexer     Ponder on 127.0.0.1:42069, chain tables in neocart_indexer, views in neocart_chain
//   tracking    MQTT broker (embedded aedes on 1884 unless MQTT_URL) and the tracking ingester
//   web app     Next.js (`next dev`) on 127.0.0.1:3000
//   rewards     review and referral points and badges paid on chain every 15 s (lib/gamification)
//   models      trained in the background when none fit the current catalog (scripts/ml/train-in-background.ts)
// A second run reuses the database: the indexer resumes
// when the chain is the same, and re-indexes from scratch when the (in-memory) chain is new.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { seedCatalog } from "../lib/catalog/seed-catalog.ts";
import { writeCatalogAssets } from "../lib/catalog/write-catalog-assets.ts";
import { closeDb, createDb } from "../lib/db/client.ts";
import { migrate } from "../lib/db/migrate.ts";
import { type PostgresHandle, startPostgres } from "../lib/db/start-postgres.ts";
import { createRewardsChain, describePass, runRewardsPass } from "../lib/gamification/run-rewards.ts";
import { loadRewardsSettings } from "../lib/gamification/service-settings.ts";
import { releaseExpiredQuotes } from "../lib/orders/release-expired-quotes.ts";
import { sweepOwedPoints } from "../lib/orders/sweep-owed-points.ts";
import { loadTrackingSecret } from "../lib/tracking/device-token.ts";
import { type RunningTracking, startTracking } from "../lib/tracking/start-tracking.ts";
import { seedDemoVideos } from "../lib/video/seed-demo-videos.ts";
import { type BackgroundTraining, trainModelsInBackground } from "./ml/train-in-background.ts";
import { storeDemoReviewTexts } from "./seed/demo-activity.ts";
import { repoRoot } from "./stack/child-process.ts";
import { stackDefaults } from "./stack/defaults.ts";
import { deployLocal } from "./stack/deploy-local.ts";
import type { IndexerProcess } from "./stack/indexer-process.ts";
import { launchIndexer } from "./stack/launch-indexer.ts";
import { type LocalChain, rpcAnswers, rpcCall, startLocalChain } from "./stack/local-chain.ts";
import { startWebApp, type WebApp } from "./stack/web-app.ts";

const log = (line: string) => console.log(line);
/** The small, fast dev catalog (`npm run seed:catalog -- --large` adds up to 100,000). */
const DEV_CATALOG_PRODUCTS = 2_000;
const rpcUrl = `http://127.0.0.1:${stackDefaults.chainPort}`;
const deploymentFile = path.join(repoRoot, "deployments", "31337.json");

let postgres: PostgresHandle | undefined;
let chain: LocalChain | undefined;
let indexer: IndexerProcess | undefined;
let web: WebApp | undefined;
let tracking: RunningTracking | undefined;
let training: BackgroundTraining | null = null;
let stopping = false;
let releaseJob: NodeJS.Timeout | undefined;
let rewardsJob: NodeJS.Timeout | undefined;
let closeJobsDb: () => Promise<void> = async () => {};

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("\nstopping NeoCart…");
    clearInterval(releaseJob);
    clearInterval(rewardsJob);
    await training?.process.stop().catch(() => {});
    await tracking?.stop().catch(() => {});
    await closeJobsDb().catch(() => {});
    await web?.stop().catch(() => {});
    await indexer?.stop().catch(() => {});
    await chain?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
    console.log("stopped.");
  }
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

/** Whether the deployment record's escrow has code on the chain at rpcUrl. */
async function deployedHere(): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(deploymentFile, "utf8")) as { contracts: { Escrow: { address: string } } };
    const code = await rpcCall<string>(rpcUrl, "eth_getCode", [record.contracts.Escrow.address, "latest"]);
    return code !== "0x";
  } catch {
    return false;
  }
}

try {
  postgres = await startPostgres({ log });
  const migrated = await migrate(postgres.url, log);
  log(`commerce: schema up to date (${migrated.applied.length} migrations applied now)`);
  await writeCatalogAssets(path.join(repoRoot, "public"));
  const catalogDb = createDb(postgres.url, { max: 4 });
  try {
    // Deterministic and idempotent: a second run finds every row and writes none.
    const seeded = await seedCatalog(catalogDb, { products: DEV_CATALOG_PRODUCTS });
    log(
      `commerce: demo catalog of ${seeded.products.toLocaleString("en-US")} products (${seeded.rowsWritten} rows written now)`,
    );
    const media = await seedDemoVideos(catalogDb);
    log(
      `commerce: shoppable videos and a live event (${media.videosCreated + media.liveEventsCreated} created now, ${media.skipped} already there)`,
    );
  } finally {
    await closeDb(catalogDb);
  }
  // Runs while the chain, indexer and web app start; the app picks the models up when they land.
  training = await trainModelsInBackground({ databaseUrl: postgres.url, log });
  if (await rpcAnswers(rpcUrl)) {
    log(`chain: reusing the node already answering at ${rpcUrl}`);
  } else {
    chain = await startLocalChain(stackDefaults.chainPort);
    chain.process?.exited.then((code) => {
      if (!stopping) {
        console.error(`chain: the Hardhat node exited (${code})`);
        void stopAll(1);
      }
    });
    log(`chain: Hardhat node on ${rpcUrl} (chain id 31337)`);
  }
  const deploy = !(await deployedHere());
  log(deploy ? "contracts: deploying and seeding demo activity…" : "contracts: already deployed on this chain");
  await deployLocal({ rpcUrl, deploymentFile, deploy, seed: "demo", log });
  const textsDb = createDb(postgres.url, { max: 1 });
  try {
    await storeDemoReviewTexts(textsDb);
  } finally {
    await closeDb(textsDb);
  }

  log("indexer: starting and catching up with the chain…");
  const launched = await launchIndexer({ databaseUrl: postgres.url, rpcUrl, deploymentFile });
  indexer = launched.indexer;
  indexer.exited.then((code) => {
    if (!stopping) {
      console.error(`indexer exited (${code}):\n${indexer?.output().slice(-3000)}`);
      void stopAll(1);
    }
  });
  // Stock held by escrow quotes that expired unpaid goes back to the offers once the indexer has
  // indexed past their expiry (lib/orders/release-expired-quotes.ts).
  const jobsDb = createDb(postgres.url, { max: 4 });
  closeJobsDb = () => closeDb(jobsDb);
  // Points burned for card orders that ended unpaid are minted back after each webhook; this
  // catches the ones a down chain left owed (lib/orders/sweep-owed-points.ts never throws).
  releaseJob = setInterval(() => {
    releaseExpiredQuotes(jobsDb, { viewsSchema: stackDefaults.viewsSchema })
      .then(({ released }) => {
        if (released > 0) log(`commerce: released the stock of ${released} expired escrow quote(s)`);
      })
      .catch((error: Error) => console.error(`commerce: stock release failed: ${error.message}`));
    void sweepOwedPoints(jobsDb, { log: (line) => log(`commerce: ${line}`) }).then((outcome) => {
      if (outcome.ran && outcome.reminted.length > 0) {
        log(`commerce: minted back the points of ${outcome.reminted.length} unpaid order(s)`);
      }
    });
  }, 60_000);
  // Rewards (review and referral points, badges) from what the indexer has published, sent with
  // the local chain's service keys; a pass that finds the chain or views away is tried again.
  const rewardsSettings = loadRewardsSettings({
    ...process.env,
    DATABASE_URL: postgres.url,
    NEOCART_RPC_URL: rpcUrl,
    NEOCART_CHAIN_ID: "31337",
    NEOCART_DEPLOYMENT_FILE: deploymentFile,
    NEOCART_VIEWS_SCHEMA: stackDefaults.viewsSchema,
  });
  const rewardsChain = createRewardsChain(rewardsSettings);
  let rewardsRunning = false;
  let lastRewards = "";
  rewardsJob = setInterval(() => {
    if (rewardsRunning) return;
    rewardsRunning = true;
    runRewardsPass(jobsDb, rewardsChain, {
      viewsSchema: rewardsSettings.viewsSchema,
      confirmations: rewardsSettings.confirmations,
    })
      .then((pass) => {
        // Only news is printed: an idle pass repeats the last line every 15 s.
        const line = describePass(pass).replace(/^block \d+ \(rewarding facts up to \d+\): /, "");
        if (line !== lastRewards) log(`rewards: ${line}`);
        lastRewards = line;
      })
      .catch((error: Error) => console.error(`rewards: pass failed: ${error.message}`))
      .finally(() => {
        rewardsRunning = false;
      });
  }, rewardsSettings.intervalSeconds * 1000);
  // Parcels' telemetry: an embedded MQTT broker unless MQTT_URL names one, and the ingester.
  tracking = await startTracking({
    db: jobsDb,
    secret: loadTrackingSecret(),
    mqttUrl: process.env.MQTT_URL || undefined,
    log,
  });
  log(`web: starting Next.js on 127.0.0.1:${stackDefaults.webPort}…`);
  web = await startWebApp({
    mode: "dev",
    port: stackDefaults.webPort,
    databaseUrl: postgres.url,
    rpcUrl,
    deploymentFile,
    viewsSchema: stackDefaults.viewsSchema,
  });
  web.exited.then((code) => {
    if (!stopping) {
      console.error(`web app exited (${code}):\n${web?.output().slice(-3000)}`);
      void stopAll(1);
    }
  });
  const schemaNote = { kept: "resumed", dropped: "new chain, re-indexed", new: "first run" }[launched.schema];

  console.log(`
NeoCart local system is up. Ctrl-C stops it.
  web app      ${web.url}
  MQTT         ${tracking.mqttUrl} (${tracking.broker} broker; tracking ingester running)
  PostgreSQL   ${postgres.url.replace(/:[^:@/]+@/, ":***@")} (${postgres.kind}; commerce schema, demo catalog)
  chain RPC    ${rpcUrl} (chain id 31337)
  contracts    ${path.relative(repoRoot, deploymentFile)}
  indexer      ${indexer.url}  (GraphQL ${indexer.url}/graphql, SQL ${indexer.url}/sql, REST ${indexer.url}/orders/:id)
               tables in schema ${stackDefaults.indexerSchema} (${schemaNote}), views in ${stackDefaults.viewsSchema}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
}
