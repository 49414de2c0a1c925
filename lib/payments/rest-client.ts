// A small JSON-over-HTTP client for the providers without an SDK here (Coinbase Business,
// BTCPay Greenfield): request headers come from the caller, responses are checked with zod, and
// every failure becomes a ProviderRequestError that says what the provider answered.
import type { z } from "zod";
import { ProviderRequestError } from "./errors.ts";

export type RestRequest = {
  provider: string;
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
};

/** Reads the provider's error message from its error shape, whatever it is. */
function describeError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown> | Record<string, unknown>[];
    if (Array.isArray(body)) {
      return body.map((e) => `${e.path ?? ""}: ${e.message ?? JSON.stringify(e)}`).join("; ");
    }
    const message = body.errorMessage ?? body.message ?? body.error ?? body.detail;
    if (message) return `${String(message)}${body.errorType || body.code ? ` (${body.errorType ?? body.code})` : ""}`;
  } catch {}
  return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
}

export async function requestJson<T>(request: RestRequest, schema: z.ZodType<T>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: "application/json",
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new ProviderRequestError(
      request.provider,
      `${request.provider} could not be reached at ${request.url.origin} (${(error as Error).message}); check its URL setting.`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new ProviderRequestError(
      request.provider,
      `${request.provider} refused ${request.method} ${request.url.pathname}: ${describeError(response.status, text)}`,
      response.status,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderRequestError(request.provider, `${request.provider} answered with something that is not JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderRequestError(
      request.provider,
      `${request.provider} answered ${request.url.pathname} with an unexpected shape: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}
