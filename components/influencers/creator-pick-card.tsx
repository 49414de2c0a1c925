// One product on a creator's storefront: like a catalog card, but its link goes through the
// creator's referral route (a plain <a>, never a prefetching <Link>, so only a real click counts)
// and marked rel="sponsored", and it carries the creator's note.
import type { ProductCard } from "../../lib/catalog/read-product-cards.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import { Stars } from "../product/stars.tsx";

export function CreatorPickCard(props: {
  href: string;
  product: ProductCard;
  note: string;
  locale: Locale;
  strings: { noteBy: string; noPrice: string };
}) {
  const { product, locale } = props;
  return (
    <article className="card product-card creator-pick" data-testid="creator-pick" data-slug={product.slug}>
      <a href={props.href} rel="sponsored nofollow" data-testid="creator-pick-link">
        {/* biome-ignore lint/performance/noImgElement: catalog images are small local SVGs; next/image adds nothing */}
        <img src={product.imageUrl ?? "/images/placeholder.svg"} alt="" width={240} height={240} loading="lazy" />
        <h3>{product.title}</h3>
      </a>
      <p className="muted">{product.brand}</p>
      {product.price ? (
        <p className="price" data-testid="creator-pick-price">
          {formatMoney(product.price.minor, product.price.currency, locale)}
        </p>
      ) : (
        <p className="muted">{props.strings.noPrice}</p>
      )}
      {product.rating.average !== null && <Stars average={product.rating.average} count={product.rating.count} />}
      {props.note && (
        <blockquote className="creator-note">
          <span className="visually-hidden">{props.strings.noteBy} </span>
          {props.note}
        </blockquote>
      )}
    </article>
  );
}
