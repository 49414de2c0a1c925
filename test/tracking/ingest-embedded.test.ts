// Ingestion through the embedded aedes broker (what `npm run dev` runs when MQTT_URL is unset),
// plus the broker's own device checks: a wrong password is refused at CONNECT, a device cannot
// publish on another shipment's topic, and devices cannot subscribe.
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEV_TRACKING_SECRET,
  deviceTokenFor,
  type EmbeddedBroker,
  startEmbeddedBroker,
  telemetryTopic,
} from "../../lib/tracking/index.ts";
import { defineIngestionTests } from "./support/ingestion-scenarios.ts";

defineIngestionTests({
  label: "embedded aedes",
  pgPort: 5591,
  startBroker: (topicRoot) => startEmbeddedBroker({ port: 0, secret: DEV_TRACKING_SECRET, topicRoot }),
});

describe("embedded broker device checks", () => {
  let broker: EmbeddedBroker;
  const shipmentA = "0b3c5d7e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
  const shipmentB = "1c4d6e8f-2a3b-4c5d-9e6f-7a8b9c0d1e2f";
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0, secret: DEV_TRACKING_SECRET });
  });
  afterAll(async () => {
    await broker?.close();
  });

  it("refuses a device whose password is not its shipment's token, and one with no credentials", async () => {
    await expect(
      connectAsync(broker.url, {
        username: shipmentA,
        password: deviceTokenFor(DEV_TRACKING_SECRET, shipmentB),
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
    await expect(connectAsync(broker.url, { reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    expect(broker.stats.connectionsRefused).toBe(2);
  });

  it("disconnects a device publishing on another shipment's topic and denies device subscriptions", async () => {
    const device = await connectAsync(broker.url, {
      username: shipmentA,
      password: deviceTokenFor(DEV_TRACKING_SECRET, shipmentA),
      reconnectPeriod: 0,
    });
    // The SUBACK carries failure code 128, which mqtt.js 5 turns into a rejection.
    await expect(device.subscribeAsync(telemetryTopic(shipmentB), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(broker.stats.subscriptionsDenied).toBe(1);
    const closed = new Promise<void>((resolve) => device.once("close", () => resolve()));
    device.publish(telemetryTopic(shipmentB), "{}", { qos: 0 });
    await closed;
    expect(broker.stats.publishesDenied).toBe(1);
    await device.endAsync(true);
  });
});
