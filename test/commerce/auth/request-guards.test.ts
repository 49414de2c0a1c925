// The cross-site request check and the session cookie's attributes (pure functions).
import { describe, expect, it } from "vitest";
import {
  AuthError,
  assertSameOrigin,
  clearedSessionCookie,
  readSessionToken,
  SESSION_COOKIE_NAME,
  sessionCookie,
} from "../../../lib/auth/index.ts";

const ORIGIN = "https://neocart.example";
const request = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

function refused(work: () => void): AuthError {
  try {
    work();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("the request was allowed");
}

describe("assertSameOrigin", () => {
  it("allows same-origin unsafe requests and any safe request", () => {
    expect(() =>
      assertSameOrigin(request("POST", { origin: ORIGIN, "sec-fetch-site": "same-origin" }), ORIGIN),
    ).not.toThrow();
    expect(() => assertSameOrigin(request("DELETE", { origin: ORIGIN }), ORIGIN)).not.toThrow();
    expect(() => assertSameOrigin(request("PUT", { "sec-fetch-site": "same-origin" }), ORIGIN)).not.toThrow();
    expect(() => assertSameOrigin(request("GET", { origin: "https://evil.com" }), ORIGIN)).not.toThrow();
  });

  it.each([
    ["another site's Origin", { origin: "https://evil.com" }, /came from https:\/\/evil\.com; submit it from/],
    ["cross-site fetch metadata", { "sec-fetch-site": "cross-site" }, /Sec-Fetch-Site: cross-site/],
    [
      "a sibling subdomain (same-site)",
      { "sec-fetch-site": "same-site", origin: "https://shop.neocart.example" },
      /same-site/,
    ],
    ["http instead of https", { origin: "http://neocart.example" }, /came from http:\/\/neocart\.example/],
    ["an opaque origin", { origin: "null" }, /came from null/],
    ["no Origin and no Sec-Fetch-Site", {}, /no Origin or Sec-Fetch-Site/],
  ])("refuses a POST with %s (403)", (_name, headers, text) => {
    const error = refused(() => assertSameOrigin(request("POST", headers), ORIGIN));
    expect(error.code).toBe("cross_site");
    expect(error.status).toBe(403);
    expect(error.message).toMatch(text);
  });
});

describe("session cookie", () => {
  it("is Secure, HttpOnly, SameSite=Lax, Path=/, with a Max-Age and a __Host- name", () => {
    const cookie = sessionCookie("tok", 3600);
    const attributes = cookie.split("; ");
    expect(attributes[0]).toBe(`${SESSION_COOKIE_NAME}=tok`);
    expect(SESSION_COOKIE_NAME.startsWith("__Host-")).toBe(true);
    expect(attributes).toEqual(
      expect.arrayContaining(["Secure", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600"]),
    );
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("is cleared on sign-out and read back from a Cookie header", () => {
    expect(clearedSessionCookie()).toContain("Max-Age=0");
    expect(readSessionToken(`theme=dark; ${SESSION_COOKIE_NAME}=abc_DEF-123; x=y`)).toBe("abc_DEF-123");
    expect(readSessionToken("theme=dark")).toBeUndefined();
    expect(readSessionToken(null)).toBeUndefined();
  });
});
