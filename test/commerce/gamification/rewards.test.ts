// The rewards service end to end on a real chain: a Hardhat node with the marketplace deployed, the
// Ponder indexer and its views, a commerce database beside them, and the service sending real
// transactions with the points-service / badge-minter key (dev #1 in the local deployment).
// Checked against the contracts' own reads: review points once per verified review, referral points
// to both sides once, self-referral and re-attaching refused, badge rules awarded once, facts above
// the safe block ignored (F6), and a runner that dies between recording and broadcasting, or between
// broadcasting and confirming, or meets a reverting transaction, still pays exactly once.
import { type Address, type Hex, parseEther } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgesAbi, loyaltyPointsAbi } from "../../../lib/contracts/abis.ts";
import { closeDb, createDb, type Db } from "../../../lib/db/client.ts";
import { migrate } from "../../../lib/db/migrate.ts";
import { readBadgeProgress } from "../../../lib/gamification/badge-progress.ts";
import { discoverAwards } from "../../../lib/gamification/discover-awards.ts";
import { readLeaderboard } from "../../../lib/gamification/leaderboard.ts";
import { attachReferralAtSignIn } from "../../../lib/gamification/referral-cookie.ts";
import { attachReferral, getOrCreateReferralCode } from "../../../lib/gamification/referrals.ts";
import { BADGE, REFEREE_POINTS, REFERRER_POINTS, REVIEW_POINTS } from "../../../lib/gamification/rules.ts";
import { createRewardsChain, type PassOptions, runRewardsPass } from "../../../lib/gamification/run-rewards.ts";
import type { RewardsChain } from "../../../lib/gamification/send-awards.ts";
import { loadRewardsSettings } from "../../../lib/gamification/service-settings.ts";
import { contentHashOf, orderIdOf } from "../../../scripts/seed/marketplace-driver.ts";
import type { IndexerProcess } from "../../../scripts/stack/indexer-process.ts";
import { publishViews } from "../../../scripts/stack/publish-views.ts";
import { createScratchDatabase, type ScratchDatabase } from "../../indexer/support/scratch-database.ts";
import { mineBlock, startTestStack, type TestStack } from "../../indexer/support/test-stack.ts";
import { seedOffer, seedSeller, seedUser } from "../orders/support/seed-catalog.ts";

const E18 = 10n ** 18n;
let stack: TestStack;
let db: Db;
let scratch: ScratchDatabase | undefined;
let indexer: IndexerProcess;
let viewsSchema: string;
let chain: RewardsChain;
let buyer: Address;
let seller: Address;
let referrer: Address;
let referee: Address;
let outsider: Address;
let productUuid: string;
let productChainId: Hex;
const users: Record<string, string> = {};

let sequence = 0;
/** A completed escrow order of the test product (cashback as given). */
async function completedOrder(from: Address, cashbackPoints = 0n): Promise<Hex> {
  const d = stack.driver;
  const id = orderIdOf(`gamification-${++sequence}`);
  const order = d.order({
    buyer: from,
    seller,
    amount: parseEther("0.01"),
    productId: productChainId,
    cashback: cashbackPoints * E18,
  });
  await d.mined(d.checkout(id, order));
  await d.mined(d.ship(id, order));
  await d.mined(d.confirm(id, order));
  await untilIndexed(`select 1 from ${view("escrow_order")} where id = $1 and state = 'completed'`, [id]);
  return id;
}

/** Reviews `orderId` on chain; the text is stored as the app stores it (or altered afterwards). */
async function review(from: Address, orderId: Hex, text: string, storedText = text): Promise<void> {
  const hash = contentHashOf(text);
  await stack.driver.mined(stack.driver.review(from, orderId, productChainId, 5, hash));
  await db.$client.query(
    `insert into commerce.review_texts (content_hash, chain_order_id, product_id, body) values ($1, $2, $3, $4)`,
    [hash, orderId, productUuid, storedText],
  );
  await untilIndexed(`select 1 from ${view("review")} where id = $1`, [orderId]);
}

