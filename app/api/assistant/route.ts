// The chat panel's endpoint: POST /api/assistant with { messages } answers a text/event-stream of
// lib/assistant events, one `data: {json}` frame each, ending with `done` (or an `error` frame when
// the model server fails midway). Same-origin only (the session cookie rides along), rate-limited
// per shopper or per network, and nothing here can change a cart: proposals go to the panel, which
// shows them with a Confirm button.
import { z } from "zod";
import { readAssistantSettings, streamAssistant } from "../../../lib/assistant/index.ts";
import { AuthError, assertSameOrigin, hitRateLimit } from "../../../lib/auth/index.ts";
import { authErrorResponse, clientKeyOf } from "../../../lib/web-auth/auth-response.ts";
import { database } from "../../_server/db.ts";
import { webSettings } from "../../_server/settings.ts";
import {
  ASSISTANT_RATE_LIMIT,
  assistantRequestSchema,
  requestPreferences,
  requestUserId,
  type StreamFrame,
} from "./request.ts";

export const dynamic = "force-dynamic";

const encoder = new TextEncoder();
const frame = (event: StreamFrame) => encoder.encode(`data: ${JSON.stringify(event)}\n\n`);

export async function POST(request: Request): Promise<Response> {
  try {
    const settings = webSettings();
    assertSameOrigin(request, settings.NEOCART_ORIGIN);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      throw new AuthError(
        "invalid_input",
        'Send the conversation as JSON: { "messages": [{ "role": "user", "content": "…" }] }.',
      );
    }
    const parsed = assistantRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AuthError(
        "invalid_input",
        `The question could not be read: ${parsed.error.issues.map((i) => i.message).join("; ")}.`,
      );
    }
    const db = database();
    const userId = await requestUserId(db, request);
    await hitRateLimit(db, `assistant:${userId ?? clientKeyOf(request)}`, ASSISTANT_RATE_LIMIT);
    const assistant = readAssistantSettings();
    const { locale, currency } = requestPreferences(request);
    const events = streamAssistant(
      {
        settings: assistant,
        context: { db, userId, locale, currency, viewsSchema: settings.NEOCART_VIEWS_SCHEMA },
      },
      parsed.data.messages,
    );
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await events.next();
          if (cancelled) return;
          if (next.done) {
            controller.close();
            return;
          }
          controller.enqueue(frame(next.value));
        } catch (error) {
          if (cancelled) return;
          console.error("assistant stream failed", error);
          controller.enqueue(frame({ type: "error", message: streamErrorMessage(error) }));
          controller.close();
        }
      },
      async cancel() {
        // The shopper closed the panel or pressed Stop: end the model request too.
        cancelled = true;
        await events.return(undefined).catch(() => undefined);
      },
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
        "x-assistant-mode": assistant.apiKey ? "model" : "retrieval",
      },
    });
  } catch (error) {
    if (error instanceof z.ZodError) {
      return Response.json(
        { error: `The assistant is misconfigured: ${error.issues.map((i) => i.message).join("; ")}`, code: "internal" },
        { status: 500, headers: { "cache-control": "no-store" } },
      );
    }
    return authErrorResponse(error);
  }
}

function streamErrorMessage(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number") return `the AI model answered with an error (HTTP ${status}); try again in a moment.`;
  return "the answer stopped because of an error on our side; try again in a moment.";
}
