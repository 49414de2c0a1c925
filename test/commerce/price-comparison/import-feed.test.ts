// Price feeds: good lines stored, bad lines reported with their line number and skipped, a
// re-import changes nothing, a feed read from an http URL (a local server) with a size limit.
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFeed } from "../../../lib/price-comparison/feed-format.ts";
import { FeedFetchError, importFeed } from "../../../lib/price-comparison/import-feed.ts";
import { seedOffer, seedSeller } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
let dir: string;
let server: Server;
let baseUrl: string;
const skus = ["PF-A-0001", "PF-B-0002"];

const feed = [
  "sku,gtin,source,url,price,currency,delivery,in_stock", // 1
  `${skus[0]},,shop-one,https://shop-one.example/a,19.99,USD,4.99,true`, // 2 good
  `${skus[0]},,shop-two,https://shop-two.example/a,"17.50",EUR,,yes`, // 3 good (delivery defaults to 0)
  `${skus[1]},,shop-one,https://shop-one.example/b,2500,JPY,500,no`, // 4 good
  "", // 5 blank: ignored
  `${skus[1]},,shop-two,ftp://shop-two.example/b,5.00,USD,0,true`, // 6 bad url
  `${skus[1]},,shop-three,https://three.example/b,5.999,USD,0,true`, // 7 bad: 3 decimals
  `NO-SUCH-SKU,,shop-one,https://shop-one.example/x,1.00,USD,0,true`, // 8 unknown product
  `${skus[1]},,shop-four,https://four.example/b,5.00,XYZ,0,maybe`, // 9 bad currency + in_stock
  `,,shop-five,https://five.example/b,5.00,USD,0,true`, // 10 no sku/gtin
  `${skus[0]},,shop-one,https://shop-one.example/dup,18.00,USD,0,true`, // 11 duplicate of line 2
].join("\n");

