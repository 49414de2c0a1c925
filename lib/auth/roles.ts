// Role checks read commerce.user_roles on every call (no role cached in the session or cookie), so
// revoking a role takes effect on the very next request.
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { type Role, roles, userRoles, users } from "../db/schema.ts";
import { AuthError, invalidInput } from "./errors.ts";
import { getSession, type Session } from "./sessions.ts";

const roleSchema = z.enum(roles);
const roleChangeSchema = z.strictObject({ userId: z.uuid(), role: roleSchema });

/** The session behind `token`, or `no_session` (401). */
export async function requireSession(db: Db, token: unknown, now: Date = new Date()): Promise<Session> {
  const session = await getSession(db, token, now);
  if (!session) throw new AuthError("no_session", "You are not signed in, or your session ended; sign in again.");
  return session;
}

export async function hasRole(db: Pick<Db, "select">, userId: string, role: Role): Promise<boolean> {
  const [row] = await db
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(and(eq(userRoles.userId, userId), eq(userRoles.role, role)));
  return row !== undefined;
}

/**
 * The session, if its user holds `role` right now. Roles are exact: an admin is not implicitly a
 * seller (seller pages act on the seller's own data).
 */
export async function requireRole(db: Db, token: unknown, role: Role, now: Date = new Date()): Promise<Session> {
  const parsedRole = roleSchema.safeParse(role);
  if (!parsedRole.success) throw invalidInput("The role", parsedRole.error.issues);
  const session = await requireSession(db, token, now);
  if (!(await hasRole(db, session.userId, parsedRole.data))) {
    throw new AuthError("forbidden", `This needs the ${parsedRole.data} role, which your account does not have.`);
  }
  return session;
}

export async function listRoles(db: Pick<Db, "select">, userId: string): Promise<Role[]> {
  const rows = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId));
  return rows.map((r) => r.role).sort();
}

/** Gives `role` to a user. Only an admin (checked now, from the database) may. */
export async function grantRole(
  db: Db,
  adminToken: unknown,
  change: { userId: string; role: Role },
  now: Date = new Date(),
): Promise<void> {
  await requireRole(db, adminToken, "admin", now);
  const parsed = roleChangeSchema.safeParse(change);
  if (!parsed.success) throw invalidInput("The role change", parsed.error.issues);
  const [target] = await db.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, parsed.data.userId));
  if (!target || target.deletedAt) {
    throw new AuthError("invalid_input", `No active user has id ${parsed.data.userId}; check the id.`);
  }
  await db
    .insert(userRoles)
    .values({ userId: parsed.data.userId, role: parsed.data.role, grantedAt: now })
    .onConflictDoNothing();
}

/** Takes `role` away. Only an admin may; the last admin cannot be removed (nobody could grant it back). */
export async function revokeRole(
  db: Db,
  adminToken: unknown,
  change: { userId: string; role: Role },
  now: Date = new Date(),
): Promise<void> {
  await requireRole(db, adminToken, "admin", now);
  const parsed = roleChangeSchema.safeParse(change);
  if (!parsed.success) throw invalidInput("The role change", parsed.error.issues);
  const { userId, role } = parsed.data;
  await db.transaction(async (tx) => {
    if (role === "admin") {
      // Lock the admin rows so two admins demoting each other cannot leave zero.
      const admins = await tx.execute<{ user_id: string }>(
        sql`select user_id from commerce.user_roles where role = 'admin' for update`,
      );
      const others = admins.rows.filter((r) => r.user_id !== userId);
      if (admins.rows.length > 0 && others.length === 0) {
        throw new AuthError("last_admin", "This is the last admin; grant admin to someone else before removing it.");
      }
    }
    await tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.role, role)));
  });
}
