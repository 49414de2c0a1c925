// `npm run bench:tracking`: tracking ingestion throughput and live-update latency, against the
// embedded aedes broker and (when 127.0.0.1:1883 answers) the machine's Mosquitto. For each
// broker: a real ingester over a real PostgreSQL (DATABASE_URL in a database of its own, or an
// embedded server on port 5590), NEOCART_BENCH_TRACKING_SHIPMENTS (default 100) shipments, then
//   throughput  every shipment's device publishes its share of NEOCART_BENCH_TRACKING_MESSAGES
//               (default 20,000) QoS 1 messages as fast as the broker takes them, plus 10%
//               duplicates and 2% forged tokens; messages/s = messages handled / wall time from
//               the first publish to the last outcome;
//   latency     20 SSE consumers (trackingEventStream, i.e. LISTEN/NOTIFY) watch 20 shipments
//               while 400 messages are published at 100/s; latency = publish call → event read
//               from the SSE stream (goal p95 < 300 ms).
// Prints a table and writes bench/tracking.json.
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { connectAsync, type MqttClient } from "mqtt";
import {
  createShipment,
  DEMO_ROUTES,
  DEV_TRACKING_SECRET,
  deviceTokenFor,
  type EmbeddedBroker,
  encodeTelemetryMessage,
  planTelemetry,
  startEmbeddedBroker,
  startTrackingIngester,
  type TelemetryMessageInput,
  type TelemetryOutcome,
  trackingEventStream,
  trackingHubFor,
} from "../../lib/tracking/index.ts";
import { createTestDatabase, type TestDatabase } from "../../test/commerce/support/test-database.ts";
import { seedOrder, seedUser, sseReader, tcpAnswers, uniqueTopicRoot } from "../../test/tracking/support/fixtures.ts";
import { repoRoot } from "../stack/child-process.ts";

const SHIPMENTS = Number(process.env.NEOCART_BENCH_TRACKING_SHIPMENTS ?? 100);
const MESSAGES = Number(process.env.NEOCART_BENCH_TRACKING_MESSAGES ?? 20_000);
const DUPLICATE_SHARE = 0.1;
const FORGED_SHARE = 0.02;
const WINDOW = 16; // QoS 1 publishes in flight per device
// Brokers drop what a slow subscriber cannot take (Mosquitto: max_queued_messages, 1000 by
// default), so publishers stay at most this many messages ahead of the ingester: the figure is
// the rate the ingester sustains, with nothing lost.
const MAX_AHEAD = 500;
const LATENCY_SHIPMENTS = 20;
const LATENCY_SAMPLES = 400;
const LATENCY_RATE_PER_S = 100;
const GOAL_P95_MS = 300;
const PG_PORT = 5590;
const SECRET = DEV_TRACKING_SECRET;
const outFile = path.join(repoRoot, "bench", "tracking.json");

