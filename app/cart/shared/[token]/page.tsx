// A cart opened through its share link: anyone with the link sees it; on a collaborative cart they
// can change its lines and shop for it (the product pages then add to it); anyone can copy it.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionForm } from "../../../../components/cart/action-form.tsx";
import { CartLinesTable } from "../../../../components/cart/cart-lines-table.tsx";
import { SharedCartNotFoundError, shareTokenSchema } from "../../../../lib/cart/index.ts";
import { formatMoney } from "../../../../lib/i18n/format.ts";
import { loadCartView } from "../../../../lib/web-cart/cart-view.ts";
import { database } from "../../../_server/db.ts";
import { preferences } from "../../../_server/preferences.ts";
import { currentViewer } from "../../../_server/session.ts";
import { copySharedCart, removeSharedCartLine, shopForSharedCart, updateSharedCartLine } from "../../actions.ts";

export const dynamic = "force-dynamic";
// The token is a bearer secret: keep it out of Referer headers sent to other sites and out of indexes.
export const metadata: Metadata = { title: "Shared cart", robots: { index: false }, referrer: "no-referrer" };

export default async function SharedCartPage(props: { params: Promise<{ token: string }> }) {
  const { token } = await props.params;
  if (!shareTokenSchema.safeParse(token).success) notFound();
  const { locale, currency, t } = await preferences();
  const viewer = await currentViewer();
  let view: Awaited<ReturnType<typeof loadCartView>>;
  try {
    view = await loadCartView(database(), { via: "link", shareToken: token, userId: viewer?.userId }, currency);
  } catch (error) {
    if (error instanceof SharedCartNotFoundError) notFound();
    throw error;
  }
  const isOwner = viewer != null && view.ownerUserId === viewer.userId;
  const canEdit = view.collaborative || isOwner;
  return (
    <div className="stack">
      <h1>{t("cart.shared.title")}</h1>
      <p className="muted" data-testid="shared-cart-mode">
        {view.collaborative ? t("cart.shared.collaborative") : t("cart.shared.readOnly")}
      </p>
      {view.lines.length === 0 ? (
        <p data-testid="cart-empty">{t("cart.shared.empty")}</p>
      ) : (
        <CartLinesTable
          view={view}
          t={t}
          locale={locale}
          edit={canEdit ? { update: updateSharedCartLine, remove: removeSharedCartLine, hidden: { token } } : undefined}
        />
      )}
      {view.problem && (
        <p className="error" role="alert">
          {view.problem.message}
        </p>
      )}
      {view.priced && (
        <p className="row">
          <span>{t("cart.subtotal")}</span>
          <strong data-testid="cart-subtotal">
            {formatMoney(view.priced.subtotalMinor, view.priced.currency, locale)}
          </strong>
        </p>
      )}
      <div className="row">
        {view.collaborative && (
          <ActionForm
            action={shopForSharedCart}
            hidden={{ token }}
            submitLabel={t("cart.shopFor.start")}
            pendingLabel={t("cart.pending")}
            testId="shared-cart-shop-for"
          />
        )}
        {view.lines.length > 0 && !isOwner && (
          <ActionForm
            action={copySharedCart}
            hidden={{ token }}
            submitLabel={t("cart.copy")}
            pendingLabel={t("cart.pending")}
            buttonClassName="button-secondary"
            testId="shared-cart-copy"
          />
        )}
      </div>
    </div>
  );
}
