// Where a search or a suggestion is computed: in this process's text index (text-index.ts) or in
// PostgreSQL. Both answer the same; the index is faster once built and SQL serves until then.
import type { Db } from "../db/client.ts";
import { currentTextIndex, loadTextIndex, type TextIndex } from "./text-index.ts";

export type SearchEngine = "auto" | "memory" | "sql";

/** NEOCART_SEARCH_ENGINE, or "auto". */
export function defaultEngine(): SearchEngine {
  const setting = process.env.NEOCART_SEARCH_ENGINE;
  if (setting === undefined || setting === "") return "auto";
  if (setting === "auto" || setting === "memory" || setting === "sql") return setting;
  throw new Error(`NEOCART_SEARCH_ENGINE must be auto, memory or sql, not ${setting}`);
}

/** The text index to use, current as of `generation`; undefined to compute in SQL. */
export async function textIndexFor(db: Db, engine: SearchEngine, generation: string): Promise<TextIndex | undefined> {
  if (engine === "sql") return undefined;
  if (engine === "memory") await loadTextIndex(db);
  return currentTextIndex(db, generation);
}
