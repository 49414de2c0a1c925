// Rows the browser tests act on, written straight into the e2e database after the catalog seed:
// users for the dev accounts (as lib/auth's sign-in would create them) with their commerce roles,
// a seller paid to a funded chain account, and a product of its own with one offer payable by
// wallet and card. Idempotent: a second run finds every row.
import pg from "pg";
import { keccakText } from "../../lib/catalog/deterministic-ids.ts";
import type { Role } from "../../lib/db/schema.ts";
import type { DevAccount, E2eRole } from "./dev-accounts.ts";

export type E2eFixtures = {
  /** commerce.users ids of the accounts, by part. */
  userIds: Record<E2eRole, string>;
  /** The seller whose payout address is the seller account. */
  sellerId: string;
  /** A product only that seller offers (one offer: deterministic checkouts). */
  product: { id: string; slug: string; title: string; chainIdHash: string };
  offer: { id: string; priceMinor: number; currency: string; stock: number };
  /** A catalog product with a 3D model (the e2e product reuses its model too). */
  modelProduct: { id: string; slug: string; modelUrl: string };
};

const rolesOf: Record<E2eRole, Role[]> = {
  admin: ["shopper", "admin"],
  arbiter: ["shopper", "arbiter"],
  seller: ["shopper", "seller"],
  shopper: ["shopper"],
  shopper2: ["shopper"],
};

export const E2E_PRODUCT_SLUG = "e2e-test-phone";
const E2E_PRODUCT_SKU = "E2E-TEST-PHONE";
const E2E_SELLER_SLUG = "e2e-seller";

/** The user owning `address` (lowercase, as sign-in stores it), created if missing, with `roles`. */
async function ensureUser(client: pg.PoolClient, address: string, roles: readonly Role[]): Promise<string> {
  const wallet = address.toLowerCase();
  const found = await client.query<{ user_id: string }>("select user_id from commerce.wallets where address = $1", [
    wallet,
  ]);
  let userId = found.rows[0]?.user_id;
  if (!userId) {
    const user = await client.query<{ id: string }>("insert into commerce.users default values returning id");
    userId = user.rows[0]?.id as string;
    await client.query("insert into commerce.wallets (address, user_id) values ($1, $2)", [wallet, userId]);
  }
  for (const role of roles) {
    await client.query("insert into commerce.user_roles (user_id, role) values ($1, $2) on conflict do nothing", [
      userId,
      role,
    ]);
  }
  return userId;
}

export async function prepareE2eFixtures(
  databaseUrl: string,
  accounts: Record<E2eRole, DevAccount>,
): Promise<E2eFixtures> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const client = await pool.connect();
  try {
    await client.query("begin");
    const userIds = {} as Record<E2eRole, string>;
    for (const part of Object.keys(accounts) as E2eRole[]) {
      userIds[part] = await ensureUser(client, accounts[part].address, rolesOf[part]);
    }

    await client.query(
      `insert into commerce.sellers (user_id, slug, name, payout_address, country)
       values ($1, $2, 'E2E Test Seller', $3, 'US')
       on conflict (slug) do update set user_id = excluded.user_id, payout_address = excluded.payout_address`,
      [userIds.seller, E2E_SELLER_SLUG, accounts.seller.address.toLowerCase()],
    );
    const seller = await client.query<{ id: string }>("select id from commerce.sellers where slug = $1", [
      E2E_SELLER_SLUG,
    ]);
    const sellerId = seller.rows[0]?.id as string;

    const model = await client.query<{ id: string; slug: string; model_url: string }>(
      `select id, slug, model_url from commerce.products where model_url is not null
       and exists (select 1 from commerce.offers o where o.product_id = products.id and o.active and o.stock > 0)
       order by (category_slug = 'smartphones') desc, sku limit 1`,
    );
    const modelRow = model.rows[0];
    if (!modelRow) throw new Error("the seeded catalog has no product with a 3D model; seed more products");

    const chainIdHash = keccakText(E2E_PRODUCT_SKU);
    await client.query(
      `insert into commerce.products (sku, slug, chain_id_hash, category_slug, brand, title, description, attributes, model_url)
       select $1, $2, $3, category_slug, 'NeoCart Labs', 'NeoCart E2E Test Phone',
              'A phone that exists only for the browser tests: one seller, one offer, a 3D model.', attributes, model_url
       from commerce.products where id = $4
       on conflict (sku) do nothing`,
      [E2E_PRODUCT_SKU, E2E_PRODUCT_SLUG, chainIdHash, modelRow.id],
    );
    const product = await client.query<{ id: string; title: string }>(
      "select id, title from commerce.products where sku = $1",
      [E2E_PRODUCT_SKU],
    );
    const productId = product.rows[0]?.id as string;
    await client.query(
      `insert into commerce.product_translations (product_id, locale, title, description)
       values ($1, 'es', 'Teléfono de prueba E2E de NeoCart',
               'Un teléfono que solo existe para las pruebas del navegador: un vendedor, una oferta, un modelo 3D.')
       on conflict do nothing`,
      [productId],
    );
    await client.query(
      `insert into commerce.product_images (product_id, url, alt, position)
       select $1, url, 'NeoCart E2E Test Phone', position from commerce.product_images
       where product_id = $2 and not exists (select 1 from commerce.product_images where product_id = $1)`,
      [productId, modelRow.id],
    );
    const offerValues = { priceMinor: 2_500, currency: "USD", stock: 1_000 };
    await client.query(
      `insert into commerce.offers (product_id, seller_id, price_minor, currency, stock, delivery_options, payment_methods)
       select $1, $2, $3, $4, $5, array['standard','green'], array['wallet','card','bnpl','upi','crypto']
       where not exists (select 1 from commerce.offers where product_id = $1 and seller_id = $2)`,
      [productId, sellerId, offerValues.priceMinor, offerValues.currency, offerValues.stock],
    );
    const offer = await client.query<{ id: string }>(
      "select id from commerce.offers where product_id = $1 and seller_id = $2",
      [productId, sellerId],
    );
    await client.query("commit");
    return {
      userIds,
      sellerId,
      product: { id: productId, slug: E2E_PRODUCT_SLUG, title: product.rows[0]?.title as string, chainIdHash },
      offer: { id: offer.rows[0]?.id as string, ...offerValues },
      modelProduct: { id: modelRow.id, slug: modelRow.slug, modelUrl: modelRow.model_url },
    };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
    await pool.end();
  }
}
