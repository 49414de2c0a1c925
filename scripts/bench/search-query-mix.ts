// The search bench's query mix, roughly as shoppers type: mostly plain queries and type-ahead, some
// typos, synonyms, Spanish, facet filters, sorts, deep pages and category browsing.
import type { Db } from "../../lib/db/client.ts";
import type { SearchInput } from "../../lib/search/search-input.ts";
import { searchProducts } from "../../lib/search/search-products.ts";
import { suggest } from "../../lib/search/suggest.ts";

export type Kind = "plain" | "typo" | "synonym" | "spanish" | "filtered" | "sorted" | "browse" | "suggest";
export type Request = { kind: Kind; label: string; run: (db: Db, cache: boolean) => Promise<unknown> };

const s = (kind: Kind, input: SearchInput): Request => ({
  kind,
  label: JSON.stringify(input),
  run: (db, cache) => searchProducts(db, input, { cache }),
});
const typeahead = (prefix: string, locale = "en"): Request => ({
  kind: "suggest",
  label: `${prefix}…`,
  run: (db, cache) => suggest(db, prefix, 8, locale, { cache }),
});

/** The mix, roughly as shoppers type: mostly plain queries and type-ahead, some typos and filters. */
export const queryMix: Request[] = [
  s("plain", { q: "headphones" }),
  s("plain", { q: "laptop" }),
  s("plain", { q: "coffee maker" }),
  s("plain", { q: "sony headphones" }),
  s("plain", { q: "apple iphone 16" }),
  s("plain", { q: "running shoes" }),
  s("plain", { q: "gaming monitor 27-inch" }),
  s("plain", { q: "cast iron frying pan" }),
  s("plain", { q: "lego building set" }),
  s("plain", { q: "waterproof hiking boots" }),
  s("typo", { q: "iphnoe" }),
  s("typo", { q: "hedphones" }),
  s("typo", { q: "wireles speaker" }),
  s("typo", { q: "labtop" }),
  s("typo", { q: "samsnug televison" }),
  s("typo", { q: "expresso cofee" }),
  s("synonym", { q: "tv" }),
  s("synonym", { q: "fridge" }),
  s("synonym", { q: "couch" }),
  s("synonym", { q: "sneakers" }),
  s("spanish", { q: "auriculares inalámbricos", locale: "es" }),
  s("spanish", { q: "cafetera", locale: "es" }),
  s("filtered", { q: "headphones", priceMin: 5_000, priceMax: 20_000 }),
  s("filtered", { q: "laptop", minRating: 4 }),
  s("filtered", { q: "speaker", delivery: "drone" }),
  s("filtered", { q: "smartphone", payment: "upi", currency: "INR" }),
  s("filtered", { q: "jacket", category: "clothing", delivery: "green", minRating: 3 }),
  s("filtered", { q: "camera", currency: "EUR", priceMax: 50_000 }),
  s("sorted", { q: "television", sort: "price_asc" }),
  s("sorted", { q: "sneakers", sort: "rating" }),
  s("sorted", { q: "backpack", sort: "newest", page: 3 }),
  s("sorted", { q: "watch", sort: "price_desc", pageSize: 48 }),
  s("browse", { category: "headphones" }),
  s("browse", { category: "board-games", sort: "rating" }),
  typeahead("hea"),
  typeahead("wireless he"),
  typeahead("iph"),
  typeahead("coff"),
  typeahead("sams"),
  typeahead("lapt"),
  typeahead("auric", "es"),
  typeahead("runnin"),
];
