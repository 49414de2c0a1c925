// Search: typo-tolerant full text with facets, sort orders, suggestions and voice input.
import type { Metadata } from "next";
import Link from "next/link";
import { ProductCard } from "../../components/product/product-card.tsx";
import { SearchBox } from "../../components/search/search-box.tsx";
import { formatMoney, formatNumber } from "../../lib/i18n/format.ts";
import type { MessageKey } from "../../lib/i18n/translate.ts";
import { SearchInputError, sortOrders } from "../../lib/search/search-input.ts";
import { type SearchResult, searchProducts } from "../../lib/search/search-products.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { type RawParams, searchHref, searchInputFromParams } from "./search-params.ts";

export const metadata: Metadata = { title: "Search" };

function FacetLinks(props: {
  legend: string;
  values: { key: string; label: string; count: number; href: string; selected: boolean }[];
  testId: string;
}) {
  if (props.values.length === 0) return null;
  return (
    <fieldset data-testid={props.testId}>
      <legend>{props.legend}</legend>
      <ul>
        {props.values.map((v) => (
          <li key={v.key}>
            <Link href={v.href} aria-current={v.selected ? "true" : undefined}>
              {v.selected ? <strong>{v.label}</strong> : v.label}
            </Link>{" "}
            <span className="muted">({v.count})</span>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export default async function SearchPage(props: { searchParams: Promise<RawParams> }) {
  const params = await props.searchParams;
  const { locale, currency, t } = await preferences();
  const input = searchInputFromParams(params, { locale, currency });
  let result: SearchResult | undefined;
  let problem: string | undefined;
  try {
    result = await searchProducts(database(), input);
  } catch (error) {
    if (!(error instanceof SearchInputError)) throw error;
    problem = error.problems.join("; ");
  }
  const q = typeof input.q === "string" ? input.q : "";
  const sort = typeof params.sort === "string" ? params.sort : "relevance";
  const page = result?.page ?? 1;
  const toggle = (key: string, value: string) =>
    searchHref(params, { [key]: params[key] === value ? undefined : value });

  return (
    <>
      <h1>{t("search.title")}</h1>
      <SearchBox
        key={q}
        initialQuery={q}
        locale={locale}
        strings={{
          label: t("search.label"),
          placeholder: t("search.placeholder"),
          submit: t("search.submit"),
          voice: t("search.voice"),
          voiceUnsupported: t("search.voiceUnsupported"),
          listening: t("search.listening"),
        }}
      />
      <p>
        <Link href="/search/image" data-testid="image-search-link">
          {t("imageSearch.link")}
        </Link>
      </p>
      {problem && (
        <p className="error" role="alert">
          {t("search.invalid", { message: problem })}
        </p>
      )}
      {result && (
        <div className="layout-sidebar">
          <aside className="facet" aria-label={t("search.title")}>
            <FacetLinks
              legend={t("search.facet.category")}
              testId="facet-category"
              values={result.facets.category.map((f) => ({
                key: f.value,
                label: f.label,
                count: f.count,
                href: toggle("category", f.value),
                selected: params.category === f.value,
              }))}
            />
            <FacetLinks
              legend={t("search.facet.price")}
              testId="facet-price"
              values={result.facets.price.buckets
                .filter((b) => b.count > 0)
                .map((b) => {
                  const from = b.min === null ? "" : formatMoney(b.min, result.facets.price.currency, locale);
                  const to = b.max === null ? "" : formatMoney(b.max, result.facets.price.currency, locale);
                  const selected = params.priceMin === String(b.min ?? "") && params.priceMax === String(b.max ?? "");
                  return {
                    key: `${b.min}-${b.max}`,
                    label: b.max === null ? `${from}+` : `${from || "0"} – ${to}`,
                    count: b.count,
                    href: selected
                      ? searchHref(params, { priceMin: undefined, priceMax: undefined })
                      : searchHref(params, { priceMin: b.min ?? undefined, priceMax: b.max ?? undefined }),
                    selected,
                  };
                })}
            />
            <FacetLinks
              legend={t("search.facet.rating")}
              testId="facet-rating"
              values={result.facets.rating
                .filter((r) => r.count > 0)
                .map((r) => ({
                  key: String(r.minRating),
                  label: t("search.facet.atLeast", { stars: r.minRating }),
                  count: r.count,
                  href: toggle("minRating", String(r.minRating)),
                  selected: params.minRating === String(r.minRating),
                }))}
            />
            <FacetLinks
              legend={t("search.facet.seller")}
              testId="facet-seller"
              values={result.facets.seller.map((f) => ({
                key: f.value,
                label: f.label,
                count: f.count,
                href: toggle("seller", f.value),
                selected: params.seller === f.value,
              }))}
            />
            <FacetLinks
              legend={t("search.facet.delivery")}
              testId="facet-delivery"
              values={result.facets.delivery.map((f) => ({
                key: f.value,
                label: t(`delivery.${f.value}` as MessageKey),
                count: f.count,
                href: toggle("delivery", f.value),
                selected: params.delivery === f.value,
              }))}
            />
            <FacetLinks
              legend={t("search.facet.payment")}
              testId="facet-payment"
              values={result.facets.payment.map((f) => ({
                key: f.value,
                label: t(`payment.${f.value}` as MessageKey),
                count: f.count,
                href: toggle("payment", f.value),
                selected: params.payment === f.value,
              }))}
            />
            <Link href={q ? `/search?q=${encodeURIComponent(q)}` : "/search"}>{t("search.clear")}</Link>
          </aside>
          <section aria-labelledby="results-heading">
            <div className="row" style={{ justifyContent: "space-between" }}>
              <h2 id="results-heading" data-testid="result-count" aria-live="polite">
                {result.totalIsExact
                  ? t("search.results", { count: formatNumber(result.total, locale) })
                  : t("search.resultsAtLeast", { count: formatNumber(result.total, locale) })}
              </h2>
              <form action="/search" method="get" className="row">
                {Object.entries(params)
                  .filter(([key, value]) => key !== "sort" && key !== "page" && typeof value === "string")
                  .map(([key, value]) => (
                    <input key={key} type="hidden" name={key} value={value as string} />
                  ))}
                <label htmlFor="sort">{t("search.sort")}</label>
                <select id="sort" name="sort" defaultValue={sort} data-testid="sort-select">
                  {sortOrders.map((order) => (
                    <option key={order} value={order}>
                      {t(`search.sort.${order}` as MessageKey)}
                    </option>
                  ))}
                </select>
                <button type="submit" className="button-secondary">
                  {t("prefs.apply")}
                </button>
              </form>
            </div>
            {result.correctedQuery && (
              <p className="notice" data-testid="corrected-query">
                {t("search.corrected", { query: result.correctedQuery })}
              </p>
            )}
            {result.items.length === 0 ? (
              <p>{t("search.none")}</p>
            ) : (
              <div className="grid">
                {result.items.map((item) => (
                  <ProductCard key={item.id} product={item} locale={locale} />
                ))}
              </div>
            )}
            <nav aria-label={t("search.page", { page })} className="row" style={{ marginTop: "1rem" }}>
              {page > 1 && <Link href={searchHref(params, { page: page - 1 })}>{t("search.prev")}</Link>}
              <span>{t("search.page", { page })}</span>
              {page * result.pageSize < result.total && (
                <Link href={searchHref(params, { page: page + 1 })}>{t("search.next")}</Link>
              )}
            </nav>
          </section>
        </div>
      )}
    </>
  );
}
