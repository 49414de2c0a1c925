// One row of recommended products under a heading; nothing at all when the list is empty.
import type { ProductCard as Card } from "../../lib/catalog/read-product-cards.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import { ProductCard } from "../product/product-card.tsx";

export function ProductRail(props: {
  id: string;
  title: string;
  note?: string;
  cards: Card[];
  locale: Locale;
  testId: string;
}) {
  if (props.cards.length === 0) return null;
  return (
    <section aria-labelledby={props.id} data-testid={props.testId}>
      <h2 id={props.id}>{props.title}</h2>
      {props.note && <p className="muted">{props.note}</p>}
      <div className="grid">
        {props.cards.map((p) => (
          <ProductCard key={p.id} product={p} locale={props.locale} />
        ))}
      </div>
    </section>
  );
}
