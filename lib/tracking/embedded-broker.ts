// An MQTT broker inside the process (aedes), for development, tests and the demo when MQTT_URL
// names no broker. Production uses a managed broker (or Mosquitto); the ingester checks every
// message's device token itself, so it is safe behind a broker without these hooks too.
//
// Who may connect: a device with username = its shipment id and password = its device token; a
// service (the ingester, the benchmark) with username "svc:<name>" and its service token. A
// device may publish only on its own shipment's telemetry topic and may not subscribe (another
// parcel's positions are someone's home address).
import { createServer, type Server, type Socket } from "node:net";
import { Aedes, type AuthenticateError, type Client } from "aedes";
import { z } from "zod";
import { DEV_TRACKING_SECRET, verifyDeviceToken, verifyServiceToken } from "./device-token.ts";
import { DEFAULT_TOPIC_ROOT, telemetryTopic } from "./topics.ts";

export type EmbeddedBroker = {
  url: string;
  port: number;
  broker: Aedes;
  stats: { connectionsRefused: number; publishesDenied: number; subscriptionsDenied: number };
  close(): Promise<void>;
};

type Identity = { kind: "device"; shipmentId: string } | { kind: "service"; name: string };

const uuid = z.uuid();
// aedes declares its return codes as a const enum, which type stripping cannot inline.
const BAD_USERNAME_OR_PASSWORD = 4 as AuthenticateError["returnCode"];

function refused(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: BAD_USERNAME_OR_PASSWORD });
}

export async function startEmbeddedBroker(
  options: { port?: number; host?: string; secret?: string; topicRoot?: string; log?: (line: string) => void } = {},
): Promise<EmbeddedBroker> {
  const secret = options.secret ?? DEV_TRACKING_SECRET;
  const root = options.topicRoot ?? DEFAULT_TOPIC_ROOT;
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  const identities = new WeakMap<Client, Identity>();
  const stats = { connectionsRefused: 0, publishesDenied: 0, subscriptionsDenied: 0 };

  // aedes calls these with callbacks and does not await promises, so they stay synchronous.
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const secretText = password?.toString("utf8") ?? "";
      if (username?.startsWith("svc:")) {
        const name = username.slice(4);
        if (name && verifyServiceToken(secret, name, secretText)) {
          identities.set(client, { kind: "service", name });
          return done(null, true);
        }
      } else if (username && uuid.safeParse(username).success) {
        if (verifyDeviceToken(secret, username, secretText)) {
          identities.set(client, { kind: "device", shipmentId: username.toLowerCase() });
          return done(null, true);
        }
      }
      stats.connectionsRefused++;
      log(`mqtt: refused client ${client.id} (username ${JSON.stringify(username ?? null)})`);
      done(refused("bad username or password"), false);
    },
    authorizePublish(client, packet, done) {
      if (packet.topic.startsWith("$SYS/")) return done(new Error("$SYS topics are reserved"));
      if (!client) return done(null); // the broker's own will messages
      const who = identities.get(client);
      if (who?.kind === "service") return done(null);
      if (who?.kind === "device" && packet.topic === telemetryTopic(who.shipmentId, root)) return done(null);
      stats.publishesDenied++;
      log(`mqtt: denied publish by ${client.id} on ${packet.topic}`);
      // aedes closes the client on an error: a device off its own topic is misbehaving.
      done(new Error("not your shipment's topic"));
    },
    authorizeSubscribe(client, subscription, done) {
      if (identities.get(client)?.kind === "service") return done(null, subscription);
      stats.subscriptionsDenied++;
      // null answers the SUBSCRIBE with failure code 128 and keeps the device connected.
      done(null, null);
    },
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 1884, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 1884);

  return {
    url: `mqtt://${host}:${port}`,
    port,
    broker,
    stats,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
