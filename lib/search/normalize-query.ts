// Query text → terms, folded the way the database folds titles (unaccent + lower case, split on
// anything that is not a letter or digit), so a term can be looked up in commerce.search_terms and
// placed in a tsquery without escaping.

export const MAX_QUERY_TERMS = 8;

/** Lower case without accents: "Crème Brûlée" → "creme brulee". */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .replace(/[æÆ]/g, "ae")
    .replace(/[œŒ]/g, "oe")
    .replace(/[øØ]/g, "o")
    .replace(/[łŁ]/g, "l")
    .replace(/[đĐ]/g, "d")
    .toLowerCase();
}

/** The query's terms (only [a-z0-9]), at most MAX_QUERY_TERMS of them. */
export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[^a-z0-9]+/)
    .filter((term) => term.length > 0)
    .slice(0, MAX_QUERY_TERMS);
}
