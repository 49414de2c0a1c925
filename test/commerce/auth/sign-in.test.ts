// Sign-In with Ethereum against a real PostgreSQL: the happy path, every bad input of TESTPLAN
// "Bad input at the edges" (each refused with a message saying what to fix, and changing
// nothing), single-use nonces under concurrency, and session rotation and sign-out.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthError,
  type AuthErrorCode,
  getSession,
  issueNonce,
  listRoles,
  readSessionToken,
  signIn,
  signOut,
} from "../../../lib/auth/index.ts";
import { consumeNonce } from "../../../lib/auth/nonces.ts";
import { sessions, siweNonces, users, wallets } from "../../../lib/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { newAccount, settings, signedMessage } from "./support/sign-in-fixtures.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("auth_sign_in", 5541);
});
afterAll(async () => {
  await t?.stop();
});

async function refusal(work: Promise<unknown>): Promise<AuthError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error("sign-in was accepted");
}

/** Counts of the rows a refused sign-in must not touch. */
async function snapshot() {
  const { rows } = await t.db.$client.query<{ users: string; wallets: string; sessions: string; used: string }>(
    `select (select count(*) from commerce.users) as users, (select count(*) from commerce.wallets) as wallets,
            (select count(*) from commerce.sessions) as sessions,
            (select count(*) from commerce.siwe_nonces where used_at is not null) as used`,
  );
  return rows[0];
}

async function expectRefused(work: () => Promise<unknown>, code: AuthErrorCode, text: RegExp | string) {
  const before = await snapshot();
  const error = await refusal(work());
  expect(error.code).toBe(code);
  expect(error.status).toBeGreaterThanOrEqual(400);
  expect(error.status).toBeLessThan(500);
  expect(error.message).toMatch(text);
  expect(await snapshot()).toEqual(before);
  return error;
}

