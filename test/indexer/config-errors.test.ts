// Bad configuration stops the indexer at start with a message that says what to fix.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IndexerConfigError, loadIndexerSettings } from "../../indexer/lib/settings.ts";
import { startIndexer } from "../../scripts/stack/indexer-process.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "neocart-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (chainId: number, contracts: Record<string, unknown>) => JSON.stringify({ chainId, contracts });
const fullContracts = Object.fromEntries(
  ["LoyaltyPoints", "Badges", "Escrow", "Reviews", "GroupBuy"].map((name, i) => [
    name,
    { address: `0x${String(i + 1).padStart(40, "0")}`, startBlock: i + 1 },
  ]),
);

describe("indexer settings", () => {
  it("reads the local deployment record by default", () => {
    const settings = loadIndexerSettings({});
    expect(settings.chainId).toBe(31337);
    expect(settings.rpcUrl).toBe("http://127.0.0.1:8545");
    expect(settings.contracts.Escrow?.startBlock).toBeGreaterThan(0);
  });

  it("an unknown chain id is refused with the supported ones", () => {
    expect(() => loadIndexerSettings({ NEOCART_CHAIN_ID: "999" })).toThrow(IndexerConfigError);
    expect(() => loadIndexerSettings({ NEOCART_CHAIN_ID: "999" })).toThrow(/Unknown chain id "999".*31337 \(local\)/);
    expect(() => loadIndexerSettings({ NEOCART_CHAIN_ID: "local" })).toThrow(/Unknown chain id "local"/);
  });

  it("a missing deployment record says how to make one", () => {
    const file = path.join(dir, "none.json");
    expect(() => loadIndexerSettings({ NEOCART_DEPLOYMENT_FILE: file })).toThrow(
      /No deployment record for chain 31337: .*none\.json does not exist.*npm run deploy:local/,
    );
  });

  it("a public chain needs an RPC URL", () => {
    expect(() => loadIndexerSettings({ NEOCART_CHAIN_ID: "84532" })).toThrow(
      /No RPC URL for chain 84532.*NEOCART_RPC_URL/,
    );
  });

  it("records that are broken, for another chain, or incomplete are refused", async () => {
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, "{ not json");
    expect(() => loadIndexerSettings({ NEOCART_DEPLOYMENT_FILE: broken })).toThrow(/not valid JSON/);

    const other = path.join(dir, "other.json");
    await writeFile(other, record(1, fullContracts));
    expect(() => loadIndexerSettings({ NEOCART_DEPLOYMENT_FILE: other })).toThrow(/is for chain 1, not chain 31337/);

    const partial = path.join(dir, "partial.json");
    const { GroupBuy: _, ...withoutGroupBuy } = fullContracts;
    await writeFile(partial, record(31337, withoutGroupBuy));
    expect(() => loadIndexerSettings({ NEOCART_DEPLOYMENT_FILE: partial })).toThrow(/has no GroupBuy/);

    const badAddress = path.join(dir, "bad-address.json");
    await writeFile(badAddress, record(31337, { ...fullContracts, Escrow: { address: "0x123", startBlock: 1 } }));
    expect(() => loadIndexerSettings({ NEOCART_DEPLOYMENT_FILE: badAddress })).toThrow(
      /Escrow\.address is not an address/,
    );
  });

  it("a bad polling interval is refused", () => {
    expect(() => loadIndexerSettings({ NEOCART_POLLING_MS: "5" })).toThrow(
      /NEOCART_POLLING_MS must be an integer >= 100/,
    );
  });
});

describe("ponder start with a bad configuration", () => {
  const base = { databaseUrl: "postgresql://postgres@127.0.0.1:1/none", schema: "unused", port: 22190 };

  it("exits with the unknown chain id message", async () => {
    const indexer = startIndexer({
      ...base,
      rpcUrl: "http://127.0.0.1:1",
      deploymentFile: path.join(dir, "none.json"),
      chainId: 999,
    });
    expect(await indexer.exited).not.toBe(0);
    expect(indexer.output()).toMatch(/Unknown chain id "999"/);
  });

  it("exits with the missing deployment record message", async () => {
    const indexer = startIndexer({
      ...base,
      rpcUrl: "http://127.0.0.1:1",
      deploymentFile: path.join(dir, "missing.json"),
    });
    expect(await indexer.exited).not.toBe(0);
    expect(indexer.output()).toMatch(/No deployment record for chain 31337/);
  });
});
