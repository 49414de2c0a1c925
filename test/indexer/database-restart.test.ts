// F3 of the test plan: PostgreSQL restarts while the indexer is live. Runs against an embedded
// server this test owns (a shared server at DATABASE_URL is not ours to restart).
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresHandle, startPostgres } from "../../lib/db/start-postgres.ts";
import { digestSchema } from "../../lib/db/table-digest.ts";
import { repoRoot } from "../../scripts/stack/child-process.ts";
import { mineOrders as mineOrdersOn, startTestStack, type TestStack } from "./support/test-stack.ts";

const PORT = 5505;
const dataDir = path.join(repoRoot, ".neocart", "test", "f3-postgres");
let stack: TestStack;
let postgres: PostgresHandle | undefined;

const startOwnPostgres = () => startPostgres({ forceEmbedded: true, port: PORT, dataDir });
const head = async () => Number(await stack.driver.publicClient.getBlockNumber());

const mineOrders = (label: string, count: number) => mineOrdersOn(stack.driver, label, count);

// Its own embedded server either way, so the pass against DATABASE_URL would only repeat it.
describe.skipIf(Boolean(process.env.DATABASE_URL))("database restart", () => {
  beforeAll(async () => {
    stack = await startTestStack("dbrestart", { chain: 8604, postgres: 5504, indexer: 22131 });
    postgres = await startOwnPostgres();
  });

  afterAll(async () => {
    await stack?.stop();
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("F3: PostgreSQL restarted during live indexing: the indexer neither crashes nor loses a block", async () => {
    if (!postgres) throw new Error("no database");
    const url = postgres.url;
    const schema = "f3_live";
    await mineOrders("before", 3);
    const indexer = stack.startIndexer(schema, { databaseUrl: url });
    await indexer.waitForBlock(await head());

    await postgres.stop();
    const during = await mineOrders("db-down", 4);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    postgres = await startOwnPostgres();
    const after = await mineOrders("db-back", 2);
    await indexer.waitForBlock(await head(), 120_000);
    expect(indexer.child.exitCode, `the indexer exited:\n${indexer.output().slice(-3000)}`).toBeNull();

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`select id from "${schema}".escrow_order where id = any($1)`, [
      [...during, ...after],
    ]);
    await db.end();
    expect(rows.length).toBe(6);
    await indexer.stop();

    const clean = stack.startIndexer("f3_clean", { databaseUrl: url });
    await clean.waitForBlock(await head());
    await clean.stop();
    const [a, b] = await Promise.all([digestSchema(url, schema), digestSchema(url, "f3_clean")]);
    expect(a.tables).toEqual(b.tables);
  });
});
