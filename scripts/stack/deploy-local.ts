// Deploys the marketplace to a local node and (optionally) seeds the demo activity, through
// scripts/seed-chain.ts in its own Hardhat process (the same wiring as scripts/deploy.ts).
import { readFile } from "node:fs/promises";
import { runProcess, type StartOptions } from "./child-process.ts";

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
  await runProcess("deploy", "hardhat", ["run", "--network", "localhost", "scripts/seed-chain.ts"], {
    ...options,
    env: {
      ...options.env,
      LOCAL_RPC_URL: options.rpcUrl,
      NEOCART_DEPLOYMENT_FILE: options.deploymentFile,
      NEOCART_SEED_DEPLOY: options.deploy === false ? "0" : "1",
      NEOCART_SEED: options.seed ?? "demo",
    },
  });
  return JSON.parse(await readFile(options.deploymentFile, "utf8")) as {
    chainId: number;
    contracts: Record<string, { address: `0x${string}`; startBlock: number }>;
  };
}
