// F1 and F4 of the test plan: reorgs of 1-3 blocks, with the indexer running and with the
// indexer down while the chain reorganises. The chain's snapshot/revert drops indexed blocks and
// different blocks are mined in their place; afterwards the tables hold no orphaned row, every
// replacement row, and equal a clean re-index of the final chain (digest over every table).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestSchema } from "../../lib/db/table-digest.ts";
import { mineOrders as mineOrdersOn, startTestStack, type TestStack } from "./support/test-stack.ts";

let stack: TestStack;

const mineOrders = (label: string, count: number) => mineOrdersOn(stack.driver, label, count);

const head = async () => Number(await stack.driver.publicClient.getBlockNumber());

async function presentOrders(schema: string, ids: string[]) {
  const rows = await stack.query<{ id: string }>(`select id from "${schema}".escrow_order where id = any($1)`, [ids]);
  return rows.map((r) => r.id).sort();
}

/** Digest of `schema` equals that of a fresh indexer run over the same chain. */
async function expectEqualsCleanReindex(schema: string, label: string) {
  const clean = stack.schema(`clean${label}`);
  const reindex = stack.startIndexer(clean);
  try {
    await reindex.waitForBlock(await head());
  } finally {
    await reindex.stop();
  }
  const [a, b] = await Promise.all([digestSchema(stack.postgres.url, schema), digestSchema(stack.postgres.url, clean)]);
  const differing = Object.keys(b.tables).filter((t) => a.tables[t]?.sha256 !== b.tables[t]?.sha256);
  if (differing.length > 0) {
    for (const table of differing) {
      const rows = (s: string) =>
        stack.query<{ row: string }>(`select row_to_json(t)::text as row from "${s}"."${table}" t order by 1`);
      const [mine, theirs] = await Promise.all([rows(schema), rows(clean)]);
      const only = (x: { row: string }[], y: { row: string }[]) =>
        x.map((r) => r.row).filter((r) => !y.some((o) => o.row === r));
      console.log(
        `${table}: only after the reorg ${JSON.stringify(only(mine, theirs))}; only in the re-index ${JSON.stringify(only(theirs, mine))}`,
      );
    }
  }
  expect(differing).toEqual([]);
  expect(a.tables).toEqual(b.tables);
  expect(a.sha256).toBe(b.sha256);
  expect(a.tables.escrow_order?.rows).toBeGreaterThan(0);
}

beforeAll(async () => {
  stack = await startTestStack("reorg", { chain: 8602, postgres: 5502, indexer: 22111 });
  // Some history before the reorgs, part of it deeper than the 30-block finality.
  await mineOrders("base", 40);
});

afterAll(async () => {
  await stack?.stop();
});

describe("reorgs", () => {
  it("F1: reorgs of 1, 2 and 3 blocks under a live indexer leave no orphan and equal a re-index", {
    timeout: 600_000,
  }, async () => {
    const schema = stack.schema("f1");
    const indexer = stack.startIndexer(schema);
    await indexer.waitForBlock(await head());
    for (const depth of [1, 2, 3]) {
      const snapshot = await stack.driver.rpc("evm_snapshot");
      const orphans = await mineOrders(`orphan-d${depth}`, depth);
      await indexer.waitForBlock(await head());
      expect(await presentOrders(schema, orphans)).toEqual([...orphans].sort());

      expect(await stack.driver.rpc("evm_revert", [snapshot])).toBe(true);
      const replacements = await mineOrders(`replacement-d${depth}`, depth + 1);
      await indexer.waitForBlock(await head());
      expect(await presentOrders(schema, orphans), `orphaned rows after a ${depth}-block reorg`).toEqual([]);
      expect(await presentOrders(schema, replacements)).toEqual([...replacements].sort());
    }
    await indexer.stop();
    await expectEqualsCleanReindex(schema, "f1");
  });

  it("F4: a reorg while the indexer is down is repaired when it starts again", { timeout: 600_000 }, async () => {
    const schema = stack.schema("f4");
    const first = stack.startIndexer(schema);
    await first.waitForBlock(await head());
    const snapshot = await stack.driver.rpc("evm_snapshot");
    const orphans = await mineOrders("down-orphan", 3);
    await first.waitForBlock(await head());
    expect(await presentOrders(schema, orphans)).toHaveLength(3);
    await first.stop();

    expect(await stack.driver.rpc("evm_revert", [snapshot])).toBe(true);
    const replacements = await mineOrders("down-replacement", 4);
    const second = stack.startIndexer(schema);
    await second.waitForBlock(await head());
    expect(second.output()).toMatch(/crash recovery/i);
    expect(await presentOrders(schema, orphans)).toEqual([]);
    expect(await presentOrders(schema, replacements)).toEqual([...replacements].sort());
    await second.stop();
    await expectEqualsCleanReindex(schema, "f4");
  });
});
