// Live tracking of one of the signed-in person's shipments, as Server-Sent Events (the order
// page's map opens an EventSource here). Someone else's shipment answers 404, as a missing one
// does, so ids cannot be probed. The stream ends when the browser goes away (request.signal).
import { z } from "zod";
import { findShipmentOfUser } from "../../../../../lib/tracking/shipments.ts";
import { SSE_HEADERS, trackingEventStream } from "../../../../../lib/tracking/sse.ts";
import { database } from "../../../../_server/db.ts";
import { currentViewer } from "../../../../_server/session.ts";

export const dynamic = "force-dynamic";
// LISTEN/NOTIFY needs a PostgreSQL connection: the Node.js runtime, not the edge.
export const runtime = "nodejs";

const noStore = { "cache-control": "no-store" };

export async function GET(request: Request, context: { params: Promise<{ shipmentId: string }> }): Promise<Response> {
  try {
    const viewer = await currentViewer();
    if (!viewer) {
      return Response.json(
        { error: "You are not signed in, or your session ended; sign in again.", code: "no_session" },
        { status: 401, headers: noStore },
      );
    }
    const id = z.uuid().safeParse((await context.params).shipmentId);
    if (!id.success) {
      return Response.json(
        { error: "The shipment id must be a uuid.", code: "invalid_input" },
        { status: 400, headers: noStore },
      );
    }
    const db = database();
    const shipment = await findShipmentOfUser(db, { shipmentId: id.data, userId: viewer.userId });
    if (!shipment) {
      return Response.json(
        { error: `You have no shipment ${id.data}.`, code: "shipment_not_found" },
        { status: 404, headers: noStore },
      );
    }
    return new Response(trackingEventStream(db, shipment.id, request.signal), { headers: SSE_HEADERS });
  } catch (error) {
    console.error("tracking events route failed", error);
    return Response.json(
      { error: "Something went wrong on our side; try again in a moment.", code: "internal" },
      { status: 500, headers: noStore },
    );
  }
}
