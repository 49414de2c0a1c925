// Deploys the marketplace to a local node and (optionally) seeds the demo activity, through
// scripts/seed-chain.ts in its own Hardhat process (the same wiring as scripts/deploy.ts).
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { repoRoot, runProcess, type StartOptions } from "./child-process.ts";

const HARDHAT_LOCK = path.join(repoRoot, ".neocart", "locks", "hardhat-run");
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Runs `work` while no other process of this checkout runs Hardhat through here: every `hardhat
 * run` rewrites cache/compile-cache.json, and two at once (test files run two at a time) failed
 * renaming it. mkdir is atomic, so the lock is a directory; one left by a killed process expires.
 */
async function withHardhatLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(HARDHAT_LOCK), { recursive: true });
  for (;;) {
    try {
      await mkdir(HARDHAT_LOCK);
      break;
    } catch {
      const held = await stat(HARDHAT_LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(HARDHAT_LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await rm(HARDHAT_LOCK, { recursive: true, force: true });
  }
}

export type DeployLocalOptions = StartOptions & {
  rpcUrl: string;
  /** Where the deployment record is written. */
  deploymentFile: string;
  /** Deploy before seeding (default true). */
  deploy?: boolean;
  /** "demo" adds a few orders, reviews and a group buy (once per chain); "none" seeds nothing. */
  seed?: "demo" | "none";
};

/** Runs the deploy/seed and returns the deployment record it wrote. */
export async function deployLocal(options: DeployLocalOptions) {
  await withHardhatLock(() =>
    runProcess("deploy", "hardhat", ["run", "--network", "localhost", "scripts/seed-chain.ts"], {
      ...options,
      env: {
        ...options.env,
        LOCAL_RPC_URL: options.rpcUrl,
        NEOCART_DEPLOYMENT_FILE: options.deploymentFile,
        NEOCART_SEED_DEPLOY: options.deploy === false ? "0" : "1",
        NEOCART_SEED: options.seed ?? "demo",
      },
    }),
  );
  return JSON.parse(await readFile(options.deploymentFile, "utf8")) as {
    chainId: number;
    contracts: Record<string, { address: `0x${string}`; startBlock: number }>;
  };
}
