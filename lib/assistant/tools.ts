// The assistant's tools: thin, validated calls into NeoCart's own functions. Reading tools return
// data; every tool that would change something (cart, group buy) returns a PROPOSAL that the UI
// shows with a confirm button — the assistant itself never writes a cart, places an order or signs.
import { z } from "zod";
import { readProductPage } from "../catalog/read-product.ts";
import type { Db } from "../db/client.ts";
import { recommendFor } from "../ml/recommend.ts";
import { listOrders } from "../orders/list-orders.ts";
import { searchProducts } from "../search/search-products.ts";

export type AssistantContext = {
  db: Db;
  /** The signed-in shopper, if any (order status and personal recommendations need one). */
  userId: string | null;
  locale: string;
  currency: string;
  viewsSchema: string;
  modelsDir?: string;
};

export type Proposal =
  | {
      kind: "add_to_cart";
      offerId: string;
      productId: string;
      title: string;
      quantity: number;
      price: { minor: string; currency: string };
      requiresConfirmation: true;
    }
  | {
      kind: "start_group_buy";
      productId: string;
      title: string;
      minUnits: number;
      maxUnits: number;
      durationDays: number;
      requiresConfirmation: true;
    };

export type ToolOutcome = { data: unknown; proposal?: Proposal };

type ToolDefinition<S extends z.ZodType> = {
  description: string;
  schema: S;
  run(ctx: AssistantContext, args: z.output<S>): Promise<ToolOutcome>;
};

const productRef = z.string().min(1).max(160).describe("a product id (uuid) or slug");

function tool<S extends z.ZodType>(definition: ToolDefinition<S>): ToolDefinition<S> {
  return definition;
}

export class ToolInputError extends Error {
  override name = "ToolInputError";
}

