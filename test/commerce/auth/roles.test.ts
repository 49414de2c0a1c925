// Roles are read from the database on every check: granting and revoking (admins only) take
// effect on the next call, a demoted admin loses access at once, the last admin cannot vanish.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthError,
  grantRole,
  issueNonce,
  listRoles,
  requireRole,
  requireSession,
  revokeRole,
  signIn,
} from "../../../lib/auth/index.ts";
import { userRoles } from "../../../lib/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { newAccount, settings, signedMessage } from "./support/sign-in-fixtures.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("auth_roles", 5542);
});
afterAll(async () => {
  await t?.stop();
});

async function signInNew() {
  return signIn(t.db, await signedMessage(newAccount(), (await issueNonce(t.db)).nonce), settings());
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "accepted";
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
}

describe("roles", () => {
  it("requireRole: no session → 401, missing role → 403 naming the role, held role → the session", async () => {
    const shopper = await signInNew();
    expect(await codeOf(requireRole(t.db, "not-a-token", "shopper"))).toBe("no_session");
    expect(await codeOf(requireRole(t.db, undefined, "shopper"))).toBe("no_session");
    await expect(requireRole(t.db, shopper.token, "seller")).rejects.toThrow(
      "This needs the seller role, which your account does not have.",
    );
    await expect(requireRole(t.db, shopper.token, "shopper")).resolves.toMatchObject({ userId: shopper.userId });
    await expect(requireSession(t.db, shopper.token)).resolves.toMatchObject({ userId: shopper.userId });
  });

  it("a demoted admin loses access at once, with the same session token", async () => {
    const founder = await signInNew();
    await t.db.insert(userRoles).values({ userId: founder.userId, role: "admin" });
    const second = await signInNew();
    await grantRole(t.db, founder.token, { userId: second.userId, role: "admin" });
    await expect(requireRole(t.db, second.token, "admin")).resolves.toBeTruthy();

    await revokeRole(t.db, founder.token, { userId: second.userId, role: "admin" });
    expect(await codeOf(requireRole(t.db, second.token, "admin"))).toBe("forbidden");
    // Nor can the demoted admin still use admin-only actions.
    expect(await codeOf(grantRole(t.db, second.token, { userId: second.userId, role: "admin" }))).toBe("forbidden");
    // The session itself is still valid for what the user may still do.
    await expect(requireRole(t.db, second.token, "shopper")).resolves.toBeTruthy();
  });

  it("only admins grant or revoke roles; inputs are validated", async () => {
    const shopper = await signInNew();
    const other = await signInNew();
    expect(await codeOf(grantRole(t.db, shopper.token, { userId: shopper.userId, role: "admin" }))).toBe("forbidden");
    expect(await codeOf(revokeRole(t.db, shopper.token, { userId: other.userId, role: "shopper" }))).toBe("forbidden");
    expect(await listRoles(t.db, shopper.userId)).toEqual(["shopper"]);

    const admin = await signInNew();
    await t.db.insert(userRoles).values({ userId: admin.userId, role: "admin" });
    expect(await codeOf(grantRole(t.db, admin.token, { userId: other.userId, role: "superuser" as "admin" }))).toBe(
      "invalid_input",
    );
    expect(await codeOf(grantRole(t.db, admin.token, { userId: "nope", role: "seller" }))).toBe("invalid_input");
    await expect(
      grantRole(t.db, admin.token, { userId: "00000000-0000-4000-8000-000000000000", role: "seller" }),
    ).rejects.toThrow(/No active user has id/);
    await grantRole(t.db, admin.token, { userId: other.userId, role: "seller" });
    await grantRole(t.db, admin.token, { userId: other.userId, role: "seller" }); // twice is fine
    expect(await listRoles(t.db, other.userId)).toEqual(["seller", "shopper"]);
    await revokeRole(t.db, admin.token, { userId: other.userId, role: "seller" });
    expect(await listRoles(t.db, other.userId)).toEqual(["shopper"]);
  });

  it("the last admin cannot remove their own admin role", async () => {
    await t.db.delete(userRoles).where(eq(userRoles.role, "admin"));
    const only = await signInNew();
    await t.db.insert(userRoles).values({ userId: only.userId, role: "admin" });
    const error = await revokeRole(t.db, only.token, { userId: only.userId, role: "admin" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe("last_admin");
    expect((error as AuthError).message).toMatch(/grant admin to someone else/);
    expect(await listRoles(t.db, only.userId)).toContain("admin");
  });
});
