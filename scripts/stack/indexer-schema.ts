// A local Hardhat chain lives in memory: each new node is a new chain with the same contract
// addresses. Ponder would take the old tables for its own and "recover" them, so before the
// indexer starts on a local chain we compare the chain's anchor block (the deployment's first
// block) with the one recorded when the schema was filled, and drop the schema when they differ.
import pg from "pg";
import { rpcCall } from "./local-chain.ts";

const BOOKKEEPING = `create schema if not exists neocart_stack;
create table if not exists neocart_stack.indexed_chain (
  schema_name text primary key,
  chain_id integer not null,
  anchor_block integer not null,
  anchor_hash text not null
)`;

const quoteIdent = pg.escapeIdentifier;

export type SchemaCheck = "kept" | "dropped" | "new";

/**
 * Ponder stages fetched blocks, transactions and logs in the database-wide "ponder_sync" schema
 * (even with its cache disabled) and reads them back by chain id and block range. Every local
 * node is chain 31337 with the same contract addresses, so rows left by an earlier node would be
 * indexed as if they were on the new one: forget them when the chain changes.
 */
async function forgetChainSyncData(client: pg.Client, chainId: number) {
  const { rows } = await client.query<{ table_name: string }>(
    "select table_name from information_schema.columns where table_schema = 'ponder_sync' and column_name = 'chain_id'",
  );
  for (const { table_name: table } of rows) {
    await client.query(`delete from ponder_sync.${quoteIdent(table)} where chain_id = $1`, [chainId]);
  }
}

/**
 * Keeps `schema` when it indexes this very chain, drops it when it indexed another local chain.
 * Only for local chains: a public chain's history never changes under the same addresses.
 */
export async function prepareLocalIndexerSchema(opts: {
  databaseUrl: string;
  schema: string;
  rpcUrl: string;
  chainId: number;
  anchorBlock: number;
}): Promise<SchemaCheck> {
  const block = await rpcCall<{ hash: string } | null>(opts.rpcUrl, "eth_getBlockByNumber", [
    `0x${opts.anchorBlock.toString(16)}`,
    false,
  ]);
  if (!block)
    throw new Error(`The chain at ${opts.rpcUrl} has no block ${opts.anchorBlock}; deploy the contracts first.`);
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    await client.query(BOOKKEEPING);
    const { rows } = await client.query<{ chain_id: number; anchor_block: number; anchor_hash: string }>(
      "select chain_id, anchor_block, anchor_hash from neocart_stack.indexed_chain where schema_name = $1",
      [opts.schema],
    );
    const known = rows[0];
    const same =
      known?.chain_id === opts.chainId && known.anchor_block === opts.anchorBlock && known.anchor_hash === block.hash;
    const { rowCount } = await client.query("select 1 from information_schema.schemata where schema_name = $1", [
      opts.schema,
    ]);
    const exists = (rowCount ?? 0) > 0;
    if (same && exists) return "kept";
    if (exists) await client.query(`drop schema ${quoteIdent(opts.schema)} cascade`);
    await forgetChainSyncData(client, opts.chainId);
    await client.query(
      `insert into neocart_stack.indexed_chain (schema_name, chain_id, anchor_block, anchor_hash) values ($1, $2, $3, $4)
       on conflict (schema_name) do update set chain_id = $2, anchor_block = $3, anchor_hash = $4`,
      [opts.schema, opts.chainId, opts.anchorBlock, block.hash],
    );
    return exists ? "dropped" : "new";
  } finally {
    await client.end();
  }
}
