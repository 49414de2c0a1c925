// Home: categories, popular and new products, deals and the group buys open on chain.
import Link from "next/link";
import { Suspense } from "react";
import { ProductCard } from "../components/product/product-card.tsx";
import { HomeRecommendations } from "../components/recommendations/home-recommendations.tsx";
import { readHomeFeed } from "../lib/catalog/read-home-feed.ts";
import { formatDate } from "../lib/i18n/format.ts";
import { cachedResult } from "../lib/search/search-cache.ts";
import { chainNow } from "./_server/chain-time.ts";
import { database } from "./_server/db.ts";
import { preferences } from "./_server/preferences.ts";
import { currentViewer } from "./_server/session.ts";
import { webSettings } from "./_server/settings.ts";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const { locale, currency, t } = await preferences();
  const db = database();
  const viewer = await currentViewer().catch(() => null);
  // Everyone in one language and currency sees the same feed: computed once per 30 s (or sooner
  // when the catalog changes), not once per visitor.
  const feed = await cachedResult(db, JSON.stringify(["home-feed", locale, currency]), async () =>
    readHomeFeed(db, { currency, locale, viewsSchema: webSettings().NEOCART_VIEWS_SCHEMA, now: await chainNow() }),
  );
  return (
    <>
      <h1>{t("home.title")}</h1>
      <Suspense fallback={null}>
        <HomeRecommendations db={db} userId={viewer?.userId} locale={locale} currency={currency} t={t} />
      </Suspense>
      <section aria-labelledby="home-categories">
        <h2 id="home-categories">{t("home.categories")}</h2>
        <ul className="row" style={{ listStyle: "none", padding: 0 }}>
          {feed.categories.map((c) => (
            <li key={c.slug}>
              <Link className="badge" href={`/search?category=${encodeURIComponent(c.slug)}`}>
                {c.name}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="home-group-buys">
        <h2 id="home-group-buys">
          <Link href="/group-buys" data-testid="group-buys-link">
            {t("home.groupBuys")}
          </Link>
        </h2>
        {feed.groupBuys.length === 0 ? (
          <p className="muted">{t("home.noGroupBuys")}</p>
        ) : (
          <div className="grid">
            {feed.groupBuys.map((pool) => (
              <div key={pool.poolId} data-testid="group-buy">
                <ProductCard
                  product={pool.product}
                  locale={locale}
                  note={t("home.pledged", { pledged: pool.pledgedUnits, min: pool.minUnits, max: pool.maxUnits })}
                />
                <p className="muted">{t("home.endsAt", { date: formatDate(pool.deadline, locale) })}</p>
              </div>
            ))}
          </div>
        )}
      </section>
      {feed.deals.length > 0 && (
        <section aria-labelledby="home-deals">
          <h2 id="home-deals">{t("home.deals")}</h2>
          <div className="grid">
            {feed.deals.map((p) => (
              <ProductCard key={p.id} product={p} locale={locale} note={t("home.save", { percent: p.savingPercent })} />
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="home-popular">
        <h2 id="home-popular">{t("home.popular")}</h2>
        <div className="grid">
          {feed.popular.map((p) => (
            <ProductCard key={p.id} product={p} locale={locale} />
          ))}
        </div>
      </section>
      <section aria-labelledby="home-newest">
        <h2 id="home-newest">{t("home.newest")}</h2>
        <div className="grid">
          {feed.newest.map((p) => (
            <ProductCard key={p.id} product={p} locale={locale} />
          ))}
        </div>
      </section>
    </>
  );
}
