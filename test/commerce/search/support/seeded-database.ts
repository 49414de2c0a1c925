// A migrated test database holding the small deterministic catalog the search tests query.
import { seedCatalog } from "../../../../lib/catalog/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../../support/test-database.ts";

export const TEST_CATALOG_PRODUCTS = 1_500;

export async function createSeededDatabase(name: string, port: number): Promise<TestDatabase> {
  const t = await createTestDatabase(name, port);
  try {
    await seedCatalog(t.db, { products: TEST_CATALOG_PRODUCTS, seed: "neocart-tests", batchSize: 500 });
  } catch (error) {
    await t.stop();
    throw error;
  }
  return t;
}