describe("signIn", () => {
  it("signs in a new wallet: user created, wallet linked, role shopper, session stored as a hash", async () => {
    const account = newAccount();
    const { nonce } = await issueNonce(t.db);
    const result = await signIn(t.db, await signedMessage(account, nonce), settings());

    expect(result.isNewUser).toBe(true);
    expect(result.address).toBe(account.address);
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(readSessionToken(result.cookie.split(";")[0])).toBe(result.token);
    const [wallet] = await t.db.select().from(wallets).where(eq(wallets.address, account.address.toLowerCase()));
    expect(wallet?.userId).toBe(result.userId);
    expect(await listRoles(t.db, result.userId)).toEqual(["shopper"]);
    const stored = await t.db.select().from(sessions).where(eq(sessions.userId, result.userId));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.tokenHash).not.toContain(result.token);
    expect(await getSession(t.db, result.token)).toMatchObject({
      userId: result.userId,
      address: account.address.toLowerCase(),
    });
  });

  it("signs the same wallet in again as the same user", async () => {
    const account = newAccount();
    const first = await signIn(t.db, await signedMessage(account, (await issueNonce(t.db)).nonce), settings());
    const second = await signIn(t.db, await signedMessage(account, (await issueNonce(t.db)).nonce), settings());
    expect(second.userId).toBe(first.userId);
    expect(second.isNewUser).toBe(false);
    const rows = await t.db.select().from(users).where(eq(users.id, first.userId));
    expect(rows).toHaveLength(1);
  });

  it("refuses a message for another domain, naming both domains", async () => {
    const { nonce } = await issueNonce(t.db);
    const input = await signedMessage(newAccount(), nonce, { domain: "evil.com", uri: "https://evil.com/login" });
    await expectRefused(
      () => signIn(t.db, input, settings()),
      "wrong_domain",
      "The sign-in message is for domain evil.com; sign in on neocart.example.",
    );
  });

  it("refuses a message whose URI is on another origin, or whose scheme is not ours", async () => {
    const { nonce } = await issueNonce(t.db);
    const wrongUri = await signedMessage(newAccount(), nonce, { uri: "https://evil.com/sign-in" });
    await expectRefused(() => signIn(t.db, wrongUri, settings()), "wrong_uri", /not on https:\/\/neocart\.example/);
    const wrongScheme = await signedMessage(newAccount(), nonce, { scheme: "http" });
    await expectRefused(() => signIn(t.db, wrongScheme, settings()), "wrong_domain", /http:\/\/neocart\.example/);
  });

  it("refuses a chain we do not serve", async () => {
    const { nonce } = await issueNonce(t.db);
    const input = await signedMessage(newAccount(), nonce, { chainId: 1 });
    await expectRefused(
      () => signIn(t.db, input, settings()),
      "wrong_chain",
      /switch your wallet to chain 8453 or 84532/,
    );
  });

  it("refuses a nonce we never issued", async () => {
    const input = await signedMessage(newAccount(), "neverissued12345");
    await expectRefused(() => signIn(t.db, input, settings()), "unknown_nonce", /request a new nonce/);
  });

  it("refuses a reused nonce", async () => {
    const account = newAccount();
    const input = await signedMessage(account, (await issueNonce(t.db)).nonce);
    await signIn(t.db, input, settings());
    await expectRefused(() => signIn(t.db, input, settings()), "nonce_used", /already used/);
  });

  it("refuses an expired nonce", async () => {
    const { nonce } = await issueNonce(t.db, { now: new Date(Date.now() - 20 * 60_000), ttlSeconds: 600 });
    const input = await signedMessage(newAccount(), nonce);
    await expectRefused(() => signIn(t.db, input, settings()), "nonce_expired", /nonce has expired/);
  });

  it("refuses an expired message and a message not valid yet", async () => {
    const { nonce } = await issueNonce(t.db);
    const expired = await signedMessage(newAccount(), nonce, { expirationTime: new Date(Date.now() - 1000) });
    await expectRefused(() => signIn(t.db, expired, settings()), "message_expired", /expired at .*request a new nonce/);
    const early = await signedMessage(newAccount(), nonce, { notBefore: new Date(Date.now() + 3_600_000) });
    await expectRefused(() => signIn(t.db, early, settings()), "message_not_yet_valid", /valid only from/);
    const future = await signedMessage(newAccount(), nonce, { issuedAt: new Date(Date.now() + 3_600_000) });
    await expectRefused(() => signIn(t.db, future, settings()), "message_not_yet_valid", /check your device's clock/);
    // The nonce survived all three refusals and still works.
    await expect(signIn(t.db, await signedMessage(newAccount(), nonce), settings())).resolves.toBeTruthy();
  });

  it("refuses a signature made by another address", async () => {
    const named = newAccount();
    const { nonce } = await issueNonce(t.db);
    const { message } = await signedMessage(named, nonce);
    const signature = await newAccount().signMessage({ message });
    await expectRefused(
      () => signIn(t.db, { message, signature }, settings()),
      "bad_signature",
      `The signature was not made by ${named.address}`,
    );
  });

  it("refuses a message altered after signing", async () => {
    const { nonce } = await issueNonce(t.db);
    const signed = await signedMessage(newAccount(), nonce);
    const message = signed.message.replace("Sign in to NeoCart.", "Sign in to NeoCart!");
    await expectRefused(() => signIn(t.db, { ...signed, message }, settings()), "bad_signature", /not made by/);
  });

  it("refuses oversize and malformed messages, bad signatures and unknown fields", async () => {
    const { nonce } = await issueNonce(t.db);
    const account = newAccount();
    const huge = await signedMessage(account, nonce, { statement: "x".repeat(5000) });
    await expectRefused(() => signIn(t.db, huge, settings()), "message_too_large", /larger than 4096 bytes/);
    const good = await signedMessage(account, nonce);
    await expectRefused(
      () => signIn(t.db, { ...good, message: `${good.message}\nExtra: field` }, settings()),
      "malformed_message",
      /unexpected text on line/,
    );
    await expectRefused(
      () => signIn(t.db, { ...good, signature: "not-hex" }, settings()),
      "invalid_input",
      /signature must be 0x-prefixed hex/,
    );
    await expectRefused(() => signIn(t.db, { ...good, extra: 1 }, settings()), "invalid_input", /request is invalid/);
    await expectRefused(() => signIn(t.db, "just a string", settings()), "invalid_input", /request is invalid/);
    await expectRefused(
      () => signIn(t.db, { ...good, signature: `0x${"00".repeat(65)}` }, settings()),
      "bad_signature",
      /not made by/,
    );
  });

  it("lets exactly one of many concurrent sign-ins with one nonce succeed", async () => {
    const account = newAccount();
    const input = await signedMessage(account, (await issueNonce(t.db)).nonce);
    const attempts = await Promise.allSettled(Array.from({ length: 12 }, () => signIn(t.db, input, settings())));
    const won = attempts.filter((a) => a.status === "fulfilled");
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((l) => (l.reason as AuthError).code)).toEqual(Array(11).fill("nonce_used"));
    const { rows } = await t.db.$client.query(
      "select count(*)::int as n from commerce.sessions s join commerce.wallets w on w.user_id = s.user_id where w.address = $1",
      [account.address.toLowerCase()],
    );
    expect(rows[0].n).toBe(1);
  });

  it("consumes a nonce exactly once when many connections race for it", async () => {
    const { nonce } = await issueNonce(t.db);
    const now = new Date();
    // Each attempt on its own pooled connection, all in flight at once.
    const outcomes = await Promise.allSettled(Array.from({ length: 16 }, () => consumeNonce(t.db, nonce, now)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const [row] = await t.db.select().from(siweNonces).where(eq(siweNonces.nonce, nonce));
    expect(row?.usedAt).toEqual(now);
  });

  it("creates one user when a new wallet signs in twice at once with two nonces", async () => {
    const account = newAccount();
    const inputs = [
      await signedMessage(account, (await issueNonce(t.db)).nonce),
      await signedMessage(account, (await issueNonce(t.db)).nonce),
    ];
    const results = await Promise.all(inputs.map((input) => signIn(t.db, input, settings())));
    expect(results[0]?.userId).toBe(results[1]?.userId);
    expect(results.filter((r) => r.isNewUser)).toHaveLength(1);
  });

  it("rotates the session on sign-in: the old token dies, the new one is different", async () => {
    const account = newAccount();
    const first = await signIn(t.db, await signedMessage(account, (await issueNonce(t.db)).nonce), settings());
    const second = await signIn(
      t.db,
      await signedMessage(account, (await issueNonce(t.db)).nonce),
      settings({ previousSessionToken: first.token }),
    );
    expect(second.token).not.toBe(first.token);
    expect(await getSession(t.db, first.token)).toBeNull();
    expect(await getSession(t.db, second.token)).not.toBeNull();
  });

  it("a session planted by someone else before sign-in is revoked too (fixation)", async () => {
    const attacker = await signIn(t.db, await signedMessage(newAccount(), (await issueNonce(t.db)).nonce), settings());
    const victim = await signIn(
      t.db,
      await signedMessage(newAccount(), (await issueNonce(t.db)).nonce),
      settings({ previousSessionToken: attacker.token }),
    );
    expect(await getSession(t.db, attacker.token)).toBeNull();
    expect((await getSession(t.db, victim.token))?.userId).toBe(victim.userId);
  });

  it("sign-out kills the session at once; signing out twice is harmless", async () => {
    const result = await signIn(t.db, await signedMessage(newAccount(), (await issueNonce(t.db)).nonce), settings());
    expect(await getSession(t.db, result.token)).not.toBeNull();
    await signOut(t.db, result.token);
    expect(await getSession(t.db, result.token)).toBeNull();
    await expect(signOut(t.db, result.token)).resolves.toBeUndefined();
    await expect(signOut(t.db, "garbage")).resolves.toBeUndefined();
  });

  it("an expired session is no session", async () => {
    const result = await signIn(
      t.db,
      await signedMessage(newAccount(), (await issueNonce(t.db)).nonce),
      settings({ sessionTtlSeconds: 60 }),
    );
    expect(await getSession(t.db, result.token, new Date(Date.now() + 30_000))).not.toBeNull();
    expect(await getSession(t.db, result.token, new Date(Date.now() + 61_000))).toBeNull();
    expect(result.cookie).toContain("Max-Age=60");
  });

  it("nonces are random, stored, and expire", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const a = await issueNonce(t.db, { now });
    const b = await issueNonce(t.db, { now });
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.nonce).toMatch(/^[a-zA-Z0-9]{8,}$/);
    expect(a.expiresAt.getTime() - now.getTime()).toBe(600_000);
    const [row] = await t.db.select().from(siweNonces).where(eq(siweNonces.nonce, a.nonce));
    expect(row?.usedAt).toBeNull();
  });

  it("uses the domain and origin it is given (a local dev port works too)", async () => {
    const { nonce } = await issueNonce(t.db);
    const input = await signedMessage(newAccount(), nonce, { domain: "localhost:3000", uri: "http://localhost:3000" });
    const local = { domain: "localhost:3000", origin: "http://localhost:3000", chainIds: [31337, 8453] };
    await expect(signIn(t.db, input, settings(local))).resolves.toMatchObject({ isNewUser: true });
  });
});
