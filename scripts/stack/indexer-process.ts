// Starts the Ponder indexer (indexer/) as a child process against a database schema, and waits
// for it to index up to a block.
import path from "node:path";
import { repoRoot, type Started, type StartOptions, startProcess, untilOrExit, waitUntil } from "./child-process.ts";

export type IndexerOptions = StartOptions & {
  databaseUrl: string;
  /** Schema of the indexer's own tables (one per deployment of the indexer). */
  schema: string;
  port: number;
  rpcUrl: string;
  deploymentFile: string;
  chainId?: number;
};

export type IndexerProcess = Started & {
  /** Where the indexer listens: the port asked for, or the one Ponder moved to (see below). */
  readonly url: string;
  /** The block the indexer has indexed up to on the chain (from /status), or -1 before it knows. */
  indexedBlock(): Promise<number>;
  /** Waits until the indexer has indexed block `number` (or later). */
  waitForBlock(number: number, timeoutMs?: number): Promise<void>;
};

export function indexerEnv(options: Pick<IndexerOptions, "databaseUrl" | "rpcUrl" | "deploymentFile" | "chainId">) {
  return {
    DATABASE_URL: options.databaseUrl,
    NEOCART_RPC_URL: options.rpcUrl,
    NEOCART_DEPLOYMENT_FILE: options.deploymentFile,
    NEOCART_CHAIN_ID: String(options.chainId ?? 31337),
  };
}

/** Starts `ponder start` and returns at once (use waitForBlock / ready to wait). */
export function startIndexer(options: IndexerOptions): IndexerProcess {
  const args = [
    "--root",
    "indexer",
    "start",
    "--schema",
    options.schema,
    "-p",
    String(options.port),
    "-H",
    "127.0.0.1",
  ];
  const started = startProcess("indexer", "ponder", args, {
    ...options,
    cwd: repoRoot,
    env: { ...options.env, ...indexerEnv(options) },
  });
  // When the port asked for is taken, Ponder listens on the next free one with only a warning:
  // follow the port the indexer reports, and poll nothing before it has reported one, since what
  // answers on the port asked for may be another indexer. (Tests and benchmarks use ports below
  // Linux's ephemeral range, 32768-60999, where no client socket can take them; a port inside it,
  // like Ponder's default 42069, can also be taken between Ponder's check and its listen, and then
  // the indexer exits with EADDRINUSE.)
  let port: number | undefined;
  let pending = "";
  const findPort = (chunk: Buffer) => {
    pending = (pending + chunk.toString()).slice(-4096);
    const found = LISTENING.exec(pending);
    if (!found?.[1]) return;
    port = Number(found[1]);
    started.child.stdout?.off("data", findPort);
    started.child.stderr?.off("data", findPort);
  };
  started.child.stdout?.on("data", findPort);
  started.child.stderr?.on("data", findPort);
  const urlOf = (p: number) => `http://127.0.0.1:${p}`;
  async function indexedBlock(): Promise<number> {
    if (port === undefined) return -1;
    try {
      const res = await fetch(`${urlOf(port)}/status`);
      if (!res.ok) return -1;
      const status = (await res.json()) as Record<string, { id: number; block?: { number: number } | null }>;
      const chain = Object.values(status).find((c) => c.id === (options.chainId ?? 31337));
      return chain?.block?.number ?? -1;
    } catch {
      return -1;
    }
  }
  return {
    ...started,
    get url() {
      return urlOf(port ?? options.port);
    },
    indexedBlock,
    waitForBlock: (number, timeoutMs = 240_000) =>
      untilOrExit(started, () =>
        waitUntil(async () => (await indexedBlock()) >= number, `the indexer to reach block ${number}`, timeoutMs, 50),
      ).catch(async (error: Error) => {
        // A timeout alone says nothing about why: keep where the indexer got and what it printed.
        const reached = await indexedBlock();
        throw new Error(
          `${error.message} (it reached block ${reached}); its last output:\n${started.output().slice(-3000)}`,
        );
      }),
  };
}

// Ponder's line once its HTTP server listens, e.g. "INFO Created HTTP server port=42112 …" (the
// fields may be wrapped in colour codes).
const LISTENING = /Created HTTP server\W[^\n]*?\bport=(\d+)/;

export const indexerRoot = path.join(repoRoot, "indexer");