type Target = {
  name: string;
  start: (topicRoot: string) => Promise<{ url: string; close(): Promise<void>; embedded?: EmbeddedBroker }>;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
const r2 = (n: number) => Math.round(n * 100) / 100;

async function runTarget(t: TestDatabase, target: Target) {
  const root = uniqueTopicRoot("bench");
  const broker = await target.start(root);
  const ingester = await startTrackingIngester({
    db: t.db,
    mqttUrl: broker.url,
    secret: SECRET,
    topicRoot: root,
    log: () => {},
  });
  const outcomes: TelemetryOutcome[] = [];
  let wanted = Number.POSITIVE_INFINITY;
  let reached: () => void = () => {};
  let sent = 0;
  const behind: (() => void)[] = [];
  ingester.events.on("outcome", (o: TelemetryOutcome) => {
    outcomes.push(o);
    if (outcomes.length >= wanted) reached();
    if (sent - outcomes.length < MAX_AHEAD) for (const go of behind.splice(0)) go();
  });
  const clients: MqttClient[] = [];
  try {
    const userId = await seedUser(t.db);
    const perShipment = Math.ceil(MESSAGES / SHIPMENTS);
    const shipments: { id: string; token: string; topic: string; plan: TelemetryMessageInput[] }[] = [];
    for (let i = 0; i < SHIPMENTS; i++) {
      const order = await seedOrder(t.db, userId);
      const s = await createShipment(
        t.db,
        { orderId: order.id, carrier: "Bench", deliveryOption: "standard" },
        { secret: SECRET, topicRoot: root },
      );
      const route = DEMO_ROUTES["la-sf-standard"];
      const plan = planTelemetry({
        shipmentId: s.shipment.id,
        token: s.deviceToken,
        route,
        stepKm: 900 / (perShipment + LATENCY_SAMPLES),
        startAt: new Date(Date.now() - 5 * 86_400_000),
        seed: i + 1,
      }).map((p) => p.message);
      shipments.push({ id: s.shipment.id, token: s.deviceToken, topic: s.topic, plan });
    }
    console.log(`  ${SHIPMENTS} shipments created; connecting their devices…`);
    const devices = await Promise.all(
      shipments.map((s) =>
        connectAsync(broker.url, { username: s.id, password: s.token, reconnectPeriod: 0, clientId: `bench-${s.id}` }),
      ),
    );
    clients.push(...devices);

    // Throughput: each device's own messages, then repeats of some of them and a few forgeries.
    const work = shipments.map((s, i) => {
      const unique = s.plan.slice(0, perShipment);
      const dupes = unique.filter((_, k) => k % Math.round(1 / DUPLICATE_SHARE) === 3);
      const forged = unique
        .filter((_, k) => k % Math.round(1 / FORGED_SHARE) === 7)
        .map((m) => ({ ...m, seq: m.seq + 1_000_000, token: deviceTokenFor("not the secret", s.id) }));
      return { client: devices[i] as MqttClient, topic: s.topic, messages: [...unique, ...dupes, ...forged] };
    });
    const total = work.reduce((n, w) => n + w.messages.length, 0);
    const uniqueCount = shipments.length * perShipment;
    wanted = total;
    const allHandled = new Promise<void>((resolve) => {
      reached = resolve;
    });
    console.log(`  throughput: publishing ${total} messages (${uniqueCount} unique)…`);
    const started = performance.now();
    const progress = setInterval(() => {
      const s = ingester.stats;
      console.log(
        `  … ${outcomes.length}/${total} handled (received ${s.received}, stored ${s.stored}, duplicates ${s.duplicates})`,
      );
    }, 5000);
    progress.unref();
    await Promise.all(
      work.map(async (w) => {
        const inFlight = new Set<Promise<unknown>>();
        for (const m of w.messages) {
          while (sent - outcomes.length >= MAX_AHEAD) await new Promise<void>((resolve) => behind.push(resolve));
          sent++;
          const p: Promise<unknown> = w.client
            .publishAsync(w.topic, encodeTelemetryMessage(m), { qos: 1 })
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
          if (inFlight.size >= WINDOW) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      }),
    );
    const published = performance.now();
    await allHandled;
    clearInterval(progress);
    const seconds = (performance.now() - started) / 1000;
    const counts = { stored: 0, duplicate: 0, rejected: 0 };
    for (const o of outcomes) counts[o.kind]++;

    console.log(
      `  throughput: ${outcomes.length} handled in ${seconds.toFixed(1)} s; latency: ${LATENCY_SAMPLES} samples…`,
    );
    // Latency: SSE consumers first (snapshot read), then a steady stream of new events.
    const watched = shipments.slice(0, LATENCY_SHIPMENTS);
    const abort = new AbortController();
    const publishedAt = new Map<string, number>();
    const latencies: number[] = [];
    let samplesDone: () => void = () => {};
    const allSamples = new Promise<void>((resolve) => {
      samplesDone = resolve;
    });
    const readers = await Promise.all(
      watched.map(async (s) => {
        const reader = sseReader(trackingEventStream(t.db, s.id, abort.signal));
        const snapshot = await reader.next();
        if (snapshot?.event !== "snapshot") throw new Error(`no snapshot for ${s.id}`);
        return reader;
      }),
    );
    const consuming = readers.map(async (reader) => {
      for (;;) {
        const event = await reader.next();
        if (!event) return;
        const now = performance.now();
        const data = event.data as { shipmentId: string; seq: number };
        const sent = publishedAt.get(`${data.shipmentId}:${data.seq}`);
        if (event.event === "tracking" && sent !== undefined) {
          latencies.push(now - sent);
          if (latencies.length >= LATENCY_SAMPLES) samplesDone();
        }
      }
    });
    for (let k = 0; k < LATENCY_SAMPLES; k++) {
      const index = k % watched.length;
      const s = watched[index];
      if (!s) continue;
      const m = s.plan[perShipment + Math.floor(k / watched.length)];
      if (!m) throw new Error("route too short for the latency samples");
      publishedAt.set(`${s.id}:${m.seq}`, performance.now());
      void devices[index]?.publishAsync(s.topic, encodeTelemetryMessage(m), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1000 / LATENCY_RATE_PER_S));
    }
    await allSamples;
    abort.abort();
    await Promise.all(consuming);
    latencies.sort((a, b) => a - b);
    const latency = {
      samples: latencies.length,
      p50: r2(percentile(latencies, 50)),
      p95: r2(percentile(latencies, 95)),
      p99: r2(percentile(latencies, 99)),
      max: r2(latencies.at(-1) ?? Number.NaN),
    };
    const { rows } = await t.db.$client.query<{ n: number }>(
      "select count(*)::int as n from commerce.tracking_events e join commerce.shipments s on s.id = e.shipment_id where s.id = any($1::uuid[])",
      [shipments.map((s) => s.id)],
    );
    return {
      broker: target.name,
      shipments: SHIPMENTS,
      messages: {
        unique: uniqueCount,
        duplicates: counts.duplicate,
        forged: total - uniqueCount - counts.duplicate,
        total,
      },
      publishSeconds: r2((published - started) / 1000),
      seconds: r2(seconds),
      messagesPerSecond: Math.round(total / seconds),
      storedPerSecond: Math.round(counts.stored / seconds),
      stored: counts.stored,
      duplicatesIgnored: counts.duplicate,
      rejected: counts.rejected,
      rowsInDatabase: rows[0]?.n ?? 0,
      storedOnce: counts.stored === uniqueCount && (rows[0]?.n ?? 0) === uniqueCount + LATENCY_SAMPLES,
      ingesterFailed: ingester.stats.failed,
      latencyMs: latency,
      goalP95Ms: GOAL_P95_MS,
      pass: latency.p95 < GOAL_P95_MS && ingester.stats.failed === 0,
    };
  } finally {
    for (const c of clients) await c.endAsync(true).catch(() => {});
    await ingester.stop().catch(() => {});
    await trackingHubFor(t.db).close();
    await broker.close();
  }
}

const targets: Target[] = [
  {
    name: "embedded aedes 1.2 (in process)",
    // The broker only lets a device publish on its own topic under this root.
    start: async (topicRoot) => {
      const embedded = await startEmbeddedBroker({ port: 0, secret: SECRET, topicRoot });
      return { url: embedded.url, close: () => embedded.close(), embedded };
    },
  },
];
const skipped: string[] = [];
if (await tcpAnswers("127.0.0.1", 1883)) {
  targets.push({
    name: "Mosquitto 127.0.0.1:1883",
    start: async () => ({ url: "mqtt://127.0.0.1:1883", close: async () => {} }),
  });
} else {
  skipped.push("Mosquitto 127.0.0.1:1883 (not answering)");
  console.warn("bench:tracking: nothing answers on 127.0.0.1:1883; Mosquitto skipped.");
}

// NEOCART_BENCH_TRACKING_BROKERS=embedded or =mosquitto runs one of them only.
const only = process.env.NEOCART_BENCH_TRACKING_BROKERS;
if (only)
  targets.splice(
    0,
    targets.length,
    ...targets.filter((x) => only.split(",").some((o) => x.name.toLowerCase().includes(o))),
  );
const t = await createTestDatabase("bench_tracking", PG_PORT);
const results = [];
try {
  for (const target of targets) {
    console.log(`bench:tracking: ${target.name}…`);
    results.push(await runTarget(t, target));
  }
} finally {
  await t.stop();
}

const result = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim(),
    node: process.version,
    loadAverage1mAtEnd: r2(os.loadavg()[0] ?? 0),
  },
  database: process.env.DATABASE_URL
    ? `PostgreSQL at ${new URL(process.env.DATABASE_URL).host} (own database)`
    : "embedded PostgreSQL",
  method:
    "throughput: QoS 1 publishes from one client per shipment (16 in flight each), 10% duplicates, 2% forged; latency: publish call to the event read from trackingEventStream (LISTEN/NOTIFY), 400 samples at 100/s over 20 SSE consumers",
  targets: results,
  skipped,
  pass: results.every((r) => r.pass && r.storedOnce),
};
await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);

console.log(
  "\nbroker                            msgs/s  stored/s   dup ign  rejected  once  p50 ms  p95 ms  p99 ms  goal",
);
for (const r of results) {
  console.log(
    `${r.broker.padEnd(32)} ${String(r.messagesPerSecond).padStart(7)} ${String(r.storedPerSecond).padStart(9)} ${String(r.duplicatesIgnored).padStart(9)} ${String(r.rejected).padStart(9)}  ${r.storedOnce ? "yes " : "NO  "} ${String(r.latencyMs.p50).padStart(6)} ${String(r.latencyMs.p95).padStart(7)} ${String(r.latencyMs.p99).padStart(7)}  ${r.pass ? "p95 < 300 ✓" : "p95 ≥ 300 ✗"}`,
  );
}
for (const s of skipped) console.log(`skipped: ${s}`);
console.log(`\nwrote ${path.relative(repoRoot, outFile)}`);
process.exit(result.pass ? 0 : 1);
