// Device and service tokens (HMAC of the shipment id or service name under the tracking secret)
// and how the secret is loaded.
import { describe, expect, it } from "vitest";
import {
  DEV_TRACKING_SECRET,
  deviceTokenFor,
  hashDeviceToken,
  loadTrackingSecret,
  serviceTokenFor,
  TrackingConfigError,
  verifyDeviceToken,
  verifyServiceToken,
} from "../../lib/tracking/index.ts";

const A = "5e2a1c9b-3d4f-4a6b-8c7d-9e0f1a2b3c4d";
const B = "6f3b2d0c-4e5a-4b7c-9d8e-0f1a2b3c4d5e";
const SECRET = "a test secret that is long enough to count";

describe("device tokens", () => {
  it("are deterministic per shipment and secret, and differ across shipments and secrets", () => {
    expect(deviceTokenFor(SECRET, A)).toBe(deviceTokenFor(SECRET, A));
    expect(deviceTokenFor(SECRET, A)).toBe(deviceTokenFor(SECRET, A.toUpperCase()));
    expect(deviceTokenFor(SECRET, A)).not.toBe(deviceTokenFor(SECRET, B));
    expect(deviceTokenFor(SECRET, A)).not.toBe(deviceTokenFor(`${SECRET}!`, A));
    expect(deviceTokenFor(SECRET, A)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("verify only for their own shipment under the same secret", () => {
    const token = deviceTokenFor(SECRET, A);
    expect(verifyDeviceToken(SECRET, A, token)).toBe(true);
    expect(verifyDeviceToken(SECRET, B, token)).toBe(false);
    expect(verifyDeviceToken(DEV_TRACKING_SECRET, A, token)).toBe(false);
    expect(verifyDeviceToken(SECRET, A, `${token}x`)).toBe(false);
    expect(verifyDeviceToken(SECRET, A, "")).toBe(false);
  });

  it("cannot pass as service tokens (and the other way round)", () => {
    expect(verifyServiceToken(SECRET, A, deviceTokenFor(SECRET, A))).toBe(false);
    expect(verifyDeviceToken(SECRET, A, serviceTokenFor(SECRET, A))).toBe(false);
    expect(verifyServiceToken(SECRET, "ingester", serviceTokenFor(SECRET, "ingester"))).toBe(true);
  });

  it("are stored as a sha256 hex hash only", () => {
    const token = deviceTokenFor(SECRET, A);
    expect(hashDeviceToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashDeviceToken(token)).not.toContain(token);
  });
});

describe("loadTrackingSecret", () => {
  it("uses NEOCART_TRACKING_SECRET when set", () => {
    expect(loadTrackingSecret({ NEOCART_TRACKING_SECRET: ` ${SECRET} ` }, () => {})).toBe(SECRET);
  });

  it("falls back to the public development secret outside production, warning once per sink", () => {
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    expect(loadTrackingSecret({}, warn)).toBe(DEV_TRACKING_SECRET);
    expect(loadTrackingSecret({}, warn)).toBe(DEV_TRACKING_SECRET);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("NEOCART_TRACKING_SECRET");
  });

  it("refuses to run production without a private secret of a sensible length", () => {
    expect(() => loadTrackingSecret({ NODE_ENV: "production" })).toThrow(TrackingConfigError);
    expect(() => loadTrackingSecret({ NODE_ENV: "production", NEOCART_TRACKING_SECRET: "short" })).toThrow(
      /at least 32/,
    );
    expect(() => loadTrackingSecret({ NODE_ENV: "production", NEOCART_TRACKING_SECRET: DEV_TRACKING_SECRET })).toThrow(
      TrackingConfigError,
    );
    expect(loadTrackingSecret({ NODE_ENV: "production", NEOCART_TRACKING_SECRET: SECRET })).toBe(SECRET);
  });
});
