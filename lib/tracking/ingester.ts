// The tracking ingester: subscribes to every shipment's telemetry on the broker, and for each
// message runs recordTelemetry (validate, store once, update the shipment, NOTIFY). Nothing a
// device sends can stop it: malformed and unauthorised messages are counted and logged (rate
// limited, so a flood cannot fill the disk), and database errors are retried, then counted.
//
// Delivery: QoS 1. Messages are processed concurrently (out of order is fine: the store keys on
// (shipment, seq) and the newest seq wins); mqtt.js acknowledges a message when the next one may
// be read, and we hold that back while `concurrency` messages are in flight, so a slow database
// slows the broker down instead of growing memory. Several ingester replicas may subscribe at once
// (each stores idempotently), or share the load with an MQTT 5 shared subscription (sharedGroup).
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import type { Db } from "../db/client.ts";
import { serviceTokenFor, serviceUsername } from "./device-token.ts";
import { type RejectReason, recordTelemetry, rejectReasons, type TelemetryOutcome } from "./record-telemetry.ts";
import { DEFAULT_TOPIC_ROOT, telemetryTopicFilter } from "./topics.ts";

export type IngesterOptions = {
  db: Db;
  mqttUrl: string;
  secret: string;
  topicRoot?: string;
  /** Stable per replica when cleanSession is false, so the broker keeps its queue across restarts. */
  clientId?: string;
  /** false: a persistent session (the broker queues QoS 1 messages while the ingester is down). */
  cleanSession?: boolean;
  /** MQTT 5 shared-subscription group: the broker spreads messages over the replicas in it. */
  sharedGroup?: string;
  concurrency?: number;
  log?: (line: string) => void;
  /** Rejections logged per 10 s window; the rest are summarised. */
  logBurst?: number;
};

export type IngesterStats = {
  received: number;
  stored: number;
  duplicates: number;
  rejected: Record<RejectReason, number>;
  /** Gave up after retries (database unreachable): logged, not stored. */
  failed: number;
};

export type TrackingIngester = {
  stats: IngesterStats;
  /** Emits "outcome" (TelemetryOutcome) for every message handled, "failed" ({ topic, error }). */
  events: EventEmitter;
  client: MqttClient;
  /** Resolves when no message is being processed. */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

const RETRY_DELAYS_MS = [100, 500, 2000];

export async function startTrackingIngester(options: IngesterOptions): Promise<TrackingIngester> {
  const log = options.log ?? ((line: string) => console.log(line));
  const root = options.topicRoot ?? DEFAULT_TOPIC_ROOT;
  const concurrency = options.concurrency ?? 32;
  const stats: IngesterStats = {
    received: 0,
    stored: 0,
    duplicates: 0,
    rejected: Object.fromEntries(rejectReasons.map((r) => [r, 0])) as Record<RejectReason, number>,
    failed: 0,
  };
  const events = new EventEmitter();
  const connectOptions: IClientOptions = {
    clientId: options.clientId ?? `neocart-ingester-${hostname()}-${process.pid}-${Date.now().toString(36)}`,
    clean: options.cleanSession ?? true,
    // Only the embedded broker checks these; another broker ignores or maps them by its own ACLs.
    username: serviceUsername("ingester"),
    password: serviceTokenFor(options.secret, "ingester"),
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(options.sharedGroup ? { protocolVersion: 5 as const } : {}),
  };
  const client = await connectAsync(options.mqttUrl, connectOptions);
  // Without an error listener an EventEmitter error would end the process.
  client.on("error", (error) => log(`tracking: mqtt error: ${error.message}`));
  client.on("reconnect", () => log("tracking: reconnecting to the broker…"));

  let burstStart = Date.now();
  let burstCount = 0;
  let suppressed = 0;
  const logRejection = (o: Extract<TelemetryOutcome, { kind: "rejected" }>) => {
    const now = Date.now();
    if (now - burstStart > 10_000) {
      if (suppressed > 0) log(`tracking: …and ${suppressed} more rejected messages in the last window`);
      burstStart = now;
      burstCount = 0;
      suppressed = 0;
    }
    if (++burstCount > (options.logBurst ?? 20)) {
      suppressed++;
      return;
    }
    const where = o.shipmentId ? ` shipment ${o.shipmentId}${o.seq === undefined ? "" : ` seq ${o.seq}`}` : "";
    log(`tracking: rejected (${o.reason}) on ${o.topic.slice(0, 200)}${where}: ${o.detail.slice(0, 300)}`);
  };

  let inFlight = 0;
  const waitingForSlot: (() => void)[] = [];
  const idleWaiters: (() => void)[] = [];

  async function handle(topic: string, payload: Buffer) {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await recordTelemetry(
          options.db,
          { topic, payload },
          { secret: options.secret, topicRoot: root },
        );
        if (outcome.kind === "stored") stats.stored++;
        else if (outcome.kind === "duplicate") stats.duplicates++;
        else {
          stats.rejected[outcome.reason]++;
          logRejection(outcome);
        }
        events.emit("outcome", outcome);
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          stats.failed++;
          log(`tracking: could not store a message on ${topic}: ${(error as Error).message}`);
          events.emit("failed", { topic, error });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  client.on("message", (topic, payload) => {
    stats.received++;
    inFlight++;
    void handle(topic, payload).finally(() => {
      inFlight--;
      waitingForSlot.shift()?.();
      if (inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
    });
  });
  // mqtt.js reads the next packet (and sends this one's PUBACK) once `done` is called.
  client.handleMessage = (_packet, done) => {
    if (inFlight < concurrency) done();
    else waitingForSlot.push(() => done());
  };

  const filter = telemetryTopicFilter(root);
  const subscription = options.sharedGroup ? `$share/${options.sharedGroup}/${filter}` : filter;
  try {
    // mqtt.js 5 rejects when the SUBACK refuses (code 128), e.g. a broker ACL without our service user.
    await client.subscribeAsync(subscription, { qos: 1 });
  } catch (error) {
    await client.endAsync(true);
    throw new Error(
      `The broker at ${options.mqttUrl} refused the subscription to ${subscription} (${(error as Error).message}); allow the ingester to subscribe there.`,
    );
  }
  log(`tracking: ingesting ${subscription} from ${options.mqttUrl}`);

  return {
    stats,
    events,
    client,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    async stop() {
      // Let mqtt.js finish the packets it holds, so ending the connection does not wait on us.
      for (const release of waitingForSlot.splice(0)) release();
      await client.endAsync();
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
