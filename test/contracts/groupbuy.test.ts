import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import type { ContractReturnType, WalletClient } from "@nomicfoundation/hardhat-viem/types";
import { network } from "hardhat";
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  parseEther,
  parseUnits,
  zeroAddress,
} from "viem";
import {
  ADMIN_DELAY,
  type Core,
  type CoreConnection,
  deployCore,
  ETH,
  mined,
  now,
  productIdOf,
  State,
  signPermit,
} from "./fixtures/deploy-core.ts";

/** `list[i]`, failing loudly when the fixture has fewer entries than a test needs. */
function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`expected at least ${i + 1} entries, got ${list.length}`);
  return item;
}

/** Mirror of `IGroupBuy.PoolState`. */
const PoolState = { None: 0, Open: 1, Succeeded: 2, Failed: 3 } as const;
const FEE_BPS = 250;
const DELIVERY = 3 * 86_400;
const ORGANISER_BADGE = 3n;

interface GroupBuyCore extends Core {
  groupBuy: ContractReturnType<"GroupBuy">;
}

/** The core fixture plus GroupBuy wired as the deploy wires it (escrow POOL_ROLE, badges MINTER_ROLE). */
async function deployGroupBuy(connection: CoreConnection): Promise<GroupBuyCore> {
  const core = await deployCore(connection);
  const { viem, accounts, escrow, badges, stablecoin } = core;
  const from = { account: accounts.admin.account };
  const groupBuy = await viem.deployContract(
    "GroupBuy",
    [Number(ADMIN_DELAY), accounts.admin.account.address, escrow.address, badges.address, FEE_BPS],
    { client: { wallet: accounts.admin } },
  );
  await mined(core, escrow.write.grantRole([await escrow.read.POOL_ROLE(), groupBuy.address], from));
  await mined(core, badges.write.grantRole([await badges.read.MINTER_ROLE(), groupBuy.address], from));
  await mined(core, groupBuy.write.setTokenAccepted([stablecoin.address, true], from));
  return { ...core, groupBuy };
}

