"use server";
// Account deletion: re-checks the session here (never trusts the page), requires the typed
// confirmation, erases through lib/privacy, then drops the (already revoked) session cookie.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { SESSION_COOKIE_NAME } from "../../lib/auth/index.ts";
import { deleteAccount, PrivacyError } from "../../lib/privacy/index.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer } from "../_server/session.ts";

export type DeleteAccountState = { error: string | null };

const confirmationSchema = z.object({ confirm: z.literal("DELETE") });

export async function deleteMyAccount(_previous: DeleteAccountState, form: FormData): Promise<DeleteAccountState> {
  const { t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) return { error: t("signin.required") };
  const parsed = confirmationSchema.safeParse({ confirm: form.get("confirm") });
  if (!parsed.success) return { error: t("account.deleteConfirmWrong") };
  try {
    await deleteAccount(database(), viewer.userId);
  } catch (error) {
    if (error instanceof PrivacyError) return { error: error.message };
    throw error;
  }
  (await cookies()).set(SESSION_COOKIE_NAME, "", {
    path: "/",
    maxAge: 0,
    httpOnly: true,
    secure: true,
    sameSite: "lax",
  });
  redirect("/account?deleted=1");
}