const view = (name: string) => `"${viewsSchema}"."${name}"`;

/** The indexer's status can run ahead of its rows being readable: wait for the row itself. */
async function untilIndexed(query: string, params: unknown[]): Promise<void> {
  await expect
    .poll(async () => (await db.$client.query(query, params)).rowCount, { timeout: 60_000, interval: 100 })
    .toBeGreaterThan(0);
}

async function indexed(): Promise<void> {
  await indexer.waitForBlock(await mineBlock(stack.driver));
}

const passOptions = (extra: Partial<PassOptions> = {}): PassOptions => ({ viewsSchema, confirmations: 0, ...extra });

async function pass(extra: Partial<PassOptions> = {}) {
  await indexed();
  return runRewardsPass(db, chain, passOptions(extra));
}

async function pointsOf(account: Address): Promise<bigint> {
  return stack.driver.publicClient.readContract({
    address: chain.loyaltyPoints,
    abi: loyaltyPointsAbi,
    functionName: "balanceOf",
    args: [account],
  });
}

async function hasBadge(account: Address, id: number): Promise<boolean> {
  return stack.driver.publicClient.readContract({
    address: chain.badges,
    abi: badgesAbi,
    functionName: "hasBadge",
    args: [account, BigInt(id)],
  });
}

async function ledger(key: string) {
  const { rows } = await db.$client.query<{ status: string; attempts: number; last_error: string | null }>(
    "select status, attempts, last_error from commerce.reward_awards where award_key = $1",
    [key],
  );
  return rows[0];
}

