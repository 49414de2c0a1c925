// A scenario that makes the contracts emit every event they can emit (see NEVER_EMITTED for the
// few the deployed contracts cannot), through real transactions. The indexer test runs it and
// checks rows and API answers; the dev seed runs a small part of it.
import { type Address, type Hex, keccak256, parseEther, parseUnits, toHex, zeroAddress } from "viem";
import { groupBuyAbi } from "../../lib/contracts/abis.ts";
import { contentHashOf, type Driver, orderIdOf, productIdOf } from "./marketplace-driver.ts";

/** Events in the ABIs that no reachable call of the deployed contracts emits, with the reason. */
export const NEVER_EMITTED: Record<string, string> = {
  "*:RoleAdminChanged": "no contract calls _setRoleAdmin",
  "*:EIP712DomainChanged": "the EIP-712 domains are immutable (no upgrade path)",
  "Badges:TransferBatch": "badges are awarded one at a time and are soulbound",
  "Badges:ApprovalForAll": "Badges.setApprovalForAll always reverts (soulbound)",
};

const role = (name: string) => keccak256(toHex(name));

export async function runEveryEventScenario(d: Driver, tag = "every-event") {
  const [admin, , arbiter, treasury, buyer, seller, affiliate, buyer2, seller2, p1, p2, newTreasury, stranger] =
    d.accounts as [Address, ...Address[]] as Address[] as [
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
      Address,
    ];
  const m = d.mined;
  const stable = d.contracts.TestStablecoin.address;
  const ids = {
    a: orderIdOf(`${tag}-a`), // ETH, affiliate, cashback: shipped, confirmed, reviewed
    b: orderIdOf(`${tag}-b`), // stablecoin: disputed, resolved by the arbiter
    c: orderIdOf(`${tag}-c`), // refunded by the seller
    d: orderIdOf(`${tag}-d`), // redeems points, released after the delivery window
    e: orderIdOf(`${tag}-e`), // disputed, stale dispute settled
    f: orderIdOf(`${tag}-f`), // cancelled unshipped after ship-by
    fiat: orderIdOf(`${tag}-fiat`), // reviewed with a signed receipt
  };
  const productA = productIdOf(`${tag}-product-a`);
  const productFiat = productIdOf(`${tag}-product-fiat`);

  // Stablecoin: mint and approve (Transfer, Approval).
  await m(d.stablecoinCall(buyer, "mint", [buyer, parseUnits("1000", 6)]));

  // A: ETH order with an affiliate and cashback; shipped, confirmed, reviewed.
  const a = d.order({
    buyer,
    seller,
    amount: parseEther("1"),
    fee: parseEther("0.025"),
    affiliate,
    affiliateBps: 1_000,
    cashback: parseEther("5"),
    productId: productA,
  });
  await m(d.checkout(ids.a, a));
  await m(d.ship(ids.a, a));
  await m(d.confirm(ids.a, a));
  await m(d.review(buyer, ids.a, productA, 4, contentHashOf(`${tag}: great`)));

  // B: stablecoin order, disputed after shipping, split 30/70 by the arbiter.
  const b = d.order({ buyer, seller: seller2, token: stable, amount: parseUnits("100", 6), fee: parseUnits("2", 6) });
  await m(d.checkout(ids.b, b));
  await m(d.ship(ids.b, b));
  await m(d.dispute(ids.b, b));
  await m(d.resolve(ids.b, b, 3_000));

  // C: refunded by the seller.
  const c = d.order({ buyer: buyer2, seller });
  await m(d.checkout(ids.c, c));
  await m(d.refund(ids.c, c));

  // D: pays partly with points (burn), shipped, released by anyone after the delivery window.
  const dOrder = d.order({ buyer, seller, amount: parseEther("0.5") });
  await m(d.checkout(ids.d, dOrder, parseEther("2")));
  await m(d.ship(ids.d, dOrder));
  // E: disputed before shipping; the arbiter stays silent.
  const e = d.order({ buyer: buyer2, seller: seller2 });
  await m(d.checkout(ids.e, e));
  await m(d.dispute(ids.e, e));
  // F: never shipped.
  const f = d.order({ buyer: buyer2, seller });
  await m(d.checkout(ids.f, f));

  // Group buys: pool 1 fills (with an unpledge on the way), pool 2 fails.
  const start = await d.now();
  await m(d.groupBuyCall(admin, "setPlatformFeeBps", [200]));
  await m(d.groupBuyCall(admin, "setCashbackBps", [100]));
  await m(d.groupBuyCall(admin, "setTokenAccepted", [stable, true]));
  const unit = parseEther("0.1");
  const poolProduct = productIdOf(`${tag}-pool-product`);
  await m(
    d.openPool(seller, {
      productId: poolProduct,
      unitPrice: unit,
      minUnits: 3,
      maxUnits: 5,
      deadline: start + 30n * 86_400n,
    }),
  );
  const pool1 = (await d.publicClient.readContract({
    address: d.contracts.GroupBuy.address,
    abi: groupBuyAbi,
    functionName: "poolCount",
  })) as bigint;
  await m(
    d.openPool(seller2, {
      productId: poolProduct,
      unitPrice: unit,
      minUnits: 10,
      maxUnits: 20,
      deadline: start + 86_400n,
    }),
  );
  const pool2 = pool1 + 1n;
  // Unpledging is allowed only while the pool is below its minimum (3 units).
  await m(d.pledge(p1, pool1, 1, unit));
  await m(d.pledge(p2, pool1, 1, unit));
  await m(d.groupBuyCall(p2, "unpledge", [pool1, 1]));
  await m(d.pledge(p2, pool1, 2, 2n * unit));
  await m(d.pledge(p1, pool2, 1, unit));

  // Admin activity on every contract while time has not moved (delays pending).
  const contractsCalls = [d.escrowCall, d.reviewsCall, d.pointsCall, d.badgesCall, d.groupBuyCall] as const;
  for (const call of contractsCalls) {
    await m(call(admin, "beginDefaultAdminTransfer", [stranger]));
    await m(call(admin, "cancelDefaultAdminTransfer", []));
    await m(call(admin, "changeDefaultAdminDelay", [3_600]));
    await m(call(admin, "rollbackDefaultAdminDelay", []));
  }
  await m(d.escrowCall(admin, "grantRole", [role("ARBITER_ROLE"), stranger]));
  await m(d.escrowCall(admin, "revokeRole", [role("ARBITER_ROLE"), stranger]));
  await m(d.reviewsCall(admin, "grantRole", [role("RECEIPT_SIGNER_ROLE"), stranger]));
  await m(d.reviewsCall(admin, "revokeRole", [role("RECEIPT_SIGNER_ROLE"), stranger]));
  await m(d.pointsCall(admin, "grantRole", [role("MINTER_ROLE"), stranger]));
  await m(d.pointsCall(admin, "revokeRole", [role("MINTER_ROLE"), stranger]));
  await m(d.badgesCall(admin, "grantRole", [role("MINTER_ROLE"), stranger]));
  await m(d.badgesCall(admin, "revokeRole", [role("MINTER_ROLE"), stranger]));
  await m(d.groupBuyCall(admin, "grantRole", [role("PAUSER_ROLE"), stranger]));
  await m(d.groupBuyCall(admin, "revokeRole", [role("PAUSER_ROLE"), stranger]));
  await m(d.escrowCall(admin, "pause", []));
  await m(d.escrowCall(admin, "unpause", []));
  await m(d.groupBuyCall(admin, "pause", []));
  await m(d.groupBuyCall(admin, "unpause", []));
  await m(d.escrowCall(admin, "setTokenAccepted", [stable, false]));
  await m(d.escrowCall(admin, "setTokenAccepted", [stable, true]));

  // Badges: awarded by the badge service, URI changed by the admin.
  await m(d.badgesCall(d.roles.badgeMinter, "award", [buyer, 1n]));
  await m(d.badgesCall(admin, "setBadgeURI", [1n, "ipfs://neocart/first-purchase.json"]));

  // Fiat purchase reviewed with a receipt signed by the app.
  await m(d.reviewWithReceipt(buyer2, ids.fiat, productFiat, 5, contentHashOf(`${tag}: fiat review`)));

  // Points: approve and transfer.
  await m(d.pointsCall(buyer, "approve", [buyer2, parseEther("1")]));
  await m(d.pointsCall(buyer, "transfer", [buyer2, parseEther("1")]));

  // Eight days later: release D, settle E's stale dispute, cancel F, refund pool 2, settle pool 1.
  await d.increaseTime(8 * 86_400);
  await m(d.release(stranger, ids.d, dOrder));
  await m(d.settleStale(stranger, ids.e, e));
  await m(d.cancelUnshipped(ids.f, f));
  await m(d.groupBuyCall(p1, "refund", [pool2]));
  await m(d.groupBuyCall(stranger, "settlePledge", [pool1, p1]));
  await m(d.groupBuyCall(stranger, "settlePledge", [pool1, p2]));

  // Withdrawals: seller (ETH), affiliate, treasury (fees), then the treasury moves.
  await m(d.withdraw(seller, zeroAddress));
  await m(d.withdraw(affiliate, zeroAddress));
  await m(d.withdraw(treasury, zeroAddress));
  await m(d.withdraw(buyer, stable));
  await m(d.escrowCall(admin, "setTreasury", [newTreasury]));

  const block = await d.publicClient.getBlockNumber();
  return {
    block,
    ids,
    orders: { a, b, c, d: dOrder, e, f },
    accounts: { admin, arbiter, treasury, buyer, seller, affiliate, buyer2, seller2, p1, p2, newTreasury, stranger },
    products: { productA, productFiat, poolProduct },
    pools: { pool1, pool2 },
    contentHashes: { a: contentHashOf(`${tag}: great`), fiat: contentHashOf(`${tag}: fiat review`) },
  };
}

export type EveryEventResult = Awaited<ReturnType<typeof runEveryEventScenario>>;
export type { Hex };
