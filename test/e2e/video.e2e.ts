// Shoppable video and live shopping in a real browser: playing and seeking a video shows the
// product of each placement and adds it to the cart; a host pins a product in one browser context
// and a viewer in another sees it appear without reloading; chat lines cross between the two;
// the pages pass axe-core and fit a 360 px phone, in English and Spanish.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { createLiveEvent } from "../../lib/live/events.ts";
import { createShoppableVideo } from "../../lib/video/create-video.ts";
import { browserHarness, screenshot, trackProblems, waitForHydration } from "./support/browser.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const runId = Date.now().toString(36);

let db: Db;
let videoId: string;
let phonePlacementId: string;
let otherPlacementId: string;
let otherProduct: { id: string; title: string };
let liveEventId: string;

type VideoElement = { currentTime: number; muted: boolean; paused: boolean; play(): Promise<void>; pause(): void };
/** Page errors and 5xx answers (console 404s include the app-wide missing favicon). */
const serverErrors = (page: { problems: string[] }) =>
  page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"));
const player = (page: Page) => page.getByTestId("video-player");
const videoTime = (page: Page) => player(page).evaluate((v) => (v as unknown as VideoElement).currentTime);

beforeAll(async () => {
  const stack = webStack();
  db = createDb(stack.urls.database, { max: 2 });
  // A second product to place, from the seeded catalog, with an offer in stock.
  const [row] = await query<{ id: string; title: string }>(
    `select p.id, p.title from commerce.products p
     where p.id <> $1 and exists (select 1 from commerce.offers o where o.product_id = p.id and o.active and o.stock > 0)
     order by p.slug limit 1`,
    [stack.fixtures.product.id],
  );
  if (!row) throw new Error("the e2e catalog has no product in stock");
  otherProduct = row;
  const video = await createShoppableVideo(db, {
    slug: `e2e-video-${runId}`,
    sellerId: stack.fixtures.sellerId,
    title: "E2E phone review",
    sourceUrl: "/videos/studio-sound.mp4",
    posterUrl: "/videos/studio-sound.jpg",
    durationSeconds: 24,
    placements: [
      { productId: stack.fixtures.product.id, startSeconds: 3, endSeconds: 9, label: "The phone" },
      { productId: otherProduct.id, startSeconds: 12, endSeconds: 18, label: "Also shown" },
    ],
  });
  videoId = video.id;
  const placements = await query<{ id: string; product_id: string }>(
    "select id, product_id from commerce.video_placements where video_id = $1 order by start_seconds",
    [videoId],
  );
  phonePlacementId = placements[0]?.id as string;
  otherPlacementId = placements[1]?.id as string;
  liveEventId = (
    await createLiveEvent(db, {
      slug: `e2e-live-${runId}`,
      sellerId: stack.fixtures.sellerId,
      title: "E2E live unboxing",
      sourceUrl: "/videos/live-unboxing.mp4",
      posterUrl: "/videos/live-unboxing.jpg",
    })
  ).id;
});

afterAll(async () => {
  await closeDb(db);
});

