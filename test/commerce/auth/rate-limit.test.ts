// Sign-in rate limits live in Postgres: they hold across concurrent requests, survive a new
// connection pool (an app restart or another replica), and reset when the window passes.
import { getTableConfig } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, hitRateLimit, issueNonce, signIn } from "../../../lib/auth/index.ts";
import { authRateLimits } from "../../../lib/auth/tables.ts";
import { closeDb, createDb } from "../../../lib/db/client.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { newAccount, settings, signedMessage } from "./support/sign-in-fixtures.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("auth_rate_limit", 5543);
});
afterAll(async () => {
  await t?.stop();
});

const limit = { max: 3, windowSeconds: 60, what: "sign-in attempts from this network" };

describe("sign-in rate limit", () => {
  it("the Drizzle mirror in lib/auth/tables.ts matches the migration", async () => {
    const { rows } = await t.db.$client.query<{ column_name: string; is_nullable: string }>(
      "select column_name, is_nullable from information_schema.columns where table_schema = 'commerce' and table_name = 'auth_rate_limits'",
    );
    const columns = new Map(rows.map((r) => [r.column_name, r.is_nullable === "YES"]));
    for (const column of getTableConfig(authRateLimits).columns) {
      expect(columns.get(column.name), column.name).toBe(!column.notNull);
    }
  });

  it("refuses the attempt after the limit with 429 and a retry time, even if it would have succeeded", async () => {
    const s = settings({ rateLimit: limit, clientKey: "203.0.113.7" });
    for (let i = 0; i < 3; i++) {
      await signIn(t.db, await signedMessage(newAccount(), (await issueNonce(t.db)).nonce), s);
    }
    const error = await signIn(t.db, await signedMessage(newAccount(), (await issueNonce(t.db)).nonce), s).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(429);
    expect((error as AuthError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as AuthError).message).toMatch(
      /^Too many sign-in attempts from this network; wait \d+ seconds and try again\.$/,
    );
    // Other clients are unaffected.
    await expect(
      signIn(t.db, await signedMessage(newAccount(), (await issueNonce(t.db)).nonce), settings({ rateLimit: limit })),
    ).resolves.toBeTruthy();
  });

  it("counts bad attempts too, and concurrent attempts exactly", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => hitRateLimit(t.db, "test:concurrent", limit, now)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const s = settings({ rateLimit: limit, clientKey: "198.51.100.1" });
    for (let i = 0; i < 3; i++) {
      await expect(signIn(t.db, { message: "garbage", signature: "0x00" }, s)).rejects.toMatchObject({
        code: "malformed_message",
      });
    }
    await expect(signIn(t.db, { message: "garbage", signature: "0x00" }, s)).rejects.toMatchObject({
      code: "rate_limited",
    });
  });

  it("survives a new connection pool (restart) and resets after the window", async () => {
    const start = new Date("2026-04-01T00:00:00Z");
    for (let i = 0; i < 3; i++) await hitRateLimit(t.db, "test:restart", limit, start);

    const restarted = createDb(t.url, { max: 2, onIdleError: () => {} });
    try {
      const later = new Date(start.getTime() + 30_000);
      const error = await hitRateLimit(restarted, "test:restart", limit, later).catch((e: unknown) => e);
      expect((error as AuthError).code).toBe("rate_limited");
      expect((error as AuthError).retryAfterSeconds).toBe(30);

      const nextWindow = new Date(start.getTime() + 61_000);
      await expect(hitRateLimit(restarted, "test:restart", limit, nextWindow)).resolves.toBeUndefined();
    } finally {
      await closeDb(restarted);
    }
  });
});
