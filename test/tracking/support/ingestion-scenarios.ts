// The ingestion tests both brokers run (the embedded aedes broker and the machine's Mosquitto):
// simulated devices publish over MQTT, the ingester stores into a real migrated PostgreSQL, and
// the checks read the database, the ingester's outcomes and an SSE stream. Nothing waits on a
// timer: every wait ends when the awaited outcome arrives (vitest's timeout is the only limit).
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createShipment,
  DEMO_ROUTES,
  DEV_TRACKING_SECRET,
  deviceTokenFor,
  encodeTelemetryMessage,
  listDeliveredAwaitingConfirmation,
  planTelemetry,
  serviceTokenFor,
  serviceUsername,
  startTrackingIngester,
  type TelemetryMessageInput,
  type TrackingIngester,
  telemetryTopic,
  trackingEventStream,
  trackingHubFor,
} from "../../../lib/tracking/index.ts";
import { createTestDatabase, type TestDatabase } from "../../commerce/support/test-database.ts";
import { seedOrder, seedUser, sseReader, uniqueTopicRoot, watchOutcomes } from "./fixtures.ts";

export type BrokerUnderTest = { url: string; close(): Promise<void> };

const SECRET = DEV_TRACKING_SECRET;
const PAST = () => new Date(Date.now() - 3 * 86_400_000);