test("a product added from the video: playback shows its card, Add to cart puts it in the cart", async () => {
  const page = await browser.newPage();
  // Console lines name no URL; the responses do.
  const refused: string[] = [];
  page.on("response", (response) => {
    // The app has no favicon (every page's 404, not this feature's).
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) {
      refused.push(`${response.status()} ${response.url()}`);
    }
  });
  await page.goto("/videos");
  await page.locator(`[data-testid="video-item"][data-video-id="${videoId}"] a`).click();
  await page.waitForURL(`**/videos/${videoId}`);
  await waitForHydration(page, player(page));
  expect(await page.getByTestId("placement-empty").count()).toBe(1);

  // Play from just before the first window: the card appears as playback crosses into it.
  await player(page).evaluate(async (v) => {
    const video = v as unknown as VideoElement;
    video.muted = true; // autoplay without a click is allowed muted
    video.currentTime = 2;
    await video.play();
  });
  const card = page.getByTestId("placement-card");
  await expect.poll(() => card.getAttribute("data-placement-id"), { timeout: 20_000 }).toBe(phonePlacementId);
  expect(await videoTime(page)).toBeGreaterThanOrEqual(3);
  expect(await card.textContent()).toContain(webStack().fixtures.product.title);
  expect(await page.getByRole("status").filter({ hasText: "Now showing: The phone" }).count()).toBe(1);
  await screenshot(page, "video-placement");

  // Seeking past the window hides it; seeking into the next shows that product.
  await player(page).evaluate((v) => {
    const video = v as unknown as VideoElement;
    video.pause();
    video.currentTime = 10;
  });
  await page.getByTestId("placement-empty").waitFor();
  await player(page).evaluate((v) => {
    (v as unknown as VideoElement).currentTime = 13.5;
  });
  await expect.poll(() => card.getAttribute("data-placement-id"), { timeout: 20_000 }).toBe(otherPlacementId);
  expect(await card.textContent()).toContain(otherProduct.title);

  // Keyboard users jump with the chapter list.
  const chapter = page.locator(`[data-testid="video-chapter"][data-placement-id="${phonePlacementId}"]`);
  await chapter.focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => card.getAttribute("data-placement-id")).toBe(phonePlacementId);
  expect(await chapter.getAttribute("aria-current")).toBe("true");
  await expect.poll(() => videoTime(page)).toBeGreaterThanOrEqual(3);

  await card.getByRole("button", { name: "Add to cart" }).click();
  await card.getByRole("status").filter({ hasText: "Added to your cart." }).waitFor();
  await page.goto("/cart");
  await page.getByText(webStack().fixtures.product.title).first().waitFor();
  await screenshot(page, "video-cart");
  expect(refused).toEqual([]);
  expect(serverErrors(page)).toEqual([]);
});

test("the host pins a product and a viewer sees it live, chat crosses between them, and the end closes it", async () => {
  const hostContext = await browser.newContext();
  await signIn(hostContext, account("seller"));
  const viewerContext = await browser.newContext();
  await signIn(viewerContext, account("shopper"));

  const viewer = trackProblems(await viewerContext.newPage());
  await viewer.goto(`/live/${liveEventId}`);
  const room = viewer.getByTestId("live-room");
  await expect.poll(() => room.getAttribute("data-connection"), { timeout: 20_000 }).toBe("open");
  // A marker that a reload would wipe: everything below must arrive without one.
  await viewer.evaluate("window.__noReload = true");
  expect(await viewer.getByTestId("live-pin").count()).toBe(0);

  const host = trackProblems(await hostContext.newPage());
  await host.goto(`/live/${liveEventId}/host`);
  const product = host.locator(`[data-testid="host-product"][data-product-id="${webStack().fixtures.product.id}"]`);
  await waitForHydration(host, product.getByRole("button", { name: "Pin" }));
  await product.getByRole("button", { name: "Pin" }).click();
  await product.getByRole("button", { name: "Unpin" }).waitFor();
  await screenshot(host, "live-host");

  const pin = viewer.locator(`[data-testid="live-pin"][data-product-id="${webStack().fixtures.product.id}"]`);
  await pin.waitFor();
  expect(await pin.textContent()).toContain(webStack().fixtures.product.title);
  expect(await viewer.getByRole("status").filter({ hasText: "Pinned products:" }).count()).toBe(1);

  // Chat: the viewer writes, the host (on the viewer page of their own context) sees it, and back.
  const hostView = trackProblems(await hostContext.newPage());
  await hostView.goto(`/live/${liveEventId}`);
  await expect.poll(() => hostView.getByTestId("live-room").getAttribute("data-connection")).toBe("open");
  const question = `Does it come in blue? <b>${runId}</b>`;
  await waitForHydration(viewer, viewer.getByTestId("live-chat-form"));
  await viewer.getByLabel("Your message").fill(question);
  await viewer.getByRole("button", { name: "Send" }).click();
  const onHost = hostView.getByTestId("live-chat-message").filter({ hasText: question });
  await onHost.waitFor();
  // Rendered as text: the markup shows as typed, no <b> element was made.
  expect(await onHost.locator("b").count()).toBe(0);
  // Cleared once the server accepted it (the line may reach the other page first).
  await expect.poll(() => viewer.getByLabel("Your message").inputValue()).toBe("");

  const reply = `Yes, and in green (${runId})`;
  await waitForHydration(hostView, hostView.getByTestId("live-chat-form"));
  await hostView.getByLabel("Your message").fill(reply);
  await hostView.getByRole("button", { name: "Send" }).click();
  await viewer.getByTestId("live-chat-message").filter({ hasText: reply }).waitFor();
  await screenshot(viewer, "live-viewer");

  // The viewer buys the pinned product.
  await pin.getByRole("button", { name: "Add to cart" }).click();
  await pin.getByRole("status").filter({ hasText: "Added to your cart." }).waitFor();

  // Unpinning and ending reach the viewer live too.
  await waitForHydration(host, product.getByRole("button", { name: "Unpin" }));
  await product.getByRole("button", { name: "Unpin" }).click();
  await pin.waitFor({ state: "detached" });
  await host.getByTestId("host-end").getByRole("button", { name: "End the event" }).click();
  await viewer.getByTestId("live-ended").waitFor();
  expect(await viewer.getByTestId("live-chat-form").count()).toBe(0);
  expect(await viewer.evaluate("window.__noReload")).toBe(true);

  const cart = await viewerContext.newPage();
  await cart.goto("/cart");
  await cart.getByText(webStack().fixtures.product.title).first().waitFor();
  expect([viewer, host, hostView].flatMap(serverErrors)).toEqual([]);
});

