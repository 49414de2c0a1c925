"use server";
// Creator dashboard actions. Each one re-reads the session itself, finds the creator profile of
// the signed-in user on the server and scopes the change by it (never an id from the form); the
// lib's strict zod schemas refuse any field the form should not have.
import { revalidatePath } from "next/cache";
import type { ActionResult } from "../../components/dashboard/action-form.tsx";
import { findSellerOfUser } from "../../lib/dashboards/seller-dashboard.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { setSellerCommission } from "../../lib/influencers/commission-terms.ts";
import {
  addCreatorPick,
  moveCreatorPick,
  removeCreatorPick,
  setCreatorPickNote,
} from "../../lib/influencers/creator-picks.ts";
import { findCreatorOfUser, saveCreatorProfile } from "../../lib/influencers/creator-profile.ts";
import { CreatorProfileMissingError } from "../../lib/influencers/errors.ts";
import { CommerceError } from "../../lib/pricing/errors.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { currentViewer, type Viewer } from "../_server/session.ts";

/** The form's own fields (Next adds $ACTION_* fields of its own). */
function fields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    out[key] = typeof value === "string" ? value : "";
  }
  return out;
}

async function signedIn(run: (viewer: Viewer, t: Translate) => Promise<string>): Promise<ActionResult> {
  const { t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) return { ok: false, message: t("signin.required") };
  try {
    const message = await run(viewer, t);
    revalidatePath("/creator");
    return { ok: true, message };
  } catch (error) {
    if (error instanceof CommerceError) return { ok: false, message: error.message };
    throw error;
  }
}

/** Runs `run` with the viewer's creator id; the public page is refreshed after. */
function asCreator(
  form: FormData,
  run: (creatorId: string, input: Record<string, string>, t: Translate) => Promise<string>,
) {
  return signedIn(async (viewer, t) => {
    const creator = await findCreatorOfUser(database(), viewer.userId);
    if (!creator) throw new CreatorProfileMissingError();
    const message = await run(creator.id, fields(form), t);
    revalidatePath(`/creators/${creator.handle}`);
    return message;
  });
}

export async function saveProfile(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return signedIn(async (viewer, t) => {
    const profile = await saveCreatorProfile(
      database(),
      { userId: viewer.userId, address: viewer.address },
      fields(form),
    );
    revalidatePath(`/creators/${profile.handle}`);
    return t("creator.saved");
  });
}

export async function addPick(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return asCreator(form, async (creatorId, input, t) => {
    const pick = await addCreatorPick(database(), creatorId, input);
    return t("creator.added", { product: pick.title });
  });
}

export async function savePickNote(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return asCreator(form, async (creatorId, input, t) => {
    await setCreatorPickNote(database(), creatorId, input);
    return t("creator.noteSaved");
  });
}

export async function movePick(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return asCreator(form, async (creatorId, input, t) => {
    await moveCreatorPick(database(), creatorId, input);
    return t("creator.moved");
  });
}

export async function removePick(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return asCreator(form, async (creatorId, input, t) => {
    await removeCreatorPick(database(), creatorId, input);
    return t("creator.removed");
  });
}

/** A seller's own commission terms: the seller is the one the signed-in user runs, never one from the form. */
export async function saveSellerCommission(_previous: ActionResult, form: FormData): Promise<ActionResult> {
  return signedIn(async (viewer, t) => {
    if (!viewer.roles.includes("seller"))
      throw new CommerceError("role_missing", 403, t("role.missing", { role: "seller" }));
    const seller = await findSellerOfUser(database(), viewer.userId);
    if (!seller) throw new CommerceError("no_seller", 403, t("seller.noSeller"));
    const bps = await setSellerCommission(database(), seller.id, fields(form));
    return t("creator.termsSaved", { percent: bps / 100 });
  });
}
