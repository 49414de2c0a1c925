// A local server speaking the chat-completions wire format (JSON responses and SSE streams with
// content and tool_call deltas), so tests drive the real `openai` SDK end to end. Each request is
// recorded; a script decides each reply from the request body.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeReply = { content?: string; toolCalls?: { name: string; arguments: unknown }[] };
export type RecordedRequest = {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
    tools?: { function: { name: string } }[];
  };
};

export type FakeOpenAI = { baseURL: string; requests: RecordedRequest[]; close(): Promise<void> };

/** Splits text into small pieces, as a real server streams tokens. */
function pieces(text: string, size = 7): string[] {
  const out: string[] = [];
  for (let k = 0; k < text.length; k += size) out.push(text.slice(k, k + size));
  return out;
}

export async function startFakeOpenAI(
  script: (request: RecordedRequest, index: number) => FakeReply,
): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
      return;
    }
    const request: RecordedRequest = {
      path: req.url,
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
    };
    requests.push(request);
    const reply = script(request, requests.length - 1);
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCalls = (reply.toolCalls ?? []).map((c, k) => ({
      id: `call_${requests.length}_${k}`,
      type: "function" as const,
      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
    }));
    const finish = toolCalls.length > 0 ? "tool_calls" : "stop";
    if (!request.body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created,
          model: request.body.model,
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: reply.content ?? null,
                tool_calls: toolCalls.length ? toolCalls : undefined,
              },
              finish_reason: finish,
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (delta: object, finishReason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model: request.body.model,
          choices: [{ index: 0, delta, finish_reason: finishReason }],
        })}\n\n`,
      );
    send({ role: "assistant", content: "" });
    for (const piece of pieces(reply.content ?? "")) send({ content: piece });
    toolCalls.forEach((call, index) => {
      // The id and name come first, then the arguments in fragments, as OpenAI streams them.
      send({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
      });
      for (const piece of pieces(call.function.arguments, 5)) {
        send({ tool_calls: [{ index, function: { arguments: piece } }] });
      }
    });
    send({}, finish);
    res.write("data: [DONE]\n\n");
    res.end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
