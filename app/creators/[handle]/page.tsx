// A creator's public storefront: their curated products in their order, priced in the shopper's
// currency, each with the creator's note, under a commission disclosure shown before any product
// (consumer law wants the shopper told of the creator's interest before they follow a link).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CreatorPickCard } from "../../../components/influencers/creator-pick-card.tsx";
import { readProductCards } from "../../../lib/catalog/read-product-cards.ts";
import { listCreatorPicks } from "../../../lib/influencers/creator-picks.ts";
import { findCreatorByHandle } from "../../../lib/influencers/creator-profile.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ handle: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { handle } = await props.params;
  const creator = await findCreatorByHandle(database(), handle);
  return creator ? { title: `${creator.displayName} (@${creator.handle})` } : { title: "Creator" };
}

export default async function CreatorStorefrontPage(props: Props) {
  const { handle } = await props.params;
  const { locale, currency, t } = await preferences();
  const db = database();
  const creator = await findCreatorByHandle(db, handle);
  if (!creator) notFound();
  const picks = await listCreatorPicks(db, creator.id);
  const cards = await readProductCards(db, { ids: picks.map((p) => p.productId) }, { currency, locale });
  const cardOf = new Map(cards.map((c) => [c.id, c]));
  const name = creator.displayName;

  return (
    <div className="stack">
      <header className="stack">
        <h1 data-testid="creator-name">{name}</h1>
        <p className="muted">{t("creators.handle", { handle: creator.handle })}</p>
        {creator.bio && <p data-testid="creator-bio">{creator.bio}</p>}
      </header>
      <p className="notice" data-testid="creator-disclosure">
        {t("creators.disclosure", { name })}
      </p>
      <section aria-labelledby="creator-picks" className="stack">
        <h2 id="creator-picks">{t("creators.picks", { name })}</h2>
        {picks.length === 0 ? (
          <p className="muted">{t("creators.empty", { name })}</p>
        ) : (
          <div className="grid">
            {picks.map((pick) => {
              const card = cardOf.get(pick.productId);
              if (!card) return null;
              return (
                <CreatorPickCard
                  key={pick.productId}
                  href={`/creators/${creator.handle}/go/${pick.slug}`}
                  product={card}
                  note={pick.note}
                  locale={locale}
                  strings={{ noteBy: t("creators.noteBy", { name }), noPrice: t("creators.noPrice") }}
                />
              );
            })}
          </div>
        )}
      </section>
    </div>
  );
}
