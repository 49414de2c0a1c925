// The local chain: a Hardhat node (chain 31337) on a port of our choosing, and the raw JSON-RPC
// calls the stack needs before any typed client exists (readiness, test-node methods).
import { type Started, type StartOptions, startProcess, untilOrExit, waitUntil } from "./child-process.ts";

export type LocalChain = { rpcUrl: string; port: number; process: Started | undefined; stop(): Promise<void> };

/** One JSON-RPC call; throws with the node's error message. */
export async function rpcCall<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Whether a node answers eth_chainId at `rpcUrl`. */
export async function rpcAnswers(rpcUrl: string): Promise<boolean> {
  try {
    await rpcCall(rpcUrl, "eth_chainId");
    return true;
  } catch {
    return false;
  }
}

export async function blockNumber(rpcUrl: string): Promise<number> {
  return Number(await rpcCall<string>(rpcUrl, "eth_blockNumber"));
}

/** Starts a Hardhat node on 127.0.0.1:`port` and waits until it answers. */
export async function startLocalChain(port: number, options: StartOptions = {}): Promise<LocalChain> {
  const rpcUrl = `http://127.0.0.1:${port}`;
  if (await rpcAnswers(rpcUrl)) {
    throw new Error(`Something already answers JSON-RPC on ${rpcUrl}; stop it or pick another port.`);
  }
  const node = startProcess("chain", "hardhat", ["node", "--hostname", "127.0.0.1", "--port", String(port)], options);
  await untilOrExit(node, () => waitUntil(() => rpcAnswers(rpcUrl), `the Hardhat node on ${rpcUrl}`, 90_000, 200));
  return { rpcUrl, port, process: node, stop: () => node.stop() };
}
