// A node:http request handler for POST /webhooks/<provider>: reads the raw body (the signature is
// over those exact bytes), hands it to handleWebhook and writes its answer. Route handlers of the
// app do the same with the Request body's arrayBuffer().
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "../db/client.ts";
import type { PaymentProvider, ProviderName } from "./provider.ts";
import { handleWebhook } from "./webhooks.ts";

/** Providers send small JSON events; anything larger is not one of theirs. */
const MAX_BODY_BYTES = 1024 * 1024;

export function readRawBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export function createWebhookRequestHandler(db: Db, providers: Partial<Record<ProviderName, PaymentProvider>>) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const name = /^\/webhooks\/([a-z]+)$/.exec(request.url ?? "")?.[1] as ProviderName | undefined;
    const provider = name ? providers[name] : undefined;
    if (request.method !== "POST" || !provider) {
      send(response, 404, { received: false, error: "POST to /webhooks/<configured provider>." });
      return;
    }
    try {
      const rawBody = await readRawBody(request);
      if (!rawBody) {
        send(response, 413, { received: false, error: `Body larger than ${MAX_BODY_BYTES} bytes refused.` });
        return;
      }
      const result = await handleWebhook(db, provider, rawBody, request.headers);
      send(response, result.status, result.body);
    } catch (error) {
      send(response, 500, { received: false, error: `Internal error (${(error as Error).message}); retry later.` });
    }
  };
}
