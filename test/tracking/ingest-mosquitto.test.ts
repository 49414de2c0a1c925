// The same ingestion tests through the machine's Mosquitto on 127.0.0.1:1883 (a real, separate
// broker that checks nothing: the ingester's own token checks are what protect the data). Skipped
// with a notice when nothing answers there.
import { describe, it } from "vitest";
import { tcpAnswers } from "./support/fixtures.ts";
import { defineIngestionTests } from "./support/ingestion-scenarios.ts";

const MOSQUITTO = { host: "127.0.0.1", port: 1883 };
const reachable = await tcpAnswers(MOSQUITTO.host, MOSQUITTO.port);

if (reachable) {
  defineIngestionTests({
    label: "Mosquitto",
    pgPort: 5592,
    // Shared with anything else on the machine: the unique topic root keeps this run apart.
    startBroker: async () => ({ url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}`, close: async () => {} }),
  });
} else {
  console.warn(
    `NOTICE: no MQTT broker answers on ${MOSQUITTO.host}:${MOSQUITTO.port}; the Mosquitto ingestion tests are skipped.`,
  );
  describe.skip("tracking ingestion through Mosquitto (no broker on 127.0.0.1:1883)", () => {
    it("needs a broker on 127.0.0.1:1883", () => {});
  });
}
