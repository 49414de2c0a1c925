// The re-mint sweep the app runs after every applied webhook (and scripts/orders/remint-owed-points.ts
// periodically): with the chain down or no points service configured it never throws and leaves
// the points owed for the next sweep; with nothing owed it does not touch the points service.
// (That the sweep mints exactly once when the chain answers is points-redemption.test.ts.)
import { randomBytes } from "node:crypto";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_POINTS_SERVICE_KEY, PointsServiceConfigError } from "../../../lib/orders/points-service.ts";
import { sweepOwedPoints } from "../../../lib/orders/sweep-owed-points.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
// Nothing listens on 8759 (our Hardhat range, left unused): the chain is "down".
const DEAD_CHAIN = {
  account: privateKeyToAccount(DEV_POINTS_SERVICE_KEY),
  chainId: 31337,
  points: "0x0000000000000000000000000000000000000001",
  rpcUrl: "http://127.0.0.1:8759",
} as const;
const hex = (bytes: number) => `0x${randomBytes(bytes).toString("hex")}`;

async function owedOrder(): Promise<string> {
  const { rows } = await t.db.$client.query<{ id: string }>(
    `insert into commerce.orders (kind, chain_order_id, currency, subtotal_minor, total_minor, status)
     values ('fiat', $1, 'USD', 1000, 900, 'canceled') returning id`,
    [hex(32)],
  );
  const orderId = rows[0]?.id as string;
  await t.db.$client.query(
    `insert into commerce.points_redemptions
       (order_id, chain_id, points_address, holder, amount, consent_deadline, consent_signature, status, burn_tx_hash, remint_reason)
     values ($1, 31337, $2, $3, 1000000000000000000, now(), $4, 'remint_due', $5, 'payment expired')`,
    [orderId, hex(20), hex(20), hex(65), hex(32)],
  );
  return orderId;
}

async function statusOf(orderId: string) {
  const { rows } = await t.db.$client.query<{ status: string }>(
    "select status from commerce.points_redemptions where order_id = $1",
    [orderId],
  );
  return rows[0]?.status;
}

beforeAll(async () => {
  t = await createTestDatabase("orders_remint_sweep", 5653);
});
afterAll(async () => {
  await t?.stop();
});

describe("points re-mint sweep after webhooks", () => {
  it("does nothing, not even loading the points service, when nothing is owed", async () => {
    let loaded = 0;
    const outcome = await sweepOwedPoints(t.db, {
      loadService: () => {
        loaded++;
        return DEAD_CHAIN;
      },
    });
    expect(outcome).toEqual({ ran: false, reason: "nothing_owed" });
    expect(loaded).toBe(0);
  });

  it("leaves the points owed and does not throw when the points service is not configured", async () => {
    const orderId = await owedOrder();
    const lines: string[] = [];
    const outcome = await sweepOwedPoints(t.db, {
      loadService: () => {
        throw new PointsServiceConfigError("NEOCART_POINTS_SERVICE_KEY is not set");
      },
      log: (line) => lines.push(line),
    });
    expect(outcome).toMatchObject({ ran: false, reason: "no_points_service" });
    expect(lines.join("\n")).toMatch(/owed back but the points service is not usable/);
    expect(await statusOf(orderId)).toBe("remint_due");
  });

  it("leaves the points owed and does not throw when the chain is down; one sweep at a time", async () => {
    const lines: string[] = [];
    const [first, second] = await Promise.all([
      sweepOwedPoints(t.db, { loadService: () => DEAD_CHAIN, log: (line) => lines.push(line) }),
      sweepOwedPoints(t.db, { loadService: () => DEAD_CHAIN, log: (line) => lines.push(line) }),
    ]);
    expect(second).toEqual({ ran: false, reason: "already_running" });
    if (!first.ran) throw new Error(`the sweep did not run: ${JSON.stringify(first)}`);
    expect(first.reminted).toEqual([]);
    expect(first.failed.length).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => /still owed \(next sweep retries\)/.test(l))).toBe(true);
    const { rows } = await t.db.$client.query<{ n: string }>(
      "select count(*) as n from commerce.points_redemptions where status = 'remint_due'",
    );
    expect(Number(rows[0]?.n)).toBe(first.failed.length);
  }, 60_000);
});
