// Group buys end to end: the seller opens a pool on chain, a shopper signs in with the injected
// wallet on the pool's page and pledges a unit through the UI, then another account pledges from
// Node and the open page shows the new count without a reload (it polls the pool's JSON). A pool
// that misses its minimum by the deadline pays the pledge back through the page's Refund button,
// and a seller opens one from the seller dashboard with the payout wallet.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, http, parseEther, parseEventLogs, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { describe, expect, test } from "vitest";
import { groupBuyAbi } from "../../lib/contracts/abis.ts";
import { browserHarness, screenshot, trackProblems, waitForHydration } from "./support/browser.ts";
import { connectIfAsked } from "./support/escrow-orders.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const INDEXED_TIMEOUT_MS = 30_000;
const UNIT_PRICE = parseEther("0.01");

function chainClients(privateKey: `0x${string}`) {
  const stack = webStack();
  const chain = { ...hardhat, id: stack.chainId };
  return {
    wallet: createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: http(stack.urls.rpc) }),
    reader: createPublicClient({ chain, transport: http(stack.urls.rpc) }),
  };
}

async function groupBuyAddress(): Promise<`0x${string}`> {
  const deployment = JSON.parse(await readFile(webStack().deploymentFile, "utf8")) as {
    contracts: { GroupBuy: { address: `0x${string}` } };
  };
  return deployment.contracts.GroupBuy.address;
}

/**
 * The seller opens a fresh ETH pool for the e2e product (the chain only moves forward), open for
 * `seconds` from the latest block.
 */
async function openPool(groupBuy: `0x${string}`, seconds = 2 * 86_400): Promise<bigint> {
  const { wallet, reader } = chainClients(account("seller").privateKey);
  const block = await reader.getBlock();
  const hash = await wallet.writeContract({
    address: groupBuy,
    abi: groupBuyAbi,
    functionName: "openPool",
    args: [
      {
        productId: webStack().fixtures.product.chainIdHash as `0x${string}`,
        token: zeroAddress,
        unitPrice: UNIT_PRICE,
        minUnits: 5,
        maxUnits: 20,
        deadline: Number(block.timestamp) + seconds,
        deliveryWindow: 3 * 86_400,
      },
    ],
  });
  const receipt = await reader.waitForTransactionReceipt({ hash });
  const [opened] = parseEventLogs({ abi: groupBuyAbi, eventName: "PoolOpened", logs: receipt.logs });
  if (!opened) throw new Error("openPool emitted no PoolOpened");
  return opened.args.poolId;
}

async function indexedUnits(poolId: bigint): Promise<number | undefined> {
  const [row] = await query<{ pledged_units: string }>(
    `select pledged_units::text as pledged_units from "${webStack().viewsSchema}".pool where id = $1`,
    [poolId.toString()],
  );
  return row ? Number(row.pledged_units) : undefined;
}

async function shownUnits(page: Page): Promise<string | null> {
  return page.getByTestId("pool-pledged").getAttribute("data-units");
}

/** Connects the injected wallet through RainbowKit and signs in with it on the open page. */
async function connectAndSignIn(page: Page, address: string): Promise<void> {
  await waitForHydration(page, page.getByTestId("connect-wallet"));
  await page.getByTestId("connect-wallet").click();
  await page
    .locator('[data-testid="rk-wallet-option-dev.neocart.testwallet"], [data-testid="rk-wallet-option-injected"]')
    .first()
    .click();
  await page.getByTestId("sign-in-button").click();
  await expect
    .poll(() => page.getByTestId("signed-in-address").textContent(), { timeout: 20_000 })
    .toBe(address.toLowerCase());
}

