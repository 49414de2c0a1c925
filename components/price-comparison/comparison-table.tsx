// "Compare prices" on the product page: NeoCart offers and external offers from price feeds,
// in the shopper's currency, cheapest total first. The cheapest total is marked with a badge and
// the words "Cheapest total" (not by colour alone); links to other shops are nofollow.
import type { ProductOffer } from "../../lib/catalog/read-product.ts";
import type { Db } from "../../lib/db/client.ts";
import { formatDate, formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { compareOffers } from "../../lib/price-comparison/compare-offers.ts";

export async function ComparisonTable(props: {
  db: Db;
  productId: string;
  offers: readonly ProductOffer[];
  locale: Locale;
  currency: string;
  t: Translate;
}) {
  const { locale, t } = props;
  const comparison = await compareOffers(props.db, {
    productId: props.productId,
    currency: props.currency,
    neocartOffers: props.offers,
  });
  if (comparison.rows.length === 0 && comparison.unconverted === 0) return null;
  const money = (m: { minor: bigint; currency: string }) => formatMoney(m.minor, m.currency, locale);
  const hasExternal = comparison.rows.some((r) => r.kind === "external");

  return (
    <section aria-labelledby="comparison-heading" data-testid="price-comparison">
      <h2 id="comparison-heading">{t("comparison.heading")}</h2>
      <p className="muted">{t("comparison.intro", { currency: comparison.currency })}</p>
      <div className="table-scroll">
        <table data-testid="comparison-table">
          <caption className="visually-hidden">{t("comparison.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("comparison.seller")}</th>
              <th scope="col">{t("comparison.where")}</th>
              <th scope="col">{t("comparison.price")}</th>
              <th scope="col">{t("comparison.delivery")}</th>
              <th scope="col">{t("comparison.total")}</th>
              <th scope="col">{t("comparison.availability")}</th>
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((row) => {
              const foreign = row.original.price.currency !== comparison.currency;
              return (
                <tr
                  key={`${row.kind}-${row.id}`}
                  data-testid="comparison-row"
                  data-cheapest={row.cheapest ? "true" : undefined}
                  style={row.cheapest ? { background: "var(--wash)" } : undefined}
                >
                  <th scope="row">
                    {row.url ? (
                      <a href={row.url} rel="noopener noreferrer nofollow" target="_blank">
                        {t("comparison.visit", { source: row.name })}
                      </a>
                    ) : (
                      row.name
                    )}
                  </th>
                  <td>
                    {row.kind === "neocart" ? t("comparison.neocart") : t("comparison.external")}
                    {row.fetchedAt && (
                      <div className="muted">
                        {t("comparison.fetched", { date: formatDate(row.fetchedAt, locale) })}
                      </div>
                    )}
                  </td>
                  <td>
                    {money(row.price)}
                    {foreign && (
                      <div className="muted">
                        {t("comparison.originalPrice", {
                          price: money(row.original.price),
                          delivery: money(row.original.delivery),
                        })}
                      </div>
                    )}
                  </td>
                  <td>{row.deliveryNote === "included" ? t("comparison.deliveryIncluded") : money(row.delivery)}</td>
                  <td>
                    <strong className="price" data-testid="comparison-total">
                      {money(row.total)}
                    </strong>
                    {row.cheapest && (
                      <div>
                        <span className="badge badge-ok" data-testid="comparison-cheapest">
                          ★ {t("comparison.cheapest")}
                        </span>
                      </div>
                    )}
                  </td>
                  <td>
                    {row.inStock ? (
                      <span className="badge badge-ok">{t("comparison.inStock")}</span>
                    ) : (
                      <span className="badge badge-bad">{t("comparison.outOfStock")}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {comparison.unconverted > 0 && (
        <p className="muted">
          {t("comparison.unconverted", { count: comparison.unconverted, currency: comparison.currency })}
        </p>
      )}
      {hasExternal && <p className="muted">{t("comparison.externalNote")}</p>}
    </section>
  );
}
