// The live status of one of the signed-in person's orders (the wallet checkout polls it until
// the indexer has seen the payment). Someone else's order answers 404, as a missing one does.
import { z } from "zod";
import { readSessionToken, requireSession } from "../../../../../lib/auth/index.ts";
import { listOrders } from "../../../../../lib/orders/index.ts";
import { authErrorResponse } from "../../../../../lib/web-auth/auth-response.ts";
import { database } from "../../../../_server/db.ts";
import { webSettings } from "../../../../_server/settings.ts";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = database();
    const session = await requireSession(db, readSessionToken(request.headers.get("cookie")));
    const id = z.uuid().safeParse((await context.params).id);
    if (!id.success) {
      return Response.json({ error: "The order id must be a uuid." }, { status: 400, headers: noStore });
    }
    const orders = await listOrders(db, {
      userId: session.userId,
      viewsSchema: webSettings().NEOCART_VIEWS_SCHEMA,
      limit: 500,
    });
    const order = orders.find((o) => o.id === id.data);
    if (!order) return Response.json({ error: `You have no order ${id.data}.` }, { status: 404, headers: noStore });
    return Response.json(
      {
        id: order.id,
        kind: order.kind,
        status: order.status,
        history: order.history.map((h) => ({
          status: h.status,
          at: h.at.toISOString(),
          source: h.source,
          txHash: h.txHash ?? null,
        })),
      },
      { headers: noStore },
    );
  } catch (error) {
    return authErrorResponse(error);
  }
}
