import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { network } from "hardhat";
import {
  BADGE_BASE_URI,
  BUYER_POINTS,
  buildQuote,
  type Core,
  completeOrder,
  coreFixture,
  mined,
  payQuote,
} from "./fixtures/deploy-core.ts";

describe("Loyalty points and badges (viem)", async () => {
  const connection = await network.create();
  const { networkHelpers, viem } = connection;
  const loadCore = coreFixture(connection);
  let core: Core;

  beforeEach(async () => {
    core = await networkHelpers.loadFixture(loadCore);
  });

  it("fixture wiring: the escrow is the only minter and the redeemer; the buyer holds seed points", async () => {
    const { points, escrow, accounts } = core;
    const [MINTER_ROLE, REDEEMER_ROLE] = [await points.read.MINTER_ROLE(), await points.read.REDEEMER_ROLE()];
    assert.equal(await points.read.hasRole([MINTER_ROLE, escrow.address]), true);
    assert.equal(await points.read.hasRole([REDEEMER_ROLE, escrow.address]), true);
    assert.equal(await points.read.hasRole([MINTER_ROLE, accounts.admin.account.address]), false);
    assert.equal(await points.read.balanceOf([accounts.buyer.account.address]), BUYER_POINTS);
    assert.equal(await points.read.totalSupply(), BUYER_POINTS);
    assert.equal(await points.read.symbol(), "NCP");
  });

  it("L1: only a minter mints", async () => {
    const { points, accounts } = core;
    await viem.assertions.revertWithCustomErrorWithArgs(
      points.write.mint([accounts.stranger.account.address, 1n], { account: accounts.stranger.account }),
      points,
      "AccessControlUnauthorizedAccount",
      [accounts.stranger.account.address, await points.read.MINTER_ROLE()],
    );
  });

  it("L3: cashback is minted on completion, once", async () => {
    const { points, escrow, accounts } = core;
    const quote = await buildQuote(core, { cashback: 250n });
    await completeOrder(core, quote);
    assert.equal(await points.read.balanceOf([accounts.buyer.account.address]), BUYER_POINTS + 250n);
    await viem.assertions.revertWithCustomError(
      escrow.write.confirmDelivery([quote.orderId, quote.order], { account: accounts.buyer.account }),
      escrow,
      "InvalidState",
    );
  });

  it("L3: no cashback for a refunded order", async () => {
    const { points, escrow, accounts } = core;
    const quote = await buildQuote(core, { cashback: 250n });
    await mined(core, payQuote(core, quote));
    await mined(core, escrow.write.refund([quote.orderId, quote.order], { account: accounts.seller.account }));
    assert.equal(await points.read.balanceOf([accounts.buyer.account.address]), BUYER_POINTS);
  });

  it("redeeming more points than held reverts with the token's error", async () => {
    const { points, accounts } = core;
    const quote = await buildQuote(core, {}, { pointsToRedeem: BUYER_POINTS + 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(payQuote(core, quote), points, "ERC20InsufficientBalance", [
      accounts.buyer.account.address,
      BUYER_POINTS,
      BUYER_POINTS + 1n,
    ]);
  });

  it("badges: awarded once by a minter, soulbound, uri per id", async () => {
    const { badges, accounts } = core;
    const MINTER_ROLE = await badges.read.MINTER_ROLE();
    await mined(
      core,
      badges.write.grantRole([MINTER_ROLE, accounts.admin.account.address], { account: accounts.admin.account }),
    );
    const alice = accounts.buyer.account.address;
    await viem.assertions.emitWithArgs(
      badges.write.award([alice, 1n], { account: accounts.admin.account }),
      badges,
      "BadgeAwarded",
      [alice, 1n],
    );
    await mined(core, badges.write.award([alice, 1n], { account: accounts.admin.account }));
    assert.equal(await badges.read.balanceOf([alice, 1n]), 1n);
    assert.equal(await badges.read.hasBadge([alice, 1n]), true);
    await viem.assertions.revertWithCustomError(
      badges.write.safeTransferFrom([alice, accounts.buyer2.account.address, 1n, 1n, "0x"], {
        account: accounts.buyer.account,
      }),
      badges,
      "Soulbound",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      badges.write.award([alice, 42n], { account: accounts.admin.account }),
      badges,
      "UnknownBadge",
      [42n],
    );
    assert.equal(await badges.read.uri([3n]), `${BADGE_BASE_URI}3.json`);
  });
});
