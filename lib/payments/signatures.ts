// Shared pieces of webhook verification: constant-time comparison of hex HMACs, header access
// and the timestamp window.
import { createHmac, timingSafeEqual } from "node:crypto";
import { WebhookRejectedError } from "./errors.ts";
import type { WebhookHeaders } from "./provider.ts";

export function hmacSha256Hex(secret: string, ...parts: (string | Buffer)[]): string {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest("hex");
}

/** Constant time, and false (not a throw) for strings of other lengths or non-hex input. */
export function hexEqual(expected: string, given: string): boolean {
  if (!/^[0-9a-f]+$/i.test(given) || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given.toLowerCase(), "hex"));
}

/** One header's value; a repeated header is refused because we cannot tell which copy is genuine. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) {
    if (value.length > 1) throw new WebhookRejectedError(`Header ${name} appears more than once; send it once.`);
    return value[0];
  }
  return value;
}

export function requireHeader(headers: WebhookHeaders, name: string): string {
  const value = headerValue(headers, name);
  if (!value) {
    throw new WebhookRejectedError(`Missing ${name} header: webhooks must be signed by the provider.`);
  }
  return value;
}

/** Refuses a signed timestamp older than the tolerance (a replay) or further ahead than it (a forged clock). */
export function checkTimestamp(timestampSeconds: number, toleranceSeconds: number, now: Date): void {
  if (!Number.isSafeInteger(timestampSeconds)) {
    throw new WebhookRejectedError("The signature timestamp is not a Unix time in seconds.");
  }
  const age = Math.floor(now.getTime() / 1000) - timestampSeconds;
  if (age > toleranceSeconds) {
    throw new WebhookRejectedError(
      `The signature timestamp is ${age}s old (tolerance ${toleranceSeconds}s): stale or replayed delivery refused.`,
    );
  }
  if (-age > toleranceSeconds) {
    throw new WebhookRejectedError(
      `The signature timestamp is ${-age}s in the future (tolerance ${toleranceSeconds}s): check the sender's clock.`,
    );
  }
}

/** Tries each secret (current first, then the previous one during a rotation). */
export function anySecretMatches(secrets: readonly string[], matches: (secret: string) => boolean): boolean {
  return secrets.some((secret) => matches(secret));
}

export function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new WebhookRejectedError("The webhook body is not JSON.");
  }
}
