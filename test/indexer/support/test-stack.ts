// One test file's private stack: PostgreSQL (embedded and thrown away, or the server at
// DATABASE_URL, a database of its own dropped at the end), a Hardhat node with the marketplace deployed,
// a driver that sends real transactions, and indexers started on demand.
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { type Hex, parseEther } from "viem";
import { type PostgresHandle, startPostgres } from "../../../lib/db/start-postgres.ts";
import {
  connectMarketplace,
  type Driver,
  orderIdOf,
  readDeploymentRecord,
} from "../../../scripts/seed/marketplace-driver.ts";
import { repoRoot } from "../../../scripts/stack/child-process.ts";
import { deployLocal } from "../../../scripts/stack/deploy-local.ts";
import { type IndexerProcess, startIndexer } from "../../../scripts/stack/indexer-process.ts";
import { type LocalChain, startLocalChain } from "../../../scripts/stack/local-chain.ts";
import { publishViews } from "../../../scripts/stack/publish-views.ts";
import { createScratchDatabase } from "./scratch-database.ts";

export type TestStack = {
  postgres: PostgresHandle;
  chain: LocalChain;
  driver: Driver;
  deploymentFile: string;
  /** A schema name unique to this run. */
  schema(label: string): string;
  /** Starts an indexer on `schema` (on `port`, default the next of this file's), against `rpcUrl` (default the node). */
  startIndexer(schema: string, options?: { rpcUrl?: string; databaseUrl?: string; port?: number }): IndexerProcess;
  /** Points views schema `views` at `schema`, as a deployment does once an indexer has caught up. */
  publish(schema: string, views: string): Promise<void>;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
};

export type StackPorts = { chain: number; postgres: number; indexer: number };

export async function startTestStack(name: string, ports: StackPorts): Promise<TestStack> {
  const dir = path.join(repoRoot, ".neocart", "test", name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const postgres = await privateDatabase(name, dir, ports.postgres);
  const chain = await startLocalChain(ports.chain);
  const deploymentFile = path.join(dir, "31337.json");
  await deployLocal({ rpcUrl: chain.rpcUrl, deploymentFile, seed: "none" });
  const driver = await connectMarketplace(chain.rpcUrl, readDeploymentRecord(deploymentFile));

  const run = randomBytes(3).toString("hex");
  const indexers: IndexerProcess[] = [];
  const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });

  return {
    postgres,
    chain,
    driver,
    deploymentFile,
    schema(label) {
      const schema = `t_${name}_${label}_${run}`.slice(0, 45);
      return schema;
    },
    startIndexer(schema, options = {}) {
      const indexer = startIndexer({
        databaseUrl: options.databaseUrl ?? postgres.url,
        schema,
        port: options.port ?? ports.indexer + indexers.length,
        rpcUrl: options.rpcUrl ?? chain.rpcUrl,
        deploymentFile,
        log: process.env.NEOCART_TEST_LOG ? (line) => console.log(line) : undefined,
      });
      indexers.push(indexer);
      return indexer;
    },
    async publish(schema, views) {
      await publishViews({ databaseUrl: postgres.url, schema, viewsSchema: views });
    },
    async query(sql, params) {
      return (await pool.query(sql, params)).rows;
    },
    async stop() {
      for (const indexer of indexers) await indexer.stop("SIGKILL").catch(() => {});
      await pool.end();
      await chain.stop();
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every stack gets a database of its own: Ponder keeps fetched chain data in a database-wide
 * "ponder_sync" schema keyed by chain id, and every local node is chain 31337 with the same
 * addresses, so two stacks sharing a database would read each other's blocks. On the server at
 * DATABASE_URL that is a new database, dropped at the end; otherwise an embedded server.
 */
async function privateDatabase(name: string, dir: string, port: number): Promise<PostgresHandle> {
  const external = process.env.DATABASE_URL;
  if (!external) return startPostgres({ ephemeral: true, forceEmbedded: true, dataDir: path.join(dir, "pg"), port });
  const database = await createScratchDatabase(external, `neocart_it_${name.replace(/[^a-z0-9]/g, "_")}`);
  return { url: database.url, kind: "external", stop: database.drop };
}

/** Mines one empty block (so a transaction's block is followed by another) and returns the head. */
export async function mineBlock(driver: Driver): Promise<number> {
  await driver.rpc("evm_mine");
  return Number(await driver.publicClient.getBlockNumber());
}

let orderSequence = 0;

/** Mines `count` blocks, each with one 0.01 ETH escrow checkout; returns the order ids. */
export async function mineOrders(driver: Driver, label: string, count: number): Promise<Hex[]> {
  const [, , , , buyer, seller] = driver.accounts;
  if (!buyer || !seller) throw new Error("the node needs 6 accounts");
  const ids: Hex[] = [];
  for (let i = 0; i < count; i++) {
    const id = orderIdOf(`${label}-${++orderSequence}`);
    await driver.mined(driver.checkout(id, driver.order({ buyer, seller, amount: parseEther("0.01") })));
    ids.push(id);
  }
  return ids;
}
