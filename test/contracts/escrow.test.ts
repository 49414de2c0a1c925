import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, parseUnits, zeroAddress } from "viem";
import {
  ADMIN_DELAY,
  ARBITRATION_WINDOW,
  buildQuote,
  type Core,
  coreFixture,
  DELIVERY_WINDOW,
  ETH,
  mined,
  now,
  payQuote,
  payQuoteWithPermit,
  productTag,
  State,
  signPermit,
  signQuote,
} from "./fixtures/deploy-core.ts";

describe("Escrow (viem flows)", async () => {
  const connection = await network.create();
  const { networkHelpers, viem } = connection;
  const loadCore = coreFixture(connection);
  let core: Core;

  beforeEach(async () => {
    core = await networkHelpers.loadFixture(loadCore);
  });

  const addr = (w: { account: { address: `0x${string}` } }) => w.account.address;

  /** Runs `send` and asserts the token balance change of each address. */
  async function erc20BalancesHaveChanged(
    send: Promise<`0x${string}`> | (() => Promise<`0x${string}`>),
    token: { read: { balanceOf: (args: [`0x${string}`]) => Promise<bigint> } },
    changes: { address: `0x${string}`; amount: bigint }[],
  ) {
    const before = await Promise.all(changes.map((c) => token.read.balanceOf([c.address])));
    await mined(core, typeof send === "function" ? send() : send);
    for (const [i, c] of changes.entries()) {
      assert.equal(
        (await token.read.balanceOf([c.address])) - (before[i] ?? 0n),
        c.amount,
        `balance change of ${c.address}`,
      );
    }
  }

  describe("happy paths", () => {
    it("ETH: pay, ship, confirm credits seller, treasury, affiliate, mints cashback, withdrawals pay out", async () => {
      const { escrow, points, accounts } = core;
      const quote = await buildQuote(core, {
        amount: parseEther("1"),
        fee: parseEther("0.05"),
        affiliate: addr(accounts.affiliate),
        affiliateBps: 500,
        cashback: 42n * 10n ** 18n,
      });
      await viem.assertions.emit(payQuote(core, quote), escrow, "OrderPaid");
      const [state] = await escrow.read.orderState([quote.orderId]);
      assert.equal(state, State.Paid);

      await mined(core, escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.seller.account }));
      const pointsBefore = await points.read.balanceOf([addr(accounts.buyer)]);
      await viem.assertions.emitWithArgs(
        escrow.write.confirmDelivery([quote.orderId, quote.order], { account: accounts.buyer.account }),
        escrow,
        "OrderCompleted",
        [quote.orderId, parseEther("0.9025"), parseEther("0.05"), parseEther("0.0475"), 42n * 10n ** 18n, true],
      );
      assert.equal(await points.read.balanceOf([addr(accounts.buyer)]), pointsBefore + 42n * 10n ** 18n);
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.seller)]), parseEther("0.9025"));
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.treasury)]), parseEther("0.05"));
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.affiliate)]), parseEther("0.0475"));

      const purchase = await escrow.read.purchaseOf([quote.orderId]);
      assert.deepEqual(purchase, [
        getAddress(addr(accounts.buyer)),
        productTag(quote.order.productId),
        State.Completed,
      ]);

      await viem.assertions.balancesHaveChanged(escrow.write.withdraw([ETH], { account: accounts.seller.account }), [
        { address: addr(accounts.seller), amount: parseEther("0.9025") },
      ]);
      await viem.assertions.balancesHaveChanged(escrow.write.withdraw([ETH], { account: accounts.treasury.account }), [
        { address: addr(accounts.treasury), amount: parseEther("0.05") },
      ]);
      await viem.assertions.balancesHaveChanged(escrow.write.withdraw([ETH], { account: accounts.affiliate.account }), [
        { address: addr(accounts.affiliate), amount: parseEther("0.0475") },
      ]);
      assert.equal(await core.publicClient.getBalance({ address: escrow.address }), 0n);
    });

    it("stablecoin, approve path: pay, ship, confirm, withdraw", async () => {
      const { escrow, stablecoin, accounts } = core;
      const amount = parseUnits("120", 6);
      const quote = await buildQuote(core, { token: stablecoin.address, amount, fee: parseUnits("6", 6) });
      await erc20BalancesHaveChanged(() => payQuote(core, quote), stablecoin, [
        { address: addr(accounts.buyer), amount: -amount },
        { address: escrow.address, amount },
      ]);
      await mined(core, escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.seller.account }));
      await mined(
        core,
        escrow.write.confirmDelivery([quote.orderId, quote.order], { account: accounts.buyer.account }),
      );
      await erc20BalancesHaveChanged(
        () => escrow.write.withdraw([stablecoin.address], { account: accounts.seller.account }),
        stablecoin,
        [{ address: addr(accounts.seller), amount: parseUnits("114", 6) }],
      );
      await mined(core, escrow.write.withdraw([stablecoin.address], { account: accounts.treasury.account }));
      assert.equal(await stablecoin.read.balanceOf([addr(accounts.treasury)]), parseUnits("6", 6));
      assert.equal(await stablecoin.read.balanceOf([escrow.address]), 0n);
    });

    it("stablecoin, permit path: one transaction, no prior approval", async () => {
      const { escrow, stablecoin, accounts } = core;
      const amount = parseUnits("75.5", 6);
      const quote = await buildQuote(core, { token: stablecoin.address, amount, fee: parseUnits("1", 6) });
      assert.equal(await stablecoin.read.allowance([addr(accounts.buyer), escrow.address]), 0n);
      await erc20BalancesHaveChanged(() => payQuoteWithPermit(core, quote), stablecoin, [
        { address: addr(accounts.buyer), amount: -amount },
        { address: escrow.address, amount },
      ]);
      assert.equal(await stablecoin.read.allowance([addr(accounts.buyer), escrow.address]), 0n);
      const [state] = await escrow.read.orderState([quote.orderId]);
      assert.equal(state, State.Paid);
    });

    it("permit front-run by a third party does not block the buyer", async () => {
      const { escrow, stablecoin, accounts } = core;
      const quote = await buildQuote(core, { token: stablecoin.address, amount: parseUnits("10", 6), fee: 0n });
      const signature = await signQuote(core, quote);
      const permit = await signPermit(core, accounts.buyer, escrow.address, quote.order.amount);
      await mined(
        core,
        stablecoin.write.permit(
          [addr(accounts.buyer), escrow.address, quote.order.amount, permit.deadline, permit.v, permit.r, permit.s],
          { account: accounts.stranger.account },
        ),
      );
      await mined(
        core,
        escrow.write.checkoutWithPermit([quote, signature, permit.deadline, permit.v, permit.r, permit.s], {
          account: accounts.buyer.account,
        }),
      );
      assert.equal(await stablecoin.read.balanceOf([escrow.address]), quote.order.amount);
    });

    it("points are redeemed at checkout", async () => {
      const { points, accounts } = core;
      const quote = await buildQuote(core, {}, { pointsToRedeem: 100n * 10n ** 18n });
      const before = await points.read.balanceOf([addr(accounts.buyer)]);
      await mined(core, payQuote(core, quote));
      assert.equal(await points.read.balanceOf([addr(accounts.buyer)]), before - 100n * 10n ** 18n);
    });

    it("anyone releases after the delivery window; cashback minted; not one second earlier", async () => {
      const { escrow, points, accounts } = core;
      const quote = await buildQuote(core, { cashback: 5n });
      await mined(core, payQuote(core, quote));
      await mined(core, escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.seller.account }));
      const [, releaseAt] = await escrow.read.orderState([quote.orderId]);
      await networkHelpers.time.setNextBlockTimestamp(releaseAt - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.release([quote.orderId, quote.order], { account: accounts.stranger.account }),
        escrow,
        "TooEarly",
        [releaseAt],
      );
      await networkHelpers.time.setNextBlockTimestamp(releaseAt);
      const before = await points.read.balanceOf([addr(accounts.buyer)]);
      await viem.assertions.emitWithArgs(
        escrow.write.release([quote.orderId, quote.order], { account: accounts.stranger.account }),
        escrow,
        "OrderCompleted",
        [quote.orderId, quote.order.amount - quote.order.fee, quote.order.fee, 0n, 5n, false],
      );
      assert.equal(await points.read.balanceOf([addr(accounts.buyer)]), before + 5n);
    });

    it("dispute split by the arbiter: buyer share, fee and seller pro rata, no cashback", async () => {
      const { escrow, points, accounts } = core;
      const quote = await buildQuote(core, { amount: 10_000n, fee: 1_000n, cashback: 7n });
      await mined(core, payQuote(core, quote));
      await mined(core, escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.seller.account }));
      await viem.assertions.emit(
        escrow.write.openDispute([quote.orderId, quote.order], { account: accounts.buyer.account }),
        escrow,
        "OrderDisputed",
      );
      const pointsBefore = await points.read.balanceOf([addr(accounts.buyer)]);
      await viem.assertions.emitWithArgs(
        escrow.write.resolveDispute([quote.orderId, quote.order, 6_000], { account: accounts.arbiter.account }),
        escrow,
        "DisputeResolved",
        [quote.orderId, 6_000, 6_000n, 3_600n, 400n, 0n, true],
      );
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.buyer)]), 6_000n);
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.seller)]), 3_600n);
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.treasury)]), 400n);
      assert.equal(await points.read.balanceOf([addr(accounts.buyer)]), pointsBefore);
      const [state] = await escrow.read.orderState([quote.orderId]);
      assert.equal(state, State.Resolved);
    });

    it("stale dispute: after the arbitration window anyone refunds the buyer in full", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      await mined(core, payQuote(core, quote));
      await mined(core, escrow.write.openDispute([quote.orderId, quote.order], { account: accounts.buyer.account }));
      const [, arbitrateBy] = await escrow.read.orderState([quote.orderId]);
      assert.equal(BigInt(arbitrateBy), (await now(core)) + ARBITRATION_WINDOW);
      await networkHelpers.time.increaseTo(arbitrateBy);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.resolveDispute([quote.orderId, quote.order, 0], { account: accounts.arbiter.account }),
        escrow,
        "TooLate",
        [arbitrateBy],
      );
      await mined(
        core,
        escrow.write.settleStaleDispute([quote.orderId, quote.order], { account: accounts.stranger.account }),
      );
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.buyer)]), quote.order.amount);
    });

    it("seller refund credits the buyer in full", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core, { cashback: 9n });
      await mined(core, payQuote(core, quote));
      await viem.assertions.emitWithArgs(
        escrow.write.refund([quote.orderId, quote.order], { account: accounts.seller.account }),
        escrow,
        "OrderRefunded",
        [quote.orderId, quote.order.amount],
      );
      await viem.assertions.balancesHaveChanged(escrow.write.withdraw([ETH], { account: accounts.buyer.account }), [
        { address: addr(accounts.buyer), amount: quote.order.amount },
      ]);
    });

    it("buyer cancels an order not shipped in time", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      await mined(core, payQuote(core, quote));
      const [, shipBy] = await escrow.read.orderState([quote.orderId]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.cancelUnshipped([quote.orderId, quote.order], { account: accounts.buyer.account }),
        escrow,
        "TooEarly",
        [shipBy],
      );
      await networkHelpers.time.increaseTo(shipBy);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.seller.account }),
        escrow,
        "TooLate",
        [shipBy],
      );
      await mined(
        core,
        escrow.write.cancelUnshipped([quote.orderId, quote.order], { account: accounts.buyer.account }),
      );
      assert.equal(await escrow.read.creditOf([ETH, addr(accounts.buyer)]), quote.order.amount);
      const [state] = await escrow.read.orderState([quote.orderId]);
      assert.equal(state, State.Refunded);
    });
  });

  describe("pause", () => {
    it("pause stops checkout and permit checkout but not progression or withdrawals", async () => {
      const { escrow, stablecoin, accounts } = core;
      const open = await buildQuote(core);
      await mined(core, payQuote(core, open));
      await mined(core, escrow.write.pause({ account: accounts.pauser.account }));

      const quote = await buildQuote(core);
      await viem.assertions.revertWithCustomError(payQuote(core, quote), escrow, "EnforcedPause");
      const tokenQuote = await buildQuote(core, { token: stablecoin.address, amount: 1_000n, fee: 0n });
      await viem.assertions.revertWithCustomError(payQuoteWithPermit(core, tokenQuote), escrow, "EnforcedPause");

      await mined(core, escrow.write.markShipped([open.orderId, open.order], { account: accounts.seller.account }));
      await mined(core, escrow.write.confirmDelivery([open.orderId, open.order], { account: accounts.buyer.account }));
      await mined(core, escrow.write.withdraw([ETH], { account: accounts.seller.account }));

      await mined(core, escrow.write.unpause({ account: accounts.pauser.account }));
      await mined(core, payQuote(core, quote));
    });

    it("only the pauser pauses", async () => {
      const { escrow, accounts } = core;
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.pause({ account: accounts.stranger.account }),
        escrow,
        "AccessControlUnauthorizedAccount",
        [addr(accounts.stranger), await escrow.read.PAUSER_ROLE()],
      );
    });

    it("admin transfer is two-step with a delay", async () => {
      const { escrow, accounts } = core;
      await mined(
        core,
        escrow.write.beginDefaultAdminTransfer([addr(accounts.stranger)], { account: accounts.admin.account }),
      );
      const [, schedule] = await escrow.read.pendingDefaultAdmin();
      await viem.assertions.revertWithCustomError(
        escrow.write.acceptDefaultAdminTransfer({ account: accounts.stranger.account }),
        escrow,
        "AccessControlEnforcedDefaultAdminDelay",
      );
      await networkHelpers.time.increaseTo(schedule + 1);
      await mined(core, escrow.write.acceptDefaultAdminTransfer({ account: accounts.stranger.account }));
      assert.equal((await escrow.read.defaultAdmin()).toLowerCase(), addr(accounts.stranger).toLowerCase());
      assert.equal(await escrow.read.defaultAdminDelay(), Number(ADMIN_DELAY));
    });
  });

  describe("bad quotes (exact custom errors)", () => {
    it("expired quote → QuoteExpired", async () => {
      const quote = await buildQuote(core, {}, { expiry: (await now(core)) + 10n });
      await networkHelpers.time.increaseTo(quote.expiry + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(payQuote(core, quote), core.escrow, "QuoteExpired", [
        quote.expiry,
      ]);
    });

    it("replayed quote (same order id) → OrderIdUsed", async () => {
      const quote = await buildQuote(core);
      await mined(core, payQuote(core, quote));
      await viem.assertions.revertWithCustomErrorWithArgs(payQuote(core, quote), core.escrow, "OrderIdUsed", [
        quote.orderId,
      ]);
    });

    it("quote signed by a non-signer → QuoteSignerUnauthorized", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      const signature = await signQuote(core, quote, accounts.stranger);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.checkout([quote, signature], { account: accounts.buyer.account, value: quote.order.amount }),
        escrow,
        "QuoteSignerUnauthorized",
        [addr(accounts.stranger)],
      );
    });

    it("quote for another chain → QuoteSignerUnauthorized (recovers a different address)", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      const signature = await signQuote(core, quote, accounts.quoteSigner, { chainId: core.chainId + 1 });
      await viem.assertions.revertWithCustomError(
        escrow.write.checkout([quote, signature], { account: accounts.buyer.account, value: quote.order.amount }),
        escrow,
        "QuoteSignerUnauthorized",
      );
    });

    it("quote for another contract → QuoteSignerUnauthorized", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      const signature = await signQuote(core, quote, accounts.quoteSigner, { verifyingContract: core.points.address });
      await viem.assertions.revertWithCustomError(
        escrow.write.checkout([quote, signature], { account: accounts.buyer.account, value: quote.order.amount }),
        escrow,
        "QuoteSignerUnauthorized",
      );
    });

    it("malformed signature → InvalidSignature", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      await viem.assertions.revertWithCustomError(
        escrow.write.checkout([quote, "0x1234"], { account: accounts.buyer.account, value: quote.order.amount }),
        escrow,
        "InvalidSignature",
      );
    });

    it("wrong ETH amount → WrongAmount", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      const signature = await signQuote(core, quote);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.checkout([quote, signature], { account: accounts.buyer.account, value: quote.order.amount - 1n }),
        escrow,
        "WrongAmount",
        [quote.order.amount, quote.order.amount - 1n],
      );
    });

    it("ETH sent with a token payment → UnexpectedEth", async () => {
      const { escrow, stablecoin, accounts } = core;
      const quote = await buildQuote(core, { token: stablecoin.address, amount: 1_000n, fee: 0n });
      const signature = await signQuote(core, quote);
      await viem.assertions.revertWithCustomError(
        escrow.write.checkout([quote, signature], { account: accounts.buyer.account, value: 1n }),
        escrow,
        "UnexpectedEth",
      );
    });

    it("someone else submits the buyer's quote → WrongBuyer", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      const signature = await signQuote(core, quote);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.checkout([quote, signature], { account: accounts.buyer2.account, value: quote.order.amount }),
        escrow,
        "WrongBuyer",
        [addr(accounts.buyer), addr(accounts.buyer2)],
      );
    });

    it("tampered terms after signing → QuoteSignerUnauthorized; wrong terms later → TermsMismatch", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      const signature = await signQuote(core, quote);
      const tampered = { ...quote, order: { ...quote.order, fee: 0n } };
      await viem.assertions.revertWithCustomError(
        escrow.write.checkout([tampered, signature], { account: accounts.buyer.account, value: quote.order.amount }),
        escrow,
        "QuoteSignerUnauthorized",
      );
      await mined(core, payQuote(core, quote));
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.markShipped([quote.orderId, { ...quote.order, seller: addr(accounts.seller2) }], {
          account: accounts.seller2.account,
        }),
        escrow,
        "TermsMismatch",
        [quote.orderId],
      );
    });

    it("token not accepted → TokenNotAccepted; zero address, self purchase and bad bps refused", async () => {
      const { escrow, accounts } = core;
      const other = await viem.deployContract("TestStablecoin", []);
      const quote = await buildQuote(core, { token: other.address, amount: 1n, fee: 0n });
      const signature = await signQuote(core, quote);
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.checkout([quote, signature], { account: accounts.buyer.account }),
        escrow,
        "TokenNotAccepted",
        [other.address],
      );
      const self = await buildQuote(core, { seller: addr(accounts.buyer) });
      await viem.assertions.revertWithCustomErrorWithArgs(payQuote(core, self), escrow, "SelfPurchase", [
        addr(accounts.buyer),
      ]);
      const bps = await buildQuote(core, { affiliate: addr(accounts.affiliate), affiliateBps: 10_001 });
      await viem.assertions.revertWithCustomErrorWithArgs(payQuote(core, bps), escrow, "InvalidBps", [10_001n]);
      const fee = await buildQuote(core, { amount: 10n, fee: 11n });
      await viem.assertions.revertWithCustomErrorWithArgs(payQuote(core, fee), escrow, "FeeExceedsAmount", [11n, 10n]);
      const zero = await buildQuote(core, { seller: zeroAddress });
      await viem.assertions.revertWithCustomError(payQuote(core, zero), escrow, "ZeroAddress");
      const zeroAmount = await buildQuote(core, { amount: 0n, fee: 0n });
      await viem.assertions.revertWithCustomError(payQuote(core, zeroAmount), escrow, "ZeroAmount");
    });
  });

  describe("access", () => {
    it("only the buyer confirms, only the seller ships, only the arbiter resolves", async () => {
      const { escrow, accounts } = core;
      const quote = await buildQuote(core);
      await mined(core, payQuote(core, quote));
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.buyer.account }),
        escrow,
        "NotSeller",
        [addr(accounts.buyer)],
      );
      await mined(core, escrow.write.markShipped([quote.orderId, quote.order], { account: accounts.seller.account }));
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.confirmDelivery([quote.orderId, quote.order], { account: accounts.seller.account }),
        escrow,
        "NotBuyer",
        [addr(accounts.seller)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.resolveDispute([quote.orderId, quote.order, 0], { account: accounts.arbiter.account }),
        escrow,
        "InvalidState",
        [quote.orderId, State.Shipped],
      );
      await mined(core, escrow.write.openDispute([quote.orderId, quote.order], { account: accounts.buyer.account }));
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.resolveDispute([quote.orderId, quote.order, 0], { account: accounts.seller.account }),
        escrow,
        "AccessControlUnauthorizedAccount",
        [addr(accounts.seller), await escrow.read.ARBITER_ROLE()],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        escrow.write.release([quote.orderId, quote.order], { account: accounts.stranger.account }),
        escrow,
        "InvalidState",
        [quote.orderId, State.Disputed],
      );
    });

    it("withdraw with no credit → NothingToWithdraw", async () => {
      await viem.assertions.revertWithCustomError(
        core.escrow.write.withdraw([ETH], { account: core.accounts.stranger.account }),
        core.escrow,
        "NothingToWithdraw",
      );
    });

    it("unknown order → InvalidState(None)", async () => {
      const quote = await buildQuote(core);
      await viem.assertions.revertWithCustomErrorWithArgs(
        core.escrow.write.confirmDelivery([quote.orderId, quote.order], { account: core.accounts.buyer.account }),
        core.escrow,
        "InvalidState",
        [quote.orderId, State.None],
      );
    });
  });

  it("delivery window and fixture constants are what the contracts see", async () => {
    const quote = await buildQuote(core);
    await mined(core, payQuote(core, quote));
    const [, shipBy] = await core.escrow.read.orderState([quote.orderId]);
    assert.equal(BigInt(shipBy), (await now(core)) + BigInt(DELIVERY_WINDOW));
    assert.equal(await core.escrow.read.arbitrationWindow(), Number(ARBITRATION_WINDOW));
  });
});
