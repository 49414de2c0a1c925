// Shoppable videos: placements are validated (windows inside the video, in order, not
// overlapping, real products, local media) before anything is written; the database refuses
// overlapping windows even past the module; "Add to cart" picks the featuring seller's offer; the
// demo seed is idempotent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../../../lib/catalog/seed-catalog.ts";
import { chooseOfferForProduct } from "../../../lib/video/choose-offer.ts";
import { createShoppableVideo, MAX_PLACEMENTS_PER_VIDEO, type VideoInput } from "../../../lib/video/create-video.ts";
import { ProductNotOfferedError, VideoInputError } from "../../../lib/video/errors.ts";
import { listVideos, readShoppableVideo } from "../../../lib/video/read-videos.ts";
import { seedDemoVideos } from "../../../lib/video/seed-demo-videos.ts";
import { seedOffer, seedSeller } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
let sellerId: string;
let otherSellerId: string;
let productA: string;
let productB: string;
let slugCounter = 0;

const video = (overrides: Partial<VideoInput> = {}): VideoInput => ({
  slug: `test-video-${++slugCounter}`,
  sellerId,
  title: "Test video",
  sourceUrl: "/videos/studio-sound.mp4",
  posterUrl: "/videos/studio-sound.jpg",
  durationSeconds: 24,
  placements: [
    { productId: productB, startSeconds: 10, endSeconds: 15, label: "Second" },
    { productId: productA, startSeconds: 3, endSeconds: 9, label: "First" },
  ],
  ...overrides,
});

const count = async (table: string) =>
  Number((await t.db.$client.query<{ n: string }>(`select count(*) as n from commerce.${table}`)).rows[0]?.n);

beforeAll(async () => {
  t = await createTestDatabase("video", 5631);
  sellerId = await seedSeller(t.db);
  otherSellerId = await seedSeller(t.db);
  productA = (await seedOffer(t.db, { sellerId, priceMinor: 1500 })).productId;
  productB = (await seedOffer(t.db, { sellerId, priceMinor: 2500 })).productId;
});
afterAll(async () => {
  await t?.stop();
});

