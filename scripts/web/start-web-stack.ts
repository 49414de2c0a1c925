// The whole NeoCart system for browser tests and the web benchmark, on ports of its own so it
// never meets `npm run dev` (5433/8545/42069/3000) or the integration tests:
//   PostgreSQL 5571 (embedded, thrown away at stop), Hardhat node 8671, indexer 22171, app 3171
//   (all + NEOCART_E2E_PORT_OFFSET, so two runs can coexist).
// Steps: migrate, seed a small catalog, deploy the contracts (record in .neocart/e2e*/, never
// deployments/31337.json), seed the demo activity, index it and publish the views, write the e2e
// fixtures, build the app once (NEXT_DIST_DIR=.next-e2e*) and `next start` it in production mode.
//
// As a library: `startWebStack()` returns a handle (urls, accounts, fixture ids, stop()).
// As a command: `node scripts/web/start-web-stack.ts` starts it, writes the handle to
// .neocart/e2e*/stack.json and keeps it up until Ctrl-C; test runs then attach to it
// (NEOCART_E2E_ATTACH=1) instead of starting their own.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { seedCatalog } from "../../lib/catalog/seed-catalog.ts";
import { writeCatalogAssets } from "../../lib/catalog/write-catalog-assets.ts";
import { closeDb, createDb } from "../../lib/db/client.ts";
import { migrate } from "../../lib/db/migrate.ts";
import { type PostgresHandle, startPostgres } from "../../lib/db/start-postgres.ts";
import { repoRoot } from "../stack/child-process.ts";
import { deployLocal } from "../stack/deploy-local.ts";
import { type IndexerProcess, startIndexer } from "../stack/indexer-process.ts";
import { blockNumber, type LocalChain, startLocalChain } from "../stack/local-chain.ts";
import { publishViews } from "../stack/publish-views.ts";
import { type DevAccount, type E2eRole, e2eAccounts } from "./dev-accounts.ts";
import { type E2eFixtures, prepareE2eFixtures } from "./e2e-fixtures.ts";
import { type AppServer, type BuildMode, buildApp, startApp } from "./next-app.ts";
import { paymentProvidersEnv } from "./payment-providers-env.ts";
import { grantPointsService } from "./points-service-key.ts";
import { grantServerSigner } from "./server-signer.ts";

export const E2E_CHAIN_ID = 31337;
const INDEXER_SCHEMA = "neocart_indexer";
const VIEWS_SCHEMA = "neocart_chain";

export type WebStackPorts = { postgres: number; chain: number; indexer: number; app: number };

export function webStackPorts(offset = Number(process.env.NEOCART_E2E_PORT_OFFSET ?? 0)): WebStackPorts {
  return { postgres: 5571 + offset, chain: 8671 + offset, indexer: 22171 + offset, app: 3171 + offset };
}

/** Where a stack with this port offset keeps its files (data, deployment record, stack.json). */
export function webStackDir(offset = Number(process.env.NEOCART_E2E_PORT_OFFSET ?? 0)): string {
  return path.join(repoRoot, ".neocart", offset === 0 ? "e2e" : `e2e-${offset}`);
}

/** Everything a test needs to know about the stack; plain JSON (tests get it via inject or stack.json). */
export type WebStackInfo = {
  urls: { app: string; rpc: string; indexer: string; database: string };
  /** The app's origin, for SIWE messages and Origin headers. */
  origin: string;
  chainId: number;
  ports: WebStackPorts;
  deploymentFile: string;
  distDir: string;
  viewsSchema: string;
  /** Funded Hardhat accounts by part: admin #0, arbiter #2, shopper #4, seller #5, shopper2 #7. */
  accounts: Record<E2eRole, DevAccount>;
  fixtures: E2eFixtures;
  /** The server's quote/receipt signer (fresh per run, roles granted on chain). */
  serverSigner: string;
  /**
   * The environment `next start` runs with (tests may need the same values), among them
   * STRIPE_API_URL (a fake Stripe's place: app port + 1000) and STRIPE_WEBHOOK_SECRET.
   */
  appEnv: Record<string, string>;
  /** Seconds per step of the start. */
  timings: Record<string, number>;
};

