// A pinned product as the live page shows it: the card's facts with the price already formatted
// for the viewer, so the server render and the live stream hand the browser the same shape.
import type { ProductCard } from "../catalog/read-product-cards.ts";
import { formatMoney } from "../i18n/format.ts";
import type { Locale } from "../i18n/locales.ts";

export type PinnedProductView = {
  id: string;
  slug: string;
  title: string;
  imageUrl: string | null;
  price: string | null;
  inStock: boolean;
};

export function toPinnedView(card: ProductCard, locale: Locale): PinnedProductView {
  return {
    id: card.id,
    slug: card.slug,
    title: card.title,
    imageUrl: card.imageUrl,
    price: card.price ? formatMoney(card.price.minor, card.price.currency, locale) : null,
    inStock: card.inStock,
  };
}
