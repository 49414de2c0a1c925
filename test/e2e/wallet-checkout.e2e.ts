// The wallet path end to end: a shopper connects the injected wallet through RainbowKit, signs in
// with SIWE, buys the e2e product through the escrow (ETH, then the stablecoin with a permit) and
// watches the order until the indexer reports it paid; a declined signature leaves them signed out.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { createWalletClient, http, parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { describe, expect, test } from "vitest";
import { testStablecoinAbi } from "../../lib/contracts/abis.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
const PAID_TIMEOUT_MS = 60_000;

async function resetSignInBudget() {
  await query("delete from commerce.auth_rate_limits where bucket like 'sign-in:%'");
}

/** Connects through RainbowKit's modal (the EIP-6963 test wallet, else the generic injected one). */
async function connectWallet(page: Page) {
  await page.getByTestId("connect-wallet").click();
  await page
    .locator('[data-testid="rk-wallet-option-dev.neocart.testwallet"], [data-testid="rk-wallet-option-injected"]')
    .first()
    .click();
  await page.getByTestId("sign-in-button").waitFor();
}

async function signInThroughUi(page: Page, address: string) {
  await page.goto("/account");
  await connectWallet(page);
  await page.getByTestId("sign-in-button").click();
  await expect
    .poll(() => page.getByTestId("signed-in-address").textContent(), { timeout: 15_000 })
    .toBe(address.toLowerCase());
}

async function payAndWaitForPaid(page: Page, token: "eth" | "stablecoin") {
  const { offer } = webStack().fixtures;
  await page.goto(`/checkout/wallet?offer=${offer.id}&qty=1`);
  await page.getByTestId(`token-${token}`).check();
  // The delivery fee, priced for the area picked, is part of the signed quote's amount.
  await page.getByTestId("delivery-area").selectOption("us-sf-mission");
  await page.getByTestId("delivery-option-standard").waitFor({ timeout: 20_000 });
  await page.getByTestId("pay-button").click();
  await expect
    .poll(() => page.getByTestId("order-status").getAttribute("data-status"), {
      timeout: PAID_TIMEOUT_MS,
      interval: 500,
    })
    .toBe("paid");
  await page.getByTestId("view-orders").waitFor();
  return (await page.getByTestId("tx-hash").textContent()) ?? "";
}

async function latestEscrowOrder(address: string) {
  const [row] = await query<{ id: string; chain_order_id: string; token: string; status: string }>(
    `select o.id, o.chain_order_id, q.token, o.status
       from commerce.orders o
       join commerce.escrow_quotes q on q.order_id = o.id
       join commerce.wallets w on w.user_id = o.user_id
      where w.address = $1 and o.kind = 'escrow'
      order by o.created_at desc limit 1`,
    [address.toLowerCase()],
  );
  return row;
}

