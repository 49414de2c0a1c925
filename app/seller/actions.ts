"use server";
// Seller actions. Each one checks the session and the seller role itself, finds the seller the
// user runs on the server, and scopes the change by that seller id (never one from the form).
import { revalidatePath } from "next/cache";
import type { ActionResult } from "../../components/dashboard/action-form.tsx";
import { findSellerOfUser, markFiatOrderShipped, setOfferStock } from "../../lib/dashboards/seller-dashboard.ts";
import { CommerceError } from "../../lib/pricing/errors.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { AccessDeniedError, requireViewerRole } from "../_server/session.ts";

/** The form's own fields (Next adds $ACTION_* fields of its own); the lib's strict zod refuses any other. */
function fields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    out[key] = typeof value === "string" ? value : "";
  }
  return out;
}

async function asSeller(run: (sellerId: string) => Promise<string>): Promise<ActionResult> {
  const { t } = await preferences();
  try {
    const viewer = await requireViewerRole("seller");
    const seller = await findSellerOfUser(database(), viewer.userId);
    if (!seller) return { ok: false, message: t("seller.noSeller") };
    const message = await run(seller.id);
    revalidatePath("/seller");
    return { ok: true, message };
  } catch (error) {
    if (error instanceof AccessDeniedError) {
      return {
        ok: false,
        message: error.reason === "signed_out" ? t("signin.required") : t("role.missing", { role: "seller" }),
      };
    }
    if (error instanceof CommerceError) return { ok: false, message: error.message };
    throw error;
  }
}

export async function updateStock(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  const { t } = await preferences();
  return asSeller(async (sellerId) => {
    const { stock } = await setOfferStock(database(), sellerId, fields(form));
    return t("seller.stockSaved", { stock });
  });
}

export async function markOrderShipped(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  const { t } = await preferences();
  return asSeller(async (sellerId) => {
    await markFiatOrderShipped(database(), sellerId, fields(form));
    return t("seller.shippedSaved");
  });
}
