// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {GroupBuy} from "../../contracts/GroupBuy.sol";
import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";
import {IGroupBuy} from "../../contracts/interfaces/IGroupBuy.sol";
import {IBadges} from "../../contracts/interfaces/IBadges.sol";
import {FeeOnTransferToken} from "../../contracts/test/FeeOnTransferToken.sol";

import {GroupBuyFixture} from "./handlers/GroupBuyFixture.sol";
import {GroupBuyReentrantPledger} from "./handlers/GroupBuyActors.sol";

/// @notice Unit, fuzz and gas tests of GroupBuy against the real Escrow (TESTPLAN G2–G5).
contract GroupBuyTest is GroupBuyFixture {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    function setUp() public {
        _deployCore();
    }

    // ---------------------------------------------------------------------------------------------
    // Opening

    function test_openPool_storesTermsAndAwardsOrganiserBadge() public {
        vm.expectEmit(address(gb));
        emit IGroupBuy.PoolOpened(
            1, seller, PRODUCT, address(0), 0.01 ether, 3, 5, uint40(block.timestamp + 7 days), DELIVERY, FEE_BPS, 0
        );
        uint256 poolId = _openEthPool(3, 5);
        assertEq(poolId, 1);
        assertEq(gb.poolCount(), 1);
        IGroupBuy.Pool memory p = gb.getPool(poolId);
        assertEq(p.seller, seller);
        assertEq(p.unitPrice, 0.01 ether);
        assertEq(p.minUnits, 3);
        assertEq(p.maxUnits, 5);
        assertEq(p.pledgedUnits, 0);
        assertEq(p.feeBps, FEE_BPS);
        assertEq(p.productId, PRODUCT);
        assertFalse(p.isToken);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Open));
        assertTrue(badges.hasBadge(seller, gb.GROUP_BUY_ORGANISER_BADGE()));
        // A second pool by the same seller still opens (the badge is awarded once).
        assertEq(_openTokenPool(1, 1), 2);
        assertEq(badges.balanceOf(seller, 3), 1);
    }

    function test_openPool_invalidTerms_revertWithTheirErrors() public {
        vm.startPrank(seller);
        IGroupBuy.PoolTerms memory t = _terms(address(0), 0, 1, 2, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidUnitPrice.selector));
        gb.openPool(t);

        t = _terms(address(0), 1, 0, 2, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidUnits.selector, uint32(0), uint32(2)));
        gb.openPool(t);

        t = _terms(address(0), 1, 3, 2, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidUnits.selector, uint32(3), uint32(2)));
        gb.openPool(t);

        t = _terms(address(0), 1, 1, 2, 0);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidDeadline.selector, uint40(block.timestamp)));
        gb.openPool(t);

        t = _terms(address(0), 1, 1, 2, 365 days + 1);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidDeadline.selector, t.deadline));
        gb.openPool(t);

        t = _terms(address(0), 1, 1, 2, 1 days);
        t.deliveryWindow = 0;
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidDeliveryWindow.selector, uint32(0)));
        gb.openPool(t);
        t.deliveryWindow = 180 days + 1;
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidDeliveryWindow.selector, uint32(180 days + 1)));
        gb.openPool(t);

        address stranger = makeAddr("unknownToken");
        t = _terms(stranger, 1, 1, 2, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.TokenNotAccepted.selector, stranger));
        gb.openPool(t);
        vm.stopPrank();

        // The longest allowed duration opens.
        vm.prank(seller);
        gb.openPool(_terms(address(0), 1, 1, 2, 365 days));
    }

    function test_constructor_invalidArguments_revert() public {
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ZeroAddress.selector));
        new GroupBuy(1 days, admin, IEscrow(address(0)), badges, 0);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ZeroAddress.selector));
        new GroupBuy(1 days, admin, escrow, IBadges(address(0)), 0);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidBps.selector, uint256(1_001), uint256(1_000)));
        new GroupBuy(1 days, admin, escrow, badges, 1_001);
    }

    // ---------------------------------------------------------------------------------------------
    // G2: a failed pool refunds each pledger exactly its pledge, once

    function test_G2_refund_paysExactPledgeOnce() public {
        uint256 poolId = _openEthPool(10, 20);
        uint256 a = _pledgeEth(alice, poolId, 2);
        uint256 b = _pledgeEth(bob, poolId, 3);
        _pledgeEth(alice, poolId, 1);
        a += 0.01 ether;
        vm.warp(_deadline(poolId));
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Failed));

        uint256 before = alice.balance;
        vm.expectEmit(address(gb));
        emit IGroupBuy.PledgeRefunded(poolId, alice, a);
        vm.prank(alice);
        gb.refund(poolId);
        assertEq(alice.balance - before, a);
        assertEq(a, 0.03 ether);

        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.NoPledge.selector, poolId, alice));
        vm.prank(alice);
        gb.refund(poolId);

        before = bob.balance;
        vm.prank(bob);
        gb.refund(poolId);
        assertEq(bob.balance - before, b);
        assertEq(address(gb).balance, 0);
        (uint32 units,,) = gb.pledgeOf(poolId, bob);
        assertEq(units, 0);
        // Refunds never revive the pool.
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Failed));
    }

    function test_G2_refund_token_paysExactPledgeOnce() public {
        uint256 poolId = _openTokenPool(5, 10);
        uint256 a = _pledgeToken(alice, poolId, 4);
        vm.warp(_deadline(poolId) + 30 days);
        vm.prank(alice);
        gb.refund(poolId);
        assertEq(usd.balanceOf(alice), a);
        assertEq(usd.balanceOf(address(gb)), 0);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.NoPledge.selector, poolId, alice));
        vm.prank(alice);
        gb.refund(poolId);
    }

    function test_G2_refund_afterPartialUnpledge_paysTheRest() public {
        uint256 poolId = _openEthPool(10, 20);
        _pledgeEth(alice, poolId, 5);
        vm.prank(alice);
        gb.unpledge(poolId, 2);
        assertEq(alice.balance, 0.02 ether);
        vm.warp(_deadline(poolId));
        vm.prank(alice);
        gb.refund(poolId);
        assertEq(alice.balance, 0.05 ether);
        assertEq(address(gb).balance, 0);
    }

    function testFuzz_G2_refund_paysExactPledge(uint96 price, uint32 unitsA, uint32 unitsB) public {
        price = uint96(bound(price, 1, 1e24));
        unitsA = uint32(bound(unitsA, 1, 1_000_000));
        unitsB = uint32(bound(unitsB, 1, 1_000_000));
        vm.prank(seller);
        uint256 poolId = gb.openPool(_terms(address(0), price, unitsA + unitsB + 1, type(uint32).max, 1 days));
        uint256 a = _pledgeEth(alice, poolId, unitsA);
        uint256 b = _pledgeEth(bob, poolId, unitsB);
        vm.warp(_deadline(poolId));
        vm.prank(bob);
        gb.refund(poolId);
        vm.prank(alice);
        gb.refund(poolId);
        assertEq(alice.balance, a);
        assertEq(bob.balance, b);
        assertEq(address(gb).balance, 0);
    }

    function test_G2_refund_openPool_reverts() public {
        uint256 poolId = _openEthPool(10, 20);
        _pledgeEth(alice, poolId, 1);
        vm.warp(_deadline(poolId) - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotFailed.selector, poolId, IGroupBuy.PoolState.Open)
        );
        vm.prank(alice);
        gb.refund(poolId);
    }

    function test_G2_refund_withoutPledge_reverts() public {
        uint256 poolId = _openEthPool(10, 20);
        vm.warp(_deadline(poolId));
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.NoPledge.selector, poolId, carol));
        vm.prank(carol);
        gb.refund(poolId);
    }

    function test_G2_refund_worksWhilePaused() public {
        uint256 poolId = _openEthPool(10, 20);
        uint256 a = _pledgeEth(alice, poolId, 1);
        vm.prank(admin);
        gb.pause();
        vm.warp(_deadline(poolId));
        vm.prank(alice);
        gb.refund(poolId);
        assertEq(alice.balance, a);
    }

    function test_G2_refund_receiverRejectingEth_reverts() public {
        uint256 poolId = _openEthPool(10, 20);
        GroupBuyReentrantPledger p = new GroupBuyReentrantPledger(gb);
        vm.deal(address(this), 1 ether);
        p.pledge{value: 0.01 ether}(poolId, 1);
        p.setRejectEth(true);
        vm.warp(_deadline(poolId));
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.EthTransferFailed.selector, address(p)));
        p.refund(poolId);
        // The pledge is still there; once the receiver accepts ETH the refund goes through.
        p.setRejectEth(false);
        p.refund(poolId);
        assertEq(address(p).balance, 0.01 ether);
    }

    function test_G2_refund_reentry_isBlocked() public {
        uint256 poolId = _openEthPool(10, 20);
        GroupBuyReentrantPledger p = new GroupBuyReentrantPledger(gb);
        vm.deal(address(this), 1 ether);
        p.pledge{value: 0.03 ether}(poolId, 3);
        p.setReentry(abi.encodeCall(IGroupBuy.refund, (poolId)));
        vm.warp(_deadline(poolId));
        p.refund(poolId);
        assertEq(
            p.reentryRevertData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
        assertEq(address(p).balance, 0.03 ether);
        assertEq(address(gb).balance, 0);
    }

    function test_G2_unpledge_reentry_isBlocked() public {
        uint256 poolId = _openEthPool(10, 20);
        GroupBuyReentrantPledger p = new GroupBuyReentrantPledger(gb);
        vm.deal(address(this), 1 ether);
        p.pledge{value: 0.03 ether}(poolId, 3);
        p.setReentry(abi.encodeCall(IGroupBuy.unpledge, (poolId, uint32(2))));
        p.unpledge(poolId, 1);
        assertEq(
            p.reentryRevertData(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
        (uint32 units,,) = gb.pledgeOf(poolId, address(p));
        assertEq(units, 2);
        assertEq(address(gb).balance, 0.02 ether);
    }

    // ---------------------------------------------------------------------------------------------
    // G3: a successful pool settles each pledge into the escrow exactly once, never refunds

    function test_G3_settle_opensEscrowOrderWithPoolTerms() public {
        uint256 poolId = _openEthPool(3, 5);
        uint256 a = _pledgeEth(alice, poolId, 2);
        _pledgeEth(bob, poolId, 1);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Succeeded));

        bytes32 expectedId = keccak256(abi.encode(address(gb), poolId, alice));
        assertEq(gb.orderIdOf(poolId, alice), expectedId);
        vm.expectEmit(address(gb));
        emit IGroupBuy.PledgeSettled(poolId, alice, expectedId, a);
        vm.prank(carol); // anyone
        bytes32 orderId = gb.settlePledge(poolId, alice);
        assertEq(orderId, expectedId);

        (IEscrow.State state,) = escrow.orderState(orderId);
        assertEq(uint8(state), uint8(IEscrow.State.Paid));
        assertEq(address(escrow).balance, a);
        assertEq(address(gb).balance, 0.01 ether);
        (uint32 units, uint256 amount, bool settled) = gb.pledgeOf(poolId, alice);
        assertEq(units, 2);
        assertEq(amount, a);
        assertTrue(settled);

        // The order terms the escrow committed to are the ones orderOf returns: ship and confirm.
        (, IEscrow.Order memory order) = gb.orderOf(poolId, alice);
        assertEq(order.buyer, alice);
        assertEq(order.seller, seller);
        assertEq(order.token, address(0));
        assertEq(order.amount, a);
        assertEq(order.fee, a * FEE_BPS / 10_000);
        assertEq(order.affiliate, address(0));
        assertEq(order.affiliateBps, 0);
        assertEq(order.productId, PRODUCT);
        assertEq(order.deliveryWindow, DELIVERY);
        vm.prank(seller);
        escrow.markShipped(orderId, order);
        vm.prank(alice);
        escrow.confirmDelivery(orderId, order);
        assertEq(escrow.creditOf(address(0), seller), a - order.fee);
        assertEq(escrow.creditOf(address(0), treasury), order.fee);

        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.PledgeAlreadySettled.selector, poolId, alice));
        gb.settlePledge(poolId, alice);
    }

    function test_G3_settle_token_opensEscrowOrder() public {
        uint256 poolId = _openTokenPool(2, 2);
        uint256 a = _pledgeToken(alice, poolId, 1);
        _pledgeToken(bob, poolId, 1);
        bytes32 orderId = gb.settlePledge(poolId, bob);
        gb.settlePledge(poolId, alice);
        assertEq(usd.balanceOf(address(escrow)), 2 * a);
        assertEq(usd.balanceOf(address(gb)), 0);
        assertEq(usd.allowance(address(gb), address(escrow)), 0);
        (IEscrow.State state,) = escrow.orderState(orderId);
        assertEq(uint8(state), uint8(IEscrow.State.Paid));
    }

    function test_G3_settle_cashbackMintsPointsOnCompletion() public {
        vm.prank(admin);
        gb.setCashbackBps(100);
        uint256 poolId = _openEthPool(1, 5);
        uint256 a = _pledgeEth(alice, poolId, 1);
        // A later change does not touch the open pool's rates.
        vm.startPrank(admin);
        gb.setCashbackBps(0);
        gb.setPlatformFeeBps(0);
        vm.stopPrank();
        bytes32 orderId = gb.settlePledge(poolId, alice);
        (, IEscrow.Order memory order) = gb.orderOf(poolId, alice);
        assertEq(order.cashback, a / 100);
        assertEq(order.fee, a * FEE_BPS / 10_000);
        vm.prank(seller);
        escrow.markShipped(orderId, order);
        vm.warp(block.timestamp + DELIVERY);
        escrow.release(orderId, order);
        assertEq(points.balanceOf(alice), a / 100);
    }

    function test_G3_refund_succeededPool_reverts() public {
        uint256 poolId = _openEthPool(2, 5);
        _pledgeEth(alice, poolId, 2);
        vm.warp(_deadline(poolId) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotFailed.selector, poolId, IGroupBuy.PoolState.Succeeded)
        );
        vm.prank(alice);
        gb.refund(poolId);
        gb.settlePledge(poolId, alice);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotFailed.selector, poolId, IGroupBuy.PoolState.Succeeded)
        );
        vm.prank(alice);
        gb.refund(poolId);
    }

    function test_G3_settle_failedOrOpenPool_reverts() public {
        uint256 poolId = _openEthPool(2, 5);
        _pledgeEth(alice, poolId, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotSucceeded.selector, poolId, IGroupBuy.PoolState.Open)
        );
        gb.settlePledge(poolId, alice);
        vm.warp(_deadline(poolId));
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotSucceeded.selector, poolId, IGroupBuy.PoolState.Failed)
        );
        gb.settlePledge(poolId, alice);
    }

    function test_G3_settle_withoutPledge_reverts() public {
        uint256 poolId = _openEthPool(1, 5);
        _pledgeEth(alice, poolId, 1);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.NoPledge.selector, poolId, bob));
        gb.settlePledge(poolId, bob);
    }

    function test_G3_pledge_afterDeadline_reverts() public {
        uint256 poolId = _openEthPool(1, 5);
        _pledgeEth(alice, poolId, 1);
        uint40 deadline = _deadline(poolId);
        vm.warp(deadline + 1);
        vm.deal(bob, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.DeadlinePassed.selector, poolId, deadline));
        vm.prank(bob);
        gb.pledge{value: 0.01 ether}(poolId, 1);
    }

    function test_G3_pledge_afterOwnSettlement_reverts() public {
        uint256 poolId = _openEthPool(1, 5);
        _pledgeEth(alice, poolId, 1);
        gb.settlePledge(poolId, alice);
        vm.deal(alice, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.PledgeAlreadySettled.selector, poolId, alice));
        vm.prank(alice);
        gb.pledge{value: 0.01 ether}(poolId, 1);
        // Others may still pledge up to the maximum before the deadline, and settle on their own.
        _pledgeEth(bob, poolId, 4);
        gb.settlePledge(poolId, bob);
        assertEq(address(gb).balance, 0);
    }

    function test_G3_unpledge_succeededPool_reverts() public {
        uint256 poolId = _openEthPool(2, 5);
        _pledgeEth(alice, poolId, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotOpen.selector, poolId, IGroupBuy.PoolState.Succeeded)
        );
        vm.prank(alice);
        gb.unpledge(poolId, 1);
    }

    function test_G3_settle_worksWhileGroupBuyPaused_waitsForEscrowPause() public {
        uint256 poolId = _openEthPool(1, 5);
        _pledgeEth(alice, poolId, 1);
        vm.startPrank(admin);
        escrow.grantRole(escrow.PAUSER_ROLE(), admin);
        gb.pause();
        escrow.pause();
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        gb.settlePledge(poolId, alice);
        vm.prank(admin);
        escrow.unpause();
        gb.settlePledge(poolId, alice);
        assertEq(address(escrow).balance, 0.01 ether);
    }

    // ---------------------------------------------------------------------------------------------
    // G4: refund and settlement gas do not depend on the number of pledgers

    function _failedPoolWith(uint256 pledgers) internal returns (uint256 poolId, address first) {
        vm.prank(seller);
        poolId = gb.openPool(_terms(address(0), 0.001 ether, uint32(pledgers) + 1, uint32(pledgers) + 1, 1 days));
        for (uint256 i = 0; i < pledgers; i++) {
            address who = address(uint160(0x10000 + pledgers * 0x100000 + i));
            _pledgeEth(who, poolId, 1);
            // A pledger sending a transaction has a balance: keep the ETH transfer to a live account.
            vm.deal(who, 1 ether);
        }
        first = address(uint160(0x10000 + pledgers * 0x100000));
        vm.warp(_deadline(poolId));
    }

    function _measureRefund(uint256 poolId, address who) internal returns (uint256 used) {
        vm.cool(address(gb));
        vm.prank(who);
        uint256 g = gasleft();
        gb.refund(poolId);
        used = g - gasleft();
    }

    function test_G4_refundGas_independentOfPledgerCount() public {
        (uint256 small, address firstSmall) = _failedPoolWith(1);
        (uint256 large, address firstLarge) = _failedPoolWith(1_000);
        uint256 gasSmall = _measureRefund(small, firstSmall);
        uint256 gasLarge = _measureRefund(large, firstLarge);
        // The last pledger of the large pool costs the same as the first.
        uint256 gasLargeLast = _measureRefund(large, address(uint160(0x10000 + 1_000 * 0x100000 + 999)));
        console.log("G4 refund gas (execution), 1 pledger:", gasSmall);
        console.log("G4 refund gas (execution), 1,000 pledgers, first:", gasLarge);
        console.log("G4 refund gas (execution), 1,000 pledgers, last:", gasLargeLast);
        assertEq(gasSmall, gasLarge);
        assertEq(gasLarge, gasLargeLast);
    }

    function _succeededPoolWith(uint256 pledgers, uint256 base) internal returns (uint256 poolId) {
        vm.prank(seller);
        poolId = gb.openPool(_terms(address(0), 0.001 ether, 1, uint32(pledgers), 1 days));
        for (uint256 i = 0; i < pledgers; i++) {
            _pledgeEth(address(uint160(base + i)), poolId, 1);
        }
    }

    function _measureSettle(uint256 poolId, address who) internal returns (uint256 used) {
        vm.cool(address(gb));
        vm.cool(address(escrow));
        uint256 g = gasleft();
        gb.settlePledge(poolId, who);
        used = g - gasleft();
    }

    function test_G4_settleGas_independentOfPledgerCount() public {
        uint256 small = _succeededPoolWith(1, 0x20000);
        uint256 large = _succeededPoolWith(1_000, 0x30000);
        // Warm-up: the first order ever credited touches escrow slots no later one does the same way.
        _succeededPoolWith(1, 0x40000);
        _measureSettle(3, address(0x40000));
        uint256 gasSmall = _measureSettle(small, address(0x20000));
        uint256 gasLarge = _measureSettle(large, address(0x30000));
        uint256 gasLargeLast = _measureSettle(large, address(0x30000 + 999));
        console.log("G4 settle gas (execution), 1 pledger:", gasSmall);
        console.log("G4 settle gas (execution), 1,000 pledgers, first:", gasLarge);
        console.log("G4 settle gas (execution), 1,000 pledgers, last:", gasLargeLast);
        assertEq(gasSmall, gasLarge);
        assertEq(gasLarge, gasLargeLast);
    }

    // ---------------------------------------------------------------------------------------------
    // G5: edges

    function test_G5_totalEqualsMinimum_succeeds() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 2);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Open));
        _pledgeEth(bob, poolId, 1);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Succeeded));
        vm.warp(_deadline(poolId) + 365 days);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Succeeded));
    }

    function test_G5_oneBelowMinimumAtDeadline_fails() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 2);
        vm.warp(_deadline(poolId) - 1);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Open));
        vm.warp(_deadline(poolId));
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Failed));
    }

    function test_G5_pledge_atDeadlineMinusOne_succeeds() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 2);
        vm.warp(_deadline(poolId) - 1);
        _pledgeEth(bob, poolId, 1);
        vm.warp(_deadline(poolId));
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Succeeded));
    }

    function test_G5_pledge_atDeadline_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        uint40 deadline = _deadline(poolId);
        vm.warp(deadline);
        vm.deal(bob, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.DeadlinePassed.selector, poolId, deadline));
        vm.prank(bob);
        gb.pledge{value: 0.01 ether}(poolId, 1);
    }

    function test_G5_pledge_overMaximum_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 4);
        vm.deal(bob, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ExceedsMaxUnits.selector, poolId, uint32(1), uint32(2)));
        vm.prank(bob);
        gb.pledge{value: 0.02 ether}(poolId, 2);
        _pledgeEth(bob, poolId, 1); // exactly the maximum
        assertEq(gb.getPool(poolId).pledgedUnits, 5);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ExceedsMaxUnits.selector, poolId, uint32(0), uint32(1)));
        vm.prank(carol);
        gb.pledge{value: 0}(poolId, 1);
    }

    function test_G5_pledge_maxUint32Units_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.ExceedsMaxUnits.selector, poolId, uint32(5), type(uint32).max)
        );
        vm.prank(bob);
        gb.pledge(poolId, type(uint32).max);
    }

    function test_G5_unpledge_atDeadlineMinusOne_succeeds_atDeadline_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 2);
        vm.warp(_deadline(poolId) - 1);
        vm.expectEmit(address(gb));
        emit IGroupBuy.Unpledged(poolId, alice, 1, 0.01 ether, 1);
        vm.prank(alice);
        gb.unpledge(poolId, 1);
        assertEq(alice.balance, 0.01 ether);
        vm.warp(_deadline(poolId));
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.PoolNotOpen.selector, poolId, IGroupBuy.PoolState.Failed)
        );
        vm.prank(alice);
        gb.unpledge(poolId, 1);
        vm.prank(alice);
        gb.refund(poolId);
        assertEq(alice.balance, 0.02 ether);
    }

    function test_G5_unpledge_allUnits_thenPledgeAgain() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 2);
        vm.prank(alice);
        gb.unpledge(poolId, 2);
        (uint32 units,,) = gb.pledgeOf(poolId, alice);
        assertEq(units, 0);
        assertEq(gb.getPool(poolId).pledgedUnits, 0);
        _pledgeEth(alice, poolId, 3);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Succeeded));
    }

    function test_G5_unpledge_moreThanPledged_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 2);
        vm.expectRevert(
            abi.encodeWithSelector(IGroupBuy.InsufficientPledge.selector, poolId, uint32(2), uint32(3))
        );
        vm.prank(alice);
        gb.unpledge(poolId, 3);
    }

    function test_G5_zeroUnits_revert() public {
        uint256 poolId = _openEthPool(3, 5);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ZeroUnits.selector));
        vm.prank(alice);
        gb.pledge(poolId, 0);
        _pledgeEth(alice, poolId, 1);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ZeroUnits.selector));
        vm.prank(alice);
        gb.unpledge(poolId, 0);
    }

    function test_G5_singleUnitPool_pledgeFillsAndSettles() public {
        uint256 poolId = _openEthPool(1, 1);
        _pledgeEth(alice, poolId, 1);
        assertEq(uint8(gb.poolState(poolId)), uint8(IGroupBuy.PoolState.Succeeded));
        gb.settlePledge(poolId, alice);
    }

    // ---------------------------------------------------------------------------------------------
    // Payment checks and other errors

    function test_pledge_wrongEthAmount_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.WrongAmount.selector, 0.02 ether, 0.01 ether));
        gb.pledge{value: 0.01 ether}(poolId, 2);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.WrongAmount.selector, 0.02 ether, 0.03 ether));
        gb.pledge{value: 0.03 ether}(poolId, 2);
        vm.stopPrank();
    }

    function test_pledge_ethToTokenPool_reverts() public {
        uint256 poolId = _openTokenPool(3, 5);
        usd.mint(alice, 25e6);
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        usd.approve(address(gb), 25e6);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.UnexpectedEth.selector));
        gb.pledge{value: 1}(poolId, 1);
        vm.stopPrank();
    }

    function test_pledge_feeOnTransferToken_reverts() public {
        FeeOnTransferToken fot = new FeeOnTransferToken();
        vm.prank(admin);
        gb.setTokenAccepted(address(fot), true);
        vm.prank(seller);
        uint256 poolId = gb.openPool(_terms(address(fot), 10_000, 1, 5, 1 days));
        fot.mint(alice, 10_000);
        vm.startPrank(alice);
        fot.approve(address(gb), 10_000);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.WrongAmount.selector, uint256(10_000), uint256(9_900)));
        gb.pledge(poolId, 1);
        vm.stopPrank();
    }

    function test_pledge_bySeller_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        vm.deal(seller, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.SellerCannotPledge.selector, seller));
        vm.prank(seller);
        gb.pledge{value: 0.01 ether}(poolId, 1);
    }

    function test_unknownPool_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.UnknownPool.selector, uint256(7)));
        gb.pledge(7, 1);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.UnknownPool.selector, uint256(7)));
        gb.unpledge(7, 1);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.UnknownPool.selector, uint256(7)));
        gb.refund(7);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.UnknownPool.selector, uint256(7)));
        gb.settlePledge(7, alice);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.UnknownPool.selector, uint256(7)));
        gb.pledgeWithPermit(7, 1, 0, 0, 0, 0);
        assertEq(uint8(gb.poolState(7)), uint8(IGroupBuy.PoolState.None));
    }

    function _permit(uint256 key, address owner, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                address(gb),
                value,
                usd.nonces(owner),
                deadline
            )
        );
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usd.DOMAIN_SEPARATOR(), structHash)));
    }

    function test_pledgeWithPermit_pullsTokensWithoutApproval() public {
        (address dave, uint256 key) = makeAddrAndKey("dave");
        uint256 poolId = _openTokenPool(3, 5);
        usd.mint(dave, 50e6);
        (uint8 v, bytes32 r, bytes32 s) = _permit(key, dave, 50e6, block.timestamp + 1 hours);
        vm.prank(dave);
        gb.pledgeWithPermit(poolId, 2, block.timestamp + 1 hours, v, r, s);
        assertEq(usd.balanceOf(address(gb)), 50e6);
        (uint32 units,,) = gb.pledgeOf(poolId, dave);
        assertEq(units, 2);
    }

    function test_pledgeWithPermit_frontRunPermit_stillPledges() public {
        (address dave, uint256 key) = makeAddrAndKey("dave");
        uint256 poolId = _openTokenPool(3, 5);
        usd.mint(dave, 25e6);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(key, dave, 25e6, deadline);
        usd.permit(dave, address(gb), 25e6, deadline, v, r, s); // a front-runner uses it first
        vm.prank(dave);
        gb.pledgeWithPermit(poolId, 1, deadline, v, r, s);
        assertEq(usd.balanceOf(address(gb)), 25e6);
    }

    function test_pledgeWithPermit_ethPool_reverts() public {
        uint256 poolId = _openEthPool(3, 5);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.NotTokenPool.selector, poolId));
        vm.prank(alice);
        gb.pledgeWithPermit(poolId, 1, block.timestamp, 0, 0, 0);
    }

    // ---------------------------------------------------------------------------------------------
    // Admin and pause

    function test_pause_stopsOpeningAndPledging() public {
        uint256 poolId = _openEthPool(3, 5);
        _pledgeEth(alice, poolId, 1);
        vm.prank(admin);
        gb.pause();
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(seller);
        gb.openPool(_terms(address(0), 1, 1, 1, 1 days));
        vm.deal(bob, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(bob);
        gb.pledge{value: 0.01 ether}(poolId, 1);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(bob);
        gb.pledgeWithPermit(poolId, 1, 0, 0, 0, 0);
        // Unpledging still works while paused.
        vm.prank(alice);
        gb.unpledge(poolId, 1);
        vm.prank(admin);
        gb.unpause();
        _pledgeEth(bob, poolId, 1);
    }

    function test_admin_setters_boundsAndAccess() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidBps.selector, uint256(1_001), uint256(1_000)));
        gb.setPlatformFeeBps(1_001);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.InvalidBps.selector, uint256(1_001), uint256(1_000)));
        gb.setCashbackBps(1_001);
        vm.expectRevert(abi.encodeWithSelector(IGroupBuy.ZeroAddress.selector));
        gb.setTokenAccepted(address(0), true);
        vm.expectEmit(address(gb));
        emit IGroupBuy.PlatformFeeSet(1_000);
        gb.setPlatformFeeBps(1_000);
        vm.expectEmit(address(gb));
        emit IGroupBuy.CashbackSet(1_000);
        gb.setCashbackBps(1_000);
        vm.expectEmit(address(gb));
        emit IGroupBuy.TokenAcceptanceSet(address(usd), false);
        gb.setTokenAccepted(address(usd), false);
        vm.stopPrank();
        assertEq(gb.platformFeeBps(), 1_000);
        assertEq(gb.cashbackBps(), 1_000);
        assertFalse(gb.tokenAccepted(address(usd)));

        bytes32 adminRole = gb.DEFAULT_ADMIN_ROLE();
        vm.startPrank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, carol, adminRole)
        );
        gb.setPlatformFeeBps(1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, carol, adminRole)
        );
        gb.setCashbackBps(1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, carol, adminRole)
        );
        gb.setTokenAccepted(address(usd), true);
        bytes32 pauserRole = gb.PAUSER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, carol, pauserRole)
        );
        gb.pause();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, carol, pauserRole)
        );
        gb.unpause();
        vm.stopPrank();
    }

    function test_admin_transferIsTwoStepWithDelay() public {
        address next = makeAddr("nextAdmin");
        vm.prank(admin);
        gb.beginDefaultAdminTransfer(next);
        vm.warp(block.timestamp + ADMIN_DELAY + 1);
        vm.prank(next);
        gb.acceptDefaultAdminTransfer();
        assertEq(gb.defaultAdmin(), next);
        assertFalse(gb.hasRole(gb.DEFAULT_ADMIN_ROLE(), admin));
    }

    function test_openPool_withoutBadgeMinterRole_reverts() public {
        bytes32 minter = badges.MINTER_ROLE();
        vm.prank(admin);
        badges.revokeRole(minter, address(gb));
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(gb), minter)
        );
        vm.prank(seller);
        gb.openPool(_terms(address(0), 1, 1, 1, 1 days));
    }
}