async function rowsOf() {
  const { rows } = await t.db.$client.query<{
    sku: string;
    source: string;
    price_minor: string;
    currency: string;
    delivery_minor: string;
    in_stock: boolean;
    fetched_at: Date;
    id: string;
  }>(
    `select p.sku, e.source, e.price_minor, e.currency, e.delivery_minor, e.in_stock, e.fetched_at, e.id
       from commerce.external_offers e join commerce.products p on p.id = e.product_id
      order by p.sku, e.source`,
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestDatabase("price_feeds", 5561);
  const seller = await seedSeller(t.db);
  for (const sku of skus) await seedOffer(t.db, { sellerId: seller, priceMinor: 2000n, sku });
  dir = await mkdtemp(path.join(tmpdir(), "neocart-feeds-"));
  server = createServer((req, res) => {
    if (req.url === "/feed.csv") {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end(feed);
    } else if (req.url === "/feed.jsonl") {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.end(
        [
          JSON.stringify({
            sku: skus[1],
            source: "json-shop",
            url: "https://json.example/b",
            price: 3.5,
            currency: "USD",
          }),
          "{not json",
          JSON.stringify({ sku: skus[1], source: "json-shop-2", url: "https://json.example/c", currency: "USD" }),
        ].join("\n"),
      );
    } else if (req.url === "/big.csv") {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end(`${feed}\n${"#".repeat(10_000)}`);
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  await t?.stop();
});

describe("feed format", () => {
  it("parses prices exactly into minor units and names the line and column of each error", () => {
    const parsed = parseFeed(feed, "feed.csv");
    expect(parsed.format).toBe("csv");
    expect(parsed.rows.map((r) => [r.line, r.priceMinor, r.deliveryMinor, r.inStock])).toEqual([
      [2, 1999n, 499n, true],
      [3, 1750n, 0n, true],
      [4, 2500n, 500n, false],
      [8, 100n, 0n, true],
      [11, 1800n, 0n, true],
    ]);
    const byLine = new Map(parsed.errors.map((e) => [e.line, e.message]));
    expect([...byLine.keys()]).toEqual([6, 7, 9, 10]);
    expect(byLine.get(6)).toMatch(/^url: /);
    expect(byLine.get(7)).toMatch(/price: USD has 2 decimals/);
    expect(byLine.get(9)).toMatch(/currency: one of/);
    expect(byLine.get(9)).toMatch(/in_stock: true or false/);
    expect(byLine.get(10)).toMatch(/sku or gtin/);
  });

  it("rejects a header with unknown or missing columns once, naming them", () => {
    const parsed = parseFeed("sku,shop,price\nA,b,1\n", "x.csv");
    expect(parsed.rows).toEqual([]);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.line).toBe(1);
    expect(parsed.errors[0]?.message).toMatch(/unknown columns shop.*missing columns source, url, currency/);
  });
});

describe("importFeed", () => {
  it("stores the good lines of a file, reports the bad ones with line numbers, and is idempotent", async () => {
    const file = path.join(dir, "feed.csv");
    await writeFile(file, feed);
    const progress: number[] = [];
    const first = await importFeed(t.db, file, { onProgress: (done) => progress.push(done) });
    expect(first.upserted).toBe(3);
    expect(progress).toEqual([3]);
    expect(first.errors.map((e) => e.line)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(first.errors.find((e) => e.line === 8)?.message).toMatch(/no NeoCart product with sku NO-SUCH-SKU/);
    expect(first.errors.find((e) => e.line === 11)?.message).toMatch(/duplicate of line 2/);

    const stored = await rowsOf();
    expect(stored.map((r) => [r.sku, r.source, r.price_minor, r.currency, r.delivery_minor, r.in_stock])).toEqual([
      [skus[0], "shop-one", "1999", "USD", "499", true],
      [skus[0], "shop-two", "1750", "EUR", "0", true],
      [skus[1], "shop-one", "2500", "JPY", "500", false],
    ]);

    const second = await importFeed(t.db, file);
    expect(second.upserted).toBe(3);
    const again = await rowsOf();
    expect(again.map((r) => [r.id, r.price_minor])).toEqual(stored.map((r) => [r.id, r.price_minor]));
    expect(again[0]?.fetched_at.getTime()).toBeGreaterThanOrEqual(stored[0]?.fetched_at.getTime() ?? 0);

    // A changed price updates the row in place.
    await writeFile(file, feed.replace("19.99,USD,4.99", "18.49,USD,4.99"));
    await importFeed(t.db, file);
    const changed = await rowsOf();
    expect(changed).toHaveLength(3);
    expect(changed[0]?.price_minor).toBe("1849");
    expect(changed[0]?.id).toBe(stored[0]?.id);
  });

  it("imports from an http URL: CSV by content type, JSON lines with per-line errors", async () => {
    const csv = await importFeed(t.db, `${baseUrl}/feed.csv`);
    expect(csv.format).toBe("csv");
    expect(csv.upserted).toBe(3);
    expect((await rowsOf())[0]?.price_minor).toBe("1999");

    const jsonl = await importFeed(t.db, `${baseUrl}/feed.jsonl`);
    expect(jsonl.format).toBe("jsonl");
    expect(jsonl.upserted).toBe(1);
    expect(jsonl.errors.map((e) => [e.line, e.message.split(":")[0]])).toEqual([
      [2, "not valid JSON"],
      [3, "price"],
    ]);
    expect((await rowsOf()).find((r) => r.source === "json-shop")?.price_minor).toBe("350");
  });

  it("refuses a feed above the size limit, an HTTP error and a non-http scheme", async () => {
    await expect(importFeed(t.db, `${baseUrl}/big.csv`, { maxBytes: 2_000 })).rejects.toThrow(/2000-byte limit/);
    await expect(importFeed(t.db, `${baseUrl}/missing.csv`)).rejects.toThrow(FeedFetchError);
    await expect(importFeed(t.db, "ftp://example.com/feed.csv")).rejects.toThrow(/only http/);
  });
});