export function defineIngestionTests(options: {
  label: string;
  pgPort: number;
  startBroker: (topicRoot: string) => Promise<BrokerUnderTest>;
}) {
  describe(`tracking ingestion through ${options.label}`, () => {
    let t: TestDatabase;
    let broker: BrokerUnderTest;
    let ingester: TrackingIngester;
    let outcomes: ReturnType<typeof watchOutcomes>;
    let root: string;
    let userId: string;
    const logged: string[] = [];
    const clients: MqttClient[] = [];

    /** A device as the embedded broker knows it: username = shipment id, password = its token. */
    async function device(shipmentId: string) {
      const client = await connectAsync(broker.url, {
        username: shipmentId,
        password: deviceTokenFor(SECRET, shipmentId),
        reconnectPeriod: 0,
      });
      clients.push(client);
      return client;
    }
    /** A service client (allowed any topic on the embedded broker), to deliver junk and forgeries. */
    async function service() {
      const client = await connectAsync(broker.url, {
        username: serviceUsername("test-publisher"),
        password: serviceTokenFor(SECRET, "test-publisher"),
        reconnectPeriod: 0,
      });
      clients.push(client);
      return client;
    }
    async function newShipment(kind: "escrow" | "fiat" = "escrow") {
      const order = await seedOrder(t.db, userId, kind);
      const created = await createShipment(
        t.db,
        { orderId: order.id, carrier: "Test carrier", deliveryOption: "drone" },
        { secret: SECRET, topicRoot: root },
      );
      return { order, shipmentId: created.shipment.id, token: created.deviceToken, topic: created.topic };
    }
    const publish = (client: MqttClient, topic: string, message: TelemetryMessageInput | string) =>
      client.publishAsync(topic, typeof message === "string" ? message : encodeTelemetryMessage(message), { qos: 1 });

    beforeAll(async () => {
      root = uniqueTopicRoot(options.label.replace(/[^a-z]/gi, "").toLowerCase());
      t = await createTestDatabase(`tracking_${options.label.replace(/[^a-z]/gi, "_").toLowerCase()}`, options.pgPort);
      broker = await options.startBroker(root);
      ingester = await startTrackingIngester({
        db: t.db,
        mqttUrl: broker.url,
        secret: SECRET,
        topicRoot: root,
        log: (line) => logged.push(line),
      });
      outcomes = watchOutcomes(ingester);
      userId = await seedUser(t.db);
    });
    afterAll(async () => {
      for (const c of clients) await c.endAsync(true).catch(() => {});
      await ingester?.stop();
      await trackingHubFor(t.db).close();
      await broker?.close();
      await t?.stop();
    });

    it("stores a whole simulated journey once, ends delivered, and lists the escrow order for confirmation", async () => {
      const s = await newShipment();
      const plan = planTelemetry({
        shipmentId: s.shipmentId,
        token: s.token,
        route: DEMO_ROUTES["sf-drone"],
        startAt: PAST(),
      });
      const client = await device(s.shipmentId);
      for (const { message } of plan) await publish(client, s.topic, message);
      await outcomes.forShipment(s.shipmentId, plan.length);

      expect(outcomes.of(s.shipmentId).map((o) => o.kind)).toEqual(plan.map(() => "stored"));
      const { rows } = await t.db.$client.query(
        "select count(*)::int as n, max(seq)::int as max from commerce.tracking_events where shipment_id = $1",
        [s.shipmentId],
      );
      expect(rows[0]).toEqual({ n: plan.length, max: plan.length - 1 });
      const last = plan.at(-1)?.message;
      const { rows: shipment } = await t.db.$client.query(
        "select status, last_seq::int as last_seq, carbon_total_g, delivered_at, last_lat, last_lon from commerce.shipments where id = $1",
        [s.shipmentId],
      );
      expect(shipment[0]).toMatchObject({
        status: "delivered",
        last_seq: plan.length - 1,
        carbon_total_g: last?.carbonGramsCo2e,
        last_lat: last?.position.lat,
        last_lon: last?.position.lon,
      });
      expect(shipment[0].delivered_at).toBeInstanceOf(Date);

      // The indexer's views are absent here, so the order is listed but not yet confirmable.
      const awaiting = await listDeliveredAwaitingConfirmation(t.db, { userId, viewsSchema: "no_views_here" });
      expect(awaiting.find((a) => a.orderId === s.order.id)).toMatchObject({
        shipmentIds: [s.shipmentId],
        chainState: null,
        confirmable: false,
      });
    });

    it("ignores a repeated seq (the first copy stays) and keeps the newest seq's status when messages arrive out of order", async () => {
      const s = await newShipment();
      const plan = planTelemetry({
        shipmentId: s.shipmentId,
        token: s.token,
        route: DEMO_ROUTES["blr-drone"],
        startAt: PAST(),
      });
      const client = await device(s.shipmentId);
      const at = (i: number) => plan[i]?.message as TelemetryMessageInput;
      // 5 (in flight), then 1 (picked up, older), then 5 again with another position.
      await publish(client, s.topic, at(5));
      await outcomes.forShipment(s.shipmentId, 1);
      await publish(client, s.topic, at(1));
      await outcomes.forShipment(s.shipmentId, 2);
      await publish(client, s.topic, { ...at(5), position: { lat: 0, lon: 0 } });
      await outcomes.forShipment(s.shipmentId, 3);

      expect(outcomes.of(s.shipmentId).map((o) => o.kind)).toEqual(["stored", "stored", "duplicate"]);
      const { rows } = await t.db.$client.query(
        "select seq::int as seq, lat from commerce.tracking_events where shipment_id = $1 order by seq",
        [s.shipmentId],
      );
      expect(rows).toEqual([
        { seq: 1, lat: at(1).position.lat },
        { seq: 5, lat: at(5).position.lat },
      ]);
      const { rows: shipment } = await t.db.$client.query(
        "select status, last_seq::int as last_seq from commerce.shipments where id = $1",
        [s.shipmentId],
      );
      expect(shipment[0]).toEqual({ status: at(5).status, last_seq: 5 });
    });

    it("rejects malformed, forged and misaddressed messages, logs them, and keeps ingesting", async () => {
      const s = await newShipment();
      const other = await newShipment();
      const plan = planTelemetry({
        shipmentId: s.shipmentId,
        token: s.token,
        route: DEMO_ROUTES["sf-drone"],
        startAt: PAST(),
      });
      const good = plan[0]?.message as TelemetryMessageInput;
      const junk = await service();
      const before = { ...ingester.stats.rejected };
      const unknownId = "7d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
      const sends: [string, TelemetryMessageInput | string][] = [
        [s.topic, "{not json"],
        [s.topic, JSON.stringify({ ...good, status: "teleported" })],
        [s.topic, JSON.stringify({ ...good, position: { lat: 91, lon: 0 } })],
        [s.topic, { ...good, token: deviceTokenFor("someone else's secret", s.shipmentId) }],
        // A valid token of another shipment, used on this shipment's topic.
        [s.topic, { ...good, shipmentId: other.shipmentId, token: other.token }],
        [telemetryTopic(unknownId, root), { ...good, shipmentId: unknownId, token: deviceTokenFor(SECRET, unknownId) }],
        [s.topic, { ...good, timestamp: new Date(Date.now() + 86_400_000).toISOString() }],
        [s.topic, "x".repeat(5000)],
      ];
      for (const [topic, message] of sends) await publish(junk, topic, message);
      await outcomes.until(
        () => outcomes.seen.filter((o) => o.kind === "rejected" && o.topic.startsWith(root)).length >= sends.length,
      );
      const rejected = Object.fromEntries(
        Object.entries(ingester.stats.rejected).map(([reason, n]) => [
          reason,
          n - (before[reason as keyof typeof before] ?? 0),
        ]),
      );
      expect(rejected).toEqual({
        topic: 0,
        too_large: 1,
        malformed: 3,
        clock_skew: 1,
        topic_mismatch: 1,
        unauthorised: 1,
        unknown_shipment: 1,
      });
      expect(logged.filter((l) => l.includes("rejected (")).length).toBeGreaterThanOrEqual(sends.length);

      // Still alive: the genuine device's message is stored.
      await publish(await device(s.shipmentId), s.topic, good);
      await outcomes.until(() => outcomes.of(s.shipmentId).some((o) => o.kind === "stored"));
      const { rows } = await t.db.$client.query(
        "select count(*)::int as n from commerce.tracking_events where shipment_id = $1",
        [s.shipmentId],
      );
      expect(rows[0].n).toBe(1);
    });

    it("streams a newly stored event to an SSE consumer after the snapshot", async () => {
      const s = await newShipment();
      const plan = planTelemetry({
        shipmentId: s.shipmentId,
        token: s.token,
        route: DEMO_ROUTES["sf-drone"],
        startAt: PAST(),
      });
      const client = await device(s.shipmentId);
      await publish(client, s.topic, plan[0]?.message as TelemetryMessageInput);
      await outcomes.forShipment(s.shipmentId, 1);

      const abort = new AbortController();
      const sse = sseReader(trackingEventStream(t.db, s.shipmentId, abort.signal));
      const snapshot = await sse.next();
      expect(snapshot?.event).toBe("snapshot");
      expect(snapshot?.data).toMatchObject({
        shipment: { id: s.shipmentId, status: "label_created", lastSeq: 0 },
        events: [{ seq: 0, status: "label_created" }],
      });

      await publish(client, s.topic, plan[1]?.message as TelemetryMessageInput);
      const update = await sse.next();
      expect(update).toMatchObject({
        event: "tracking",
        id: "1",
        data: {
          shipmentId: s.shipmentId,
          seq: 1,
          status: "picked_up",
          shipment: { status: "picked_up", latest: true },
        },
      });
      abort.abort();
      expect(await sse.next()).toBeUndefined();
    });
  });
}
