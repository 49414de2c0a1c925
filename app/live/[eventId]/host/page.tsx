// Hosting a live event: pin and unpin the seller's products (viewers see them at once) and end
// the event. Only the event's seller or an admin, checked here on the server and again by every
// action inside lib/live.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "../../../../components/cart/action-form.tsx";
import { AccessDenied } from "../../../../components/dashboard/access-denied.tsx";
import { formatMoney } from "../../../../lib/i18n/format.ts";
import { canHostLiveEvent, readLiveEvent } from "../../../../lib/live/events.ts";
import { listHostableProducts } from "../../../../lib/live/host-products.ts";
import { listPinnedProductIds } from "../../../../lib/live/pins.ts";
import { database } from "../../../_server/db.ts";
import { preferences } from "../../../_server/preferences.ts";
import { currentViewer } from "../../../_server/session.ts";
import { endLiveEventNow, pinLiveProduct, unpinLiveProduct } from "../../actions.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Host a live event" };

export default async function HostLiveEventPage(props: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await props.params;
  const { t, locale, currency } = await preferences();
  const db = database();
  const event = await readLiveEvent(db, eventId);
  if (!event) notFound();
  const viewer = await currentViewer().catch(() => null);
  if (!viewer) {
    return (
      <AccessDenied
        title={t("live.host.deniedTitle")}
        message={t("live.host.signedOut")}
        signInLabel={t("live.signIn")}
      />
    );
  }
  if (!(await canHostLiveEvent(db, event, viewer.userId))) {
    return <AccessDenied title={t("live.host.deniedTitle")} message={t("live.host.denied")} />;
  }
  const [products, pinnedIds] = await Promise.all([
    listHostableProducts(db, event.sellerId, { currency, locale }),
    listPinnedProductIds(db, event.id),
  ]);
  const pinned = new Set(pinnedIds);
  const live = event.status === "live";
  return (
    <div className="stack" data-testid="live-host">
      <p className="row">
        <Link href={`/live/${event.id}`}>{t("live.host.viewerLink")}</Link>
      </p>
      <h1>{t("live.host.title", { title: event.title })}</h1>
      <p>
        <span className={live ? "badge badge-bad" : "badge"} data-testid="live-host-status">
          {t(live ? "live.status.live" : "live.status.ended")}
        </span>
      </p>
      {!live && <p className="notice">{t("live.ended")}</p>}
      <section className="card stack" aria-labelledby="host-products">
        <h2 id="host-products">{t("live.host.products")}</h2>
        <p className="muted">{t("live.host.productsHint")}</p>
        {products.length === 0 ? (
          <p className="muted">{t("live.host.noProducts")}</p>
        ) : (
          <ul className="live-host-list">
            {products.map((product) => {
              const isPinned = pinned.has(product.id);
              return (
                <li
                  key={product.id}
                  className="live-pin"
                  data-testid="host-product"
                  data-product-id={product.id}
                  data-pinned={isPinned}
                >
                  {product.imageUrl && (
                    // biome-ignore lint/performance/noImgElement: catalog images are small local SVGs; next/image adds nothing
                    <img src={product.imageUrl} alt="" width={56} height={56} />
                  )}
                  <div className="stack">
                    <h3 className="live-pin-title">{product.title}</h3>
                    <p className="row">
                      {product.price && (
                        <span className="muted">
                          {formatMoney(product.price.minor, product.price.currency, locale)}
                        </span>
                      )}
                      {isPinned && <span className="badge badge-ok">{t("live.host.isPinned")}</span>}
                    </p>
                    {live && (
                      <ActionForm
                        action={isPinned ? unpinLiveProduct : pinLiveProduct}
                        hidden={{ eventId: event.id, productId: product.id }}
                        submitLabel={t(isPinned ? "live.host.unpin" : "live.host.pin")}
                        pendingLabel={t("live.host.saving")}
                        buttonClassName={isPinned ? "button-secondary" : undefined}
                        testId={isPinned ? "host-unpin" : "host-pin"}
                      />
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {live && (
        <section className="card stack" aria-labelledby="host-end">
          <h2 id="host-end">{t("live.host.end")}</h2>
          <p className="muted">{t("live.host.endHint")}</p>
          <ActionForm
            action={endLiveEventNow}
            hidden={{ eventId: event.id }}
            submitLabel={t("live.host.end")}
            pendingLabel={t("live.host.ending")}
            buttonClassName="button-danger"
            testId="host-end"
          />
        </section>
      )}
    </div>
  );
}
