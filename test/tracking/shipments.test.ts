// Shipments in the database: the 0009 migration agrees with its Drizzle mirror, shipments are
// created with only a token hash stored, reads are scoped to the order's owner, and the list of
// delivered escrow orders awaiting confirmation follows the chain state (stand-in views here,
// with the indexer's column names).
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderNotFoundError } from "../../lib/orders/index.ts";
import {
  createShipment,
  DEMO_ROUTES,
  DEV_TRACKING_SECRET,
  encodeTelemetryMessage,
  findShipmentOfUser,
  hashDeviceToken,
  listDeliveredAwaitingConfirmation,
  listOrderShipments,
  planTelemetry,
  readTrackingSnapshot,
  recordTelemetry,
} from "../../lib/tracking/index.ts";
import * as trackingTables from "../../lib/tracking/tables.ts";
import { createTestDatabase, type TestDatabase } from "../commerce/support/test-database.ts";
import { seedOrder, seedUser } from "./support/fixtures.ts";

const SECRET = DEV_TRACKING_SECRET;
const VIEWS = "stand_in_chain";
let t: TestDatabase;
let alice: string;
let bob: string;

beforeAll(async () => {
  t = await createTestDatabase("tracking_shipments", 5593);
  alice = await seedUser(t.db);
  bob = await seedUser(t.db);
});
afterAll(async () => {
  await t?.stop();
});

/** Drives a shipment through the whole demo route straight into recordTelemetry (no broker). */
async function deliver(shipmentId: string, token: string, until?: number) {
  const plan = planTelemetry({
    shipmentId,
    token,
    route: DEMO_ROUTES["sf-drone"],
    startAt: new Date(Date.now() - 86_400_000),
  });
  for (const { message } of plan.slice(0, until)) {
    const outcome = await recordTelemetry(
      t.db,
      { topic: `neocart/shipments/${shipmentId}/telemetry`, payload: encodeTelemetryMessage(message) },
      { secret: SECRET },
    );
    expect(outcome.kind).toBe("stored");
  }
}

async function shipped(userId: string, kind: "escrow" | "fiat" = "escrow") {
  const order = await seedOrder(t.db, userId, kind);
  const s = await createShipment(
    t.db,
    { orderId: order.id, carrier: "Test", deliveryOption: "drone" },
    { secret: SECRET },
  );
  return { order, shipment: s.shipment, token: s.deviceToken };
}

describe("tracking schema", () => {
  it("has every Drizzle column of shipments and tracking_events, with the same nullability", async () => {
    const tables = Object.values(trackingTables as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));
    expect(tables.map((x) => getTableConfig(x).name).sort()).toEqual(["shipments", "tracking_events"]);
    const { rows } = await t.db.$client.query<{ table_name: string; column_name: string; is_nullable: string }>(
      "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'commerce'",
    );
    const columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === "YES"]));
    const problems: string[] = [];
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const column of config.columns) {
        const nullable = columns.get(`${config.name}.${column.name}`);
        if (nullable === undefined) problems.push(`${config.name}.${column.name} missing`);
        else if (nullable === column.notNull) problems.push(`${config.name}.${column.name} nullability differs`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("refuses an unknown status, a bad token hash and an offset without its currency", async () => {
    const { shipment } = await shipped(alice);
    const q = (sql: string, params: unknown[]) => t.db.$client.query(sql, params);
    await expect(q("update commerce.shipments set status = 'lost' where id = $1", [shipment.id])).rejects.toThrow(
      /check/,
    );
    await expect(
      q("update commerce.shipments set device_token_hash = 'x' where id = $1", [shipment.id]),
    ).rejects.toThrow(/check/);
    await expect(q("update commerce.shipments set offset_minor = 5 where id = $1", [shipment.id])).rejects.toThrow(
      /check/,
    );
  });
});