describe("wallet checkout", () => {
  test("declining the SIWE signature shows why and stays signed out", async () => {
    await resetSignInBudget();
    const context = await browser.newContext();
    const wallet = await installTestWallet(context, {
      privateKey: account("shopper2").privateKey,
      rpcUrl: webStack().urls.rpc,
    });
    const page = await context.newPage();
    await page.goto("/account");
    await connectWallet(page);
    wallet.rejectNext("personal_sign");
    await page.getByTestId("sign-in-button").click();
    // (Next's route announcer is also role="alert"; ours carries a test id.)
    await page.getByTestId("wallet-error").waitFor();
    expect(await page.getByTestId("wallet-error").getAttribute("role")).toBe("alert");
    expect(await page.getByTestId("wallet-error").textContent()).toMatch(/declined/i);
    expect(await page.getByTestId("signed-in-address").count()).toBe(0);
  });

  test("a shopper signs in with the injected wallet and pays through escrow in ETH", async () => {
    await resetSignInBudget();
    const shopper = account("shopper");
    const context = await browser.newContext();
    const wallet = await installTestWallet(context, { privateKey: shopper.privateKey, rpcUrl: webStack().urls.rpc });
    const page = trackProblems(await context.newPage());
    await signInThroughUi(page, shopper.address);
    await screenshot(page, "account-signed-in");

    const txHash = await payAndWaitForPaid(page, "eth");
    expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
    await screenshot(page, "wallet-checkout-paid");
    expect(wallet.requests.map((r) => r.method)).toContain("eth_sendTransaction");

    const order = await latestEscrowOrder(shopper.address);
    expect(order?.token).toBe("0x0000000000000000000000000000000000000000");
    const [priced] = await query<{ total_minor: string; fee_minor: string; option: string }>(
      `select o.total_minor, d.fee_minor, d.option from commerce.orders o
         join commerce.order_deliveries d on d.order_id = o.id where o.id = $1`,
      [order?.id],
    );
    expect(priced?.option).toBe("standard");
    expect(BigInt(priced?.fee_minor ?? 0)).toBeGreaterThan(0n);
    expect(BigInt(priced?.total_minor ?? 0)).toBe(
      BigInt(webStack().fixtures.offer.priceMinor) + BigInt(priced?.fee_minor ?? 0),
    );
    const [onChain] = await query<{ state: string; buyer: string }>(
      `select state, buyer from "${webStack().viewsSchema}".escrow_order where id = $1`,
      [order?.chain_order_id],
    );
    expect(onChain).toEqual({ state: "paid", buyer: shopper.address.toLowerCase() });
    expect(page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"))).toEqual([]);
  });

  test("paying with the stablecoin signs a permit and needs no approve transaction", async () => {
    await resetSignInBudget();
    const shopper = account("shopper2");
    const stack = webStack();
    // TestStablecoin lets anyone mint; the shopper gets enough tUSD for one phone.
    const deployment = JSON.parse(await readFile(stack.deploymentFile, "utf8")) as {
      contracts: { TestStablecoin: { address: `0x${string}` } };
    };
    const minter = createWalletClient({
      account: privateKeyToAccount(shopper.privateKey),
      chain: { ...hardhat, id: stack.chainId },
      transport: http(stack.urls.rpc),
    });
    await minter.writeContract({
      address: deployment.contracts.TestStablecoin.address,
      abi: testStablecoinAbi,
      functionName: "mint",
      args: [shopper.address, parseUnits("100", 6)],
    });

    const context = await browser.newContext();
    const wallet = await installTestWallet(context, { privateKey: shopper.privateKey, rpcUrl: stack.urls.rpc });
    const page = await context.newPage();
    await signInThroughUi(page, shopper.address);
    await payAndWaitForPaid(page, "stablecoin");

    const methods = wallet.requests.map((r) => r.method);
    expect(methods).toContain("eth_signTypedData_v4");
    expect(methods.filter((m) => m === "eth_sendTransaction")).toHaveLength(1);
    const order = await latestEscrowOrder(shopper.address);
    expect(order?.token).toBe(deployment.contracts.TestStablecoin.address.toLowerCase());
  });

  test("a new wallet signs in, downloads its data and deletes its account", async () => {
    await resetSignInBudget();
    const context = await browser.newContext();
    const wallet = await installTestWallet(context, { privateKey: generatePrivateKey(), rpcUrl: webStack().urls.rpc });
    const page = trackProblems(await context.newPage());
    await signInThroughUi(page, wallet.address);

    const exported = await context.request.get("/api/account/export");
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-disposition"]).toMatch(/^attachment; filename="neocart-data-/);
    const data = (await exported.json()) as { wallets: { address: string }[] };
    expect(data.wallets.map((w) => w.address)).toEqual([wallet.address.toLowerCase()]);

    const [linked] = await query<{ user_id: string }>("select user_id from commerce.wallets where address = $1", [
      wallet.address.toLowerCase(),
    ]);
    await page.getByTestId("delete-confirm").fill("delete");
    await page.getByTestId("delete-account").click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "DELETE" }).count()).toBe(1);
    await page.getByTestId("delete-confirm").fill("DELETE");
    await page.getByTestId("delete-account").click();
    await page.waitForURL(/\/account\?deleted=1$/);
    await page.getByTestId("connect-wallet").or(page.getByTestId("sign-in-button")).first().waitFor();
    expect(await page.getByTestId("signed-in-address").count()).toBe(0);
    const [user] = await query<{ deleted: boolean }>(
      "select deleted_at is not null as deleted from commerce.users where id = $1",
      [linked?.user_id],
    );
    expect(user?.deleted).toBe(true);
    const session = await context.request.get("/api/auth/session");
    expect(await session.json()).toEqual({ address: null });
  });

  test("a cart with two products is explained, with each item offered alone", async () => {
    const stack = webStack();
    const [other] = await query<{ id: string }>(
      `select o.id from commerce.offers o
        where o.active and o.stock > 0 and o.product_id <> (select product_id from commerce.offers where id = $1)
        limit 1`,
      [stack.fixtures.offer.id],
    );
    const token = `e2e-wallet-multi-${Date.now()}`.padEnd(43, "x").slice(0, 43);
    const [cart] = await query<{ id: string }>(
      "insert into commerce.carts (share_token, collaborative) values ($1, true) returning id",
      [token],
    );
    await query("insert into commerce.cart_items (cart_id, offer_id, quantity) values ($1, $2, 1), ($1, $3, 1)", [
      cart?.id,
      stack.fixtures.offer.id,
      other?.id,
    ]);
    try {
      const page = await browser.newPage();
      await page.goto(`/checkout/wallet?cart=${token}`);
      await page.getByTestId("checkout-multi-product").waitFor();
      expect(await page.getByTestId("buy-alone").count()).toBe(2);
      expect(await page.getByTestId("pay-button").count()).toBe(0);
      await screenshot(page, "wallet-checkout-multi-product");
    } finally {
      await query("delete from commerce.carts where id = $1", [cart?.id]);
    }
  });
});
