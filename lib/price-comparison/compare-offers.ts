// Price comparison for one product: every NeoCart seller's offer (from readProductPage) beside
// the external offers imported from feeds, all converted to the shopper's currency with the
// commerce.fx_rates converter, each with total = price + delivery, sorted by total; the cheapest
// total among in-stock offers is flagged (ties flag each).
//
// NeoCart delivery: quote-delivery prices no standard-delivery fee (it prices only the carbon
// offset of green delivery, which needs the shopper's address), so a NeoCart offer's delivery is
// 0 and the row carries deliveryNote "included".
import { asc, eq } from "drizzle-orm";
import type { ProductOffer } from "../catalog/read-product.ts";
import { MissingFxRateError, UnsupportedCurrencyError } from "../pricing/errors.ts";
import type { Executor } from "../pricing/executor.ts";
import { createConverter } from "../pricing/fx-rates.ts";
import { externalOffers } from "./import-feed.ts";

type Money = { minor: bigint; currency: string };

export type ComparisonRow = {
  kind: "neocart" | "external";
  /** Offer id (NeoCart) or external_offers id. */
  id: string;
  /** Seller name (NeoCart) or feed source. */
  name: string;
  /** The shop's page for an external offer; null for NeoCart (bought on this page). */
  url: string | null;
  /** Price and delivery in the seller's own currency. */
  original: { price: Money; delivery: Money };
  price: Money;
  delivery: Money;
  total: Money;
  /** "included": NeoCart standard delivery, no fee charged. */
  deliveryNote: "included" | null;
  inStock: boolean;
  fetchedAt: Date | null;
  cheapest: boolean;
};

export type Comparison = {
  currency: string;
  rows: ComparisonRow[];
  /** Offers left out because no FX rate converts their currency. */
  unconverted: number;
};

export async function compareOffers(
  db: Executor,
  input: { productId: string; currency: string; neocartOffers: readonly ProductOffer[] },
): Promise<Comparison> {
  const external = await db
    .select()
    .from(externalOffers)
    .where(eq(externalOffers.productId, input.productId))
    .orderBy(asc(externalOffers.source));
  const currencies = [
    ...new Set([
      input.currency,
      ...input.neocartOffers.map((o) => o.price.currency),
      ...external.map((e) => e.currency),
    ]),
  ];
  const convert = await createConverter(db, currencies);
  let unconverted = 0;
  const rows: ComparisonRow[] = [];

  const add = (row: Omit<ComparisonRow, "price" | "delivery" | "total" | "cheapest">) => {
    try {
      const price = convert(row.original.price.minor, row.original.price.currency, input.currency);
      const delivery = convert(row.original.delivery.minor, row.original.delivery.currency, input.currency);
      rows.push({
        ...row,
        price: { minor: price, currency: input.currency },
        delivery: { minor: delivery, currency: input.currency },
        total: { minor: price + delivery, currency: input.currency },
        cheapest: false,
      });
    } catch (error) {
      if (!(error instanceof MissingFxRateError || error instanceof UnsupportedCurrencyError)) throw error;
      unconverted++;
    }
  };

  for (const offer of input.neocartOffers) {
    add({
      kind: "neocart",
      id: offer.id,
      name: offer.seller.name,
      url: null,
      original: { price: offer.price, delivery: { minor: 0n, currency: offer.price.currency } },
      deliveryNote: "included",
      inStock: offer.stock > 0,
      fetchedAt: null,
    });
  }
  for (const e of external) {
    const currency = e.currency.trim();
    add({
      kind: "external",
      id: e.id,
      name: e.source,
      url: e.externalUrl,
      original: { price: { minor: e.priceMinor, currency }, delivery: { minor: e.deliveryMinor, currency } },
      deliveryNote: null,
      inStock: e.inStock,
      fetchedAt: e.fetchedAt,
    });
  }

  rows.sort(
    (a, b) =>
      Number(b.inStock) - Number(a.inStock) ||
      (a.total.minor < b.total.minor ? -1 : a.total.minor > b.total.minor ? 1 : 0) ||
      (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "neocart" ? -1 : 1),
  );
  const best = rows.find((r) => r.inStock)?.total.minor;
  if (best !== undefined) for (const r of rows) r.cheapest = r.inStock && r.total.minor === best;
  return { currency: input.currency, rows, unconverted };
}
