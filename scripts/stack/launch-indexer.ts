// Starts the indexer the way `npm run dev` and `npm run indexer` do: the deployment record's
// chain, the default schemas, a fresh schema whenever the local chain is new, and the views
// schema published once the indexer has caught up.
import { readFile } from "node:fs/promises";
import { stackDefaults } from "./defaults.ts";
import { type IndexerProcess, startIndexer } from "./indexer-process.ts";
import { prepareLocalIndexerSchema, type SchemaCheck } from "./indexer-schema.ts";
import { blockNumber } from "./local-chain.ts";
import { publishViews } from "./publish-views.ts";

const LOCAL_CHAIN_ID = 31337;

export async function launchIndexer(opts: {
  databaseUrl: string;
  rpcUrl: string;
  deploymentFile: string;
  log?: (line: string) => void;
}): Promise<{ indexer: IndexerProcess; schema: SchemaCheck }> {
  const record = JSON.parse(await readFile(opts.deploymentFile, "utf8")) as {
    chainId: number;
    contracts: Record<string, { startBlock: number }>;
  };
  let schema: SchemaCheck = "kept";
  if (record.chainId === LOCAL_CHAIN_ID) {
    const anchorBlock = Math.min(...Object.values(record.contracts).map((c) => c.startBlock));
    schema = await prepareLocalIndexerSchema({
      databaseUrl: opts.databaseUrl,
      schema: stackDefaults.indexerSchema,
      rpcUrl: opts.rpcUrl,
      chainId: record.chainId,
      anchorBlock,
    });
  }
  const indexer = startIndexer({
    databaseUrl: opts.databaseUrl,
    schema: stackDefaults.indexerSchema,
    port: stackDefaults.indexerPort,
    rpcUrl: opts.rpcUrl,
    deploymentFile: opts.deploymentFile,
    chainId: record.chainId,
    log: opts.log,
  });
  // Ready once it has caught up with the chain as it is now; only then do readers switch to it.
  await indexer.waitForBlock(await blockNumber(opts.rpcUrl), 180_000);
  await publishViews({
    databaseUrl: opts.databaseUrl,
    schema: stackDefaults.indexerSchema,
    viewsSchema: stackDefaults.viewsSchema,
  });
  return { indexer, schema };
}
