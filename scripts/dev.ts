// `npm run dev`: starts the local system and keeps it running until Ctrl-C.
// Today: a local Hardhat node (chain 31337 on 127.0.0.1:8545) with every contract deployed and
// the roles wired. The indexer, database and web app join here as they land.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const rpcUrl = process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545";
const children: ChildProcess[] = [];

function start(name: string, args: string[], opts: { quiet?: boolean } = {}): ChildProcess {
  const child = spawn("npx", args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: process.env });
  const prefix = `[${name}] `;
  const forward = (chunk: Buffer) => {
    if (opts.quiet) return;
    for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(prefix + line);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", (c: Buffer) => {
    for (const line of c.toString().split("\n")) if (line.trim()) console.error(prefix + line);
  });
  children.push(child);
  return child;
}

async function rpcReady(): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000}s`);
}

function runToEnd(name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = start(name, args);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} exited with code ${code}`)),
    );
  });
}

function stopAll(code: number): never {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
}

process.on("SIGINT", () => {
  console.log("\nstopping…");
  stopAll(0);
});
process.on("SIGTERM", () => stopAll(0));

try {
  if (await rpcReady()) {
    console.log(`chain: reusing the node already answering at ${rpcUrl}`);
  } else {
    const node = start("chain", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", "8545"], {
      quiet: true,
    });
    node.on("exit", (code) => {
      console.error(`[chain] exited with code ${code}`);
      stopAll(1);
    });
    await waitFor(rpcReady, "the local chain", 60_000);
    console.log(`chain: Hardhat node on ${rpcUrl} (chain id 31337)`);
  }
  await runToEnd("deploy", ["hardhat", "run", "--network", "localhost", "scripts/deploy.ts"]);
  console.log("\nNeoCart local system is up. Ctrl-C stops it.");
  console.log(`  chain RPC     ${rpcUrl}`);
  console.log("  deployment    deployments/31337.json");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  stopAll(1);
}
