// One group buy: its product, progress filling live, a link to share, and pledging from the wallet
// (pledge, withdraw while open, refund after a failed deadline).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { txStrings } from "../../../components/dashboard/shared-strings.ts";
import { formatTokenAmount } from "../../../components/dashboard/token-amount.ts";
import { PledgePanel } from "../../../components/group-buys/pledge-panel.tsx";
import { PoolLive } from "../../../components/group-buys/pool-live.tsx";
import { ShareLink } from "../../../components/group-buys/share-link.tsx";
import { ProductCard } from "../../../components/product/product-card.tsx";
import { signInStrings } from "../../../components/wallet/sign-in-strings.ts";
import { SignInWithWallet } from "../../../components/wallet/sign-in-with-wallet.tsx";
import { WalletSection } from "../../../components/wallet/wallet-section.tsx";
import { contractAddresses } from "../../../lib/dashboards/contract-addresses.ts";
import { toPoolSnapshot } from "../../../lib/group-buys/pool-snapshot.ts";
import { readPool } from "../../../lib/group-buys/read-pools.ts";
import { formatDate } from "../../../lib/i18n/format.ts";
import { chainNow } from "../../_server/chain-time.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { webSettings } from "../../_server/settings.ts";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Group buy" };

export default async function GroupBuyPage(props: { params: Promise<{ poolId: string }> }) {
  const { poolId } = await props.params;
  if (!/^[1-9][0-9]{0,30}$/.test(poolId)) notFound();
  const { locale, currency, t } = await preferences();
  const settings = webSettings();
  const [pool, viewer] = await Promise.all([
    readPool(database(), BigInt(poolId), {
      currency,
      locale,
      viewsSchema: settings.NEOCART_VIEWS_SCHEMA,
      now: await chainNow(),
    }),
    currentViewer().catch(() => null),
  ]);
  if (!pool) notFound();
  const addresses = contractAddresses(settings.NEOCART_CHAIN_ID);
  const title = pool.product?.title ?? t("groupBuys.unknownProduct", { hash: `${pool.productHash.slice(0, 10)}…` });
  return (
    <div className="stack">
      <p>
        <Link href="/group-buys">{t("groupBuys.back")}</Link>
      </p>
      <h1>
        {t("groupBuys.pool", { id: pool.poolId })}: {title}
      </h1>
      <div className="layout-sidebar">
        {pool.product && <ProductCard product={pool.product} locale={locale} />}
        <section className="card stack" aria-label={t("groupBuys.progressLabel")}>
          <p>
            {t("groupBuys.unitPrice")}:{" "}
            <strong data-testid="pool-unit-price">
              {formatTokenAmount(pool.unitPrice, pool.token, addresses.stablecoin)}
            </strong>
          </p>
          <p className="muted">
            {t("groupBuys.deadline")}: {formatDate(new Date(pool.deadline * 1000), locale)}
          </p>
          <PoolLive
            initial={toPoolSnapshot(pool)}
            stablecoin={addresses.stablecoin}
            strings={{
              progress: t("groupBuys.progress"),
              progressLabel: t("groupBuys.progressLabel"),
              endsIn: t("groupBuys.endsIn"),
              ended: t("groupBuys.ended"),
              pledges: t("groupBuys.pledges"),
              noPledges: t("groupBuys.noPledges"),
              pledger: t("groupBuys.pledger"),
              units: t("groupBuys.units"),
              amount: t("groupBuys.amount"),
              pledgeState: t("groupBuys.pledgeState"),
              status: {
                open: t("groupBuys.status.open"),
                filled: t("groupBuys.status.filled"),
                failed: t("groupBuys.status.failed"),
              },
              pledgeStates: {
                pledged: t("groupBuys.pledgeState.pledged"),
                settled: t("groupBuys.pledgeState.settled"),
                refunded: t("groupBuys.pledgeState.refunded"),
              },
            }}
          />
        </section>
      </div>
      <section className="card stack" aria-labelledby="pool-share">
        <h2 id="pool-share">{t("groupBuys.share")}</h2>
        <ShareLink
          url={`${settings.NEOCART_ORIGIN}/group-buys/${pool.poolId}`}
          strings={{
            label: t("groupBuys.shareLink"),
            copy: t("groupBuys.copy"),
            copied: t("groupBuys.copied"),
            copyFailed: t("groupBuys.copyFailed"),
          }}
        />
      </section>
      <section className="card stack" aria-labelledby="pool-wallet">
        <h2 id="pool-wallet">{t("groupBuys.walletHeading")}</h2>
        <WalletSection>
          <SignInWithWallet signedInAddress={viewer?.address ?? null} strings={signInStrings(t)} />
          <PledgePanel
            chainId={settings.NEOCART_CHAIN_ID}
            groupBuy={addresses.groupBuy}
            poolId={pool.poolId}
            seller={pool.seller}
            token={pool.token as `0x${string}`}
            unitPrice={pool.unitPrice}
            maxUnits={pool.maxUnits}
            pledgedUnits={pool.pledgedUnits}
            stablecoin={addresses.stablecoin}
            strings={{
              connectFirst: t("groupBuys.connectFirst"),
              wrongChain: t("groupBuys.wrongChain"),
              switchChain: t("groupBuys.switchChain"),
              sellerCannotPledge: t("groupBuys.sellerCannotPledge"),
              yourPledge: t("groupBuys.yourPledge"),
              noPledge: t("groupBuys.noPledge"),
              unitsToPledge: t("groupBuys.unitsToPledge"),
              pledge: t("groupBuys.pledge"),
              pledgeTotal: t("groupBuys.pledgeTotal"),
              unitsToWithdraw: t("groupBuys.unitsToWithdraw"),
              unpledge: t("groupBuys.unpledge"),
              refund: t("groupBuys.refund"),
              unitsInvalid: t("groupBuys.unitsInvalid"),
              tx: txStrings(t),
            }}
          />
        </WalletSection>
      </section>
    </div>
  );
}