describe("GroupBuy (viem flows)", async () => {
  const connection = await network.create();
  const { networkHelpers, viem } = connection;
  const fixture = async function groupBuyFixture() {
    return deployGroupBuy(connection);
  };
  let core: GroupBuyCore;

  beforeEach(async () => {
    core = await networkHelpers.loadFixture(fixture);
  });

  const addr = (w: WalletClient) => w.account.address;

  async function openPool(terms: {
    token?: Address;
    unitPrice?: bigint;
    minUnits: number;
    maxUnits: number;
    duration?: bigint;
    sku?: string;
  }): Promise<{ poolId: bigint; deadline: bigint; unitPrice: bigint }> {
    const { groupBuy, accounts } = core;
    const deadline = (await now(core)) + (terms.duration ?? 86_400n);
    const unitPrice = terms.unitPrice ?? parseEther("0.01");
    await mined(
      core,
      groupBuy.write.openPool(
        [
          {
            productId: productIdOf(terms.sku ?? "sku-groupbuy"),
            token: terms.token ?? ETH,
            unitPrice,
            minUnits: terms.minUnits,
            maxUnits: terms.maxUnits,
            deadline: Number(deadline),
            deliveryWindow: DELIVERY,
          },
        ],
        { account: accounts.seller.account },
      ),
    );
    return { poolId: await groupBuy.read.poolCount(), deadline, unitPrice };
  }

  function pledgeEth(poolId: bigint, units: number, unitPrice: bigint, who: WalletClient | Address) {
    const account = typeof who === "string" ? who : who.account;
    return core.groupBuy.write.pledge([poolId, units], {
      account,
      value: unitPrice * BigInt(units),
    });
  }

  const orderIdOf = (poolId: bigint, pledger: Address): Hex =>
    keccak256(
      encodeAbiParameters(
        [{ type: "address" }, { type: "uint256" }, { type: "address" }],
        [core.groupBuy.address, poolId, pledger],
      ),
    );

  it("a pool that fills: opening awards the organiser badge, pledges settle into escrow orders, one ships and completes", async () => {
    const { groupBuy, escrow, badges, accounts } = core;
    const { poolId, unitPrice } = await openPool({ minUnits: 3, maxUnits: 5 });
    assert.equal(await badges.read.hasBadge([addr(accounts.seller), ORGANISER_BADGE]), true);

    const pledgers = [accounts.buyer, accounts.buyer2, nth(accounts.others, 0)];
    await viem.assertions.emitWithArgs(pledgeEth(poolId, 1, unitPrice, nth(pledgers, 0)), groupBuy, "Pledged", [
      poolId,
      addr(nth(pledgers, 0)),
      1,
      unitPrice,
      1,
    ]);
    assert.equal(await groupBuy.read.poolState([poolId]), PoolState.Open);
    await mined(core, pledgeEth(poolId, 1, unitPrice, nth(pledgers, 1)));
    await mined(core, pledgeEth(poolId, 2, unitPrice, nth(pledgers, 2)));
    assert.equal(await groupBuy.read.poolState([poolId]), PoolState.Succeeded);
    assert.equal(await viem.getPublicClient().then((c) => c.getBalance({ address: groupBuy.address })), unitPrice * 4n);

    // Anyone settles, one pledger at a time.
    for (const p of pledgers) {
      const [units] = await groupBuy.read.pledgeOf([poolId, addr(p)]);
      const amount = unitPrice * BigInt(units);
      const orderId = orderIdOf(poolId, addr(p));
      assert.equal(await groupBuy.read.orderIdOf([poolId, addr(p)]), orderId);
      await viem.assertions.emitWithArgs(
        groupBuy.write.settlePledge([poolId, addr(p)], { account: accounts.stranger.account }),
        groupBuy,
        "PledgeSettled",
        [poolId, addr(p), orderId, amount],
      );
      const [state] = await escrow.read.orderState([orderId]);
      assert.equal(state, State.Paid);
    }
    assert.equal(await viem.getPublicClient().then((c) => c.getBalance({ address: groupBuy.address })), 0n);
    assert.equal(await viem.getPublicClient().then((c) => c.getBalance({ address: escrow.address })), unitPrice * 4n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      groupBuy.write.settlePledge([poolId, addr(nth(pledgers, 0))], {
        account: accounts.stranger.account,
      }),
      groupBuy,
      "PledgeAlreadySettled",
      [poolId, addr(nth(pledgers, 0))],
    );

    // The third pledger's order goes through the escrow: shipped, confirmed, seller and treasury credited.
    const [orderId, order] = await groupBuy.read.orderOf([poolId, addr(nth(pledgers, 2))]);
    assert.equal(getAddress(order.buyer), getAddress(addr(nth(pledgers, 2))));
    assert.equal(getAddress(order.seller), getAddress(addr(accounts.seller)));
    assert.equal(order.amount, unitPrice * 2n);
    assert.equal(order.fee, (unitPrice * 2n * BigInt(FEE_BPS)) / 10_000n);
    assert.equal(order.affiliate, zeroAddress);
    await mined(core, escrow.write.markShipped([orderId, order], { account: accounts.seller.account }));
    await viem.assertions.emit(
      escrow.write.confirmDelivery([orderId, order], { account: nth(pledgers, 2).account }),
      escrow,
      "OrderCompleted",
    );
    const [state] = await escrow.read.orderState([orderId]);
    assert.equal(state, State.Completed);
    assert.equal(await escrow.read.creditOf([ETH, addr(accounts.seller)]), order.amount - order.fee);
    assert.equal(await escrow.read.creditOf([ETH, addr(accounts.treasury)]), order.fee);
    await viem.assertions.balancesHaveChanged(escrow.write.withdraw([ETH], { account: accounts.seller.account }), [
      { address: addr(accounts.seller), amount: order.amount - order.fee },
    ]);
  });

  it("a stablecoin pool that fills through permit pledges settles into token escrow orders", async () => {
    const { groupBuy, escrow, stablecoin, accounts } = core;
    const unitPrice = parseUnits("25", 6);
    const { poolId } = await openPool({
      token: stablecoin.address,
      unitPrice,
      minUnits: 2,
      maxUnits: 2,
    });
    for (const p of [accounts.buyer, accounts.buyer2]) {
      const permit = await signPermit(core, p, groupBuy.address, unitPrice);
      await mined(
        core,
        groupBuy.write.pledgeWithPermit([poolId, 1, permit.deadline, permit.v, permit.r, permit.s], {
          account: p.account,
        }),
      );
    }
    assert.equal(await groupBuy.read.poolState([poolId]), PoolState.Succeeded);
    const [heldBefore, escrowBefore] = await Promise.all([
      stablecoin.read.balanceOf([groupBuy.address]),
      stablecoin.read.balanceOf([escrow.address]),
    ]);
    await mined(
      core,
      groupBuy.write.settlePledge([poolId, addr(accounts.buyer)], {
        account: accounts.stranger.account,
      }),
    );
    assert.equal(await stablecoin.read.balanceOf([groupBuy.address]), heldBefore - unitPrice);
    assert.equal(await stablecoin.read.balanceOf([escrow.address]), escrowBefore + unitPrice);
    const [state] = await escrow.read.orderState([orderIdOf(poolId, addr(accounts.buyer))]);
    assert.equal(state, State.Paid);
  });

  it("a pool that expires: every pledger refunds exactly its pledge, once", async () => {
    const { groupBuy, accounts } = core;
    const { poolId, deadline, unitPrice } = await openPool({ minUnits: 10, maxUnits: 20 });
    const pledges: [WalletClient, number][] = [
      [accounts.buyer, 3],
      [accounts.buyer2, 1],
      [nth(accounts.others, 0), 4],
      [nth(accounts.others, 1), 1],
    ];
    for (const [p, units] of pledges) await mined(core, pledgeEth(poolId, units, unitPrice, p));
    // One pledger takes a unit back while the pool is open.
    await viem.assertions.balancesHaveChanged(
      groupBuy.write.unpledge([poolId, 1], { account: nth(accounts.others, 0).account }),
      [{ address: addr(nth(accounts.others, 0)), amount: unitPrice }],
    );
    nth(pledges, 2)[1] = 3;

    await networkHelpers.time.increaseTo(deadline);
    assert.equal(await groupBuy.read.poolState([poolId]), PoolState.Failed);
    for (const [p, units] of pledges) {
      const amount = unitPrice * BigInt(units);
      await viem.assertions.emitWithArgs(
        groupBuy.write.refund([poolId], { account: p.account }),
        groupBuy,
        "PledgeRefunded",
        [poolId, addr(p), amount],
      );
    }
    const publicClient = await viem.getPublicClient();
    assert.equal(await publicClient.getBalance({ address: groupBuy.address }), 0n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      groupBuy.write.refund([poolId], { account: accounts.buyer.account }),
      groupBuy,
      "NoPledge",
      [poolId, addr(accounts.buyer)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      groupBuy.write.settlePledge([poolId, addr(accounts.buyer2)]),
      groupBuy,
      "PoolNotSucceeded",
      [poolId, PoolState.Failed],
    );
  });

  it("a pledge at the deadline and a refund from a successful pool revert with their errors", async () => {
    const { groupBuy, accounts } = core;
    const { poolId, deadline, unitPrice } = await openPool({ minUnits: 1, maxUnits: 5 });
    await mined(core, pledgeEth(poolId, 1, unitPrice, accounts.buyer));
    // The next block is mined at exactly `deadline`.
    await networkHelpers.time.setNextBlockTimestamp(deadline);
    await viem.assertions.revertWithCustomErrorWithArgs(
      pledgeEth(poolId, 1, unitPrice, accounts.buyer2),
      groupBuy,
      "DeadlinePassed",
      [poolId, Number(deadline)],
    );
    await viem.assertions.revertWithCustomError(
      groupBuy.write.refund([poolId], { account: accounts.buyer.account }),
      groupBuy,
      "PoolNotFailed",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      groupBuy.write.refund([poolId], { account: accounts.buyer.account }),
      groupBuy,
      "PoolNotFailed",
      [poolId, PoolState.Succeeded],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      groupBuy.write.pledge([poolId, 1], { account: accounts.seller.account, value: unitPrice }),
      groupBuy,
      "DeadlinePassed",
      [poolId, Number(deadline)],
    );
  });

  it("gas: pledge by a new buyer <= 60,000; refund <= 40,000 and the same with 10 or 1,000 pledgers", async () => {
    const { groupBuy, accounts } = core;
    const unitPrice = parseEther("0.001");
    const small = await openPool({
      unitPrice,
      minUnits: 2_000,
      maxUnits: 2_000,
      duration: 86_400n,
      sku: "small",
    });
    const large = await openPool({
      unitPrice,
      minUnits: 2_000,
      maxUnits: 2_000,
      duration: 86_400n,
      sku: "large",
    });

    // 1,000 distinct pledgers: impersonated fresh addresses with a balance (as any sender has).
    const pledgerAt = (i: number): Address => `0x${(0xc0ffee0000n + BigInt(i)).toString(16).padStart(40, "0")}`;
    const pledgeGas: bigint[] = [];
    const join = async (poolId: bigint, who: Address) => {
      await networkHelpers.impersonateAccount(who);
      await networkHelpers.setBalance(who, parseEther("1"));
      const receipt = await mined(core, pledgeEth(poolId, 1, unitPrice, who));
      pledgeGas.push(receipt.gasUsed);
    };
    for (let i = 0; i < 10; i++) await join(small.poolId, pledgerAt(i));
    for (let i = 10; i < 1_010; i++) await join(large.poolId, pledgerAt(i));
    // Every pledge here is a new buyer's first (the pool slot is never zero: it holds the price).
    let maxPledge = 0n;
    let minPledge = pledgeGas[0] ?? 0n;
    for (const g of pledgeGas) {
      if (g > maxPledge) maxPledge = g;
      if (g < minPledge) minPledge = g;
    }

    // A token pledge (approve first), for the record.
    const token = await openPool({
      token: core.stablecoin.address,
      unitPrice: parseUnits("5", 6),
      minUnits: 5,
      maxUnits: 9,
    });
    await mined(
      core,
      core.stablecoin.write.approve([groupBuy.address, parseUnits("5", 6)], {
        account: accounts.buyer.account,
      }),
    );
    const tokenPledge = await mined(
      core,
      groupBuy.write.pledge([token.poolId, 1], { account: accounts.buyer.account }),
    );

    await networkHelpers.time.increaseTo(token.deadline);
    const refundSmall = await mined(core, groupBuy.write.refund([small.poolId], { account: pledgerAt(0) }));
    const refundLarge = await mined(core, groupBuy.write.refund([large.poolId], { account: pledgerAt(10) }));
    const refundLargeLast = await mined(core, groupBuy.write.refund([large.poolId], { account: pledgerAt(1_009) }));
    const tokenRefund = await mined(core, groupBuy.write.refund([token.poolId], { account: accounts.buyer.account }));

    console.log(`    pledge (ETH, new buyer): ${minPledge}..${maxPledge} gas over ${pledgeGas.length} pledges`);
    console.log(`    pledge (tUSD, new buyer): ${tokenPledge.gasUsed} gas`);
    console.log(`    refund (ETH), pool of 10 pledgers: ${refundSmall.gasUsed} gas`);
    console.log(
      `    refund (ETH), pool of 1,000 pledgers: ${refundLarge.gasUsed} gas (last pledger: ${refundLargeLast.gasUsed})`,
    );
    console.log(`    refund (tUSD): ${tokenRefund.gasUsed} gas`);

    // Coverage instrumentation adds gas to every statement: the budgets hold for the real bytecode only.
    if (process.env.HARDHAT_COVERAGE !== "true") {
      assert.ok(maxPledge <= 60_000n, `pledge used ${maxPledge} gas, over the 60,000 budget`);
      assert.ok(refundSmall.gasUsed <= 40_000n, `refund used ${refundSmall.gasUsed} gas, over the 40,000 budget`);
    }
    assert.equal(refundLarge.gasUsed, refundSmall.gasUsed);
    assert.equal(refundLargeLast.gasUsed, refundSmall.gasUsed);
  });
});
