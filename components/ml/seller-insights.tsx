// The seller dashboard's "Demand and pricing" card: low-stock alerts, and per busy listing the
// 8-week demand forecast, the suggested price with its expected effect, and the seller's price
// limits (editable; suggestions never leave them).
import type { Db } from "../../lib/db/client.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { minorToDecimal } from "../../lib/payments/money.ts";
import { LEAD_TIME_WEEKS, type ListingInsight, readSellerInsights } from "../../lib/web-recs/seller-insights.ts";
import { ActionForm } from "../dashboard/action-form.tsx";
import { savePriceBounds } from "./actions.ts";

const signed = (n: number) => `${n > 0 ? "+" : ""}${Math.round(n * 10) / 10}`;

function Listing(props: { listing: ListingInsight; locale: Locale; t: Translate }) {
  const { listing: l, locale, t } = props;
  const money = (minor: number | bigint) => formatMoney(minor, l.currency, locale);
  const peak = Math.max(1, ...(l.forecast?.weeks.map((w) => w.units) ?? [1]));
  const s = l.suggestion;
  const minDefault = l.bounds
    ? minorToDecimal(l.bounds.minMinor, l.currency)
    : s
      ? minorToDecimal(BigInt(s.bounds.minMinor), l.currency)
      : "";
  const maxDefault = l.bounds
    ? minorToDecimal(l.bounds.maxMinor, l.currency)
    : s
      ? minorToDecimal(BigInt(s.bounds.maxMinor), l.currency)
      : "";
  return (
    <li className="card stack" data-testid="ml-listing" data-offer-id={l.offerId}>
      <h3 style={{ margin: 0 }}>{l.title}</h3>
      {l.forecast && (
        <div data-testid="ml-forecast">
          <p>
            {t("ml.forecastWeeks", {
              weeks: l.forecast.leadTimeWeeks,
              units: Math.round(l.forecast.leadTimeUnits * 10) / 10,
              stock: l.forecast.stock,
            })}{" "}
            <span className="muted">
              ({t(l.forecast.source === "model" ? "ml.forecastSource.model" : "ml.forecastSource.average")})
            </span>
          </p>
          <table>
            <caption className="visually-hidden">{t("ml.forecast", { title: l.title })}</caption>
            <tbody>
              {l.forecast.weeks.map((w) => (
                <tr key={w.weekStart}>
                  <th scope="row" className="muted" style={{ fontWeight: 400 }}>
                    {w.weekStart}
                  </th>
                  <td style={{ width: "60%" }}>
                    <span
                      aria-hidden="true"
                      style={{
                        display: "inline-block",
                        height: "0.7rem",
                        width: `${(w.units / peak) * 100}%`,
                        background: "var(--brand)",
                        borderRadius: 3,
                      }}
                    />
                  </td>
                  <td>{Math.round(w.units * 10) / 10}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {s && (
        <div data-testid="ml-price">
          <p>
            {t("ml.priceNow", {
              price: money(s.currentPriceMinor),
              units: Math.round(s.expected.current.units * 10) / 10,
              revenue: money(Math.round(s.expected.current.revenueMinor)),
              weeks: s.horizonWeeks,
            })}
          </p>
          <p>
            <strong data-testid="ml-suggested-price">
              {t("ml.priceSuggested", {
                price: money(s.suggestedPriceMinor),
                units: Math.round(s.expected.suggested.units * 10) / 10,
                revenue: money(Math.round(s.expected.suggested.revenueMinor)),
                revenueChange: signed(s.expected.revenueChangePercent),
                unitsChange: signed(s.expected.unitsChangePercent),
              })}
            </strong>
          </p>
          {s.boundHit && (
            <p className="muted">
              {t("ml.boundHit", { bound: t(s.boundHit === "min" ? "ml.bound.min" : "ml.bound.max") })}
            </p>
          )}
          <p className="muted">
            {t("ml.elasticity", {
              value: s.elasticity,
              source: s.elasticitySource === "model" ? t("ml.forecastSource.model") : "ε = 1",
            })}
          </p>
        </div>
      )}
      <fieldset>
        <legend>{t("ml.bounds")}</legend>
        {!l.bounds && <p className="muted">{t("ml.boundsDefault")}</p>}
        <ActionForm
          action={savePriceBounds}
          hidden={{ offerId: l.offerId }}
          submitLabel={t("ml.saveBounds")}
          submitTestId="ml-save-bounds"
          submitClassName="button-secondary"
          label={t("ml.bounds")}
        >
          <label>
            {t("ml.minPrice", { currency: l.currency })}{" "}
            <input name="min" inputMode="decimal" required defaultValue={minDefault} size={8} data-testid="ml-min" />
          </label>
          <label>
            {t("ml.maxPrice", { currency: l.currency })}{" "}
            <input name="max" inputMode="decimal" required defaultValue={maxDefault} size={8} data-testid="ml-max" />
          </label>
        </ActionForm>
      </fieldset>
    </li>
  );
}

export async function SellerInsights(props: { db: Db; sellerId: string; locale: Locale; t: Translate }) {
  const { t, locale } = props;
  const insights = await readSellerInsights(props.db, props.sellerId);
  return (
    <section aria-labelledby="seller-ml" className="card stack" data-testid="seller-ml">
      <h2 id="seller-ml">{t("ml.title")}</h2>
      <p className="muted">{t("ml.intro")}</p>
      <h3>{t("ml.lowStock")}</h3>
      {insights.alerts.length === 0 ? (
        <p className="muted">{t("ml.noLowStock", { weeks: LEAD_TIME_WEEKS })}</p>
      ) : (
        <ul data-testid="ml-low-stock">
          {insights.alerts.map((a) => (
            <li key={a.productId}>
              <span className="badge badge-warn">!</span>{" "}
              {t("ml.lowStockItem", {
                title: a.title,
                stock: a.stock,
                units: Math.round(a.leadTimeUnits * 10) / 10,
                weeks: LEAD_TIME_WEEKS,
              })}
            </li>
          ))}
        </ul>
      )}
      {insights.listings.length === 0 ? (
        <p className="muted">{t("ml.noOffers")}</p>
      ) : (
        <ul className="stack" style={{ listStyle: "none", padding: 0 }}>
          {insights.listings.map((l) => (
            <Listing key={l.offerId} listing={l} locale={locale} t={t} />
          ))}
        </ul>
      )}
    </section>
  );
}
