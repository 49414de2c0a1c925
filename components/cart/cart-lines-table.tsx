// The lines of a cart with server prices; editable (own cart, collaborative shared cart) or not.
import Link from "next/link";
import type { CartActionState } from "../../app/cart/actions.ts";
import { formatMoney } from "../../lib/i18n/format.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import type { CartView } from "../../lib/web-cart/cart-view.ts";
import { CartLineControls } from "./cart-line-controls.tsx";

type Action = (state: CartActionState, form: FormData) => Promise<CartActionState>;

export function CartLinesTable(props: {
  view: CartView;
  t: Translate;
  locale: Locale;
  edit?: { update: Action; remove: Action; hidden?: Record<string, string> };
}) {
  const { view, t, locale } = props;
  const money = (minor: bigint | undefined) => (minor === undefined ? "—" : formatMoney(minor, view.currency, locale));
  return (
    <div className="table-scroll">
      <table data-testid="cart-lines">
        <caption className="visually-hidden">{t("cart.lines.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("cart.col.product")}</th>
            <th scope="col">{t("cart.col.seller")}</th>
            <th scope="col">{t("cart.col.unitPrice")}</th>
            <th scope="col">{t("cart.col.quantity")}</th>
            <th scope="col">{t("cart.col.lineTotal")}</th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((line) => (
            <tr key={line.offerId} data-testid="cart-line" data-offer-id={line.offerId}>
              <td>{line.productSlug ? <Link href={`/product/${line.productSlug}`}>{line.title}</Link> : line.title}</td>
              <td>{line.sellerName}</td>
              <td data-testid="cart-line-unit-price">{money(line.unitPriceMinor)}</td>
              <td>
                {props.edit ? (
                  <CartLineControls
                    offerId={line.offerId}
                    quantity={line.quantity}
                    title={line.title}
                    updateAction={props.edit.update}
                    removeAction={props.edit.remove}
                    hidden={props.edit.hidden}
                    labels={{
                      quantity: t("cart.quantityOf", { title: line.title }),
                      update: t("cart.update"),
                      remove: t("cart.remove"),
                      removeLabel: t("cart.removeOf", { title: line.title }),
                      pending: t("cart.pending"),
                    }}
                  />
                ) : (
                  line.quantity
                )}
              </td>
              <td data-testid="cart-line-total">{money(line.lineTotalMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
