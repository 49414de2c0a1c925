"use server";
// The seller's price limits for suggestions. Checks the session and the seller role itself and
// scopes the change to the seller's own shop (the offer id from the form must belong to it).
import { revalidatePath } from "next/cache";
import { database } from "../../app/_server/db.ts";
import { preferences } from "../../app/_server/preferences.ts";
import { AccessDeniedError, requireViewerRole } from "../../app/_server/session.ts";
import { findSellerOfUser } from "../../lib/dashboards/seller-dashboard.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import { PriceBoundsError, setPriceBounds } from "../../lib/web-recs/seller-insights.ts";
import type { ActionResult } from "../dashboard/action-form.tsx";

export async function savePriceBounds(_: ActionResult, form: FormData): Promise<ActionResult> {
  const { locale, t } = await preferences();
  try {
    const viewer = await requireViewerRole("seller");
    const db = database();
    const seller = await findSellerOfUser(db, viewer.userId);
    if (!seller) return { ok: false, message: t("seller.noSeller") };
    const input = {
      offerId: String(form.get("offerId") ?? ""),
      min: String(form.get("min") ?? ""),
      max: String(form.get("max") ?? ""),
    };
    const saved = await setPriceBounds(db, seller.id, input);
    revalidatePath("/seller");
    return {
      ok: true,
      message: t("ml.boundsSaved", {
        min: formatMoney(saved.minMinor, saved.currency, locale),
        max: formatMoney(saved.maxMinor, saved.currency, locale),
      }),
    };
  } catch (error) {
    if (error instanceof AccessDeniedError) {
      return {
        ok: false,
        message: error.reason === "signed_out" ? t("signin.required") : t("role.missing", { role: "seller" }),
      };
    }
    if (error instanceof PriceBoundsError) {
      return { ok: false, message: error.code === "not_your_offer" ? t("ml.notYourOffer") : error.message };
    }
    throw error;
  }
}
