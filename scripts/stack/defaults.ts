// Where each part of the local stack listens and which database schemas it uses, unless the
// environment says otherwise. The app reads chain tables from VIEWS_SCHEMA (views over the
// indexer's current tables), never from the indexer's own schema.
export const stackDefaults = {
  chainPort: Number(process.env.NEOCART_CHAIN_PORT ?? 8545),
  indexerPort: Number(process.env.NEOCART_INDEXER_PORT ?? 42069),
  webPort: Number(process.env.NEOCART_WEB_PORT ?? 3000),
  /** Tables the indexer writes (Ponder's --schema). */
  indexerSchema: process.env.NEOCART_INDEXER_SCHEMA ?? "neocart_indexer",
  /** Views over them that the app and other readers use (Ponder's --views-schema). */
  viewsSchema: process.env.NEOCART_VIEWS_SCHEMA ?? "neocart_chain",
};
