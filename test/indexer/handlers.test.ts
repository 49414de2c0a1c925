// Every event in the generated ABIs has an indexing function: a contract that gains an event
// fails here until the indexer handles it.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Abi } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import * as abis from "../../lib/contracts/abis.ts";
import { repoRoot } from "../../scripts/stack/child-process.ts";
import { registered } from "./support/recording-registry.ts";

const INDEXED: Record<string, Abi> = {
  Escrow: abis.escrowAbi,
  Reviews: abis.reviewsAbi,
  LoyaltyPoints: abis.loyaltyPointsAbi,
  Badges: abis.badgesAbi,
  GroupBuy: abis.groupBuyAbi,
  TestStablecoin: abis.testStablecoinAbi,
};

describe("indexing functions", () => {
  beforeAll(async () => {
    // The handler files read the local deployment record (TestStablecoin is registered only where it exists).
    process.env.NEOCART_CHAIN_ID = "31337";
    delete process.env.NEOCART_DEPLOYMENT_FILE;
    const dir = path.join(repoRoot, "indexer", "src");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      await import(path.join(dir, file));
    }
  });

  it("every event of every indexed contract has exactly one handler", () => {
    const missing: string[] = [];
    for (const [contract, abi] of Object.entries(INDEXED)) {
      for (const item of abi) {
        if (item.type === "event" && !registered.has(`${contract}:${item.name}`))
          missing.push(`${contract}:${item.name}`);
      }
    }
    expect(missing, `events without an indexing function: ${missing.join(", ")}`).toEqual([]);
  });

  it("no handler is registered for an event the ABIs do not have", () => {
    const known = new Set(
      Object.entries(INDEXED).flatMap(([contract, abi]) =>
        abi.flatMap((item) => (item.type === "event" ? [`${contract}:${item.name}`] : [])),
      ),
    );
    expect([...registered].filter((name) => !known.has(name))).toEqual([]);
    expect(registered.size).toBeGreaterThan(40);
  });
});
