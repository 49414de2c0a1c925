// The delivery an order was priced with at checkout, on /orders: option and fee (part of the
// total), the route, the CO2 estimate and, for green delivery, the offset the fee paid for.
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { deliveryOptionSchema } from "../../lib/orders/delivery-options.ts";
import type { UnifiedOrder } from "../../lib/orders/list-orders.ts";

export function OrderDeliverySummary(props: { order: UnifiedOrder; t: Translate; locale: Locale }) {
  const { order, t, locale } = props;
  const delivery = order.delivery;
  if (!delivery) return null;
  const option = deliveryOptionSchema.safeParse(delivery.option);
  const money = (minor: bigint) => formatMoney(minor, order.currency, locale);
  const kg = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(delivery.carbonGrams / 1000);
  return (
    <div className="stack" data-testid="order-delivery" data-option={delivery.option}>
      <p>
        <span data-testid="order-delivery-fee">
          {t("delivery.order", {
            option: option.success ? t(`delivery.option.${option.data}`) : delivery.option,
            fee: money(delivery.feeMinor),
          })}
        </span>{" "}
        <span className="muted">
          {t("delivery.orderRoute", { origin: delivery.originLabel, destination: delivery.destinationLabel })}
        </span>
      </p>
      <p className="muted" data-testid="order-delivery-carbon">
        {delivery.offsetMinor !== null
          ? t("delivery.orderCarbon", { kg, offset: money(delivery.offsetMinor) })
          : t("delivery.carbon", { kg })}
      </p>
    </div>
  );
}
