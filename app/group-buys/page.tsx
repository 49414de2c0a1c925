// Every group buy on chain: open ones first, with their product, progress and deadline.
import type { Metadata } from "next";
import Link from "next/link";
import { formatTokenAmount } from "../../components/dashboard/token-amount.ts";
import { ProductCard } from "../../components/product/product-card.tsx";
import { contractAddresses } from "../../lib/dashboards/contract-addresses.ts";
import { listPools } from "../../lib/group-buys/read-pools.ts";
import { formatDate } from "../../lib/i18n/format.ts";
import { chainNow } from "../_server/chain-time.ts";
import { database } from "../_server/db.ts";
import { preferences } from "../_server/preferences.ts";
import { webSettings } from "../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Group buys" };

export default async function GroupBuysPage() {
  const { locale, currency, t } = await preferences();
  const settings = webSettings();
  const pools = await listPools(database(), {
    currency,
    locale,
    viewsSchema: settings.NEOCART_VIEWS_SCHEMA,
    now: await chainNow(),
  });
  const stablecoin = contractAddresses(settings.NEOCART_CHAIN_ID).stablecoin;
  return (
    <div className="stack">
      <h1>{t("groupBuys.title")}</h1>
      <p className="muted">{t("groupBuys.intro")}</p>
      {pools.length === 0 ? (
        <p className="muted">{t("groupBuys.none")}</p>
      ) : (
        <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
          {pools.map((pool) => (
            <li key={pool.poolId} className="stack" data-testid="group-buy-pool" data-pool-id={pool.poolId}>
              {pool.product ? (
                <ProductCard
                  product={pool.product}
                  locale={locale}
                  note={t("groupBuys.progress", { pledged: pool.pledgedUnits, min: pool.minUnits, max: pool.maxUnits })}
                />
              ) : (
                <article className="card">
                  <h3>{t("groupBuys.unknownProduct", { hash: `${pool.productHash.slice(0, 10)}…` })}</h3>
                  <p className="badge">
                    {t("groupBuys.progress", { pledged: pool.pledgedUnits, min: pool.minUnits, max: pool.maxUnits })}
                  </p>
                </article>
              )}
              <p>
                <span
                  className={`badge ${pool.status === "filled" ? "badge-ok" : pool.status === "failed" ? "badge-bad" : "badge-warn"}`}
                >
                  {t(`groupBuys.status.${pool.status}`)}
                </span>{" "}
                {t("groupBuys.unitPrice")}: {formatTokenAmount(pool.unitPrice, pool.token, stablecoin)}
              </p>
              <p className="muted">
                {t("groupBuys.deadline")}: {formatDate(new Date(pool.deadline * 1000), locale)}
              </p>
              <Link href={`/group-buys/${pool.poolId}`} data-testid="group-buy-link">
                {t("groupBuys.view")} <span className="visually-hidden">#{pool.poolId}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