describe("group buys", () => {
  test("a shopper pledges through the UI and the page fills live when another account pledges", async () => {
    await query("delete from commerce.auth_rate_limits where bucket like 'sign-in:%'");
    const groupBuy = await groupBuyAddress();
    const poolId = await openPool(groupBuy);
    await expect.poll(() => indexedUnits(poolId), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe(0);

    const shopper = account("shopper");
    const context = await browser.newContext();
    await installTestWallet(context, { privateKey: shopper.privateKey, rpcUrl: webStack().urls.rpc });
    const page = trackProblems(await context.newPage());

    // The list links to the pool, and the home page heading links to the list.
    await page.goto("/");
    await page.getByTestId("group-buys-link").click();
    await page.waitForURL(/\/group-buys$/);
    await page.locator(`[data-testid="group-buy-pool"][data-pool-id="${poolId}"]`).waitFor();
    await screenshot(page, "group-buys");

    await page.goto(`/group-buys/${poolId}`);
    expect(await shownUnits(page)).toBe("0");
    expect(await page.getByTestId("share-url").inputValue()).toMatch(new RegExp(`/group-buys/${poolId}$`));

    await connectAndSignIn(page, shopper.address);

    await page.getByTestId("pledge-units").fill("1");
    await page.getByTestId("pledge-button").click();
    await expect.poll(() => shownUnits(page), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe("1");
    await expect
      .poll(() => page.getByTestId("my-pledge").getAttribute("data-units"), { timeout: INDEXED_TIMEOUT_MS })
      .toBe("1");
    await page.locator(`[data-testid="pool-pledge"][data-pledger="${shopper.address.toLowerCase()}"]`).waitFor();
    await screenshot(page, "group-buy-pledged");

    // Another buyer pledges from Node: the open page catches up on its own.
    const other = chainClients(account("shopper2").privateKey);
    const hash = await other.wallet.writeContract({
      address: groupBuy,
      abi: groupBuyAbi,
      functionName: "pledge",
      args: [poolId, 2],
      value: UNIT_PRICE * 2n,
    });
    await other.reader.waitForTransactionReceipt({ hash });
    const urlBefore = page.url();
    await expect.poll(() => shownUnits(page), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe("3");
    expect(page.url()).toBe(urlBefore);
    expect(await page.getByTestId("pool-pledged").getAttribute("aria-live")).toBe("polite");
    await screenshot(page, "group-buy-live");

    // Unpledging while open gives the unit back.
    await page.getByTestId("unpledge-units").fill("1");
    await page.getByTestId("unpledge-button").click();
    await expect.poll(() => shownUnits(page), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe("2");

    expect(page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"))).toEqual([]);
  });

  test("a pool that misses its minimum by the deadline refunds the pledge through the page", async () => {
    await query("delete from commerce.auth_rate_limits where bucket like 'sign-in:%'");
    const groupBuy = await groupBuyAddress();
    // Long enough to pledge first, short enough to wait out: block times follow the wall clock.
    const poolId = await openPool(groupBuy, 20);
    const shopper = account("shopper2");
    const { wallet, reader } = chainClients(shopper.privateKey);
    await reader.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: groupBuy,
        abi: groupBuyAbi,
        functionName: "pledge",
        args: [poolId, 2],
        value: UNIT_PRICE * 2n,
      }),
    });
    await expect.poll(() => indexedUnits(poolId), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe(2);

    // Past the deadline with 2 of 5 units the pool has failed; a block must be mined to see it.
    const poolState = async () => {
      await reader.request({ method: "evm_mine" as never, params: [] as never });
      return reader.readContract({ address: groupBuy, abi: groupBuyAbi, functionName: "poolState", args: [poolId] });
    };
    await expect.poll(poolState, { timeout: 60_000, interval: 1_000 }).toBe(3);

    const context = await browser.newContext();
    await installTestWallet(context, { privateKey: shopper.privateKey, rpcUrl: webStack().urls.rpc });
    const page = trackProblems(await context.newPage());
    await page.goto(`/group-buys/${poolId}`);
    await expect.poll(() => page.getByTestId("pool-live").getAttribute("data-status")).toBe("failed");
    await connectAndSignIn(page, shopper.address);
    await expect
      .poll(() => page.getByTestId("my-pledge").getAttribute("data-units"), { timeout: INDEXED_TIMEOUT_MS })
      .toBe("2");
    await screenshot(page, "group-buy-failed");

    const before = await reader.getBalance({ address: shopper.address });
    await page.getByTestId("refund-button").click();
    // Paid back once: the pledge is gone, the button with it, the row says refunded, the ETH is back.
    await expect
      .poll(() => page.getByTestId("my-pledge").getAttribute("data-units"), { timeout: INDEXED_TIMEOUT_MS })
      .toBe("0");
    expect(await page.getByTestId("refund-button").count()).toBe(0);
    const refunded = (await reader.getBalance({ address: shopper.address })) - before;
    // Two units, less the refund transaction's gas (far below a unit).
    expect(refunded).toBeGreaterThan(UNIT_PRICE);
    expect(refunded).toBeLessThanOrEqual(UNIT_PRICE * 2n);
    const row = page.locator(`[data-testid="pool-pledge"][data-pledger="${shopper.address.toLowerCase()}"]`);
    await expect.poll(() => row.getAttribute("data-state"), { timeout: INDEXED_TIMEOUT_MS }).toBe("refunded");

    expect(page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"))).toEqual([]);
  });

  test("a seller opens a group buy from the dashboard and its page is live", async () => {
    const seller = account("seller");
    const context = await browser.newContext();
    await installTestWallet(context, { privateKey: seller.privateKey, rpcUrl: webStack().urls.rpc });
    await signIn(context, seller);
    const page = trackProblems(await context.newPage());
    await page.goto("/seller");
    await waitForHydration(page);
    await connectIfAsked(page);
    const form = page.getByTestId("open-pool-form");
    await form.waitFor();
    const product = webStack().fixtures.product.chainIdHash.toLowerCase();
    await form.getByTestId("open-pool-product").selectOption(product);
    // Terms the contract would refuse are explained before anything is signed.
    await form.getByTestId("open-pool-min").fill("9");
    await form.getByTestId("open-pool-max").fill("3");
    await form.getByTestId("open-pool-button").click();
    expect(await page.getByTestId("open-pool-error").textContent()).toMatch(/at least the minimum/);

    await form.getByTestId("open-pool-price").fill("0.02");
    await form.getByTestId("open-pool-min").fill("2");
    await form.getByTestId("open-pool-max").fill("4");
    await form.getByTestId("open-pool-days").fill("3");
    await form.getByTestId("open-pool-button").click();
    const link = page.getByTestId("open-pool-link");
    await link.waitFor({ timeout: 30_000 });
    const poolId = (await link.getAttribute("href"))?.split("/").pop() ?? "";
    expect(poolId).toMatch(/^[0-9]+$/);
    await expect.poll(() => indexedUnits(BigInt(poolId)), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe(0);

    await link.click();
    await page.waitForURL(`**/group-buys/${poolId}`);
    expect(await page.getByTestId("pool-live").getAttribute("data-status")).toBe("open");
    expect(await page.getByTestId("pool-unit-price").textContent()).toMatch(/0\.02/);
    const [pool] = await query<{ seller: string; min_units: string; max_units: string }>(
      `select seller, min_units::text, max_units::text from "${webStack().viewsSchema}".pool where id = $1`,
      [poolId],
    );
    expect(pool).toEqual({ seller: seller.address.toLowerCase(), min_units: "2", max_units: "4" });
    expect(page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"))).toEqual([]);
  });
});
