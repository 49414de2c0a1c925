// Faults of the test plan: F2 indexer killed mid-backfill, F5 RPC down for a minute, F10 a new
// indexer build swapping in under the views with no downtime, F6 no off-chain effects inside
// indexing functions. "Nothing lost, nothing doubled" is a digest over every table compared with
// a clean re-index of the same chain.
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestSchema } from "../../lib/db/table-digest.ts";
import { generateBulkActivity } from "../../scripts/seed/bulk-activity.ts";
import { repoRoot, waitUntil } from "../../scripts/stack/child-process.ts";
import { startRpcProxy } from "./support/rpc-proxy.ts";
import { mineOrders as mineOrdersOn, startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;
const head = async () => Number(await stack.driver.publicClient.getBlockNumber());

const mineOrders = (label: string, count: number) => mineOrdersOn(stack.driver, label, count);

async function expectSameTables(schema: string, reference: string) {
  const [a, b] = await Promise.all([
    digestSchema(stack.postgres.url, schema),
    digestSchema(stack.postgres.url, reference),
  ]);
  expect(a.tables).toEqual(b.tables);
  expect(a.sha256).toBe(b.sha256);
}

/** Indexes the chain as it is now into a fresh schema and returns the schema. */
async function cleanReindex(label: string) {
  const schema = stack.schema(label);
  const indexer = stack.startIndexer(schema);
  await indexer.waitForBlock(await head());
  await indexer.stop();
  return schema;
}

beforeAll(async () => {
  stack = await startTestStack("faults", { chain: 8603, postgres: 5503, indexer: 22121 });
});

afterAll(async () => {
  await stack?.stop();
});

describe("faults", () => {
  it("F2: killed with SIGKILL in the middle of a backfill of thousands of events, the indexer resumes and loses nothing", {
    timeout: 600_000,
  }, async () => {
    const activity = await generateBulkActivity(stack.driver, 20_000);
    expect(activity.events).toBeGreaterThanOrEqual(20_000);
    // Behind the 30-block finality depth, so all of it is backfilled rather than indexed live.
    for (let i = 0; i < 35; i++) await stack.driver.rpc("evm_mine");
    const reference = await cleanReindex("f2clean");

    const schema = stack.schema("f2");
    const first = stack.startIndexer(schema);
    await waitUntil(() => /Indexed block range/.test(first.output()), "the first backfilled block range", 120_000, 5);
    await first.stop("SIGKILL");
    expect(first.output(), "the kill came after the backfill had finished").not.toMatch(/Completed backfill/);
    const partial = await stack.query<{ n: string }>(`select count(*)::text as n from "${schema}".escrow_order`);
    const total = await stack.query<{ n: string }>(`select count(*)::text as n from "${reference}".escrow_order`);
    expect(Number(partial[0]?.n)).toBeLessThan(Number(total[0]?.n));

    const restartedAt = Date.now();
    const second = stack.startIndexer(schema);
    await second.waitForBlock(await head(), 180_000);
    const recoveryMs = Date.now() - restartedAt;
    await second.stop();
    console.log(
      `F2: ${activity.events} events; killed after ${partial[0]?.n}/${total[0]?.n} orders were stored; ` +
        `recovered in ${(recoveryMs / 1000).toFixed(1)} s (including Ponder's 25 s wait for the dead instance's lock)`,
    );
    expect(second.output()).toMatch(/crash recovery/i);
    await expectSameTables(schema, reference);
  });

  // The RPC outage is the same whichever PostgreSQL stores the rows: npm test runs it in the first
  // (embedded) pass and skips it in the second, against the machine's server, to save 2 minutes.
  it.skipIf(process.env.NEOCART_REPEAT_PASS === "1")(
    "F5: with the RPC down for a minute the indexer keeps retrying and afterwards has no gap",
    async () => {
      const proxy = await startRpcProxy(stack.chain.rpcUrl);
      try {
        const schema = stack.schema("f5");
        const indexer = stack.startIndexer(schema, { rpcUrl: proxy.url });
        await indexer.waitForBlock(await head(), 180_000);
        proxy.setDown(true);
        const during = await mineOrders("rpc-down", 5);
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        expect(indexer.child.exitCode, "the indexer crashed while the RPC was down").toBeNull();
        expect(proxy.refused()).toBeGreaterThan(0);
        proxy.setDown(false);
        const after = await mineOrders("rpc-back", 2);
        await indexer.waitForBlock(await head(), 120_000);
        const rows = await stack.query<{ id: string }>(`select id from "${schema}".escrow_order where id = any($1)`, [
          [...during, ...after],
        ]);
        expect(rows.length).toBe(7);
        await indexer.stop();
        await expectSameTables(schema, await cleanReindex("f5clean"));
      } finally {
        await proxy.close();
      }
    },
  );

  it("F10: a new indexer build swaps in under the views schema while readers never see an error or a step back", async () => {
    const views = stack.schema("f10views");
    const oldSchema = stack.schema("f10old");
    const oldBuild = stack.startIndexer(oldSchema);
    await oldBuild.waitForBlock(await head(), 180_000);
    await stack.publish(oldSchema, views);
    const count = async () =>
      Number((await stack.query<{ n: string }>(`select count(*)::text as n from "${views}".escrow_order`))[0]?.n);
    const expected = await count();
    expect(expected).toBeGreaterThan(0);

    // A reader polls the views the whole time the new build indexes and takes over.
    let reads = 0;
    const failures: string[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        try {
          const seen = await count();
          if (seen !== expected) failures.push(`saw ${seen} orders instead of ${expected}`);
          reads++;
        } catch (error) {
          failures.push((error as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const newSchema = stack.schema("f10new");
    const newBuild = stack.startIndexer(newSchema);
    await newBuild.waitForBlock(await head(), 180_000);
    await stack.publish(newSchema, views);
    await oldBuild.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    reading = false;
    await reader;

    expect(failures.slice(0, 5)).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    const [definition] = await stack.query<{ definition: string }>(
      "select definition from pg_views where schemaname = $1 and viewname = 'escrow_order'",
      [views],
    );
    expect(definition?.definition).toContain(newSchema);
    await newBuild.stop();
  });

  // A fixed port can be another process's; Ponder then listens on the next one. Polling the port
  // asked for once found another indexer there (CI at 5da651f, when test ports were in the
  // ephemeral range and a client socket held one).
  it("its port taken, the indexer listens on the next free one and is followed there", async () => {
    // Accepts connections and never answers, as a stranger's socket would.
    const stranger = net.createServer();
    await new Promise<void>((resolve) => stranger.listen(22139, "127.0.0.1", resolve));
    try {
      const indexer = stack.startIndexer(stack.schema("port"), { port: 22139 });
      try {
        await indexer.waitForBlock(await head(), 120_000);
        expect(indexer.url).toBe("http://127.0.0.1:22140");
        expect(indexer.output()).toMatch(/Port in use/);
        expect((await fetch(`${indexer.url}/health`)).status).toBe(200);
      } finally {
        await indexer.stop();
      }
    } finally {
      stranger.close();
    }
  });

  it("F6: indexing functions have no off-chain effects (they replay on reorgs)", () => {
    // Effects such as emails or off-chain points belong in jobs that read finalized rows.
    const dirs = ["indexer/src", "indexer/lib"].map((d) => path.join(repoRoot, d));
    const offenders: string[] = [];
    for (const dir of dirs) {
      for (const file of readdirSync(dir, { recursive: true }) as string[]) {
        if (!file.endsWith(".ts") || file.startsWith("api")) continue;
        const text = readFileSync(path.join(dir, file), "utf8");
        if (
          /\bfetch\(|from "node:(http|https|net|child_process|fs)"|from "(pg|mqtt|nodemailer|openai|stripe)"/.test(text)
        ) {
          offenders.push(file);
        }
      }
    }
    expect(offenders.filter((f) => !f.endsWith("settings.ts"))).toEqual([]);
  });
});
