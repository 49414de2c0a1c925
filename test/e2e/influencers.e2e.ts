// An influencer purchase paying commission, end to end in Chromium against the e2e stack: a new
// wallet opens a creator storefront and curates the e2e product; a shopper opens the storefront
// (commission disclosed before any product), follows the product, and pays by wallet; the seller
// ships and the buyer confirms on chain; the Escrow credits the creator exactly
// (amount - fee) * bps / 10 000 with the bps from the seller's terms on the server; the creator's
// dashboard shows it credited, and the Withdraw button empties the credit.
import type { Page } from "playwright-core";
import { type Address, type Hex, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { escrowAbi } from "../../lib/contracts/abis.ts";
import { toEscrowOrderRow } from "../../lib/dashboards/escrow-terms.ts";
import type { DevAccount } from "../../scripts/web/dev-accounts.ts";
import { browserHarness, screenshot, trackProblems } from "./support/browser.ts";
import {
  type ArrangedOrder,
  connectIfAsked,
  escrowCall,
  INDEXED_TIMEOUT_MS,
  publicClient,
  stackContracts,
  waitForState,
} from "./support/escrow-orders.ts";
import { installTestWallet } from "./support/injected-wallet.ts";
import { signIn } from "./support/sign-in.ts";
import { account, query, webStack } from "./support/stack.ts";

const browser = browserHarness(() => webStack().urls.app);
/** The seller's own terms for this test (the platform default is 5 %), put back afterwards. */
const SELLER_BPS = 800;

let creator: DevAccount;
let handle: string;
let previousTerms: { commission_bps: number }[] = [];

const serverErrors = (page: { problems: string[] }) =>
  page.problems.filter((p) => p.startsWith("page error") || p.startsWith("HTTP 5"));

beforeAll(async () => {
  const privateKey = generatePrivateKey();
  creator = { index: -1, address: privateKeyToAccount(privateKey).address, privateKey };
  handle = `e2e-creator-${creator.address.slice(2, 10).toLowerCase()}`;
  // A fresh wallet each run (the chain and database outlive a run): gas for the withdrawal.
  await publicClient().request({
    method: "hardhat_setBalance" as never,
    params: [creator.address, "0x8ac7230489e80000"] as never,
  });
  const { sellerId } = webStack().fixtures;
  previousTerms = await query("select commission_bps from commerce.creator_commission_terms where seller_id = $1", [
    sellerId,
  ]);
  await query(
    `insert into commerce.creator_commission_terms (seller_id, commission_bps) values ($1, $2)
     on conflict (seller_id) do update set commission_bps = excluded.commission_bps`,
    [sellerId, SELLER_BPS],
  );
});

afterAll(async () => {
  // The shopper's click is also stored against their user: left in place, it would credit this
  // creator for the next wallet purchase of the e2e product another test file makes.
  await query(
    "delete from commerce.creator_referrals where creator_id in (select id from commerce.creator_profiles where handle = $1)",
    [handle],
  );
  const { sellerId } = webStack().fixtures;
  const [previous] = previousTerms;
  if (previous) {
    await query("update commerce.creator_commission_terms set commission_bps = $2 where seller_id = $1", [
      sellerId,
      previous.commission_bps,
    ]);
  } else {
    await query("delete from commerce.creator_commission_terms where seller_id = $1", [sellerId]);
  }
});

/** RainbowKit connect + SIWE through the account page, as a shopper does before paying by wallet. */
async function signInThroughUi(page: Page, address: string) {
  await page.goto("/account");
  await page.getByTestId("connect-wallet").click();
  await page
    .locator('[data-testid="rk-wallet-option-dev.neocart.testwallet"], [data-testid="rk-wallet-option-injected"]')
    .first()
    .click();
  await page.getByTestId("sign-in-button").click();
  await expect
    .poll(() => page.getByTestId("signed-in-address").textContent(), { timeout: 15_000 })
    .toBe(address.toLowerCase());
}

async function creditOf(who: Address): Promise<bigint> {
  const { Escrow } = await stackContracts();
  return publicClient().readContract({
    address: Escrow,
    abi: escrowAbi,
    functionName: "creditOf",
    args: [zeroAddress, who],
  });
}

describe("influencer storefronts", () => {
  test("an influencer purchase pays the creator's commission on chain", async () => {
    const stack = webStack();
    const { product } = stack.fixtures;

    // 1. The creator opens a storefront and curates the e2e product, through the dashboard's forms.
    const creatorContext = await browser.newContext();
    await installTestWallet(creatorContext, { privateKey: creator.privateKey, rpcUrl: stack.urls.rpc });
    await signIn(creatorContext, creator);
    const dashboard = trackProblems(await creatorContext.newPage());
    await dashboard.goto("/creator");
    await dashboard.getByTestId("creator-handle").fill(handle);
    await dashboard.getByTestId("creator-display-name").fill("E2E Creator");
    await dashboard.locator("#creator-bio").fill("Phones I would buy again.");
    await dashboard.getByTestId("save-profile").click();
    await dashboard.getByTestId("creator-public-link").waitFor();
    await dashboard.getByTestId("pick-product").fill(`${stack.origin}/product/${product.slug}`);
    await dashboard.getByTestId("pick-note").fill("Battery lasts two days.");
    await dashboard.getByTestId("add-pick").click();
    await dashboard.locator(`[data-testid="my-pick"][data-slug="${product.slug}"]`).waitFor();
    await screenshot(dashboard, "creator-dashboard-new");

    // 2. A shopper opens the storefront: the disclosure comes before the products.
    const shopper = account("shopper");
    const shopperContext = await browser.newContext();
    await installTestWallet(shopperContext, { privateKey: shopper.privateKey, rpcUrl: stack.urls.rpc });
    const page = trackProblems(await shopperContext.newPage());
    await signInThroughUi(page, shopper.address);
    await page.goto(`/creators/${handle}`);
    expect(await page.getByTestId("creator-name").textContent()).toBe("E2E Creator");
    expect(await page.getByTestId("creator-disclosure").textContent()).toMatch(/E2E Creator earns a commission/);
    const pick = page.locator(`[data-testid="creator-pick"][data-slug="${product.slug}"]`);
    expect(await pick.getByTestId("creator-pick-price").textContent()).toMatch(/25\.00/);
    expect(await pick.textContent()).toContain("Battery lasts two days.");
    await screenshot(page, "creator-storefront");

    // 3. Following the product records the click; the shopper buys it by wallet.
    await pick.getByTestId("creator-pick-link").click();
    await page.waitForURL(`**/product/${product.slug}`);
    await page.getByTestId("buy-with-wallet").first().click();
    await page.waitForURL("**/checkout/wallet**");
    await page.getByTestId("token-eth").check();
    await page.getByTestId("delivery-area").selectOption("us-sf-mission");
    await page.getByTestId("delivery-option-standard").waitFor({ timeout: 20_000 });
    await page.getByTestId("pay-button").click();
    await expect
      .poll(() => page.getByTestId("order-status").getAttribute("data-status"), {
        timeout: INDEXED_TIMEOUT_MS,
        interval: 500,
      })
      .toBe("paid");

    const [attributed] = await query<{
      id: string;
      chain_order_id: string;
      affiliate_address: string;
      commission_bps: number;
    }>(
      `select o.id, o.chain_order_id, a.affiliate_address, a.commission_bps
         from commerce.creator_order_attributions a join commerce.orders o on o.id = a.order_id
         join commerce.creator_profiles c on c.id = a.creator_id
        where c.handle = $1 order by a.created_at desc limit 1`,
      [handle],
    );
    expect(attributed).toMatchObject({ affiliate_address: creator.address.toLowerCase(), commission_bps: SELLER_BPS });
    const chainOrderId = attributed?.chain_order_id as Hex;
    const [row] = await query<Parameters<typeof toEscrowOrderRow>[0]>(
      `select id, buyer, seller, token, amount::text as amount, fee::text as fee, affiliate, affiliate_bps,
              cashback::text as cashback, product_id, delivery_window::text as delivery_window, state,
              deadline::text as deadline, created_at::text as created_at, buyer_bps
         from "${stack.viewsSchema}".escrow_order where id = $1`,
      [chainOrderId],
    );
    if (!row) throw new Error(`order ${chainOrderId} is not indexed`);
    const { terms } = toEscrowOrderRow(row);
    // What the server signed and the shopper paid: the creator's wallet at the seller's rate.
    expect(terms.affiliate).toBe(creator.address);
    expect(terms.affiliateBps).toBe(SELLER_BPS);

    // 4. The seller ships, the buyer confirms: the Escrow completes and credits the creator.
    const order: ArrangedOrder = {
      id: attributed?.id as string,
      chainOrderId,
      order: {
        ...terms,
        amount: BigInt(terms.amount),
        fee: BigInt(terms.fee),
        cashback: BigInt(terms.cashback),
      },
    };
    expect(await creditOf(creator.address)).toBe(0n);
    await escrowCall(account("seller"), "markShipped", order);
    await escrowCall(shopper, "confirmDelivery", order);
    await waitForState(chainOrderId, "completed");
    const expectedShare = ((BigInt(terms.amount) - BigInt(terms.fee)) * BigInt(SELLER_BPS)) / 10_000n;
    expect(expectedShare).toBeGreaterThan(0n);
    expect(await creditOf(creator.address)).toBe(expectedShare);

    // 5. The creator's dashboard shows it credited (from the indexer), and withdraws it.
    await dashboard.goto("/creator");
    const orderRow = dashboard.locator(`[data-testid="attributed-order"][data-chain-order-id="${chainOrderId}"]`);
    await expect
      .poll(() => orderRow.getAttribute("data-status"), { timeout: INDEXED_TIMEOUT_MS, interval: 1000 })
      .toBe("credited");
    expect(await orderRow.getAttribute("data-share")).toBe(expectedShare.toString());
    expect(await dashboard.getByTestId("commission-credited").getAttribute("data-raw")).toBe(expectedShare.toString());
    expect(await dashboard.getByTestId("withdrawable-balance").getAttribute("data-raw")).toBe(expectedShare.toString());
    await screenshot(dashboard, "creator-dashboard-credited");
    await connectIfAsked(dashboard);
    await dashboard.getByTestId("withdraw-button").click();
    await expect.poll(() => creditOf(creator.address), { timeout: INDEXED_TIMEOUT_MS, interval: 500 }).toBe(0n);

    expect(serverErrors(page)).toEqual([]);
    expect(serverErrors(dashboard)).toEqual([]);
  });

  test("a storefront fits a phone and an unknown creator is a 404", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`/creators/${handle}`);
    await page.getByTestId("creator-disclosure").waitFor();
    const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    const missing = await page.goto("/creators/nobody-has-this-handle");
    expect(missing?.status()).toBe(404);
  });
});
