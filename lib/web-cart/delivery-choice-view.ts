// The checkout's delivery choices as the browser shows them: each option the cart allows with its
// price (formatted on the server, in the shopper's language and currency), the CO2 estimate and
// green's offset cost, or why it is not available. The browser only displays these; the order is
// priced again on the server from the option and area ids it sends back.
import { formatMoney } from "../i18n/format.ts";
import type { Locale } from "../i18n/locales.ts";
import type { Translate } from "../i18n/translate.ts";
import type { DeliveryOption } from "../orders/delivery-options.ts";
import type { DeliveryChoice } from "../orders/price-delivery.ts";
import { type DeliveryRules, defaultDeliveryRules } from "../tracking/delivery-rules.ts";

export type DeliveryChoiceView = {
  option: DeliveryOption;
  label: string;
  available: boolean;
  /** The fee (offset included), e.g. "$5.52". */
  price?: string;
  /** ETA, CO2 estimate, offset cost, origin, total with delivery. */
  details: string[];
  /** Why the option is refused (disabled). */
  reason?: string;
};

export type DeliveryAreaView = { id: string; label: string };

export function deliveryAreaViews(rules: DeliveryRules = defaultDeliveryRules): DeliveryAreaView[] {
  return rules.destinations.map((d) => ({ id: d.id, label: `${d.name} (${d.country})` }));
}

const kg = (grams: number, locale: Locale) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: grams < 10_000 ? 2 : 0 }).format(grams / 1000);

/** Why the delivery rules refuse an option (by the refusal's code), in the shopper's language. */
export function deliveryRefusalReason(
  code: string,
  t: Translate,
  rules: DeliveryRules = defaultDeliveryRules,
): string | undefined {
  switch (code) {
    case "drone_outside_service_area":
      return t("delivery.reason.outside", { regions: rules.drone.regions.map((r) => r.name).join(", ") });
    case "drone_weight_limit":
      return t("delivery.reason.weight", { kg: rules.drone.maxWeightGrams / 1000 });
    case "drone_range":
      return t("delivery.reason.range", { km: rules.drone.maxRouteKm });
    case "missing_fx_rate":
      return t("delivery.reason.currency");
    default:
      return undefined;
  }
}

export function deliveryChoiceViews(
  choices: readonly DeliveryChoice[],
  context: { t: Translate; locale: Locale; cartTotalMinor?: bigint; rules?: DeliveryRules },
): DeliveryChoiceView[] {
  const { t, locale } = context;
  const rules = context.rules ?? defaultDeliveryRules;
  return choices.map((choice) => {
    const label = t(`delivery.option.${choice.option}`);
    if ("unavailable" in choice) {
      const reason = deliveryRefusalReason(choice.unavailable.code, t, rules) ?? choice.unavailable.message;
      return { option: choice.option, label, available: false, details: [], reason };
    }
    const p = choice.price;
    const money = (minor: bigint) => formatMoney(minor, p.currency, locale);
    const details = [t("delivery.eta", { hours: Math.ceil(p.estimatedHours) })];
    details.push(t("delivery.carbon", { kg: kg(p.carbonGrams, locale) }));
    if (p.offsetMinor !== null) details.push(t("delivery.offset", { offset: money(p.offsetMinor) }));
    if (p.droneRegion) details.push(t("delivery.droneArea", { region: p.droneRegion }));
    details.push(t("delivery.from", { origin: p.originLabel }));
    if (context.cartTotalMinor !== undefined) {
      details.push(t("delivery.totalWith", { total: money(context.cartTotalMinor + p.feeMinor) }));
    }
    return { option: choice.option, label, available: true, price: money(p.feeMinor), details };
  });
}

/** The DeliveryChooser's fixed strings ({reason} is filled in the browser). */
export function deliveryChooserLabels(t: Translate) {
  return {
    legend: t("delivery.legend"),
    area: t("delivery.area"),
    areaChoose: t("delivery.areaChoose"),
    areaHint: t("delivery.areaHint"),
    chooseAreaFirst: t("delivery.chooseAreaFirst"),
    loading: t("delivery.loading"),
    none: t("delivery.none"),
    unavailable: t("delivery.unavailable", { reason: "{reason}" }),
  };
}
