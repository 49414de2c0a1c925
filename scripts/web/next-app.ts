// The storefront as the e2e tests and the web benchmark see it: a production build (`next build`
// into its own dist folder, so it never disturbs `.next` or anyone's dev server) served by
// `next start` on a port of our choosing.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot, runProcess, type Started, startProcess, untilOrExit, waitUntil } from "../stack/child-process.ts";

/** Folders and files whose changes make a build stale. */
const SOURCES = ["app", "components", "lib", "next.config.ts", "tsconfig.web.json", "package-lock.json"];

async function newestMtime(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of await readdir(entry)) {
    if (child === "node_modules" || child.startsWith(".")) continue;
    newest = Math.max(newest, await newestMtime(path.join(entry, child)));
  }
  return newest;
}

/** Whether `distDir` holds a production build newer than every source file. */
export async function buildIsFresh(distDir: string): Promise<boolean> {
  const built = await stat(path.join(repoRoot, distDir, "BUILD_ID")).catch(() => undefined);
  if (!built) return false;
  for (const source of SOURCES) {
    if ((await newestMtime(path.join(repoRoot, source))) > built.mtimeMs) return false;
  }
  return true;
}

/**
 * `next build` adds "<distDir>/types/**" entries to tsconfig.web.json's include list; our build
 * folder is private, so take them out again and leave the shared file as it was.
 */
async function forgetDistDirInTsconfig(distDir: string): Promise<void> {
  const file = path.join(repoRoot, "tsconfig.web.json");
  const text = await readFile(file, "utf8");
  const config = JSON.parse(text) as { include?: string[] };
  const include = config.include ?? [];
  const kept = include.filter((entry) => !entry.startsWith(`${distDir}/`));
  if (kept.length === include.length) return;
  config.include = kept;
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
}

export type BuildMode = "always" | "if-stale" | "never";

/** Builds the app into `distDir` unless the mode says a present build will do. Returns whether it built. */
export async function buildApp(opts: {
  distDir: string;
  mode?: BuildMode;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<boolean> {
  const mode = opts.mode ?? "if-stale";
  if (mode === "never" || (mode === "if-stale" && (await buildIsFresh(opts.distDir)))) {
    if (!(await stat(path.join(repoRoot, opts.distDir, "BUILD_ID")).catch(() => undefined))) {
      throw new Error(`No build in ${opts.distDir}; run once without NEOCART_E2E_BUILD=never.`);
    }
    return false;
  }
  try {
    await runProcess("next-build", "next", ["build"], {
      log: opts.log,
      env: { ...opts.env, NEXT_DIST_DIR: opts.distDir, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
  } finally {
    await forgetDistDirInTsconfig(opts.distDir);
  }
  return true;
}

export type AppServer = Started & { url: string };

/** `next start` on 127.0.0.1:`port`, ready once "/" answers. */
export async function startApp(opts: {
  distDir: string;
  port: number;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<AppServer> {
  const url = `http://127.0.0.1:${opts.port}`;
  const started = startProcess("app", "next", ["start", "-p", String(opts.port), "-H", "127.0.0.1"], {
    log: opts.log,
    env: { ...opts.env, NEXT_DIST_DIR: opts.distDir, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  await untilOrExit(started, () =>
    waitUntil(
      async () => {
        try {
          const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) });
          return res.status < 500;
        } catch {
          return false;
        }
      },
      `the app on ${url}`,
      120_000,
      250,
    ),
  );
  return { ...started, url };
}