test("only the event's seller or an admin reaches the host page; the events route refuses bad ids", async () => {
  const context = await browser.newContext();
  await signIn(context, account("shopper2"));
  const page = await context.newPage();
  await page.goto(`/live/${liveEventId}/host`);
  await page.getByTestId("access-denied").waitFor();
  expect(await page.getByTestId("host-product").count()).toBe(0);

  const origin = webStack().origin;
  expect((await fetch(`${origin}/api/live/not-a-uuid/events`)).status).toBe(400);
  expect((await fetch(`${origin}/api/live/00000000-0000-4000-8000-000000000000/events`)).status).toBe(404);
});

describe("accessibility of the video and live pages", () => {
  const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
  type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
  type Globals = {
    axe: { run(context: unknown, options: object): Promise<{ violations: Violation[] }> };
    document: { documentElement: { scrollWidth: number; clientWidth: number } };
  };

  async function problemsOf(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: axeSource });
    const violations = await page.evaluate(async () => {
      const { axe, document } = globalThis as unknown as Globals;
      return (
        await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      ).violations;
    });
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as Globals).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    return [
      ...violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map(
          (v) =>
            `${v.id}: ${v.help} at ${v.nodes
              .map((n) => n.target.join(" "))
              .slice(0, 3)
              .join(", ")}`,
        ),
      ...(overflow > 0 ? [`scrolls sideways by ${overflow}px at 360px`] : []),
    ];
  }

  test("no serious WCAG 2 AA finding and no sideways scrolling at 360 px, in English and Spanish", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await signIn(context, account("seller"));
    const page = await context.newPage();
    const found: Record<string, string[]> = {};
    for (const locale of ["en", "es"]) {
      await context.addCookies([{ name: "neocart_locale", value: locale, url: webStack().urls.app }]);
      for (const path of [
        "/videos",
        `/videos/${videoId}`,
        "/live",
        `/live/${liveEventId}`,
        `/live/${liveEventId}/host`,
      ]) {
        await page.goto(path);
        expect(await page.locator("main h1").count(), `${path} rendered`).toBeGreaterThan(0);
        const problems = await problemsOf(page);
        if (problems.length > 0) found[`${locale} ${path}`] = problems;
      }
    }
    await screenshot(page, "video-page-phone-es");
    expect(found).toEqual({});
  });
});
