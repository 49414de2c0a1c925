"use server";
// Role management. Admin only: checked here, and again by lib/auth grantRole/revokeRole from the
// database with the session token, so a demoted admin loses the power on the next request.
import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { z } from "zod";
import type { ActionResult } from "../../components/dashboard/action-form.tsx";
import { AuthError, grantRole, revokeRole, SESSION_COOKIE_NAME } from "../../lib/auth/index.ts";
import { roles } from "../../lib/db/schema.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { AccessDeniedError, requireViewerRole } from "../_server/session.ts";

const roleChangeSchema = z.strictObject({ userId: z.uuid(), role: z.enum(roles) });

async function changeRole(form: FormData, change: typeof grantRole): Promise<ActionResult> {
  const { t } = await preferences();
  try {
    await requireViewerRole("admin");
    const input: Record<string, string> = {};
    for (const [key, value] of form.entries()) if (!key.startsWith("$ACTION")) input[key] = String(value);
    const parsed = roleChangeSchema.safeParse(input);
    if (!parsed.success) return { ok: false, message: t("admin.roleInvalid") };
    const token = (await cookies()).get(SESSION_COOKIE_NAME)?.value;
    await change(database(), token, parsed.data);
    revalidatePath("/admin");
    return { ok: true, message: t("admin.roleSaved") };
  } catch (error) {
    if (error instanceof AccessDeniedError) return { ok: false, message: t("role.missing", { role: "admin" }) };
    if (error instanceof AuthError)
      return { ok: false, message: error.code === "last_admin" ? t("admin.lastAdmin") : error.message };
    throw error;
  }
}

export async function grantRoleAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return changeRole(form, grantRole);
}

export async function revokeRoleAction(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return changeRole(form, revokeRole);
}