beforeAll(async () => {
  stack = await startTestStack("gamification", { chain: 5612, postgres: 5611, indexer: 5613 });
  scratch = await createScratchDatabase(stack.postgres.url, "neocart_gm");
  const databaseUrl = scratch.url;
  await migrate(databaseUrl);
  db = createDb(databaseUrl, { max: 6, onIdleError: () => {} });

  const d = stack.driver;
  [buyer, seller, referrer, referee, outsider] = [4, 5, 6, 7, 8].map((i) => d.accounts[i] as Address) as [
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  const sellerId = await seedSeller(db, seller);
  const offer = await seedOffer(db, { sellerId, priceMinor: 1000 });
  productUuid = offer.productId;
  productChainId = offer.productChainId as Hex;
  for (const [name, address] of Object.entries({ buyer, seller, referrer, referee, outsider })) {
    users[name] = await seedUser(db, address);
  }

  const settings = loadRewardsSettings({
    DATABASE_URL: databaseUrl,
    NEOCART_RPC_URL: d.rpcUrl,
    NEOCART_DEPLOYMENT_FILE: stack.deploymentFile,
  });
  chain = createRewardsChain(settings);

  const schema = stack.schema("idx");
  viewsSchema = stack.schema("views");
  indexer = stack.startIndexer(schema, { databaseUrl });
  await indexer.waitForBlock(await mineBlock(d));
  await publishViews({ databaseUrl, schema, viewsSchema });
});

afterAll(async () => {
  await indexer?.stop("SIGKILL").catch(() => {});
  if (db) await closeDb(db);
  await scratch?.drop();
  await stack?.stop();
});

describe("referrals", () => {
  it("a new shopper is attached to the owner of the code, once; self-referral and re-attaching are refused", async () => {
    const code = await getOrCreateReferralCode(db, users.referrer as string);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(await getOrCreateReferralCode(db, users.referrer as string)).toBe(code);

    await expect(attachReferral(db, { refereeUserId: users.referrer, code }, { viewsSchema })).rejects.toMatchObject({
      code: "self_referral",
      status: 409,
    });
    await expect(
      attachReferral(db, { refereeUserId: users.referee, code: "ZZZZZZZZ" }, { viewsSchema }),
    ).rejects.toMatchObject({ code: "unknown_code", status: 404 });
    await expect(attachReferral(db, { refereeUserId: users.referee, code: "bad" })).rejects.toMatchObject({
      status: 400,
    });

    const attached = await attachReferral(
      db,
      { refereeUserId: users.referee, code: code.toLowerCase() },
      { viewsSchema },
    );
    expect(attached).toEqual({ referrerUserId: users.referrer, refereeUserId: users.referee, code });

    const otherCode = await getOrCreateReferralCode(db, users.outsider as string);
    await expect(
      attachReferral(db, { refereeUserId: users.referee, code: otherCode }, { viewsSchema }),
    ).rejects.toMatchObject({ code: "already_referred", status: 409 });
    const { rows } = await db.$client.query(
      "select referrer_user_id from commerce.referrals where referee_user_id = $1",
      [users.referee],
    );
    expect(rows).toEqual([{ referrer_user_id: users.referrer }]);
  });

  it("at sign-in only a new user's first sign-in attaches; an existing account is refused and the cookie cleared", async () => {
    const code = await getOrCreateReferralCode(db, users.referrer as string);
    const existing = await attachReferralAtSignIn(db, {
      cookieHeader: `other=1; neocart_ref=${code}`,
      userId: users.buyer as string,
      isNewUser: false,
      viewsSchema,
    });
    expect(existing.result).toMatchObject({ outcome: "refused", code: "not_new" });
    expect(existing.clearCookie).toMatch(/^neocart_ref=; .*Max-Age=0/);

    const fresh = await seedUser(db, "0x00000000000000000000000000000000000000aa");
    const attached = await attachReferralAtSignIn(db, {
      cookieHeader: `neocart_ref=${code}`,
      userId: fresh,
      isNewUser: true,
      viewsSchema,
    });
    expect(attached.result).toMatchObject({ outcome: "attached" });
    const none = await attachReferralAtSignIn(db, { cookieHeader: "a=b", userId: fresh, isNewUser: true });
    expect(none).toEqual({ result: { outcome: "none" }, clearCookie: undefined });
  });
});

describe("rewards from indexed facts", () => {
  let reviewedOrder: Hex;

  it("F6: facts above the safe block are not rewarded yet", async () => {
    reviewedOrder = await completedOrder(buyer, 10n);
    await review(buyer, reviewedOrder, "Works as described, would buy again.");
    await indexed();
    const head = await stack.driver.publicClient.getBlockNumber();
    const early = await discoverAwards(db, { viewsSchema, safeBlock: head - 10n });
    expect(early).toMatchObject({ indexed: true, reviewPoints: 0, badges: 0 });
    const { rows } = await db.$client.query("select count(*)::int as n from commerce.reward_awards");
    expect(rows[0].n).toBe(0);
  });

  it("review points once per verified review, referral points to both sides once, and the badges the rules earn", async () => {
    const tampered = await completedOrder(outsider);
    await review(outsider, tampered, "Honest review text here.", "Someone edited this text later.");
    await completedOrder(referee);

    const first = await pass();
    expect(first.discovered).toMatchObject({ indexed: true, reviewPoints: 1, referralPoints: 2, unverifiedReviews: 1 });
    expect(first.sent.retrying).toBe(0);

    expect(await pointsOf(buyer)).toBe((10n + REVIEW_POINTS) * E18); // cashback + review
    expect(await pointsOf(referrer)).toBe(REFERRER_POINTS * E18);
    expect(await pointsOf(referee)).toBe(REFEREE_POINTS * E18);
    expect(await pointsOf(outsider)).toBe(0n); // the altered text is not a verified review
    expect(await ledger(`review:${reviewedOrder}`)).toMatchObject({ status: "confirmed", attempts: 1 });

    for (const who of [buyer, referee, outsider]) expect(await hasBadge(who, BADGE.FIRST_PURCHASE)).toBe(true);
    expect(await hasBadge(buyer, BADGE.REVIEWER)).toBe(true);
    expect(await hasBadge(outsider, BADGE.REVIEWER)).toBe(false);
    expect(await hasBadge(referrer, BADGE.FIRST_PURCHASE)).toBe(false);

    // Again, and again after the indexer has seen the rewards: nothing new, nothing paid twice.
    const second = await pass();
    const third = await pass();
    for (const p of [second, third]) {
      expect(p.discovered).toMatchObject({ reviewPoints: 0, referralPoints: 0, badges: 0 });
      expect(p.sent).toMatchObject({ confirmed: 0, retrying: 0 });
    }
    expect(await pointsOf(buyer)).toBe((10n + REVIEW_POINTS) * E18);
    expect(await pointsOf(referrer)).toBe(REFERRER_POINTS * E18);
    expect(await pointsOf(referee)).toBe(REFEREE_POINTS * E18);
    const { rows } = await db.$client.query<{ n: number }>(
      "select count(*)::int as n from commerce.reward_awards where recipient = $1 and kind = 'badge'",
      [buyer.toLowerCase()],
    );
    expect(rows[0]?.n).toBe(2);
  });

  it("a badge the chain already shows is not awarded again; progress shows held and how far the rest are", async () => {
    await untilIndexed(`select 1 from ${view("badge")} where holder = $1 and badge_id = 2 and balance > 0`, [
      buyer.toLowerCase(),
    ]);
    const progress = await readBadgeProgress(db, viewsSchema, { userId: users.seller as string, address: seller });
    const topSeller = progress.badges.find((b) => b.id === BADGE.TOP_SELLER);
    expect(topSeller).toMatchObject({ state: "in_progress", current: 3, target: 10 });
    const buyerProgress = await readBadgeProgress(db, viewsSchema, { userId: users.buyer as string, address: buyer });
    expect(buyerProgress.badges.find((b) => b.id === BADGE.FIRST_PURCHASE)?.state).toBe("held");
    expect(buyerProgress.badges.find((b) => b.id === BADGE.REVIEWER)).toMatchObject({ state: "held", current: 1 });
    expect(buyerProgress.badges.find((b) => b.id === BADGE.GROUP_BUY_PLEDGER)).toMatchObject({
      state: "in_progress",
      current: 0,
      target: 1,
    });

    // The organiser badge comes from GroupBuy itself when a pool opens: the service must not add one.
    const deadline = (await stack.driver.now()) + 86_400n;
    await stack.driver.mined(
      stack.driver.openPool(seller, {
        productId: productChainId,
        unitPrice: parseEther("0.01"),
        minUnits: 2,
        maxUnits: 5,
        deadline,
      }),
    );
    await untilIndexed(`select 1 from ${view("pool")} where seller = $1`, [seller.toLowerCase()]);
    const after = await pass();
    expect(after.discovered.badges).toBe(0);
    expect(await hasBadge(seller, BADGE.GROUP_BUY_ORGANISER)).toBe(true);
    expect(await ledger(`badge:${seller.toLowerCase()}:${BADGE.GROUP_BUY_ORGANISER}`)).toBeUndefined();
  });

  it("the leaderboard ranks points earned and finds the viewer's own rank", async () => {
    await untilIndexed(`select 1 from ${view("points_balance")} where id = $1 and balance > 0`, [
      referrer.toLowerCase(),
    ]);
    const board = await readLeaderboard(db, viewsSchema, {
      period: "all",
      viewerAddress: referee,
      now: new Date(Date.now() + 120_000),
    });
    expect(board.indexed).toBe(true);
    expect(board.entries.map((e) => [e.rank, e.address, e.points])).toEqual([
      [1, referrer.toLowerCase(), REFERRER_POINTS * E18],
      [2, referee.toLowerCase(), REFEREE_POINTS * E18],
      [3, buyer.toLowerCase(), (10n + REVIEW_POINTS) * E18],
    ]);
    expect(board.viewer).toMatchObject({ rank: 2, address: referee.toLowerCase() });
    const month = await readLeaderboard(db, viewsSchema, { period: "month", viewerAddress: seller });
    expect(month.entries).toHaveLength(3);
    expect(month.viewer).toBeNull();
  });
});

describe("restart safety", () => {
  it("a runner killed after recording the transaction and before sending it: the next run sends those same bytes, once", async () => {
    const order = await completedOrder(buyer);
    await review(buyer, order, "Second purchase, still happy with it.");
    const before = await pointsOf(buyer);
    await expect(
      pass({
        hooks: {
          afterRecorded: () => {
            throw new Error("killed");
          },
        },
      }),
    ).rejects.toThrow("killed");
    expect(await ledger(`review:${order}`)).toMatchObject({ status: "submitted" });
    expect(await pointsOf(buyer)).toBe(before);

    const resumed = await pass();
    expect(resumed.sent).toMatchObject({ rebroadcast: 1, confirmed: 1 });
    expect(await pointsOf(buyer)).toBe(before + REVIEW_POINTS * E18);
    await pass();
    expect(await pointsOf(buyer)).toBe(before + REVIEW_POINTS * E18);
  });

  it("a runner killed after sending and before confirming: the next run finds the receipt and sends nothing", async () => {
    const order = await completedOrder(buyer);
    await review(buyer, order, "Third time, arrived a day early.");
    const before = await pointsOf(buyer);
    await expect(
      pass({
        hooks: {
          afterBroadcast: () => {
            throw new Error("killed");
          },
        },
      }),
    ).rejects.toThrow("killed");
    expect(await ledger(`review:${order}`)).toMatchObject({ status: "submitted" });

    const resumed = await pass();
    expect(resumed.sent).toMatchObject({ rebroadcast: 0, confirmed: 1 });
    expect(await ledger(`review:${order}`)).toMatchObject({ status: "confirmed", attempts: 1 });
    expect(await pointsOf(buyer)).toBe(before + REVIEW_POINTS * E18);
  });

  it("two runners at once pay once", async () => {
    const order = await completedOrder(buyer);
    await review(buyer, order, "Fourth order, fine as always.");
    const before = await pointsOf(buyer);
    await indexed();
    const [a, b] = await Promise.all([
      runRewardsPass(db, chain, passOptions()),
      runRewardsPass(db, chain, passOptions()),
    ]);
    expect(a.sent.confirmed + b.sent.confirmed).toBe(1);
    await pass();
    expect(await pointsOf(buyer)).toBe(before + REVIEW_POINTS * E18);
  });

  it("a transaction that cannot succeed (minter role revoked) is retried later and then paid once", async () => {
    const d = stack.driver;
    const minterRole = (await d.publicClient.readContract({
      address: chain.loyaltyPoints,
      abi: loyaltyPointsAbi,
      functionName: "MINTER_ROLE",
    })) as Hex;
    const service = chain.pointsSigner.address;
    await d.mined(d.pointsCall(d.roles.admin, "revokeRole", [minterRole, service]));

    const order = await completedOrder(buyer);
    await review(buyer, order, "Fifth order, the box was dented.");
    const before = await pointsOf(buyer);
    const failed = await pass();
    expect(failed.sent.retrying).toBe(1);
    const row = await ledger(`review:${order}`);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row?.last_error).toBeTruthy();

    // Not tried again before next_attempt_at (a delay that grows with each attempt).
    const { rows } = await db.$client.query<{ due_in: number }>(
      "select extract(epoch from next_attempt_at - now())::int as due_in from commerce.reward_awards where award_key = $1",
      [`review:${order}`],
    );
    expect(rows[0]?.due_in).toBeGreaterThan(0);

    await d.mined(d.pointsCall(d.roles.admin, "grantRole", [minterRole, service]));
    const later = await pass({ now: () => new Date(Date.now() + 60 * 60_000) });
    expect(later.sent.confirmed).toBe(1);
    expect(await ledger(`review:${order}`)).toMatchObject({ status: "confirmed", attempts: 2, last_error: null });
    expect(await pointsOf(buyer)).toBe(before + REVIEW_POINTS * E18);
  });
});
