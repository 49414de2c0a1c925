// Each area of the storefront keeps its own strings; Spanish must give every English key.
import type { Locale } from "./locales.ts";

export type Catalog<K extends string> = Record<Locale, Record<K, string>>;

export function defineMessages<K extends string>(en: Record<K, string>, es: Record<K, string>): Catalog<K> {
  return { en, es };
}
