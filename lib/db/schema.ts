// Drizzle mirror of the commerce tables created by lib/db/migrations (the SQL files are the
// source of truth; test/commerce/schema.test.ts checks that every column here exists there).
import {
  bigint,
  bigserial,
  boolean,
  char,
  integer,
  jsonb,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

export const commerce = pgSchema("commerce");

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const minor = (name: string) => bigint(name, { mode: "bigint" });

export const roles = ["shopper", "seller", "arbiter", "admin"] as const;
export type Role = (typeof roles)[number];

export const users = commerce.table("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  displayName: text("display_name"),
  emailEnc: text("email_enc"),
  phoneEnc: text("phone_enc"),
  locale: text("locale").notNull().default("en"),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  createdAt: createdAt(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
});

export const wallets = commerce.table("wallets", {
  address: text("address").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  linkedAt: timestamp("linked_at", { withTimezone: true }).notNull().defaultNow(),
});

export const userRoles = commerce.table(
  "user_roles",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roles }).notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

export const sellers = commerce.table("sellers", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  payoutAddress: text("payout_address"),
  country: char("country", { length: 2 }).notNull().default("US"),
  createdAt: createdAt(),
});

export const categories = commerce.table("categories", {
  slug: text("slug").primaryKey(),
  parentSlug: text("parent_slug"),
  name: text("name").notNull(),
});

export const products = commerce.table("products", {
  id: uuid("id").primaryKey().defaultRandom(),
  sku: text("sku").notNull().unique(),
  slug: text("slug").notNull().unique(),
  chainIdHash: text("chain_id_hash").notNull().unique(),
  categorySlug: text("category_slug")
    .notNull()
    .references(() => categories.slug),
  brand: text("brand").notNull(),
  title: text("title").notNull(),
  description: text("description").notNull(),
  attributes: jsonb("attributes").$type<Record<string, string | number | boolean>>().notNull().default({}),
  modelUrl: text("model_url"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const productTranslations = commerce.table(
  "product_translations",
  {
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    locale: text("locale").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.locale] })],
);

export const productImages = commerce.table("product_images", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  alt: text("alt").notNull(),
  position: integer("position").notNull().default(0),
});

export const variants = commerce.table("variants", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  sku: text("sku").notNull().unique(),
  attributes: jsonb("attributes").$type<Record<string, string>>().notNull().default({}),
});

export const deliveryOptions = ["standard", "green", "drone"] as const;
export const paymentMethods = ["wallet", "card", "bnpl", "upi", "crypto", "bitcoin"] as const;

export const offers = commerce.table("offers", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  variantId: uuid("variant_id").references(() => variants.id, { onDelete: "cascade" }),
  sellerId: uuid("seller_id")
    .notNull()
    .references(() => sellers.id, { onDelete: "cascade" }),
  priceMinor: minor("price_minor").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  stock: integer("stock").notNull().default(0),
  deliveryOptions: text("delivery_options").array().notNull().default(["standard"]),
  paymentMethods: text("payment_methods").array().notNull().default(["wallet", "card"]),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

export const fxRates = commerce.table(
  "fx_rates",
  {
    base: char("base", { length: 3 }).notNull(),
    quote: char("quote", { length: 3 }).notNull(),
    rate: numeric("rate", { precision: 24, scale: 12 }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.base, t.quote] })],
);

export const carts = commerce.table("carts", {
  id: uuid("id").primaryKey().defaultRandom(),
  ownerUserId: uuid("owner_user_id").references(() => users.id, { onDelete: "set null" }),
  shareToken: text("share_token").notNull().unique(),
  collaborative: boolean("collaborative").notNull().default(false),
  currency: char("currency", { length: 3 }).notNull().default("USD"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const cartItems = commerce.table(
  "cart_items",
  {
    cartId: uuid("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    quantity: integer("quantity").notNull(),
    addedBy: uuid("added_by").references(() => users.id, { onDelete: "set null" }),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.cartId, t.offerId] })],
);

export const orders = commerce.table("orders", {
  id: uuid("id").primaryKey().defaultRandom(),
  kind: text("kind", { enum: ["fiat", "escrow"] }).notNull(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  guestEmailEnc: text("guest_email_enc"),
  chainOrderId: text("chain_order_id").notNull().unique(),
  currency: char("currency", { length: 3 }).notNull(),
  subtotalMinor: minor("subtotal_minor").notNull(),
  discountMinor: minor("discount_minor").notNull().default(0n),
  totalMinor: minor("total_minor").notNull(),
  pointsRedeemed: numeric("points_redeemed", { precision: 78, scale: 0 }).notNull().default("0"),
  status: text("status").notNull(),
  shippingAddressEnc: text("shipping_address_enc"),
  deliveryOption: text("delivery_option").notNull().default("standard"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const orderItems = commerce.table(
  "order_items",
  {
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => offers.id),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    sellerId: uuid("seller_id")
      .notNull()
      .references(() => sellers.id),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: minor("unit_price_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.offerId] })],
);

export const orderStatusHistory = commerce.table("order_status_history", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  orderId: uuid("order_id")
    .notNull()
    .references(() => orders.id, { onDelete: "cascade" }),
  status: text("status").notNull(),
  note: text("note"),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

export const paymentProviders = ["stripe", "razorpay", "coinbase", "btcpay", "wallet"] as const;
export type PaymentProviderName = (typeof paymentProviders)[number];

export const payments = commerce.table("payments", {
  id: uuid("id").primaryKey().defaultRandom(),
  orderId: uuid("order_id")
    .notNull()
    .references(() => orders.id, { onDelete: "cascade" }),
  provider: text("provider", { enum: paymentProviders }).notNull(),
  providerPaymentId: text("provider_payment_id").notNull(),
  method: text("method"),
  amountMinor: minor("amount_minor").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  status: text("status").notNull(),
  refundedMinor: minor("refunded_minor").notNull().default(0n),
  flaggedReason: text("flagged_reason"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const webhookEvents = commerce.table(
  "webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    payload: jsonb("payload").notNull(),
    outcome: text("outcome"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

export const siweNonces = commerce.table("siwe_nonces", {
  nonce: text("nonce").primaryKey(),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

export const sessions = commerce.table("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  address: text("address").notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export const reviewTexts = commerce.table("review_texts", {
  contentHash: text("content_hash").primaryKey(),
  chainOrderId: text("chain_order_id").notNull(),
  productId: uuid("product_id")
    .notNull()
    .references(() => products.id, { onDelete: "cascade" }),
  authorUserId: uuid("author_user_id").references(() => users.id, { onDelete: "set null" }),
  body: text("body").notNull(),
  locale: text("locale").notNull().default("en"),
  createdAt: createdAt(),
});
