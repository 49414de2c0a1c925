// Device authorisation. Each shipment's device carries a token, HMAC-SHA256 of the shipment id
// under the server's tracking secret (NEOCART_TRACKING_SECRET): the server can re-derive it to
// provision a device again, yet it is not guessable from the id, and a device holding one can
// speak only for its own shipment. The database keeps only sha256(token). Services (the ingester,
// benchmarks) authenticate to the embedded broker with tokens derived the same way from their name.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { TrackingConfigError } from "./errors.ts";

// Public on purpose: it lets development and tests run without setup. Production refuses it.
export const DEV_TRACKING_SECRET = "neocart development tracking secret (public, never use in production)";
const MIN_SECRET_LENGTH = 32;

const warned = new WeakSet<(line: string) => void>();

/** The tracking secret from the environment; the public development secret (with a warning) outside production. */
export function loadTrackingSecret(
  env: Record<string, string | undefined> = process.env,
  warn: (line: string) => void = console.warn,
): string {
  const secret = env.NEOCART_TRACKING_SECRET?.trim();
  if (secret) {
    if (env.NODE_ENV === "production" && (secret.length < MIN_SECRET_LENGTH || secret === DEV_TRACKING_SECRET)) {
      throw new TrackingConfigError(
        `NEOCART_TRACKING_SECRET must be a private value of at least ${MIN_SECRET_LENGTH} characters in production (openssl rand -base64 32).`,
      );
    }
    return secret;
  }
  if (env.NODE_ENV === "production") {
    throw new TrackingConfigError(
      "NEOCART_TRACKING_SECRET is not set; production needs it to authorise parcel devices (openssl rand -base64 32).",
    );
  }
  if (!warned.has(warn)) {
    warned.add(warn);
    warn("tracking: NEOCART_TRACKING_SECRET is not set; using the PUBLIC development secret (never in production).");
  }
  return DEV_TRACKING_SECRET;
}

// Distinct prefixes so a device token can never pass as a service token or the other way round.
const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("base64url");

export function deviceTokenFor(secret: string, shipmentId: string): string {
  return hmac(secret, `neocart-tracking-device:${shipmentId.toLowerCase()}`);
}

export function serviceTokenFor(secret: string, serviceName: string): string {
  return hmac(secret, `neocart-tracking-service:${serviceName}`);
}

/** What commerce.shipments.device_token_hash holds. */
export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}

export function verifyDeviceToken(secret: string, shipmentId: string, token: string): boolean {
  return sameSecret(deviceTokenFor(secret, shipmentId), token);
}

export function verifyServiceToken(secret: string, serviceName: string, token: string): boolean {
  return sameSecret(serviceTokenFor(secret, serviceName), token);
}

/** MQTT username of a service client; a device's username is its shipment id. */
export function serviceUsername(serviceName: string): string {
  return `svc:${serviceName}`;
}
