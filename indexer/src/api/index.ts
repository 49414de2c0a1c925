// The indexer's HTTP API: GraphQL (/graphql, and / for the GraphiQL page), SQL over HTTP for
// @ponder/client (/sql/*), and REST routes for the app and auditors. Ponder itself serves
// /health, /ready, /status and /metrics.
import { db } from "ponder:api";
import schema, { escrowCredit, escrowOrder, escrowOrderEvent, productRating, review } from "ponder:schema";
import { Hono } from "hono";
import { asc, client, desc, eq, graphql, replaceBigInts } from "ponder";
import { isAddress, isHex } from "viem";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));
app.use("/", graphql({ db, schema }));

/** JSON with bigints as decimal strings. */
const json = <T>(value: T) => replaceBigInts(value, (v) => v.toString());

function bytes32(value: string): `0x${string}` | undefined {
  return isHex(value) && value.length === 66 ? (value.toLowerCase() as `0x${string}`) : undefined;
}

const badId = (what: string, value: string) => ({
  error: `"${value}" is not a ${what}: expected 0x followed by 64 hex digits.`,
});

/** An order's terms, state and full on-chain history (each step with its block and tx hash). */
app.get("/orders/:orderId", async (c) => {
  const orderId = bytes32(c.req.param("orderId"));
  if (!orderId) return c.json(badId("order id", c.req.param("orderId")), 400);
  const [order] = await db.select().from(escrowOrder).where(eq(escrowOrder.id, orderId)).limit(1);
  if (!order) return c.json({ error: `No escrow order ${orderId} has been indexed (yet).` }, 404);
  const history = await db
    .select()
    .from(escrowOrderEvent)
    .where(eq(escrowOrderEvent.orderId, orderId))
    .orderBy(asc(escrowOrderEvent.id));
  return c.json(json({ order, history }));
});

/** Just the history of an order, oldest first. */
app.get("/orders/:orderId/history", async (c) => {
  const orderId = bytes32(c.req.param("orderId"));
  if (!orderId) return c.json(badId("order id", c.req.param("orderId")), 400);
  const history = await db
    .select()
    .from(escrowOrderEvent)
    .where(eq(escrowOrderEvent.orderId, orderId))
    .orderBy(asc(escrowOrderEvent.id));
  if (history.length === 0) return c.json({ error: `No escrow order ${orderId} has been indexed (yet).` }, 404);
  return c.json(json({ orderId, history }));
});

/** A product's reviews (newest first) with their content hashes, and its rating aggregate. */
app.get("/products/:productId/reviews", async (c) => {
  const productId = bytes32(c.req.param("productId"));
  if (!productId) return c.json(badId("product id", c.req.param("productId")), 400);
  const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 50) || 50, 1), 500);
  const [rating] = await db.select().from(productRating).where(eq(productRating.id, productId)).limit(1);
  const reviews = await db
    .select()
    .from(review)
    .where(eq(review.productId, productId))
    .orderBy(desc(review.timestamp), desc(review.logIndex))
    .limit(limit);
  return c.json(
    json({
      productId,
      rating: rating ?? { id: productId, reviewCount: 0, ratingSum: 0, averageCentiStars: 0 },
      reviews,
    }),
  );
});

/** What an account can withdraw from the escrow, per token. */
app.get("/accounts/:address/credits", async (c) => {
  const address = c.req.param("address");
  if (!isAddress(address)) return c.json({ error: `"${address}" is not an address.` }, 400);
  const credits = await db
    .select()
    .from(escrowCredit)
    .where(eq(escrowCredit.account, address.toLowerCase() as `0x${string}`));
  return c.json(json({ account: address.toLowerCase(), credits }));
});

export default app;