export type WebStack = WebStackInfo & { stop(): Promise<void> };

export type WebStackOptions = {
  log?: (line: string) => void;
  /** "if-stale" (default: rebuild when app/components/lib changed), "always" or "never". */
  build?: BuildMode;
  /** Catalog size (default 300). */
  products?: number;
  portOffset?: number;
  /** Forward the app's and indexer's output to log (default: only on failure). */
  verbose?: boolean;
};

export async function startWebStack(options: WebStackOptions = {}): Promise<WebStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const offset = options.portOffset ?? Number(process.env.NEOCART_E2E_PORT_OFFSET ?? 0);
  const ports = webStackPorts(offset);
  const dir = webStackDir(offset);
  const distDir = offset === 0 ? ".next-e2e" : `.next-e2e-${offset}`;
  const timings: Record<string, number> = {};
  const childLog = options.verbose ? log : undefined;
  let postgres: PostgresHandle | undefined;
  let chain: LocalChain | undefined;
  let indexer: IndexerProcess | undefined;
  let app: AppServer | undefined;

  const stop = async () => {
    await app?.stop().catch(() => {});
    await indexer?.stop("SIGKILL").catch(() => {});
    await chain?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
    await rm(path.join(dir, "stack.json"), { force: true });
  };

  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    log(`e2e stack: ${name}…`);
    const result = await run();
    timings[name] = Math.round(performance.now() - started) / 1000;
    return result;
  };

  try {
    await rm(path.join(dir, "pg"), { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const accounts = e2eAccounts();

    // The build needs nothing from the running stack, so it overlaps with the rest.
    const build = step("next build", () =>
      buildApp({ distDir, mode: options.build ?? buildModeFromEnv(), log: childLog }),
    );
    build.catch(() => {});

    postgres = await step("PostgreSQL", () =>
      startPostgres({ ephemeral: true, forceEmbedded: true, dataDir: path.join(dir, "pg"), port: ports.postgres }),
    );
    const databaseUrl = postgres.url;
    await step("migrate + catalog", async () => {
      await migrate(databaseUrl, () => {});
      await writeCatalogAssets(path.join(repoRoot, "public"));
      const db = createDb(databaseUrl, { max: 4 });
      try {
        await seedCatalog(db, { products: options.products ?? 300 });
      } finally {
        await closeDb(db);
      }
    });
    const fixtures = await step("fixtures", () => prepareE2eFixtures(databaseUrl, accounts));

    chain = await step("Hardhat node", () => startLocalChain(ports.chain));
    const rpcUrl = chain.rpcUrl;
    const deploymentFile = path.join(dir, `${E2E_CHAIN_ID}.json`);
    await step("deploy + demo activity", () => deployLocal({ rpcUrl, deploymentFile, seed: "demo", log: childLog }));
    await checkSameAddressesAsGenerated(deploymentFile);
    const serverSigner = await step("server signer", () =>
      grantServerSigner({ rpcUrl, deploymentFile, adminKey: accounts.admin.privateKey }),
    );
    const pointsService = await step("points service", () =>
      grantPointsService({ rpcUrl, deploymentFile, adminKey: accounts.admin.privateKey }),
    );

    indexer = await step("indexer", async () => {
      const started = startIndexer({
        databaseUrl,
        schema: INDEXER_SCHEMA,
        port: ports.indexer,
        rpcUrl,
        deploymentFile,
        chainId: E2E_CHAIN_ID,
        log: childLog,
      });
      await started.waitForBlock(await blockNumber(rpcUrl), 180_000);
      await publishViews({ databaseUrl, schema: INDEXER_SCHEMA, viewsSchema: VIEWS_SCHEMA });
      return started;
    });

    const origin = `http://127.0.0.1:${ports.app}`;
    const appEnv: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      NEOCART_ORIGIN: origin,
      NEOCART_RPC_URL: rpcUrl,
      NEOCART_CHAIN_ID: String(E2E_CHAIN_ID),
      NEOCART_DEPLOYMENT_FILE: deploymentFile,
      NEOCART_VIEWS_SCHEMA: VIEWS_SCHEMA,
      NEOCART_QUOTE_SIGNER_KEY: serverSigner.key,
      NEOCART_POINTS_SERVICE_KEY: pointsService.key,
      NEOCART_DATA_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
      ...paymentProvidersEnv(ports.app, origin),
    };
    await build;
    app = await step("next start", () => startApp({ distDir, port: ports.app, env: appEnv, log: childLog }));
    app.exited.then((code) => {
      if (!stopping.value) log(`e2e stack: the app exited (${code}):\n${app?.output().slice(-3000)}`);
    });

    const info: WebStackInfo = {
      urls: { app: origin, rpc: rpcUrl, indexer: indexer.url, database: databaseUrl },
      origin,
      chainId: E2E_CHAIN_ID,
      ports,
      deploymentFile,
      distDir,
      viewsSchema: VIEWS_SCHEMA,
      accounts,
      fixtures,
      serverSigner: serverSigner.address,
      appEnv,
      timings,
    };
    await writeFile(path.join(dir, "stack.json"), `${JSON.stringify(info, null, 2)}\n`);
    return {
      ...info,
      stop: async () => {
        stopping.value = true;
        await stop();
      },
    };
  } catch (error) {
    stopping.value = true;
    const output = app?.output() ?? "";
    await stop();
    if (output) log(`app output:\n${output.slice(-3000)}`);
    throw error;
  }
}

