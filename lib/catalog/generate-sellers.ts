// The marketplace's sellers: a fixed, deterministic list (names, countries, the currency they
// price in, payout addresses). The same list for every catalog size, so offers can point at it.
import type { CatalogCurrency } from "./currencies.ts";
import { addressFrom, uuidFrom } from "./deterministic-ids.ts";
import { createRandom } from "./prng.ts";

export type GeneratedSeller = {
  id: string;
  slug: string;
  name: string;
  country: string;
  currency: CatalogCurrency;
  payoutAddress: string;
};

const prefixes = [
  "Northwind",
  "Blue Harbor",
  "Copper Fox",
  "Evergreen",
  "Lumen",
  "Atlas",
  "Sol y Mar",
  "Bright Lane",
  "Kite & Key",
  "Maple Row",
  "Iron Bay",
  "Sakura",
  "Riverstone",
  "Nimbus",
  "Old Town",
  "Zenith",
  "Marigold",
  "Polar",
  "Casa Verde",
  "Pioneer",
];
const suffixes = ["Electronics", "Goods", "Outfitters", "Home", "Supply Co.", "Market", "Traders", "Store"];
const countries: { country: string; currency: CatalogCurrency }[] = [
  { country: "US", currency: "USD" },
  { country: "US", currency: "USD" },
  { country: "US", currency: "USD" },
  { country: "DE", currency: "EUR" },
  { country: "ES", currency: "EUR" },
  { country: "FR", currency: "EUR" },
  { country: "GB", currency: "GBP" },
  { country: "IN", currency: "INR" },
  { country: "JP", currency: "JPY" },
];

export const SELLER_COUNT = 120;

export function generateSellers(seed: string, count = SELLER_COUNT): GeneratedSeller[] {
  const sellers: GeneratedSeller[] = [];
  for (let i = 0; i < count; i++) {
    const random = createRandom(`${seed}:seller:${i}`);
    const name = `${prefixes[i % prefixes.length]} ${suffixes[Math.floor(i / prefixes.length) % suffixes.length]}`;
    const slug = `${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")}-${i}`;
    const { country, currency } = random.pick(countries);
    sellers.push({ id: uuidFrom(`seller:${slug}`), slug, name, country, currency, payoutAddress: addressFrom(slug) });
  }
  return sellers;
}
