// Live events: chat input is validated, stored once per client message id and rate-limited per
// user; only the event's seller or an admin pins, unpins and ends; every committed change is
// NOTIFYed to subscribers (and a refused one is not); the SSE stream sends a snapshot, then chat
// lines and pin lists as they happen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../../lib/auth/errors.ts";
import { CHAT_MAX_LENGTH, CHAT_RATE_LIMIT, listRecentChat, postChatMessage } from "../../../lib/live/chat.ts";
import { LiveEndedError, LiveEventNotFoundError, LiveForbiddenError } from "../../../lib/live/errors.ts";
import { createLiveEvent } from "../../../lib/live/events.ts";
import { type LiveNotice, LiveNotificationHub, liveHubFor } from "../../../lib/live/notifications.ts";
import { endLiveEvent, listPinnedProductIds, MAX_PINS, pinProduct, unpinProduct } from "../../../lib/live/pins.ts";
import { liveEventStream } from "../../../lib/live/sse.ts";
import { VideoInputError } from "../../../lib/video/errors.ts";
import { seedOffer, seedSeller, seedUser } from "../orders/support/seed-catalog.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

let t: TestDatabase;
let hub: LiveNotificationHub;
let sellerId: string;
let sellerUser: string;
let adminUser: string;
let shopper: string;
let products: string[];
let slugCounter = 0;

const uuid = () => crypto.randomUUID();
const newEvent = async () =>
  (
    await createLiveEvent(t.db, {
      slug: `live-test-${++slugCounter}`,
      sellerId,
      title: "Live test",
      sourceUrl: "/videos/live-unboxing.mp4",
    })
  ).id;
const chatRows = async (eventId: string) =>
  Number(
    (
      await t.db.$client.query<{ n: string }>(
        "select count(*) as n from commerce.live_chat_messages where event_id = $1",
        [eventId],
      )
    ).rows[0]?.n,
  );

/** Collects the notices of one event until `stop()`. */
async function listen(eventId: string) {
  const notices: LiveNotice[] = [];
  const stop = await hub.subscribe(eventId, { onNotice: (n) => notices.push(n), onLost: () => {} });
  return { notices, stop };
}

beforeAll(async () => {
  t = await createTestDatabase("live", 5632);
  hub = new LiveNotificationHub({ connectionString: t.url });
  sellerUser = await seedUser(t.db, "0x1111111111111111111111111111111111111111");
  adminUser = await seedUser(t.db);
  shopper = await seedUser(t.db, "0x2222222222222222222222222222222222222222");
  await t.db.$client.query("insert into commerce.user_roles (user_id, role) values ($1, 'admin')", [adminUser]);
  sellerId = await seedSeller(t.db);
  await t.db.$client.query("update commerce.sellers set user_id = $1 where id = $2", [sellerUser, sellerId]);
  products = [];
  for (let i = 0; i < MAX_PINS + 1; i++)
    products.push((await seedOffer(t.db, { sellerId, priceMinor: 1000 + i })).productId);
});
afterAll(async () => {
  await hub?.close();
  await liveHubFor(t.db).close();
  await t?.stop();
});