describe("createShipment and reads", () => {
  it("stores only the token's hash and answers where the device publishes", async () => {
    const order = await seedOrder(t.db, alice);
    const created = await createShipment(
      t.db,
      {
        orderId: order.id,
        carrier: "Green Parcel Co",
        deliveryOption: "green",
        carbonEstimateGrams: 125,
        offset: { minor: 1n, currency: "usd" },
      },
      { secret: SECRET },
    );
    expect(created.topic).toBe(`neocart/shipments/${created.shipment.id}/telemetry`);
    expect(created.shipment).toMatchObject({
      status: "label_created",
      deviceTokenHash: hashDeviceToken(created.deviceToken),
      carbonTotalG: 125,
      offsetMinor: 1n,
      offsetCurrency: "USD",
    });
    const { rows } = await t.db.$client.query("select * from commerce.shipments where id = $1", [created.shipment.id]);
    expect(JSON.stringify(rows[0])).not.toContain(created.deviceToken);
  });

  it("refuses a missing order", async () => {
    await expect(
      createShipment(
        t.db,
        { orderId: "0b3c5d7e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", carrier: "X", deliveryOption: "standard" },
        { secret: SECRET },
      ),
    ).rejects.toThrow(OrderNotFoundError);
  });

  it("shows a shipment only to the owner of its order", async () => {
    const { order, shipment, token } = await shipped(alice);
    await deliver(shipment.id, token, 3);
    expect((await findShipmentOfUser(t.db, { shipmentId: shipment.id, userId: alice }))?.id).toBe(shipment.id);
    expect(await findShipmentOfUser(t.db, { shipmentId: shipment.id, userId: bob })).toBeUndefined();
    expect(await listOrderShipments(t.db, { orderId: order.id, userId: bob })).toEqual([]);
    const [view] = await listOrderShipments(t.db, { orderId: order.id, userId: alice });
    // sf-drone is a single last-mile leg: after pickup the parcel is out for delivery.
    expect(view).toMatchObject({ id: shipment.id, status: "out_for_delivery", lastSeq: 2 });
    expect(view).not.toHaveProperty("deviceTokenHash");
    const snapshot = await readTrackingSnapshot(t.db, shipment.id);
    expect(snapshot?.events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(await readTrackingSnapshot(t.db, "not-a-uuid")).toBeUndefined();
  });
});

describe("delivered escrow orders awaiting confirmation", () => {
  it("lists delivered escrow orders by the chain state: shipped is confirmable, paid is not, settled ones are gone", async () => {
    const shippedOnChain = await shipped(alice);
    const paidOnChain = await shipped(alice);
    const completed = await shipped(alice);
    const unindexed = await shipped(alice);
    const inTransit = await shipped(alice);
    const fiat = await shipped(alice, "fiat");
    const bobs = await shipped(bob);
    for (const s of [shippedOnChain, paidOnChain, completed, unindexed, fiat, bobs])
      await deliver(s.shipment.id, s.token);
    await deliver(inTransit.shipment.id, inTransit.token, 5);

    await t.db.$client.query(`create schema ${VIEWS};
      create table ${VIEWS}.escrow_order (id text primary key, buyer text, seller text, state text)`);
    const states: [string, string][] = [
      [shippedOnChain.order.chainOrderId, "shipped"],
      [paidOnChain.order.chainOrderId, "paid"],
      [completed.order.chainOrderId, "completed"],
      [inTransit.order.chainOrderId, "shipped"],
      [bobs.order.chainOrderId, "shipped"],
    ];
    for (const [id, state] of states) {
      // The indexer may store checksummed or upper-case hex; the match ignores case.
      await t.db.$client.query(`insert into ${VIEWS}.escrow_order values ($1, '0xb', '0xs', $2)`, [
        id.toUpperCase(),
        state,
      ]);
    }

    const list = await listDeliveredAwaitingConfirmation(t.db, { userId: alice, viewsSchema: VIEWS });
    const byOrder = new Map(list.map((o) => [o.orderId, o]));
    expect([...byOrder.keys()].sort()).toEqual(
      [shippedOnChain.order.id, paidOnChain.order.id, unindexed.order.id].sort(),
    );
    expect(byOrder.get(shippedOnChain.order.id)).toMatchObject({
      chainOrderId: shippedOnChain.order.chainOrderId,
      shipmentIds: [shippedOnChain.shipment.id],
      chainState: "shipped",
      confirmable: true,
    });
    expect(byOrder.get(shippedOnChain.order.id)?.deliveredAt).toBeInstanceOf(Date);
    expect(byOrder.get(paidOnChain.order.id)).toMatchObject({ chainState: "paid", confirmable: false });
    expect(byOrder.get(unindexed.order.id)).toMatchObject({ chainState: null, confirmable: false });
  });

  it("waits for every parcel of a multi-parcel order", async () => {
    const order = await seedOrder(t.db, bob);
    const parcels = [];
    for (let i = 0; i < 2; i++) {
      const s = await createShipment(
        t.db,
        { orderId: order.id, carrier: "T", deliveryOption: "drone" },
        { secret: SECRET },
      );
      parcels.push(s);
    }
    await t.db.$client.query(`insert into ${VIEWS}.escrow_order values ($1, '0xb', '0xs', 'shipped')`, [
      order.chainOrderId,
    ]);
    const [first, second] = parcels;
    if (!first || !second) throw new Error("no parcels");
    await deliver(first.shipment.id, first.deviceToken);
    const ids = async () =>
      (await listDeliveredAwaitingConfirmation(t.db, { userId: bob, viewsSchema: VIEWS })).map((o) => o.orderId);
    expect(await ids()).not.toContain(order.id);
    await deliver(second.shipment.id, second.deviceToken);
    expect(await ids()).toContain(order.id);
  });

  it("refuses a malformed request", async () => {
    await expect(listDeliveredAwaitingConfirmation(t.db, { userId: "me" })).rejects.toThrow(/userId/);
  });
});
