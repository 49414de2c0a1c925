// 404 in the shopper's language.
import Link from "next/link";
import { preferences } from "./_server/preferences.ts";

export default async function NotFound() {
  const { t } = await preferences();
  return (
    <>
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <Link href="/">{t("nav.home")}</Link>
    </>
  );
}
