// One product in a grid: image, title, price in the shopper's currency, on-chain rating.
import Link from "next/link";
import type { ProductCard as Card } from "../../lib/catalog/read-product-cards.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import { Stars } from "./stars.tsx";

export function ProductCard(props: { product: Card; locale: Locale; note?: string }) {
  const { product, locale } = props;
  return (
    <article className="card product-card" data-testid="product-card">
      <Link href={`/product/${product.slug}`}>
        {/* biome-ignore lint/performance/noImgElement: catalog images are small local SVGs; next/image adds nothing */}
        <img src={product.imageUrl ?? "/images/placeholder.svg"} alt="" width={240} height={240} loading="lazy" />
        <h3>{product.title}</h3>
      </Link>
      <p className="muted">{product.brand}</p>
      {product.price ? (
        <p className="price">{formatMoney(product.price.minor, product.price.currency, locale)}</p>
      ) : (
        <p className="muted">—</p>
      )}
      {product.rating.average !== null && <Stars average={product.rating.average} count={product.rating.count} />}
      {props.note && <p className="badge badge-ok">{props.note}</p>}
    </article>
  );
}
