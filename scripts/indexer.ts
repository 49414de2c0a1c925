// `npm run indexer`: the indexer alone, against DATABASE_URL or the embedded PostgreSQL (started
// here when it is not running yet), the chain at NEOCART_RPC_URL (default the local node) and the
// deployment record of NEOCART_CHAIN_ID (default 31337). Ctrl-C stops it.
import path from "node:path";
import { startPostgres } from "../lib/db/start-postgres.ts";
import { repoRoot } from "./stack/child-process.ts";
import { stackDefaults } from "./stack/defaults.ts";
import { launchIndexer } from "./stack/launch-indexer.ts";

const chainId = process.env.NEOCART_CHAIN_ID ?? "31337";
const rpcUrl = process.env.NEOCART_RPC_URL ?? `http://127.0.0.1:${stackDefaults.chainPort}`;
const deploymentFile = path.resolve(
  process.env.NEOCART_DEPLOYMENT_FILE || path.join(repoRoot, "deployments", `${chainId}.json`),
);
const postgres = await startPostgres({ log: console.log });
try {
  const { indexer, schema } = await launchIndexer({
    databaseUrl: postgres.url,
    rpcUrl,
    deploymentFile,
    log: console.log,
  });
  console.log(
    `indexer: ${indexer.url} (schema ${stackDefaults.indexerSchema}: ${schema}; views ${stackDefaults.viewsSchema})`,
  );
  const stop = async () => {
    await indexer.stop();
    await postgres.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const code = await indexer.exited;
  await postgres.stop();
  process.exit(code === 0 ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await postgres.stop();
  process.exit(1);
}
