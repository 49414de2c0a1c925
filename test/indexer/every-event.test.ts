// The indexer mirrors every event the contracts emit: a scenario of real transactions reaches
// every event (but the few no reachable call emits), and the tables, the views the app reads,
// and the REST, GraphQL and SQL-over-HTTP APIs agree with the chain.
import { createClient } from "@ponder/client";
import { type Abi, type Address, decodeEventLog, type Hex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "../../indexer/ponder.schema.ts";
import * as abis from "../../lib/contracts/abis.ts";
import { type EveryEventResult, NEVER_EMITTED, runEveryEventScenario } from "../../scripts/seed/every-event.ts";
import type { IndexerProcess } from "../../scripts/stack/indexer-process.ts";
import { mineBlock, startTestStack, type TestStack } from "./support/test-stack.ts";

const CONTRACT_ABIS: Record<string, Abi> = {
  Escrow: abis.escrowAbi,
  Reviews: abis.reviewsAbi,
  LoyaltyPoints: abis.loyaltyPointsAbi,
  Badges: abis.badgesAbi,
  GroupBuy: abis.groupBuyAbi,
  TestStablecoin: abis.testStablecoinAbi,
};
const STATES = ["none", "paid", "shipped", "completed", "disputed", "resolved", "refunded"];
const ESCROW_HISTORY: Record<string, string> = {
  OrderPaid: "paid",
  OrderShipped: "shipped",
  OrderCompleted: "completed",
  OrderDisputed: "disputed",
  DisputeResolved: "resolved",
  OrderRefunded: "refunded",
};

type DecodedLog = { contract: string; name: string; args: Record<string, unknown>; txHash: Hex; block: bigint };

let stack: TestStack;
let indexer: IndexerProcess;
let scenario: EveryEventResult;
let logs: DecodedLog[];
let views: string;
const lower = (a: string) => a.toLowerCase();

async function json<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${indexer.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  stack = await startTestStack("every-event", { chain: 8601, postgres: 5501, indexer: 22101 });
  views = stack.schema("views");
  // Live indexing from the first block: the indexer runs while the transactions happen.
  const live = stack.schema("live");
  indexer = stack.startIndexer(live);
  await indexer.waitForBlock(Number(await stack.driver.publicClient.getBlockNumber()));
  // The app reads the views schema, published once the indexer has caught up.
  await stack.publish(live, views);
  scenario = await runEveryEventScenario(stack.driver);
  const head = await mineBlock(stack.driver);
  await indexer.waitForBlock(head);

  const contracts = stack.driver.contracts;
  const byAddress = new Map(Object.entries(contracts).map(([name, c]) => [lower(c.address), name]));
  const raw = await stack.driver.publicClient.getLogs({
    address: Object.values(contracts).map((c) => c.address),
    fromBlock: 0n,
    toBlock: BigInt(head),
  });
  logs = raw.map((log) => {
    const contract = byAddress.get(lower(log.address)) ?? "?";
    const decoded = decodeEventLog({ abi: CONTRACT_ABIS[contract] ?? [], data: log.data, topics: log.topics });
    return {
      contract,
      name: decoded.eventName ?? "?",
      args: (decoded.args ?? {}) as Record<string, unknown>,
      txHash: log.transactionHash,
      block: log.blockNumber,
    };
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("every event, indexed", () => {
  it("the scenario emits every event in the ABIs except the documented unreachable ones", () => {
    const emitted = new Set(logs.map((l) => `${l.contract}:${l.name}`));
    const missing: string[] = [];
    for (const [contract, abi] of Object.entries(CONTRACT_ABIS)) {
      for (const item of abi) {
        if (item.type !== "event") continue;
        const key = `${contract}:${item.name}`;
        if (emitted.has(key) || NEVER_EMITTED[key] || NEVER_EMITTED[`*:${item.name}`]) continue;
        missing.push(key);
      }
    }
    expect(missing).toEqual([]);
    expect(logs.length).toBeGreaterThan(100);
  });

  it("escrow orders: one row per OrderPaid, each in the state the contract reports", async () => {
    const rows = await stack.query<{ id: string; state: string; buyer: string; amount: string }>(
      `select id, state, buyer, amount::text from "${views}".escrow_order`,
    );
    const paid = logs.filter((l) => l.contract === "Escrow" && l.name === "OrderPaid");
    expect(rows.length).toBe(paid.length);
    for (const row of rows) {
      const [state] = (await stack.driver.publicClient.readContract({
        address: stack.driver.contracts.Escrow.address,
        abi: abis.escrowAbi,
        functionName: "orderState",
        args: [row.id as Hex],
      })) as readonly [number, number];
      expect(row.state, `order ${row.id}`).toBe(STATES[state]);
    }
    const states = Object.fromEntries(
      Object.entries(scenario.ids)
        .filter(([k]) => k !== "fiat")
        .map(([k, id]) => [k, rows.find((r) => r.id === id)?.state]),
    );
    expect(states).toEqual({
      a: "completed",
      b: "resolved",
      c: "refunded",
      d: "completed",
      e: "resolved",
      f: "refunded",
    });
  });

  it("order history: every state event is a row with its transaction hash, in chain order", async () => {
    const rows = await stack.query<{ order_id: string; kind: string; tx_hash: string }>(
      `select order_id, kind, tx_hash from "${views}".escrow_order_event order by id`,
    );
    const expected = logs
      .filter((l) => l.contract === "Escrow" && ESCROW_HISTORY[l.name])
      .map((l) => ({ order_id: lower(l.args.orderId as string), kind: ESCROW_HISTORY[l.name], tx_hash: l.txHash }));
    expect(rows).toEqual(expected);
  });

  it("credits, points, stablecoin and badge balances equal the contracts' own figures", async () => {
    const { publicClient, contracts } = stack.driver;
    const credits = await stack.query<{ token: Address; account: Address; withdrawable: string }>(
      `select token, account, withdrawable::text from "${views}".escrow_credit`,
    );
    expect(credits.length).toBeGreaterThan(3);
    for (const c of credits) {
      const onChain = await publicClient.readContract({
        address: contracts.Escrow.address,
        abi: abis.escrowAbi,
        functionName: "creditOf",
        args: [c.token, c.account],
      });
      expect(BigInt(c.withdrawable), `credit of ${c.account} in ${c.token}`).toBe(onChain);
    }
    for (const [table, address, abi] of [
      ["points_balance", contracts.LoyaltyPoints.address, abis.loyaltyPointsAbi],
      ["stablecoin_balance", contracts.TestStablecoin.address, abis.testStablecoinAbi],
    ] as const) {
      const rows = await stack.query<{ id: Address; balance: string }>(
        `select id, balance::text from "${views}".${table}`,
      );
      let sum = 0n;
      for (const row of rows) {
        sum += BigInt(row.balance);
        if (row.id === zeroAddress) continue;
        const onChain = await publicClient.readContract({ address, abi, functionName: "balanceOf", args: [row.id] });
        expect(BigInt(row.balance), `${table} of ${row.id}`).toBe(onChain);
      }
      const supply = await publicClient.readContract({ address, abi, functionName: "totalSupply" });
      expect(sum, `${table}: sum of balances = total supply`).toBe(supply);
    }
    const badges = await stack.query<{ holder: Address; badge_id: string; balance: string }>(
      `select holder, badge_id::text, balance::text from "${views}".badge where balance > 0`,
    );
    expect(badges.length).toBeGreaterThan(0);
    for (const b of badges) {
      const onChain = await publicClient.readContract({
        address: contracts.Badges.address,
        abi: abis.badgesAbi,
        functionName: "balanceOf",
        args: [b.holder, BigInt(b.badge_id)],
      });
      expect(BigInt(b.balance)).toBe(onChain);
    }
  });

  it("reviews and rating aggregates match the Reviews contract", async () => {
    const { publicClient, contracts } = stack.driver;
    const reviews = await stack.query<{
      id: string;
      product_id: Hex;
      rating: number;
      content_hash: string;
      via_receipt: boolean;
    }>(`select id, product_id, rating, content_hash, via_receipt from "${views}".review order by id`);
    expect(reviews).toEqual(
      [
        {
          id: scenario.ids.a,
          product_id: scenario.products.productA,
          rating: 4,
          content_hash: scenario.contentHashes.a,
          via_receipt: false,
        },
        {
          id: scenario.ids.fiat,
          product_id: scenario.products.productFiat,
          rating: 5,
          content_hash: scenario.contentHashes.fiat,
          via_receipt: true,
        },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    for (const r of reviews) {
      const [count, sum] = await publicClient.readContract({
        address: contracts.Reviews.address,
        abi: abis.reviewsAbi,
        functionName: "productRating",
        args: [r.product_id],
      });
      const [row] = await stack.query<{ review_count: number; rating_sum: number }>(
        `select review_count, rating_sum from "${views}".product_rating where id = $1`,
        [r.product_id],
      );
      expect(row).toEqual({ review_count: Number(count), rating_sum: Number(sum) });
    }
  });

  it("group-buy pools and pledges: the filled pool settled into escrow orders, the failed one refunded", async () => {
    const pools = await stack.query<{ id: string; filled: boolean; settled_count: number; refunded_count: number }>(
      `select id::text, filled, settled_count, refunded_count from "${views}".pool order by id`,
    );
    expect(pools).toEqual([
      { id: String(scenario.pools.pool1), filled: true, settled_count: 2, refunded_count: 0 },
      { id: String(scenario.pools.pool2), filled: false, settled_count: 0, refunded_count: 1 },
    ]);
    const settled = await stack.query<{ order_id: string; pool_id: string }>(
      `select p.order_id, o.pool_id::text from "${views}".pledge p join "${views}".escrow_order o on o.id = p.order_id where p.settled`,
    );
    expect(settled.length).toBe(2);
    for (const s of settled) expect(s.pool_id).toBe(String(scenario.pools.pool1));
  });

  it("roles and settings follow the admin events", async () => {
    const stranger = lower(scenario.accounts.stranger);
    const roles = await stack.query<{ contract: string; active: boolean }>(
      `select contract, active from "${views}".role_member where account = $1 order by contract`,
      [stranger],
    );
    expect(roles).toEqual(
      ["Badges", "Escrow", "GroupBuy", "LoyaltyPoints", "Reviews"].map((contract) => ({ contract, active: false })),
    );
    const adminEvents = await stack.query<{ n: string }>(`select count(*)::text as n from "${views}".admin_event`);
    expect(Number(adminEvents[0]?.n)).toBeGreaterThan(30);
  });
});

describe("the indexer's APIs", () => {
  it("REST: an order with its on-chain history and transaction hashes", async () => {
    const { status, body } = await json<{ order: { state: string }; history: { kind: string; txHash: string }[] }>(
      `/orders/${scenario.ids.a}`,
    );
    expect(status).toBe(200);
    expect(body.order.state).toBe("completed");
    const expected = logs
      .filter((l) => l.contract === "Escrow" && ESCROW_HISTORY[l.name] && l.args.orderId === scenario.ids.a)
      .map((l) => ({ kind: ESCROW_HISTORY[l.name], txHash: l.txHash }));
    expect(body.history.map((h) => ({ kind: h.kind, txHash: h.txHash }))).toEqual(expected);
    expect(expected.map((e) => e.kind)).toEqual(["paid", "shipped", "completed"]);

    const history = await json<{ history: unknown[] }>(`/orders/${scenario.ids.b}/history`);
    expect(history.status).toBe(200);
    expect(history.body.history.length).toBe(4);
  });

  it("REST: a product's reviews with content hashes and its rating", async () => {
    const { status, body } = await json<{
      rating: { reviewCount: number; averageCentiStars: number };
      reviews: { contentHash: string; rating: number }[];
    }>(`/products/${scenario.products.productA}/reviews`);
    expect(status).toBe(200);
    expect(body.rating.reviewCount).toBe(1);
    expect(body.rating.averageCentiStars).toBe(400);
    expect(body.reviews.map((r) => [r.rating, r.contentHash])).toEqual([[4, scenario.contentHashes.a]]);
  });

  it("REST: an account's withdrawable credits", async () => {
    const { status, body } = await json<{ credits: { token: string; withdrawable: string }[] }>(
      `/accounts/${scenario.accounts.seller2}/credits`,
    );
    expect(status).toBe(200);
    expect(body.credits.length).toBeGreaterThan(0);
  });

  it("REST: malformed ids answer 400 with what to fix, unknown ones 404", async () => {
    const bad = await json<{ error: string }>("/orders/0x1234");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/expected 0x followed by 64 hex digits/);
    const badAccount = await json<{ error: string }>("/accounts/not-an-address/credits");
    expect(badAccount.status).toBe(400);
    const unknown = await json<{ error: string }>(`/orders/0x${"ab".repeat(32)}`);
    expect(unknown.status).toBe(404);
  });

  it("GraphQL answers with the same orders", async () => {
    const res = await fetch(`${indexer.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ escrowOrder(id: "${scenario.ids.b}") { state buyerBps refundedToBuyer } }` }),
    });
    const body = (await res.json()) as { data: { escrowOrder: { state: string; buyerBps: number } } };
    expect(body.data.escrowOrder).toMatchObject({ state: "resolved", buyerBps: 3_000 });
  });

  it("SQL over HTTP (@ponder/client) reads the tables", async () => {
    const client = createClient(`${indexer.url}/sql`, { schema });
    const rows = await client.db.select().from(schema.review);
    expect(rows.map((r) => r.id).sort()).toEqual([scenario.ids.a, scenario.ids.fiat].sort());
  });
});
