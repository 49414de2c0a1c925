// Escrow orders arranged from Node, for browser tests that start from an order rather than test
// the checkout page (it has its own tests): bought through the commerce modules and the chain,
// then followed through the indexer's views. Also the RainbowKit connect step dashboards ask for.
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { expect } from "vitest";
import { addCartItem, createCart } from "../../../lib/cart/index.ts";
import { escrowAbi } from "../../../lib/contracts/abis.ts";
import type { Db } from "../../../lib/db/client.ts";
import { createEscrowCheckout } from "../../../lib/orders/index.ts";
import { loadQuoteSigners } from "../../../lib/quotes/signer-keys.ts";
import type { DevAccount } from "../../../scripts/web/dev-accounts.ts";
import { account, query, webStack } from "./stack.ts";

export const INDEXED_TIMEOUT_MS = 60_000;

export type ArrangedOrder = {
  /** commerce.orders id */
  id: string;
  chainOrderId: Hex;
  order: Awaited<ReturnType<typeof createEscrowCheckout>>["quote"]["order"];
};

/** The stack's Escrow and Reviews addresses, from its deployment record. */
export async function stackContracts(): Promise<{ Escrow: Address; Reviews: Address }> {
  const record = JSON.parse(await readFile(webStack().deploymentFile, "utf8")) as {
    contracts: Record<string, { address: Address }>;
  };
  return {
    Escrow: record.contracts.Escrow?.address as Address,
    Reviews: record.contracts.Reviews?.address as Address,
  };
}

export function walletOf(who: DevAccount) {
  const stack = webStack();
  return createWalletClient({
    account: privateKeyToAccount(who.privateKey),
    chain: { ...hardhat, id: stack.chainId },
    transport: http(stack.urls.rpc),
  });
}

export const publicClient = () => createPublicClient({ transport: http(webStack().urls.rpc) });

export async function mined(sent: Promise<Hex>): Promise<void> {
  const receipt = await publicClient().waitForTransactionReceipt({ hash: await sent });
  expect(receipt.status).toBe("success");
}

export async function chainState(orderId: string): Promise<{ state: string; buyer_bps: number | null } | undefined> {
  const [row] = await query<{ state: string; buyer_bps: number | null }>(
    `select state, buyer_bps from "${webStack().viewsSchema}".escrow_order where id = $1`,
    [orderId],
  );
  return row;
}

export async function waitForState(orderId: string, state: string): Promise<void> {
  await expect
    .poll(async () => (await chainState(orderId))?.state, { timeout: INDEXED_TIMEOUT_MS, interval: 300 })
    .toBe(state);
}

/** A paid escrow order of the e2e product, bought by `buyer` in ETH, as the checkout page makes it. */
export async function paidEscrowOrder(db: Db, buyer: "shopper" | "shopper2"): Promise<ArrangedOrder> {
  return paidEscrowOrderBy(db, account(buyer), webStack().fixtures.userIds[buyer]);
}

/** The same for any account signed in as `userId` (a wallet a test made itself). */
export async function paidEscrowOrderBy(db: Db, who: DevAccount, userId: string): Promise<ArrangedOrder> {
  const stack = webStack();
  const contracts = await stackContracts();
  const cart = await createCart(db, { ownerUserId: userId });
  await addCartItem(db, { via: "owner", cartId: cart.id, userId }, { offerId: stack.fixtures.offer.id, quantity: 1 });
  const checkout = await createEscrowCheckout(
    db,
    { cartId: cart.id, buyerAddress: who.address, userId, currency: "USD" },
    {
      signers: loadQuoteSigners(stack.appEnv),
      chain: { chainId: stack.chainId, escrow: contracts.Escrow, reviews: contracts.Reviews },
    },
  );
  await mined(
    walletOf(who).writeContract({
      address: contracts.Escrow,
      abi: escrowAbi,
      functionName: "checkout",
      args: [checkout.quote, checkout.signature],
      value: checkout.value,
    }),
  );
  await waitForState(checkout.quote.orderId, "paid");
  return { id: checkout.order.id, chainOrderId: checkout.quote.orderId, order: checkout.quote.order };
}

/** One escrow action on `o`, sent by `who` and mined. */
export async function escrowCall(
  who: DevAccount,
  functionName: "markShipped" | "confirmDelivery" | "openDispute",
  o: ArrangedOrder,
): Promise<void> {
  const { Escrow } = await stackContracts();
  await mined(
    walletOf(who).writeContract({ address: Escrow, abi: escrowAbi, functionName, args: [o.chainOrderId, o.order] }),
  );
}

/** Connects the injected wallet through RainbowKit when a widget on the page asks for it. */
export async function connectIfAsked(page: Page): Promise<void> {
  const gate = page.getByTestId("wallet-connect").first();
  if ((await gate.count()) === 0) return;
  await gate.getByTestId("rk-connect-button").click();
  await page
    .locator('[data-testid="rk-wallet-option-dev.neocart.testwallet"], [data-testid="rk-wallet-option-injected"]')
    .first()
    .click();
  await expect.poll(() => page.getByTestId("wallet-connect").count(), { timeout: 15_000 }).toBe(0);
}
