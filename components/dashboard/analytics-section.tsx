// Sales or platform figures as charts: revenue (GMV) per day in the viewer's currency, orders by
// state and by kind, and (platform) reviews per day.
import type { CountPoint, SalesAnalytics } from "../../lib/dashboards/sales-analytics.ts";
import { formatMoney, formatNumber } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { currencyExponent } from "../../lib/payments/money.ts";
import { BarChart } from "../charts/bar-chart.tsx";
import type { ChartText } from "../charts/chart-types.ts";
import { ColumnChart } from "../charts/column-chart.tsx";
import { statusLabel } from "./status-badge.tsx";

export function AnalyticsSection(props: {
  t: Translate;
  locale: Locale;
  analytics: SalesAnalytics;
  reviewsPerDay?: CountPoint[];
  /** "revenue" for a seller, "gmv" for the platform. */
  revenueKind: "revenue" | "gmv";
}) {
  const { t, locale, analytics } = props;
  const exponent = currencyExponent(analytics.currency);
  const money = (minor: bigint) => formatMoney(minor, analytics.currency, locale);
  const text = (title: string, description: string, labelHeader: string, valueHeader: string): ChartText => ({
    title,
    description,
    labelHeader,
    valueHeader,
    tableSummary: t("charts.table"),
  });
  const days = analytics.revenuePerDay.length;
  const revenueTitle = props.revenueKind === "gmv" ? t("charts.gmvPerDay") : t("charts.revenuePerDay");
  return (
    <div className="stack">
      <p>
        {t("charts.total", { days, total: money(analytics.totalMinor) })}
        {analytics.unconverted > 0 && (
          <span className="muted"> {t("charts.unconverted", { count: analytics.unconverted })}</span>
        )}
      </p>
      <ColumnChart
        testId="chart-revenue"
        text={text(
          revenueTitle,
          t("charts.revenueDesc", { days, currency: analytics.currency, total: money(analytics.totalMinor) }),
          t("charts.day"),
          revenueTitle,
        )}
        formatAxis={(v) => formatNumber(Math.round(v), locale)}
        points={analytics.revenuePerDay.map((d) => ({
          label: d.day,
          value: Number(d.minor) / 10 ** exponent,
          display: `${money(d.minor)} (${t("charts.ordersCount", { count: d.orders })})`,
        }))}
      />
      <BarChart
        testId="chart-states"
        text={text(
          t("charts.ordersByState"),
          t("charts.ordersByStateDesc", { days }),
          t("charts.state"),
          t("charts.orders"),
        )}
        points={analytics.ordersByState.map((s) => ({
          label: statusLabel(t, s.label),
          value: s.count,
          display: formatNumber(s.count, locale),
        }))}
      />
      {props.revenueKind === "gmv" && (
        <BarChart
          testId="chart-kinds"
          text={text(
            t("charts.ordersByKind"),
            t("charts.ordersByKindDesc", { days }),
            t("charts.kind"),
            t("charts.orders"),
          )}
          points={analytics.ordersByKind.map((s) => ({
            label: t(s.label === "escrow" ? "orders.kind.escrow" : "orders.kind.fiat"),
            value: s.count,
            display: formatNumber(s.count, locale),
          }))}
        />
      )}
      {props.reviewsPerDay && (
        <ColumnChart
          testId="chart-reviews"
          text={text(
            t("charts.reviewsPerDay"),
            t("charts.reviewsPerDayDesc", {
              days: props.reviewsPerDay.length,
              total: props.reviewsPerDay.reduce((n, p) => n + p.count, 0),
            }),
            t("charts.day"),
            t("charts.reviews"),
          )}
          formatAxis={(v) => formatNumber(Math.round(v * 10) / 10, locale)}
          points={props.reviewsPerDay.map((p) => ({
            label: p.label,
            value: p.count,
            display: formatNumber(p.count, locale),
          }))}
        />
      )}
    </div>
  );
}
