// `node scripts/tracking/simulate.ts`: drives simulated parcel devices over realistic routes and
// publishes their telemetry to the broker, printing each message as it goes. See
// docs/logistics.md. Usage:
//
//   node scripts/tracking/simulate.ts --shipment <uuid>[,<uuid>…] [--route sf-drone] [--interval-ms 400]
//   DATABASE_URL=… node scripts/tracking/simulate.ts --order <uuid> [--route berlin-munich-green]
//
// --shipment   existing shipments (their device tokens are derived from NEOCART_TRACKING_SECRET)
// --order      creates a shipment for this order first (needs DATABASE_URL), then drives it
// --route      one of the demo routes (default: the shipment's option decides; sf-drone otherwise)
// --mqtt       broker URL (default MQTT_URL, else the embedded broker of `npm run dev`, mqtt://127.0.0.1:1884)
// --interval-ms  wall-clock time between messages (default 400); timestamps are the device's
//              clock at publish time, so the journey plays fast-forward
// --seed       random seed for jitter and temperature (default 1)
import { parseArgs } from "node:util";
import { connectAsync } from "mqtt";
import { closeDb, createDb } from "../../lib/db/client.ts";
import {
  createShipment,
  DEFAULT_EMBEDDED_MQTT_PORT,
  DEMO_ROUTES,
  type DemoRouteName,
  deviceTokenFor,
  encodeTelemetryMessage,
  loadTrackingSecret,
  planTelemetry,
  quoteDelivery,
  telemetryTopic,
} from "../../lib/tracking/index.ts";

const { values } = parseArgs({
  options: {
    shipment: { type: "string" },
    order: { type: "string" },
    route: { type: "string" },
    mqtt: { type: "string" },
    "interval-ms": { type: "string", default: "400" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});

const routeNames = Object.keys(DEMO_ROUTES) as DemoRouteName[];
function usage(problem?: string): never {
  if (problem) console.error(`simulate: ${problem}\n`);
  console.error(
    "usage: node scripts/tracking/simulate.ts --shipment <uuid>[,<uuid>…] | --order <uuid> " +
      `[--route ${routeNames.join("|")}] [--mqtt mqtt://host:port] [--interval-ms 400] [--seed 1]`,
  );
  process.exit(problem ? 2 : 0);
}
if (values.help) usage();
if (!values.shipment && !values.order) usage("give --shipment (existing shipments) or --order (creates one)");
if (values.route && !routeNames.includes(values.route as DemoRouteName)) {
  usage(`unknown route "${values.route}"; choose one of ${routeNames.join(", ")}`);
}
const intervalMs = Number(values["interval-ms"]);
if (!Number.isFinite(intervalMs) || intervalMs < 0) usage("--interval-ms must be a number of milliseconds");
const seed = Number(values.seed);
const mqttUrl = values.mqtt ?? process.env.MQTT_URL ?? `mqtt://127.0.0.1:${DEFAULT_EMBEDDED_MQTT_PORT}`;
const secret = loadTrackingSecret();
const routeName = (values.route as DemoRouteName | undefined) ?? "sf-drone";
const route = DEMO_ROUTES[routeName];

let shipmentIds = (values.shipment ?? "")
  .split(",")
  .map((s) => s.trim().toLowerCase())
  .filter(Boolean);
if (values.order) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) usage("--order needs DATABASE_URL (the database `npm run dev` prints)");
  const db = createDb(databaseUrl, { max: 2 });
  try {
    const first = route.waypoints[0];
    const last = route.waypoints.at(-1);
    const quote =
      first && last
        ? quoteDelivery({
            option: route.option,
            from: first,
            to: last,
            weightGrams: route.weightGrams,
            currency: "USD",
          })
        : undefined;
    const created = await createShipment(
      db,
      {
        orderId: values.order,
        carrier: "NeoCart simulated carrier",
        deliveryOption: route.option,
        eta: quote ? new Date(Date.now() + quote.estimatedHours * 3_600_000) : undefined,
        carbonEstimateGrams: quote?.carbonGramsCo2e,
        offset: quote?.offset ?? undefined,
      },
      { secret },
    );
    console.log(`simulate: created shipment ${created.shipment.id} for order ${values.order} (${route.option})`);
    shipmentIds = [created.shipment.id, ...shipmentIds];
  } finally {
    await closeDb(db);
  }
}

async function drive(shipmentId: string, index: number) {
  const token = deviceTokenFor(secret, shipmentId);
  const plan = planTelemetry({ shipmentId, token, route, seed: seed + index });
  // The embedded broker authenticates devices by shipment id and token; other brokers may ignore them.
  const client = await connectAsync(mqttUrl, {
    username: shipmentId,
    password: token,
    clientId: `sim-${shipmentId}`,
    reconnectPeriod: 1000,
  });
  client.on("error", (error) => console.error(`simulate: ${shipmentId}: ${error.message}`));
  const topic = telemetryTopic(shipmentId);
  const tag = `${routeName} ${shipmentId.slice(0, 8)}`;
  console.log(`simulate: ${tag}: ${route.label}, ${plan.length} messages to ${mqttUrl} on ${topic}`);
  try {
    for (const [i, { message, waypoint }] of plan.entries()) {
      const sent = { ...message, timestamp: new Date().toISOString() };
      await client.publishAsync(topic, encodeTelemetryMessage(sent), { qos: 1 });
      const where = `${sent.position.lat.toFixed(5)},${sent.position.lon.toFixed(5)}`;
      console.log(
        `[${tag} ${String(i + 1).padStart(3)}/${plan.length}] ${sent.status.padEnd(16)} ${where}  ` +
          `${sent.temperatureC?.toFixed(1) ?? "-"} °C  ${sent.carbonGramsCo2e.toFixed(1)} g CO2e${waypoint ? `  (${waypoint})` : ""}`,
      );
      if (intervalMs > 0 && i < plan.length - 1) await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    await client.endAsync();
  }
}

try {
  await Promise.all(shipmentIds.map((id, i) => drive(id, i)));
  console.log(`simulate: done (${shipmentIds.length} shipment${shipmentIds.length === 1 ? "" : "s"} delivered)`);
} catch (error) {
  console.error(`simulate: ${(error as Error).message}`);
  process.exit(1);
}
