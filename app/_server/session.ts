// Who is asking: the signed-in session and its roles, re-checked inside every page and action
// that needs them (never only in a proxy).
import { cookies } from "next/headers";
import { getSession, listRoles, SESSION_COOKIE_NAME, type Session } from "../../lib/auth/index.ts";
import type { Role } from "../../lib/db/schema.ts";
import { database } from "./db.ts";

export type Viewer = Session & { roles: Role[] };

export async function currentViewer(): Promise<Viewer | null> {
  const token = (await cookies()).get(SESSION_COOKIE_NAME)?.value;
  if (!token) return null;
  const db = database();
  const session = await getSession(db, token);
  if (!session) return null;
  return { ...session, roles: await listRoles(db, session.userId) };
}

export class AccessDeniedError extends Error {
  constructor(
    readonly reason: "signed_out" | "role_missing",
    readonly role?: Role,
  ) {
    super(reason === "signed_out" ? "Sign in with your wallet first." : `This needs the ${role} role.`);
  }
}

/** The viewer, who must hold `role` exactly (as lib/auth: an admin is not implicitly a seller). */
export async function requireViewerRole(role: Role): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) throw new AccessDeniedError("signed_out");
  if (!viewer.roles.includes(role)) throw new AccessDeniedError("role_missing", role);
  return viewer;
}