const stopping = { value: false };

function buildModeFromEnv(): BuildMode {
  const mode = process.env.NEOCART_E2E_BUILD;
  if (mode === "always" || mode === "never" || mode === "if-stale") return mode;
  if (mode) throw new Error(`NEOCART_E2E_BUILD must be always, if-stale or never (not "${mode}")`);
  return "if-stale";
}

/**
 * The server signs quotes for the addresses in lib/contracts/deployments.ts (generated from the
 * dev deployment). A fresh node deploys to the same addresses; say so loudly if that ever changes.
 */
async function checkSameAddressesAsGenerated(deploymentFile: string): Promise<void> {
  const { deployments } = await import("../../lib/contracts/deployments.ts");
  const generated = (deployments as Record<string, { contracts: Record<string, { address: string }> }>)[
    String(E2E_CHAIN_ID)
  ];
  const ours = JSON.parse(await readFile(deploymentFile, "utf8")) as { contracts: Record<string, { address: string }> };
  for (const [name, contract] of Object.entries(ours.contracts)) {
    const expected = generated?.contracts[name]?.address;
    if (expected && expected.toLowerCase() !== contract.address.toLowerCase()) {
      throw new Error(
        `${name} deployed at ${contract.address} on the e2e chain but lib/contracts/deployments.ts says ${expected}; the deploy order changed: run npm run gen:contracts after a fresh npm run dev.`,
      );
    }
  }
}

/** Reads the handle a running `node scripts/web/start-web-stack.ts` wrote, if it still answers. */
export async function attachToWebStack(offset?: number): Promise<WebStackInfo | undefined> {
  const file = path.join(webStackDir(offset), "stack.json");
  const info = await readFile(file, "utf8")
    .then((text) => JSON.parse(text) as WebStackInfo)
    .catch(() => undefined);
  if (!info) return undefined;
  try {
    const res = await fetch(`${info.urls.app}/`, { signal: AbortSignal.timeout(10_000) });
    return res.status < 500 ? info : undefined;
  } catch {
    return undefined;
  }
}

if (import.meta.main) {
  const started = performance.now();
  const stack = await startWebStack({ verbose: process.argv.includes("--verbose") }).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
NeoCart e2e stack is up in ${seconds}s (${Object.entries(stack.timings)
    .map(([k, v]) => `${k} ${v}s`)
    .join(", ")}). Ctrl-C stops it.
  app         ${stack.urls.app}
  chain RPC   ${stack.urls.rpc} (chain ${stack.chainId})
  indexer     ${stack.urls.indexer}
  PostgreSQL  ${stack.urls.database}
  handle      ${path.relative(repoRoot, path.join(webStackDir(), "stack.json"))} (test runs attach with NEOCART_E2E_ATTACH=1)`);
  const shutdown = async () => {
    console.log("\nstopping the e2e stack…");
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}