describe("live chat", () => {
  it.each([
    ["an empty message", { body: "   " }, /Write a message/],
    ["an over-long message", { body: "x".repeat(CHAT_MAX_LENGTH + 1) }, /at most 500 characters/],
    ["a control character", { body: "line one\nline two" }, /without control characters/],
    ["a bidirectional override", { body: "abc\u202Egnp.exe" }, /without control characters/],
    ["a malformed client message id", { clientMessageId: "1" }, /clientMessageId/],
    ["an unknown field", { html: "<b>x</b>" }, /Unrecognized key/],
  ])("refuses %s with a 400 saying what to fix, storing nothing", async (_, overrides, message) => {
    const eventId = await newEvent();
    const attempt = postChatMessage(t.db, shopper, { eventId, clientMessageId: uuid(), body: "hello", ...overrides });
    await expect(attempt).rejects.toBeInstanceOf(VideoInputError);
    await expect(attempt).rejects.toThrow(message);
    expect(await chatRows(eventId)).toBe(0);
  });

  it("stores text as given (markup is just text), names the author by short address, and stores a retry once", async () => {
    const eventId = await newEvent();
    const clientMessageId = uuid();
    const body = "<img src=x onerror=alert(1)> is this waterproof?";
    const first = await postChatMessage(t.db, shopper, { eventId, clientMessageId, body: `  ${body}  ` });
    const retry = await postChatMessage(t.db, shopper, { eventId, clientMessageId, body });
    expect(retry).toEqual(first);
    expect(first.body).toBe(body);
    expect(first.author).toBe("0x2222…2222");
    expect(await chatRows(eventId)).toBe(1);
    expect((await listRecentChat(t.db, eventId)).map((m) => m.body)).toEqual([body]);
  });

  it("rate-limits each user separately, counting in PostgreSQL, and frees the budget after the window", async () => {
    const eventId = await newEvent();
    const now = new Date();
    for (let i = 0; i < CHAT_RATE_LIMIT.max; i++) {
      await postChatMessage(t.db, sellerUser, { eventId, clientMessageId: uuid(), body: `msg ${i}` }, now);
    }
    const refused = postChatMessage(t.db, sellerUser, { eventId, clientMessageId: uuid(), body: "one more" }, now);
    await expect(refused).rejects.toBeInstanceOf(AuthError);
    await expect(refused).rejects.toMatchObject({ code: "rate_limited", status: 429 });
    await expect(refused).rejects.toThrow(/Too many chat messages; wait \d+ seconds/);
    // Someone else still posts.
    await postChatMessage(t.db, adminUser, { eventId, clientMessageId: uuid(), body: "hi" }, now);
    const later = new Date(now.getTime() + (CHAT_RATE_LIMIT.windowSeconds + 1) * 1000);
    await postChatMessage(t.db, sellerUser, { eventId, clientMessageId: uuid(), body: "back" }, later);
    expect(await chatRows(eventId)).toBe(CHAT_RATE_LIMIT.max + 2);
    // Newest N, oldest first.
    const recent = await listRecentChat(t.db, eventId, 3);
    expect(recent.map((m) => m.body)).toEqual([`msg ${CHAT_RATE_LIMIT.max - 1}`, "hi", "back"]);
  });

  it("refuses chat in an ended or unknown event", async () => {
    const eventId = await newEvent();
    await endLiveEvent(t.db, sellerUser, eventId);
    await expect(
      postChatMessage(t.db, shopper, { eventId, clientMessageId: uuid(), body: "late" }),
    ).rejects.toBeInstanceOf(LiveEndedError);
    await expect(
      postChatMessage(t.db, shopper, { eventId: uuid(), clientMessageId: uuid(), body: "where?" }),
    ).rejects.toBeInstanceOf(LiveEventNotFoundError);
  });
});

