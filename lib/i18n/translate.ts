// One translator over every area's strings: t("nav.cart"), t("role.missing", { role: "admin" }).
import type { Catalog } from "./define-messages.ts";
import type { Locale } from "./locales.ts";
import { adminMessages } from "./messages/admin.ts";
import { assistantMessages } from "./messages/assistant.ts";
import { auditorMessages } from "./messages/auditor.ts";
import { cartMessages } from "./messages/cart.ts";
import { checkoutMessages } from "./messages/checkout.ts";
import { commonMessages } from "./messages/common.ts";
import { comparisonMessages } from "./messages/comparison.ts";
import { gamificationMessages } from "./messages/gamification.ts";
import { groupBuysMessages } from "./messages/groupbuys.ts";
import { influencersMessages } from "./messages/influencers.ts";
import { loyaltyMessages } from "./messages/loyalty.ts";
import { ordersMessages } from "./messages/orders.ts";
import { sellerMessages } from "./messages/seller.ts";
import { shopMessages } from "./messages/shop.ts";
import { trackingMessages } from "./messages/tracking.ts";
import { videoMessages } from "./messages/video.ts";

type KeysOf<C> = C extends Catalog<infer K> ? K : never;
const catalogs = [
  commonMessages,
  shopMessages,
  cartMessages,
  checkoutMessages,
  ordersMessages,
  loyaltyMessages,
  sellerMessages,
  adminMessages,
  auditorMessages,
  assistantMessages,
  trackingMessages,
  comparisonMessages,
  groupBuysMessages,
  gamificationMessages,
  influencersMessages,
  videoMessages,
] as const;
export type MessageKey = KeysOf<(typeof catalogs)[number]>;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const merged: Record<Locale, Record<string, string>> = { en: {}, es: {} };
for (const catalog of catalogs) {
  Object.assign(merged.en, catalog.en);
  Object.assign(merged.es, catalog.es);
}

export function translator(locale: Locale): Translate {
  const strings = merged[locale];
  return (key, vars) => {
    const text = strings[key] ?? merged.en[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (match, name: string) => String(vars[name] ?? match)) : text;
  };
}
