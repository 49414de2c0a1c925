// Product: gallery, every seller's offer side by side in the shopper's currency, stock, delivery
// and payment options, the on-chain rating and reviews with their proof, and the 3D/AR view.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { TxLink } from "../../../components/dashboard/chain-links.tsx";
import { ComparisonTable } from "../../../components/price-comparison/comparison-table.tsx";
import { ModelViewerButton } from "../../../components/product/model-viewer-button.tsx";
import { Stars } from "../../../components/product/stars.tsx";
import { ProductRecommendations } from "../../../components/recommendations/product-recommendations.tsx";
import { readProductPage } from "../../../lib/catalog/read-product.ts";
import { formatDate, formatMoney } from "../../../lib/i18n/format.ts";
import type { MessageKey } from "../../../lib/i18n/translate.ts";
import { recordEventInBackground } from "../../../lib/web-recs/read-rails.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { webSettings } from "../../_server/settings.ts";
import { addToCart } from "../../cart/actions.ts";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { slug } = await props.params;
  return { title: slug.replace(/-/g, " ") };
}

export default async function ProductPage(props: Props) {
  const { slug } = await props.params;
  const { locale, currency, t } = await preferences();
  const settings = webSettings();
  const product = await readProductPage(database(), {
    ref: slug,
    locale,
    currency,
    viewsSchema: settings.NEOCART_VIEWS_SCHEMA,
  });
  if (!product) notFound();
  // Views feed the recommender: recorded without waiting, and a failure never fails the page.
  const viewer = await currentViewer().catch(() => null);
  if (viewer) recordEventInBackground(database(), { userId: viewer.userId, productId: product.id, kind: "view" });
  const [cover, ...others] = product.images;

  return (
    <article className="stack">
      <div className="layout-sidebar" style={{ gridTemplateColumns: "minmax(0, 1fr)" }}>
        <section aria-label={product.title} className="row" style={{ alignItems: "flex-start" }}>
          <div style={{ flex: "1 1 20rem", maxWidth: "28rem" }}>
            {cover && (
              // biome-ignore lint/performance/noImgElement: local SVG images; next/image adds nothing here
              <img
                src={cover.url}
                alt={cover.alt}
                width={480}
                height={480}
                fetchPriority="high"
                data-testid="gallery-cover"
              />
            )}
            <ul className="row" style={{ listStyle: "none", padding: 0 }} aria-label="Gallery">
              {others.map((image) => (
                <li key={image.url}>
                  {/* biome-ignore lint/performance/noImgElement: local SVG thumbnails */}
                  <img src={image.url} alt={image.alt} width={88} height={88} loading="lazy" />
                </li>
              ))}
            </ul>
            {product.modelUrl && (
              <ModelViewerButton
                src={product.modelUrl}
                alt={product.title}
                label={t("product.view3d")}
                loadingLabel={t("product.loading3d")}
              />
            )}
          </div>
          <div style={{ flex: "2 1 24rem" }} className="stack">
            <h1 data-testid="product-title">{product.title}</h1>
            <p className="muted">
              {product.brand} · <Link href={`/search?category=${product.category}`}>{product.category}</Link>
            </p>
            {product.rating && product.rating.average !== null ? (
              <div data-testid="product-rating">
                <Stars average={product.rating.average} count={product.rating.count} />
                <p className="muted">
                  {t("product.rating", { average: product.rating.average.toFixed(2), count: product.rating.count })}
                </p>
              </div>
            ) : null}
            <p>{product.description}</p>
            {Object.keys(product.attributes).length > 0 && (
              <details>
                <summary>{t("product.details")}</summary>
                <dl>
                  {Object.entries(product.attributes).map(([key, value]) => (
                    <div key={key} className="row">
                      <dt className="muted">{key}</dt>
                      <dd style={{ margin: 0 }}>{String(value)}</dd>
                    </div>
                  ))}
                </dl>
              </details>
            )}
          </div>
        </section>
      </div>

      <section aria-labelledby="offers-heading">
        <h2 id="offers-heading">{t("product.offers", { count: product.offers.length })}</h2>
        <div className="table-scroll">
          <table data-testid="offers">
            <thead>
              <tr>
                <th scope="col">{t("product.seller")}</th>
                <th scope="col">{t("product.price")}</th>
                <th scope="col">{t("product.stock")}</th>
                <th scope="col">{t("product.delivery")}</th>
                <th scope="col">{t("product.payment")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("product.addToCart")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {product.offers.map((offer) => {
                const own = formatMoney(offer.price.minor, offer.price.currency, locale);
                return (
                  <tr key={offer.id} data-testid="offer-row">
                    <td>{offer.seller.name}</td>
                    <td>
                      <span className="price" data-testid="offer-price">
                        {offer.display ? formatMoney(offer.display.minor, offer.display.currency, locale) : own}
                      </span>
                      {offer.display && offer.display.currency !== offer.price.currency && (
                        <div className="muted">{t("product.sellerPrice", { price: own })}</div>
                      )}
                    </td>
                    <td>
                      {offer.stock > 0 ? (
                        <span className="badge badge-ok">{t("product.inStock", { count: offer.stock })}</span>
                      ) : (
                        <span className="badge badge-bad">{t("product.outOfStock")}</span>
                      )}
                    </td>
                    <td>{offer.deliveryOptions.map((d) => t(`delivery.${d}` as MessageKey)).join(", ")}</td>
                    <td>{offer.paymentMethods.map((p) => t(`payment.${p}` as MessageKey)).join(", ")}</td>
                    <td>
                      {offer.stock > 0 && (
                        <div className="row">
                          <form action={addToCart}>
                            <input type="hidden" name="offerId" value={offer.id} />
                            <input type="hidden" name="quantity" value="1" />
                            <button type="submit" data-testid="add-to-cart">
                              {t("product.addToCart")}
                            </button>
                          </form>
                          {offer.paymentMethods.includes("wallet") && offer.seller.payable && (
                            <Link
                              className="button button-secondary"
                              href={`/checkout/wallet?offer=${offer.id}&qty=1`}
                              data-testid="buy-with-wallet"
                            >
                              {t("payment.wallet")}
                            </Link>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <Suspense fallback={null}>
        <ComparisonTable
          db={database()}
          productId={product.id}
          offers={product.offers}
          locale={locale}
          currency={currency}
          t={t}
        />
      </Suspense>

      <section aria-labelledby="reviews-heading">
        <h2 id="reviews-heading">{t("product.reviews")}</h2>
        {product.reviews.length === 0 ? (
          <p className="muted">{t("product.noReviews")}</p>
        ) : (
          <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
            {product.reviews.map((review) => (
              <li key={review.orderId} className="card" data-testid="review">
                <div className="row">
                  <Stars average={review.rating} count={1} />
                  {review.proof === "verified" ? (
                    <span className="badge badge-ok" data-testid="review-proof-verified">
                      ✓ {t("product.verified")}
                    </span>
                  ) : review.proof === "missing" ? (
                    <span className="badge badge-warn">{t("product.proofMissing")}</span>
                  ) : (
                    <span className="badge badge-bad">{t("product.proofMismatch")}</span>
                  )}
                  <span className="muted">{formatDate(review.at, locale)}</span>
                </div>
                {review.body && <p>{review.body}</p>}
                <details>
                  <summary>{t("product.proof")}</summary>
                  <dl className="mono">
                    <dt>{t("product.order")}</dt>
                    <dd>
                      <Link href={`/explorer?q=${review.orderId}`}>{review.orderId}</Link>
                    </dd>
                    <dt>{t("product.tx")}</dt>
                    <dd>
                      <TxLink hash={review.txHash} explorerUrl={settings.NEOCART_EXPLORER_URL} /> ·{" "}
                      {t("orders.block", { block: review.blockNumber.toString() })}
                    </dd>
                    <dt>{t("product.contentHash")}</dt>
                    <dd>{review.contentHash}</dd>
                  </dl>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Suspense fallback={null}>
        <ProductRecommendations db={database()} productId={product.id} locale={locale} currency={currency} t={t} />
      </Suspense>
    </article>
  );
}
