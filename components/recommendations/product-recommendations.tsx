// "Similar products" and "Shoppers also bought" under a product.
import type { Db } from "../../lib/db/client.ts";
import type { Locale } from "../../lib/i18n/locales.ts";
import type { Translate } from "../../lib/i18n/translate.ts";
import { readProductRails } from "../../lib/web-recs/read-rails.ts";
import { ProductRail } from "./product-rail.tsx";

export async function ProductRecommendations(props: {
  db: Db;
  productId: string;
  locale: Locale;
  currency: string;
  t: Translate;
}) {
  const rails = await readProductRails(props.db, props.productId, { currency: props.currency, locale: props.locale });
  // Also-bought is topped up with similar products, so show each product in one rail only.
  const similarIds = new Set(rails.similar?.cards.map((c) => c.id));
  const bought = rails.alsoBought?.cards.filter((c) => c.id !== props.productId && !similarIds.has(c.id)) ?? [];
  return (
    <>
      <ProductRail
        id="rail-also-bought"
        testId="rail-also-bought"
        title={props.t("recs.alsoBought")}
        cards={bought}
        locale={props.locale}
      />
      <ProductRail
        id="rail-similar"
        testId="rail-similar"
        title={props.t("recs.similar")}
        cards={rails.similar?.cards.filter((c) => c.id !== props.productId) ?? []}
        locale={props.locale}
      />
    </>
  );
}