export const assistantTools = {
  search_products: tool({
    description: "Search NeoCart's catalog. Returns up to 5 products with their cheapest price and rating.",
    schema: z.strictObject({
      query: z.string().min(1).max(200),
      category: z
        .string()
        .regex(/^[a-z0-9-]{1,64}$/)
        .optional(),
      maxPriceMinor: z.number().int().min(0).optional().describe("upper price bound in minor units (cents)"),
    }),
    async run(ctx, args) {
      const result = await searchProducts(ctx.db, {
        q: args.query,
        category: args.category,
        priceMax: args.maxPriceMinor,
        currency: ctx.currency,
        locale: ctx.locale,
        pageSize: 5,
      });
      return {
        data: {
          total: result.total,
          correctedQuery: result.correctedQuery ?? null,
          products: result.items.map((p) => ({
            id: p.id,
            slug: p.slug,
            title: p.title,
            brand: p.brand,
            category: p.category,
            price: p.price,
            rating: p.rating,
            offers: p.offerCount,
            inStock: p.inStock,
          })),
        },
      };
    },
  }),
  compare_offers: tool({
    description: "Every seller's offer for one product (price, stock, delivery), cheapest first, with the description.",
    schema: z.strictObject({ product: productRef }),
    async run(ctx, args) {
      const page = await readProductPage(ctx.db, {
        ref: args.product,
        locale: ctx.locale,
        currency: ctx.currency,
        viewsSchema: ctx.viewsSchema,
      });
      if (!page) return { data: { error: "No such product." } };
      return {
        data: {
          id: page.id,
          title: page.title,
          brand: page.brand,
          description: page.description,
          rating: page.rating,
          offers: page.offers.map((o) => ({
            offerId: o.id,
            seller: o.seller.name,
            price: { minor: o.price.minor.toString(), currency: o.price.currency },
            display: o.display ? { minor: o.display.minor.toString(), currency: o.display.currency } : null,
            stock: o.stock,
            delivery: o.deliveryOptions,
            payment: o.paymentMethods,
          })),
        },
      };
    },
  }),
  add_to_cart: tool({
    description:
      "Propose adding an offer to the shopper's cart. Returns a proposal the shopper must confirm in the UI; nothing is added until they do.",
    schema: z.strictObject({ offerId: z.uuid(), quantity: z.number().int().min(1).max(99).default(1) }),
    async run(ctx, args) {
      const { rows } = await ctx.db.$client.query<{
        product_id: string;
        title: string;
        price_minor: string;
        currency: string;
        stock: number;
      }>(
        `select o.product_id, p.title, o.price_minor, o.currency, o.stock
           from commerce.offers o join commerce.products p on p.id = o.product_id where o.id = $1 and o.active`,
        [args.offerId],
      );
      const offer = rows[0];
      if (!offer) return { data: { error: "No such offer (it may have been withdrawn)." } };
      if (offer.stock < args.quantity) return { data: { error: `Only ${offer.stock} in stock.` } };
      const proposal: Proposal = {
        kind: "add_to_cart",
        offerId: args.offerId,
        productId: offer.product_id,
        title: offer.title,
        quantity: args.quantity,
        price: { minor: offer.price_minor, currency: offer.currency.trim() },
        requiresConfirmation: true,
      };
      return { data: { proposed: true, note: "Shown to the shopper for confirmation; not added yet." }, proposal };
    },
  }),
  order_status: tool({
    description: "Status and history of one of the signed-in shopper's orders.",
    schema: z.strictObject({ orderId: z.string().min(1).max(80).describe("order id (uuid) or on-chain order id") }),
    async run(ctx, args) {
      if (!ctx.userId) return { data: { error: "The shopper is not signed in; ask them to sign in first." } };
      const orders = await listOrders(ctx.db, { userId: ctx.userId, viewsSchema: ctx.viewsSchema });
      const ref = args.orderId.toLowerCase();
      const order = orders.find((o) => o.id === ref || o.chainOrderId === ref);
      if (!order) return { data: { error: "No order with that id among this shopper's orders." } };
      return {
        data: {
          id: order.id,
          kind: order.kind,
          status: order.status,
          total: { minor: order.totalMinor.toString(), currency: order.currency },
          items: order.items.map((i) => ({ title: i.title, quantity: i.quantity })),
          history: order.history.map((h) => ({ status: h.status, at: h.at.toISOString(), txHash: h.txHash ?? null })),
        },
      };
    },
  }),
  explain_review_proof: tool({
    description:
      "How a product's reviews are proven on chain: per review, whether the stored text matches the on-chain hash.",
    schema: z.strictObject({ product: productRef }),
    async run(ctx, args) {
      const page = await readProductPage(ctx.db, {
        ref: args.product,
        locale: ctx.locale,
        currency: ctx.currency,
        viewsSchema: ctx.viewsSchema,
      });
      if (!page) return { data: { error: "No such product." } };
      return {
        data: {
          product: page.title,
          howItWorks:
            "Each review is written on chain by the Reviews contract for one completed purchase (an escrow order, or a receipt the store signed for a card order). The contract stores the keccak256 hash of the text; NeoCart shows 'verified' only when the stored text hashes to that value.",
          onChainRating: page.rating,
          reviews: page.reviews.slice(0, 5).map((r) => ({
            proof: r.proof,
            rating: r.rating,
            txHash: r.txHash,
            blockNumber: r.blockNumber.toString(),
            contentHash: r.contentHash,
            viaReceipt: r.viaReceipt,
          })),
        },
      };
    },
  }),
  start_group_buy: tool({
    description:
      "Propose a group buy (a pool that fills or refunds) for a product. Returns a proposal the shopper must confirm; nothing is created until they do.",
    schema: z.strictObject({
      product: productRef,
      minUnits: z.number().int().min(2).max(1000),
      maxUnits: z.number().int().min(2).max(10_000),
      durationDays: z.number().int().min(1).max(30).default(7),
    }),
    async run(ctx, args) {
      if (args.maxUnits < args.minUnits) return { data: { error: "maxUnits must be at least minUnits." } };
      const page = await readProductPage(ctx.db, {
        ref: args.product,
        locale: ctx.locale,
        currency: ctx.currency,
        viewsSchema: ctx.viewsSchema,
      });
      if (!page) return { data: { error: "No such product." } };
      const proposal: Proposal = {
        kind: "start_group_buy",
        productId: page.id,
        title: page.title,
        minUnits: args.minUnits,
        maxUnits: args.maxUnits,
        durationDays: args.durationDays,
        requiresConfirmation: true,
      };
      return {
        data: { proposed: true, note: "Shown to the shopper for confirmation; nothing created yet." },
        proposal,
      };
    },
  }),
  recommend_for_me: tool({
    description: "Personal recommendations for the signed-in shopper (popular products otherwise).",
    schema: z.strictObject({ limit: z.number().int().min(1).max(10).default(5) }),
    async run(ctx, args) {
      const list = ctx.userId
        ? await recommendFor(ctx.db, ctx.userId, { limit: args.limit, modelsDir: ctx.modelsDir })
        : null;
      const ids = list?.items.map((i) => i.productId) ?? [];
      const { rows } = await ctx.db.$client.query<{ id: string; slug: string; title: string }>(
        ids.length > 0
          ? "select id, slug, title from commerce.products where id = any($1::uuid[]) order by array_position($1::uuid[], id)"
          : "select p.id, p.slug, p.title from commerce.search_documents d join commerce.products p on p.id = d.product_id order by d.review_count desc, p.id limit $1",
        [ids.length > 0 ? ids : args.limit],
      );
      return { data: { source: list?.source ?? "popularity", products: rows } };
    },
  }),
} as const;

export type ToolName = keyof typeof assistantTools;

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(assistantTools, name);
}

/** Runs a tool the model asked for: unknown names and invalid arguments become errors the model sees. */
export async function runTool(ctx: AssistantContext, name: string, rawArguments: string): Promise<ToolOutcome> {
  if (!isToolName(name)) return { data: { error: `Unknown tool ${name}.` } };
  let parsedJson: unknown;
  try {
    parsedJson = rawArguments.trim() === "" ? {} : JSON.parse(rawArguments);
  } catch {
    return { data: { error: "Arguments were not valid JSON." } };
  }
  const definition = assistantTools[name] as ToolDefinition<z.ZodType>;
  const args = definition.schema.safeParse(parsedJson);
  if (!args.success) return { data: { error: `Invalid arguments: ${z.prettifyError(args.error)}` } };
  return definition.run(ctx, args.data);
}

/** The tool list in the chat-completions format. */
export function toolSpecs() {
  return Object.entries(assistantTools).map(([name, definition]) => ({
    type: "function" as const,
    function: {
      name,
      description: definition.description,
      parameters: z.toJSONSchema(definition.schema as z.ZodType, { io: "input" }) as Record<string, unknown>,
    },
  }));
}
