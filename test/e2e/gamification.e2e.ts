// Referrals and rewards in the browser: a shopper shares their referral link; a brand-new wallet
// opens it, signs in for the first time (the referral is attached by the sign-in route), buys
// through the escrow and confirms delivery; the rewards service (scripts/gamification/rewards.ts,
// run as the dev stack would run it) pays both sides; the referrer then sees the points on
// /loyalty, the referral as rewarded on /referrals, and their own highlighted row on /leaderboard.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeDb, createDb, type Db } from "../../lib/db/client.ts";
import { REFEREE_POINTS, REFERRER_POINTS } from "../../lib/gamification/rules.ts";
import type { DevAccount } from "../../scripts/web/dev-accounts.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import {
  escrowCall,
  INDEXED_TIMEOUT_MS,
  mined,
  paidEscrowOrderBy,
  waitForState,
  walletOf,
} from "./support/escrow-orders.ts";
import { addSessionCookie, SESSION_COOKIE, signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const E18 = 10n ** 18n;
let db: Db;

beforeAll(() => {
  db = createDb(webStack().urls.database, { max: 2 });
});
afterAll(async () => {
  await closeDb(db);
});

/** A first sign-in through the routes, carrying the browser's cookies (the referral cookie among them). */
async function firstSignIn(who: DevAccount, cookieHeader: string) {
  const stack = webStack();
  await query("delete from commerce.auth_rate_limits where bucket like 'sign-in:%'");
  const { nonce } = (await (
    await fetch(`${stack.origin}/api/auth/nonce`, { headers: { origin: stack.origin } })
  ).json()) as { nonce: string };
  const signer = privateKeyToAccount(who.privateKey);
  const message = createSiweMessage({
    domain: new URL(stack.origin).host,
    address: signer.address,
    statement: "Sign in to NeoCart.",
    uri: stack.origin,
    version: "1",
    chainId: stack.chainId,
    nonce,
    issuedAt: new Date(),
  });
  const response = await fetch(`${stack.origin}/api/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.origin, cookie: cookieHeader },
    body: JSON.stringify({ message, signature: await signer.signMessage({ message }) }),
  });
  expect(response.status).toBe(200);
  const cookies = response.headers.getSetCookie();
  const token = cookies
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1)
    .split(";")[0];
  if (!token) throw new Error("the sign-in set no session cookie");
  return { token, cookies };
}

const runRewards = promisify(execFile);

async function indexedBalance(address: string): Promise<bigint> {
  const [row] = await query<{ balance: string }>(
    `select balance::text from "${webStack().viewsSchema}".points_balance where id = $1`,
    [address.toLowerCase()],
  );
  return BigInt(row?.balance ?? "0");
}
const serverErrors = (page: { problems: string[] }) =>
  page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"));

test("a referred shopper's first purchase pays both sides; the referrer sees the points and the leaderboard", async () => {
  const stack = webStack();
  const referrer = account("shopper2");
  const referrerBefore = await indexedBalance(referrer.address);

  // The referrer's link.
  const referrerContext = await browser.newContext();
  await signIn(referrerContext, referrer);
  const referrerPage = trackProblems(await referrerContext.newPage());
  await referrerPage.goto("/referrals");
  const code = await referrerPage.getByTestId("referral-code").getAttribute("data-code");
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
  expect(await referrerPage.getByTestId("referral-link").inputValue()).toBe(`${stack.origin}/r/${code}`);
  await screenshot(referrerPage, "referrals");

  // A brand-new wallet, funded by the admin account, opens the link and signs in for the first time.
  const key = generatePrivateKey();
  const referee: DevAccount = { index: -1, address: privateKeyToAccount(key).address, privateKey: key };
  await mined(walletOf(account("admin")).sendTransaction({ to: referee.address, value: parseEther("1") }));
  const refereeContext = await browser.newContext();
  const refereePage = trackProblems(await refereeContext.newPage());
  await refereePage.goto(`/r/${code}`);
  await refereePage.getByTestId("referral-invited").waitFor();
  const jar = await refereeContext.cookies();
  const refCookie = jar.find((c) => c.name === "neocart_ref");
  expect(refCookie?.value).toBe(code);
  const { token, cookies } = await firstSignIn(referee, `neocart_ref=${refCookie?.value}`);
  expect(cookies.some((c) => /^neocart_ref=;.*Max-Age=0/.test(c))).toBe(true);
  await addSessionCookie(refereeContext, token);

  const [link] = await query<{ referee: string; referrer_address: string }>(
    `select r.referee_user_id as referee, rw.address as referrer_address
     from commerce.referrals r
     join commerce.wallets w on w.user_id = r.referee_user_id
     join commerce.wallets rw on rw.user_id = r.referrer_user_id
     where w.address = $1`,
    [referee.address.toLowerCase()],
  );
  expect(link?.referrer_address).toBe(referrer.address.toLowerCase());

  // The referee's first purchase, shipped by the seller and confirmed by the referee.
  const order = await paidEscrowOrderBy(db, referee, link?.referee as string);
  await escrowCall(account("seller"), "markShipped", order);
  await escrowCall(referee, "confirmDelivery", order);
  await waitForState(order.chainOrderId, "completed");

  // The rewards service, as `npm run rewards -- --once` runs it, until both sides are paid.
  const env = {
    ...process.env,
    DATABASE_URL: stack.urls.database,
    NEOCART_CHAIN_ID: String(stack.chainId),
    NEOCART_RPC_URL: stack.urls.rpc,
    NEOCART_DEPLOYMENT_FILE: stack.deploymentFile,
    NEOCART_VIEWS_SCHEMA: stack.viewsSchema,
    NODE_ENV: "test",
  };
  const paid = async () =>
    (
      await query<{ n: number }>(
        "select count(*)::int as n from commerce.reward_awards where award_key like $1 and status = 'confirmed'",
        [`referral:${link?.referee}:%`],
      )
    )[0]?.n;
  await expect
    .poll(
      async () => {
        const run = await runRewards(process.execPath, ["scripts/gamification/rewards.ts", "--once"], { env }).catch(
          (error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }),
        );
        expect(run.stdout).toContain("rewards: block");
        return paid();
      },
      { timeout: 120_000, interval: 1_000 },
    )
    .toBe(2);

  // The indexer mirrors the mints (cashback + referral for the referee); the referrer's pages show them.
  await expect
    .poll(() => indexedBalance(referee.address), { timeout: INDEXED_TIMEOUT_MS, interval: 300 })
    .toBe(REFEREE_POINTS * E18 + BigInt(order.order.cashback));
  const expected = referrerBefore + REFERRER_POINTS * E18;
  await expect
    .poll(() => indexedBalance(referrer.address), { timeout: INDEXED_TIMEOUT_MS, interval: 300 })
    .toBe(expected);

  await referrerPage.goto("/loyalty");
  expect(await referrerPage.getByTestId("points-balance").getAttribute("data-raw")).toBe(expected.toString());
  await expect
    .poll(() => referrerPage.getByTestId("points-history").getByText("Referral reward").count())
    .toBeGreaterThan(0);
  await referrerPage.getByTestId("badge-progress").waitFor();
  await screenshot(referrerPage, "loyalty-badge-progress");

  await referrerPage.goto("/referrals");
  await expect
    .poll(() => referrerPage.locator('[data-testid="referred-person"][data-rewarded="yes"]').count())
    .toBeGreaterThan(0);

  // The ranking is rebuilt at most once a minute (lib/gamification/leaderboard.ts): reload until
  // the run that ranks the new mints has happened.
  const mine = referrerPage.locator('[data-testid="leaderboard-row"][data-me="yes"]');
  await expect
    .poll(
      async () => {
        await referrerPage.goto("/leaderboard?period=all");
        return mine.count();
      },
      { timeout: 100_000, interval: 5_000 },
    )
    .toBe(1);
  expect(await mine.getAttribute("data-address")).toBe(referrer.address.toLowerCase());
  await referrerPage.getByTestId("leaderboard-chart").waitFor();
  await screenshot(referrerPage, "leaderboard");
  await referrerPage.getByTestId("leaderboard-period-month").click();
  await referrerPage.waitForURL(/period=month/);
  await referrerPage.locator('[data-testid="leaderboard-row"][data-me="yes"]').waitFor();
  for (const page of [referrerPage, refereePage]) expect(serverErrors(page)).toEqual([]);
});
