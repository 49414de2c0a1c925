// A JSON-RPC proxy between the indexer and the node that a test can slow down or take offline,
// to stand for a slow or failing RPC provider.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type RpcProxy = {
  url: string;
  /** Delay added before forwarding each request. */
  setDelay(ms: number): void;
  /** While down, every request is answered with HTTP 503, as a failing provider would. */
  setDown(down: boolean): void;
  /** Requests refused while down. */
  refused(): number;
  close(): Promise<void>;
};

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  let delay = 0;
  let down = false;
  let refused = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (down) {
      refused++;
      res.writeHead(503, { "content-type": "text/plain" }).end("provider unavailable");
      return;
    }
    try {
      const upstream = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      res
        .writeHead(upstream.status, { "content-type": "application/json" })
        .end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setDelay: (ms) => {
      delay = ms;
    },
    setDown: (value) => {
      down = value;
    },
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
