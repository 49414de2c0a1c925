// The live state of one group-buy pool, polled by its page every 2 s. Everything here is public
// on chain already, so no session is needed; nothing is written.
import { z } from "zod";
import { toPoolSnapshot } from "../../../../lib/group-buys/pool-snapshot.ts";
import { readPool } from "../../../../lib/group-buys/read-pools.ts";
import { chainNow } from "../../../_server/chain-time.ts";
import { database } from "../../../_server/db.ts";
import { webSettings } from "../../../_server/settings.ts";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };
const poolIdSchema = z.string().regex(/^[1-9][0-9]{0,30}$/, "The pool id must be a positive whole number.");

export async function GET(_request: Request, context: { params: Promise<{ poolId: string }> }): Promise<Response> {
  const parsed = poolIdSchema.safeParse((await context.params).poolId);
  if (!parsed.success) {
    return Response.json({ error: "The pool id must be a positive whole number." }, { status: 400, headers: noStore });
  }
  const pool = await readPool(database(), BigInt(parsed.data), {
    currency: "USD",
    locale: "en",
    viewsSchema: webSettings().NEOCART_VIEWS_SCHEMA,
    withProducts: false,
    now: await chainNow(),
  });
  if (!pool)
    return Response.json({ error: `No group buy ${parsed.data} is indexed.` }, { status: 404, headers: noStore });
  return Response.json(toPoolSnapshot(pool), { headers: noStore });
}