describe("shoppable videos", () => {
  it("stores a video with its placements and reads them back in playback order with product cards", async () => {
    const { id } = await createShoppableVideo(t.db, video());
    const read = await readShoppableVideo(t.db, id, { currency: "USD", locale: "en" });
    expect(read?.sourceUrl).toBe("/videos/studio-sound.mp4");
    expect(read?.placements.map((p) => [p.label, p.startSeconds, p.endSeconds, p.product.id])).toEqual([
      ["First", 3, 9, productA],
      ["Second", 10, 15, productB],
    ]);
    expect(read?.placements[0]?.product.price).toEqual({ minor: 1500, currency: "USD" });
    const listed = await listVideos(t.db);
    expect(listed.find((v) => v.id === id)?.placementCount).toBe(2);
    expect(await readShoppableVideo(t.db, "not-a-uuid", { currency: "USD", locale: "en" })).toBeNull();
  });

  it.each([
    ["ends before it starts", { placements: [{ productId: "P", startSeconds: 5, endSeconds: 5, label: "x" }] }, /ends/],
    [
      "ends after the video",
      { placements: [{ productId: "P", startSeconds: 20, endSeconds: 30, label: "x" }] },
      /after the video's end/,
    ],
    [
      "overlaps another",
      {
        placements: [
          { productId: "P", startSeconds: 2, endSeconds: 8, label: "one" },
          { productId: "P", startSeconds: 7, endSeconds: 12, label: "two" },
        ],
      },
      /overlap/,
    ],
    [
      "has a negative start",
      { placements: [{ productId: "P", startSeconds: -1, endSeconds: 2, label: "x" }] },
      /0 or more/,
    ],
    ["has an empty label", { placements: [{ productId: "P", startSeconds: 0, endSeconds: 2, label: "   " }] }, /label/],
    [
      "names an unknown product",
      {
        placements: [{ productId: "00000000-0000-4000-8000-000000000000", startSeconds: 0, endSeconds: 2, label: "x" }],
      },
      /No product has id/,
    ],
    ["plays media from another site", { sourceUrl: "https://example.com/a.mp4" }, /sourceUrl/],
    ["climbs out of /videos/", { sourceUrl: "/videos/../secret.mp4" }, /sourceUrl/],
    [
      "has too many placements",
      {
        placements: Array.from({ length: MAX_PLACEMENTS_PER_VIDEO + 1 }, (_, i) => ({
          productId: "P",
          startSeconds: i * 0.1,
          endSeconds: i * 0.1 + 0.05,
          label: `p${i}`,
        })),
        durationSeconds: 100,
      },
      /at most 50 placements/,
    ],
    ["carries an unknown field", { price: 1 } as Partial<VideoInput>, /Unrecognized key/],
  ])("refuses a video whose placement %s, writing nothing", async (_, overrides, message) => {
    const before = [await count("videos"), await count("video_placements")];
    const input = video(overrides);
    input.placements = input.placements?.map((p) => ({
      ...p,
      productId: p.productId === "P" ? productA : p.productId,
    }));
    const attempt = createShoppableVideo(t.db, input);
    await expect(attempt).rejects.toBeInstanceOf(VideoInputError);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toMatchObject({ status: 400 });
    expect([await count("videos"), await count("video_placements")]).toEqual(before);
  });

  it("refuses a second video with the same slug", async () => {
    await createShoppableVideo(t.db, video({ slug: "same-slug" }));
    await expect(createShoppableVideo(t.db, video({ slug: "same-slug" }))).rejects.toThrow(/exists already/);
  });

  it("the database itself refuses overlapping windows written around the module", async () => {
    const { id } = await createShoppableVideo(t.db, video({ placements: [] }));
    const insert = (start: number, end: number) =>
      t.db.$client.query(
        "insert into commerce.video_placements (video_id, product_id, start_seconds, end_seconds, label) values ($1, $2, $3, $4, 'x')",
        [id, productA, start, end],
      );
    await insert(0, 5);
    await insert(5, 8); // touching windows are fine
    await expect(insert(4, 6)).rejects.toThrow(/exclusion constraint/);
    await expect(insert(9, 9)).rejects.toThrow(/check constraint/);
  });

  it("Add to cart picks the featuring seller's offer in stock, else the cheapest in stock", async () => {
    const product = (await seedOffer(t.db, { sellerId, priceMinor: 9000 })).productId;
    const cheaper = await seedOffer(t.db, { sellerId: otherSellerId, priceMinor: 100, productId: product });
    const own = await chooseOfferForProduct(t.db, { productId: product, preferSellerId: sellerId });
    expect(own.sellerId).toBe(sellerId);
    const anyone = await chooseOfferForProduct(t.db, { productId: product });
    expect(anyone.offerId).toBe(cheaper.offerId);
    await t.db.$client.query("update commerce.offers set stock = 0 where product_id = $1 and seller_id = $2", [
      product,
      sellerId,
    ]);
    expect((await chooseOfferForProduct(t.db, { productId: product, preferSellerId: sellerId })).offerId).toBe(
      cheaper.offerId,
    );
    await t.db.$client.query("update commerce.offers set active = false where product_id = $1", [product]);
    await expect(chooseOfferForProduct(t.db, { productId: product })).rejects.toBeInstanceOf(ProductNotOfferedError);
  });

  it("seeds the demo videos and live event over the catalog once", async () => {
    await seedCatalog(t.db, { products: 200 });
    const first = await seedDemoVideos(t.db);
    expect(first).toMatchObject({ videosCreated: 2, liveEventsCreated: 1 });
    const again = await seedDemoVideos(t.db);
    expect(again).toMatchObject({ videosCreated: 0, liveEventsCreated: 0, skipped: 3 });
    const { rows } = await t.db.$client.query<{ slug: string; n: string }>(
      `select v.slug, count(p.id) as n from commerce.videos v join commerce.video_placements p on p.video_id = v.id
       where v.slug in ('studio-sound', 'morning-kitchen') group by v.slug order by v.slug`,
    );
    expect(rows.map((r) => [r.slug, Number(r.n)])).toEqual([
      ["morning-kitchen", 3],
      ["studio-sound", 3],
    ]);
    const pins = await t.db.$client.query(
      "select 1 from commerce.live_pins p join commerce.live_events e on e.id = p.event_id where e.slug = 'live-unboxing'",
    );
    expect(pins.rowCount).toBe(1);
  });
});
