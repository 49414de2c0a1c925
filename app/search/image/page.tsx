// Search by photo: the shopper's picture is read in the browser (TF.js, loaded only on this page)
// and only its feature vector is sent to /api/search/image.
import type { Metadata } from "next";
import Link from "next/link";
import { preferences } from "../../_server/preferences.ts";
import { ImageSearchForm } from "./image-search-form.tsx";

export const metadata: Metadata = { title: "Search by image" };

export default async function ImageSearchPage() {
  const { locale, t } = await preferences();
  return (
    <div className="stack">
      <h1>{t("imageSearch.title")}</h1>
      <p className="muted">{t("imageSearch.intro")}</p>
      <ImageSearchForm
        locale={locale}
        strings={{
          fileLabel: t("imageSearch.fileLabel"),
          drop: t("imageSearch.drop"),
          computing: t("imageSearch.computing"),
          searching: t("imageSearch.searching"),
          results: t("imageSearch.results"),
          none: t("imageSearch.none"),
          notImage: t("imageSearch.notImage"),
          failed: t("imageSearch.failed"),
          similarity: t("imageSearch.similarity"),
          preview: t("imageSearch.preview"),
        }}
      />
      <p>
        <Link href="/search">{t("search.title")}</Link>
      </p>
    </div>
  );
}