describe("pinning", () => {
  it("lets the event's seller and an admin pin and unpin, and refuses anyone else", async () => {
    const eventId = await newEvent();
    const [a, b] = products as [string, string];
    await expect(pinProduct(t.db, shopper, { eventId, productId: a })).rejects.toBeInstanceOf(LiveForbiddenError);
    await expect(pinProduct(t.db, shopper, { eventId, productId: a })).rejects.toMatchObject({ status: 403 });
    expect(await listPinnedProductIds(t.db, eventId)).toEqual([]);

    expect(await pinProduct(t.db, sellerUser, { eventId, productId: a })).toBe(true);
    expect(await pinProduct(t.db, sellerUser, { eventId, productId: a })).toBe(false);
    expect(await pinProduct(t.db, adminUser, { eventId, productId: b })).toBe(true);
    expect(await listPinnedProductIds(t.db, eventId)).toEqual([a, b]);

    await expect(unpinProduct(t.db, shopper, { eventId, productId: a })).rejects.toBeInstanceOf(LiveForbiddenError);
    expect(await unpinProduct(t.db, sellerUser, { eventId, productId: a })).toBe(true);
    expect(await unpinProduct(t.db, sellerUser, { eventId, productId: a })).toBe(false);
    expect(await listPinnedProductIds(t.db, eventId)).toEqual([b]);

    await expect(endLiveEvent(t.db, shopper, eventId)).rejects.toBeInstanceOf(LiveForbiddenError);
    expect(await endLiveEvent(t.db, sellerUser, eventId)).toBe(true);
    expect(await endLiveEvent(t.db, adminUser, eventId)).toBe(false);
    await expect(pinProduct(t.db, sellerUser, { eventId, productId: a })).rejects.toBeInstanceOf(LiveEndedError);
  });

  it("a demoted admin loses hosting at once", async () => {
    const eventId = await newEvent();
    const formerAdmin = await seedUser(t.db);
    await t.db.$client.query("insert into commerce.user_roles (user_id, role) values ($1, 'admin')", [formerAdmin]);
    expect(await pinProduct(t.db, formerAdmin, { eventId, productId: products[0] as string })).toBe(true);
    await t.db.$client.query("delete from commerce.user_roles where user_id = $1", [formerAdmin]);
    await expect(unpinProduct(t.db, formerAdmin, { eventId, productId: products[0] as string })).rejects.toBeInstanceOf(
      LiveForbiddenError,
    );
  });

  it("refuses malformed ids, unknown products and more than the pin limit", async () => {
    const eventId = await newEvent();
    await expect(pinProduct(t.db, sellerUser, { eventId, productId: "nope" })).rejects.toThrow(/product id/);
    await expect(
      pinProduct(t.db, sellerUser, { eventId: uuid(), productId: products[0] as string }),
    ).rejects.toBeInstanceOf(LiveEventNotFoundError);
    await expect(pinProduct(t.db, sellerUser, { eventId, productId: uuid() })).rejects.toThrow(/No product has id/);
    for (const productId of products.slice(0, MAX_PINS)) await pinProduct(t.db, sellerUser, { eventId, productId });
    await expect(pinProduct(t.db, sellerUser, { eventId, productId: products[MAX_PINS] as string })).rejects.toThrow(
      /At most 12 products/,
    );
  });
});

describe("real-time delivery", () => {
  it("NOTIFYs subscribers of committed pins, chat and the end, and nothing for a refused change", async () => {
    const eventId = await newEvent();
    const otherEvent = await newEvent();
    const { notices, stop } = await listen(eventId);
    const other = await listen(otherEvent);
    await pinProduct(t.db, sellerUser, { eventId, productId: products[0] as string });
    await expect(pinProduct(t.db, shopper, { eventId, productId: products[1] as string })).rejects.toThrow();
    const message = await postChatMessage(t.db, shopper, { eventId, clientMessageId: uuid(), body: "price?" });
    await endLiveEvent(t.db, sellerUser, eventId);
    await expect.poll(() => notices.length, { timeout: 10_000 }).toBe(3);
    expect(notices).toEqual([{ type: "pins" }, { type: "chat", message }, { type: "status", status: "ended" }]);
    expect(other.notices).toEqual([]);
    await stop();
    await other.stop();
  });

  it("streams a snapshot, then chat lines and re-read pin lists as they are committed", async () => {
    const eventId = await newEvent();
    await pinProduct(t.db, sellerUser, { eventId, productId: products[0] as string });
    const before = await postChatMessage(t.db, shopper, { eventId, clientMessageId: uuid(), body: "first" });
    const abort = new AbortController();
    const reader = liveEventStream(t.db, eventId, abort.signal, { currency: "USD", locale: "en", hub })
      .pipeThrough(new TextDecoderStream())
      .getReader();
    const frames: { event: string; data: unknown }[] = [];
    let buffer = "";
    const readUntil = async (predicate: () => boolean) => {
      while (!predicate()) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) frames.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf("\n\n");
        }
      }
    };
    await readUntil(() => frames.some((f) => f.event === "snapshot"));
    expect(frames[0]).toMatchObject({
      event: "snapshot",
      data: { status: "live", pins: [{ id: products[0], price: "$10.00" }], messages: [before] },
    });
    await pinProduct(t.db, adminUser, { eventId, productId: products[1] as string });
    const after = await postChatMessage(t.db, sellerUser, { eventId, clientMessageId: uuid(), body: "second" });
    await readUntil(() => frames.length >= 3);
    expect(frames.slice(1)).toEqual(
      expect.arrayContaining([
        {
          event: "pins",
          data: [expect.objectContaining({ id: products[0] }), expect.objectContaining({ id: products[1] })],
        },
        { event: "chat", data: after },
      ]),
    );
    abort.abort();
  });
});
