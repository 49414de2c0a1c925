// Rate limits key on the client's address as our own proxies saw it, never on an address the
// client wrote into X-Forwarded-For itself.
import { describe, expect, it } from "vitest";
import { clientKeyOf, trustedProxyHops } from "../../../lib/web-auth/auth-response.ts";

const from = (forwardedFor?: string) =>
  new Request("http://127.0.0.1:3000/api/auth/sign-in", {
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  });

describe("clientKeyOf", () => {
  it("behind one proxy, takes the address that proxy appended, not the ones the client sent", () => {
    expect(clientKeyOf(from("203.0.113.7"), 1)).toBe("203.0.113.7");
    // A client rotating made-up addresses still lands on one key.
    expect(clientKeyOf(from("1.1.1.1, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientKeyOf(from("9.9.9.9, 8.8.8.8, 203.0.113.7"), 1)).toBe("203.0.113.7");
  });

  it("behind two proxies (CDN, then load balancer), takes the entry the CDN appended", () => {
    expect(clientKeyOf(from("6.6.6.6, 198.51.100.4, 10.0.0.2"), 2)).toBe("198.51.100.4");
    // A request that reached the inner proxy directly has fewer hops: the leftmost is used.
    expect(clientKeyOf(from("10.0.0.9"), 2)).toBe("10.0.0.9");
  });

  it("with no proxy the header is ignored, and without the header the key is local", () => {
    expect(clientKeyOf(from("203.0.113.7"), 0)).toBe("direct");
    expect(clientKeyOf(from(), 1)).toBe("local");
    expect(clientKeyOf(from(" , "), 1)).toBe("local");
  });

  it("reads the number of proxies from NEOCART_TRUSTED_PROXY_HOPS, refusing nonsense", () => {
    expect(trustedProxyHops({})).toBe(1);
    expect(trustedProxyHops({ NEOCART_TRUSTED_PROXY_HOPS: "2" })).toBe(2);
    expect(trustedProxyHops({ NEOCART_TRUSTED_PROXY_HOPS: "0" })).toBe(0);
    expect(() => trustedProxyHops({ NEOCART_TRUSTED_PROXY_HOPS: "many" })).toThrow(/whole number from 0 to 10/);
    expect(() => trustedProxyHops({ NEOCART_TRUSTED_PROXY_HOPS: "-1" })).toThrow(/got "-1"/);
  });
});
