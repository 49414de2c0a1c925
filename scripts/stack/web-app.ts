// Starts the Next.js storefront as a child process (`next dev` for development, `next start` on a
// production build for tests and benchmarks) and waits until it answers.
import { runProcess, type Started, type StartOptions, startProcess, untilOrExit, waitUntil } from "./child-process.ts";

export type WebAppOptions = StartOptions & {
  mode: "dev" | "production";
  port: number;
  databaseUrl: string;
  rpcUrl: string;
  /** NEOCART_DEPLOYMENT_FILE for the app's contract addresses. */
  deploymentFile?: string;
  chainId?: number;
  viewsSchema?: string;
  /** Build folder (next.config.ts reads NEXT_DIST_DIR), so separate builds do not collide. */
  distDir?: string;
};

export type WebApp = Started & { url: string };

export function webAppEnv(options: WebAppOptions): NodeJS.ProcessEnv {
  const url = `http://127.0.0.1:${options.port}`;
  return {
    DATABASE_URL: options.databaseUrl,
    NEOCART_ORIGIN: url,
    NEOCART_RPC_URL: options.rpcUrl,
    NEOCART_CHAIN_ID: String(options.chainId ?? 31337),
    ...(options.viewsSchema ? { NEOCART_VIEWS_SCHEMA: options.viewsSchema } : {}),
    ...(options.deploymentFile ? { NEOCART_DEPLOYMENT_FILE: options.deploymentFile } : {}),
    ...(options.distDir ? { NEXT_DIST_DIR: options.distDir } : {}),
    // Providers send the shopper back to <return url>/<order id>; the app's page is /checkout/return.
    PAYMENTS_RETURN_URL: process.env.PAYMENTS_RETURN_URL ?? `${url}/checkout/return`,
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  };
}

/** `next build` into `distDir` (production mode needs it first). */
export async function buildWebApp(options: Pick<WebAppOptions, "distDir" | "log" | "env">): Promise<void> {
  await runProcess("next build", "next", ["build"], {
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      ...(options.distDir ? { NEXT_DIST_DIR: options.distDir } : {}),
      ...options.env,
    },
    log: options.log,
  });
}

export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const url = `http://127.0.0.1:${options.port}`;
  const args =
    options.mode === "dev"
      ? ["dev", "-p", String(options.port), "-H", "127.0.0.1"]
      : ["start", "-p", String(options.port), "-H", "127.0.0.1"];
  const started = startProcess("web", "next", args, { env: webAppEnv(options), log: options.log });
  // The first request compiles the home page in dev mode: allow for it.
  await untilOrExit(started, () =>
    waitUntil(
      async () => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
          return response.status < 500;
        } catch {
          return false;
        }
      },
      `the web app at ${url}`,
      180_000,
      500,
    ),
  );
  return { ...started, url };
}
