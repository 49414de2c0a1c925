// "Recommended for you" on the home page, for a signed-in shopper: the recommender's picks from
// their views, carts and purchases (popular products, titled as such, until it knows them).
import type { Db } from "../../lib/db/client.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { readHomeRail } from "../../lib/web-recs/read-rails.ts";
import { ProductRail } from "./product-rail.tsx";

export async function HomeRecommendations(props: {
  db: Db;
  userId: string | undefined;
  locale: Locale;
  currency: string;
  t: Translate;
}) {
  if (!props.userId) return null;
  const rail = await readHomeRail(props.db, props.userId, { currency: props.currency, locale: props.locale });
  if (!rail) return null;
  return (
    <ProductRail
      id="home-for-you"
      testId="rail-for-you"
      title={props.t("recs.forYou")}
      note={rail.source === "model" ? undefined : props.t("recs.popularNote")}
      cards={rail.cards}
      locale={props.locale}
    />
  );
}
