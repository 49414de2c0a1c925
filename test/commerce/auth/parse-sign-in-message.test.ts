// The strict EIP-4361 reader: accepts what wallets produce, refuses everything else with a
// message that says what is wrong. No database needed.

import { createSiweMessage } from "viem/siwe";
import { describe, expect, it } from "vitest";
import { AuthError, MAX_MESSAGE_BYTES, parseSignInMessage } from "../../../lib/auth/index.ts";

const address = "0xA0Cf798816D4b9b9866b5330EEa46a18382f251e";
const base = () =>
  createSiweMessage({
    address,
    domain: "neocart.example",
    uri: "https://neocart.example/sign-in",
    chainId: 8453,
    version: "1",
    nonce: "abcdef0123456789",
    issuedAt: new Date("2026-01-01T00:00:00.000Z"),
    statement: "Sign in to NeoCart.",
    expirationTime: new Date("2026-01-02T00:00:00.000Z"),
    notBefore: new Date("2025-12-31T00:00:00.000Z"),
    requestId: "r-1",
    resources: ["https://neocart.example/terms", "ipfs://bafy"],
  });

function refusal(message: string): AuthError {
  try {
    parseSignInMessage(message);
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("the message was accepted");
}

describe("parseSignInMessage", () => {
  it("reads every field of a message made by viem's createSiweMessage", () => {
    const parsed = parseSignInMessage(base());
    expect(parsed).toMatchObject({
      domain: "neocart.example",
      address,
      statement: "Sign in to NeoCart.",
      uri: "https://neocart.example/sign-in",
      chainId: 8453,
      nonce: "abcdef0123456789",
      requestId: "r-1",
      resources: ["https://neocart.example/terms", "ipfs://bafy"],
    });
    expect(parsed.issuedAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(parsed.expirationTime?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(parsed.notBefore?.toISOString()).toBe("2025-12-31T00:00:00.000Z");
  });

  it("reads a minimal message (no statement, scheme given)", () => {
    const message = createSiweMessage({
      address,
      domain: "neocart.example",
      scheme: "https",
      uri: "https://neocart.example",
      chainId: 1,
      version: "1",
      nonce: "12345678",
      issuedAt: new Date("2026-01-01T00:00:00Z"),
    });
    const parsed = parseSignInMessage(message);
    expect(parsed.scheme).toBe("https");
    expect(parsed.statement).toBeUndefined();
    expect(parsed.resources).toEqual([]);
  });

  it.each([
    ["trailing text after the last field", (m: string) => `${m}\nInjected: yes`],
    ["CRLF line endings", (m: string) => m.replaceAll("\n", "\r\n")],
    ["a bad checksum", (m: string) => m.replace(address, address.replace("A0Cf", "a0CF"))],
    ["a missing nonce", (m: string) => m.replace(/\nNonce: .*/, "")],
    ["fields out of order", (m: string) => m.replace("Version: 1\nChain ID: 8453", "Chain ID: 8453\nVersion: 1")],
    ["version 2", (m: string) => m.replace("Version: 1", "Version: 2")],
    ["a non-numeric chain id", (m: string) => m.replace("Chain ID: 8453", "Chain ID: base")],
    ["a short nonce", (m: string) => m.replace("abcdef0123456789", "abc")],
    ["a nonce with symbols", (m: string) => m.replace("abcdef0123456789", "abcdef01-3456789")],
    ["a date that is not RFC 3339", (m: string) => m.replace("2026-01-01T00:00:00.000Z", "January 1, 2026")],
    ["an impossible date", (m: string) => m.replace("2026-01-01T00:00:00.000Z", "2026-13-45T00:00:00Z")],
    ["a two-line statement", (m: string) => m.replace("Sign in to NeoCart.", "Sign in\nto NeoCart.")],
    ["a relative URI", (m: string) => m.replace("URI: https://neocart.example/sign-in", "URI: /sign-in")],
    ["a control character", (m: string) => m.replace("Sign in", "Sign\u0007in")],
    ["a wrong header", (m: string) => m.replace("wants you to sign in", "wants you to log in")],
    ["an empty message", () => ""],
    ["random text", () => "hello"],
  ])("refuses %s as malformed", (_name, mutate) => {
    const error = refusal(mutate(base()));
    expect(error.code).toBe("malformed_message");
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /not a valid EIP-4361 message: .+; Ask your wallet|not a valid EIP-4361 message: .+\./,
    );
  });

  it("refuses a message over the size limit before reading it", () => {
    const big = base().replace("Sign in to NeoCart.", "x".repeat(MAX_MESSAGE_BYTES));
    const error = refusal(big);
    expect(error.code).toBe("message_too_large");
    expect(error.message).toContain(`${MAX_MESSAGE_BYTES} bytes`);
  });
});
