// The harness itself: the stack answers, Chromium renders the app, the programmatic sign-in
// gives the browser a session the server recognises, and the injected test wallet answers the
// EIP-1193 calls a dapp makes (accounts, chain, signatures, a real transaction on the e2e chain).
import { createPublicClient, type Hex, http, parseEther, recoverMessageAddress, toHex } from "viem";
import { describe, expect, test } from "vitest";
import { browserHarness } from "./support/browser.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
/** expect.poll gives up after 1 s by default; pages on a busy machine take longer. */
const POLL = { timeout: 20_000 };

describe("e2e harness", () => {
  test("the stack is up: app, database fixtures, chain and indexer views", async () => {
    const stack = webStack();
    expect((await fetch(`${stack.urls.app}/`)).status).toBe(200);
    const [offer] = await query<{ stock: number }>("select stock from commerce.offers where id = $1", [
      stack.fixtures.offer.id,
    ]);
    expect(offer?.stock).toBeGreaterThan(0);
    const [orders] = await query<{ n: string }>(`select count(*) as n from ${stack.viewsSchema}.escrow_order`);
    expect(Number(orders?.n)).toBeGreaterThan(0);
  });

  test("a signed-in context carries the session the server recognises", async () => {
    const context = await browser.newContext();
    const shopper = account("shopper");
    await signIn(context, shopper);
    const page = await context.newPage();
    await page.goto("/");
    await expect
      .poll(() => page.getByTestId("wallet-entry").textContent(), POLL)
      .toContain(shopper.address.slice(0, 6));
    const session = await page.evaluate(async () => (await fetch("/api/auth/session")).json());
    expect(JSON.stringify(session).toLowerCase()).toContain(shopper.address.toLowerCase());
  });

  test("the injected wallet is announced (EIP-6963) and signs and sends like a browser wallet", async () => {
    const context = await browser.newContext();
    const shopper = account("shopper");
    const wallet = await installTestWallet(context, { privateKey: shopper.privateKey, rpcUrl: webStack().urls.rpc });
    const page = await context.newPage();
    await page.goto("/empty");

    const announced = await page.evaluate(`new Promise((resolve) => {
      window.addEventListener("eip6963:announceProvider", (e) => resolve(e.detail.info.rdns), { once: true });
      window.dispatchEvent(new Event("eip6963:requestProvider"));
    })`);
    expect(announced).toBe("dev.neocart.testwallet");

    expect(await page.evaluate(`window.ethereum.request({ method: "eth_accounts" })`)).toEqual([]);
    expect(await page.evaluate(`window.ethereum.request({ method: "eth_requestAccounts" })`)).toEqual([
      shopper.address,
    ]);
    expect(await page.evaluate(`window.ethereum.request({ method: "eth_chainId" })`)).toBe(toHex(31337));

    const message = "hello from the test wallet";
    const signature = (await page.evaluate(
      `window.ethereum.request({ method: "personal_sign", params: [${JSON.stringify(toHex(message))}, ${JSON.stringify(shopper.address)}] })`,
    )) as Hex;
    expect(await recoverMessageAddress({ message, signature })).toBe(shopper.address);

    wallet.rejectNext("personal_sign");
    const rejected = await page.evaluate(
      `window.ethereum.request({ method: "personal_sign", params: ["0x00", ${JSON.stringify(shopper.address)}] }).catch((e) => e.code)`,
    );
    expect(rejected).toBe(4001);

    const to = account("shopper2").address;
    const hash = (await page.evaluate(
      `window.ethereum.request({ method: "eth_sendTransaction", params: [{ from: ${JSON.stringify(shopper.address)}, to: ${JSON.stringify(to)}, value: ${JSON.stringify(toHex(parseEther("0.001")))} }] })`,
    )) as Hex;
    const client = createPublicClient({ transport: http(webStack().urls.rpc) });
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(receipt.from.toLowerCase()).toBe(shopper.address.toLowerCase());
    expect(wallet.requests.map((r) => r.method)).toContain("eth_sendTransaction");
  });
});
