// The tracking part of a running system: the broker (MQTT_URL, or an embedded aedes broker when
// it is unset) and the ingester storing into the commerce database. `npm run dev` and
// scripts/tracking/ingest.ts start it this way.
import type { Db } from "../db/client.ts";
import { type EmbeddedBroker, startEmbeddedBroker } from "./embedded-broker.ts";
import { startTrackingIngester, type TrackingIngester } from "./ingester.ts";

export const DEFAULT_EMBEDDED_MQTT_PORT = 1884;

export type RunningTracking = {
  /** Where devices (and the simulator) publish. */
  mqttUrl: string;
  /** "embedded" when this process runs the broker. */
  broker: "embedded" | "external";
  embedded?: EmbeddedBroker;
  ingester: TrackingIngester;
  stop(): Promise<void>;
};

export async function startTracking(options: {
  db: Db;
  secret: string;
  /** A broker to use (MQTT_URL); unset starts the embedded one. */
  mqttUrl?: string;
  /** Port of the embedded broker; 1884 by default so it can sit beside a Mosquitto on 1883. */
  embeddedPort?: number;
  topicRoot?: string;
  log?: (line: string) => void;
}): Promise<RunningTracking> {
  const log = options.log ?? ((line: string) => console.log(line));
  let embedded: EmbeddedBroker | undefined;
  let mqttUrl = options.mqttUrl;
  if (!mqttUrl) {
    embedded = await startEmbeddedBroker({
      port: options.embeddedPort ?? DEFAULT_EMBEDDED_MQTT_PORT,
      secret: options.secret,
      topicRoot: options.topicRoot,
      log,
    });
    mqttUrl = embedded.url;
    log(`tracking: embedded MQTT broker on ${mqttUrl}`);
  }
  try {
    const ingester = await startTrackingIngester({
      db: options.db,
      mqttUrl,
      secret: options.secret,
      topicRoot: options.topicRoot,
      log,
    });
    return {
      mqttUrl,
      broker: embedded ? "embedded" : "external",
      embedded,
      ingester,
      async stop() {
        await ingester.stop().catch(() => {});
        await embedded?.close().catch(() => {});
      },
    };
  } catch (error) {
    await embedded?.close().catch(() => {});
    throw error;
  }
}
