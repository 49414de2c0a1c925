"use server";
// The language and currency switches post here; the choice is kept in cookies for a year and the
// shopper lands back on the page they were on.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { CURRENCY_COOKIE, displayCurrencies, LOCALE_COOKIE, locales } from "../../lib/i18n/locales.ts";

const preferencesSchema = z.strictObject({
  locale: z.enum(locales, { error: `language must be one of ${locales.join(", ")}` }),
  currency: z.enum(displayCurrencies, { error: `currency must be one of ${displayCurrencies.join(", ")}` }),
});

/** The path of the page that posted, when it is one of ours; "/" otherwise. */
async function returnPath(): Promise<string> {
  const list = await headers();
  const referer = list.get("referer");
  const host = list.get("host");
  if (!referer || !host) return "/";
  try {
    const url = new URL(referer);
    return url.host === host ? `${url.pathname}${url.search}` : "/";
  } catch {
    return "/";
  }
}

export async function savePreferences(form: FormData): Promise<void> {
  const fields = Object.fromEntries([...form.entries()].filter(([key]) => !key.startsWith("$ACTION")));
  const parsed = preferencesSchema.safeParse(fields);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  const jar = await cookies();
  const oneYear = 365 * 24 * 60 * 60;
  jar.set(LOCALE_COOKIE, parsed.data.locale, { path: "/", maxAge: oneYear, sameSite: "lax" });
  jar.set(CURRENCY_COOKIE, parsed.data.currency, { path: "/", maxAge: oneYear, sameSite: "lax" });
  redirect(await returnPath());
}
