// The search page's URL ⇄ the search module's input. Numbers arrive as text; empty values mean
// "no filter"; anything the page does not offer is ignored rather than passed on.
import type { SearchInput } from "../../lib/search/search-input.ts";

export type RawParams = Record<string, string | string[] | undefined>;

const TEXT_KEYS = ["q", "category", "seller", "delivery", "payment", "sort"] as const;
const NUMBER_KEYS = ["priceMin", "priceMax", "minRating", "page"] as const;

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === "" ? undefined : v;
}

export function searchInputFromParams(params: RawParams, defaults: { locale: string; currency: string }): SearchInput {
  const input: Record<string, unknown> = { locale: defaults.locale, currency: defaults.currency, pageSize: 24 };
  for (const key of TEXT_KEYS) {
    const v = first(params[key]);
    if (v !== undefined) input[key] = v;
  }
  for (const key of NUMBER_KEYS) {
    const v = first(params[key]);
    // A non-number stays text so the search module names the field in its error.
    if (v !== undefined) input[key] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return input as SearchInput;
}

/** The current URL with `changes` applied (undefined removes a key); page resets unless given. */
export function searchHref(params: RawParams, changes: Record<string, string | number | undefined>): string {
  const next = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const v = first(value);
    if (v !== undefined && key !== "page") next.set(key, v);
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) next.delete(key);
    else next.set(key, String(value));
  }
  const query = next.toString();
  return query ? `/search?${query}` : "/search";
}
