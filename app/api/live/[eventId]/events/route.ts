// A live event's real-time updates as Server-Sent Events (the live page opens an EventSource
// here): a snapshot, then chat lines, pinned-product lists and the end, fed by PostgreSQL
// LISTEN/NOTIFY (lib/live/sse.ts). Public like the page itself; pins are priced in the viewer's
// currency and language (their cookies). The stream ends when the browser goes away.
import { eventIdSchema, readLiveEvent } from "../../../../../lib/live/events.ts";
import { liveEventStream, SSE_HEADERS } from "../../../../../lib/live/sse.ts";
import { database } from "../../../../_server/db.ts";
import { preferences } from "../../../../_server/preferences.ts";

export const dynamic = "force-dynamic";
// LISTEN/NOTIFY needs a PostgreSQL connection: the Node.js runtime, not the edge.
export const runtime = "nodejs";

const noStore = { "cache-control": "no-store" };

export async function GET(request: Request, context: { params: Promise<{ eventId: string }> }): Promise<Response> {
  try {
    const id = eventIdSchema.safeParse((await context.params).eventId);
    if (!id.success) {
      return Response.json(
        { error: "The live event id must be a UUID, as in /live/<id>.", code: "invalid_input" },
        { status: 400, headers: noStore },
      );
    }
    const db = database();
    const event = await readLiveEvent(db, id.data);
    if (!event) {
      return Response.json(
        { error: `There is no live event ${id.data}; check the link.`, code: "live_not_found" },
        { status: 404, headers: noStore },
      );
    }
    const { currency, locale } = await preferences();
    return new Response(liveEventStream(db, event.id, request.signal, { currency, locale }), {
      headers: SSE_HEADERS,
    });
  } catch (error) {
    console.error("live events route failed", error);
    return Response.json(
      { error: "Something went wrong on our side; try again in a moment.", code: "internal" },
      { status: 500, headers: noStore },
    );
  }
}
