// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";

import {EscrowFixture} from "./handlers/EscrowFixture.sol";
import {EscrowHandler} from "./handlers/EscrowHandler.sol";

/// @notice Handler-based invariants with ghost sums: E1 solvency, E2 conservation, E3 state
/// machine (model agreement, pays once), E5 liveness, L2/L3 for cashback.
contract EscrowInvariantTest is EscrowFixture {
    EscrowHandler internal handler;

    function setUp() public {
        _deployCore();
        handler = new EscrowHandler(escrow, points, usd, quoteSignerKey, arbiter, treasury);
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = EscrowHandler.checkout.selector;
        selectors[1] = EscrowHandler.markShipped.selector;
        selectors[2] = EscrowHandler.confirmDelivery.selector;
        selectors[3] = EscrowHandler.release.selector;
        selectors[4] = EscrowHandler.openDispute.selector;
        selectors[5] = EscrowHandler.resolveDispute.selector;
        selectors[6] = EscrowHandler.settleStaleDispute.selector;
        selectors[7] = EscrowHandler.refund.selector;
        selectors[8] = EscrowHandler.cancelUnshipped.selector;
        selectors[9] = EscrowHandler.withdraw.selector;
        selectors[10] = EscrowHandler.warp.selector;
        selectors[11] = EscrowHandler.forceEth.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _tokens() internal view returns (address[2] memory) {
        return [address(0), address(usd)];
    }

    function _balance(address token) internal view returns (uint256) {
        return token == address(0) ? address(escrow).balance : usd.balanceOf(address(escrow));
    }

    function invariant_E1_solvency() public view {
        address[2] memory ts = _tokens();
        for (uint256 i; i < ts.length; i++) {
            assertGe(_balance(ts[i]), handler.ghostLocked(ts[i]) + handler.sumCredits(ts[i]), "balance >= locked + credits");
        }
    }

    function invariant_E2_conservation() public view {
        address[2] memory ts = _tokens();
        for (uint256 i; i < ts.length; i++) {
            address t = ts[i];
            uint256 paidOut = handler.ghostToSellers(t) + handler.ghostToBuyers(t) + handler.ghostFees(t)
                + handler.ghostToAffiliates(t);
            assertEq(handler.ghostDeposited(t), paidOut + handler.ghostLocked(t), "deposits = payouts + locked");
            assertEq(paidOut, handler.sumCredits(t) + handler.ghostWithdrawn(t), "payouts = credits + withdrawn");
            uint256 forced = t == address(0) ? handler.ghostForcedEth() : 0;
            assertEq(_balance(t), handler.ghostLocked(t) + handler.sumCredits(t) + forced, "nothing leaks");
        }
    }

    function invariant_E3_stateMachine_paysOnce() public view {
        assertEq(handler.ghostDoublePayouts(), 0, "an order paid twice");
        assertEq(handler.ghostModelMismatches(), 0, "escrow disagrees with the model");
        uint256 n = handler.orderCount();
        for (uint256 i; i < n; i++) {
            (bytes32 id,) = handler.orderAt(i);
            (IEscrow.State st, uint40 deadline) = escrow.orderState(id);
            assertEq(uint8(st), uint8(handler.modelState(id)), "state");
            assertEq(deadline, handler.modelDeadline(id), "deadline");
        }
    }

    function invariant_L2_L3_cashbackMintedOncePerCompletion() public view {
        assertEq(points.totalSupply(), handler.ghostCashback(), "supply = cashback of completed orders");
        uint256 sum;
        for (uint256 i; i < 3; i++) sum += points.balanceOf(handler.buyers(i));
        assertEq(sum, points.totalSupply(), "sum of balances = supply");
    }

    /// @dev E5: from any reachable state, after every deadline every order closes and every credit
    /// is withdrawn; the balance drains to what was forced in. Run on a snapshot, then rolled back.
    function invariant_E5_liveness() public {
        uint256 snap = vm.snapshotState();
        vm.warp(block.timestamp + 60 days);
        uint256 n = handler.orderCount();
        for (uint256 i; i < n; i++) {
            (bytes32 id, IEscrow.Order memory o) = handler.orderAt(i);
            (IEscrow.State st,) = escrow.orderState(id);
            if (st == IEscrow.State.Paid) {
                vm.prank(o.buyer);
                escrow.cancelUnshipped(id, o);
            } else if (st == IEscrow.State.Shipped) {
                escrow.release(id, o);
            } else if (st == IEscrow.State.Disputed) {
                escrow.settleStaleDispute(id, o);
            }
        }
        address[] memory all = handler.accounts();
        address[2] memory ts = _tokens();
        for (uint256 t; t < ts.length; t++) {
            for (uint256 i; i < all.length; i++) {
                if (escrow.creditOf(ts[t], all[i]) != 0) {
                    vm.prank(all[i]);
                    escrow.withdraw(ts[t]);
                }
            }
        }
        assertEq(address(escrow).balance, handler.ghostForcedEth(), "ETH drains to what was forced in");
        assertEq(usd.balanceOf(address(escrow)), 0, "tokens drain");
        vm.revertToState(snap);
    }

    /// @dev The handler itself works: a scripted run through every action moves real money.
    function test_handler_scriptedRun_keepsInvariants() public {
        handler.checkout(0, false, 1 ether, 0.1 ether, 500, 7);
        handler.checkout(8, true, 1_000e6, 10e6, 0, 0);
        handler.checkout(16, false, 3, 1, 10_000, 1);
        handler.checkout(24, true, 5e6, 0, 0, 0);
        assertEq(handler.orderCount(), 4);
        handler.markShipped(0);
        handler.markShipped(1);
        handler.confirmDelivery(0);
        handler.openDispute(2);
        handler.resolveDispute(2, 3_333);
        handler.warp(11 days);
        handler.release(1, stranger);
        handler.cancelUnshipped(3);
        handler.forceEth(1 ether);
        for (uint256 i; i < 8; i++) {
            handler.withdraw(i, false);
            handler.withdraw(i, true);
        }
        assertEq(handler.ghostModelMismatches(), 0);
        assertGt(handler.ghostWithdrawn(address(0)), 0);
        assertGt(handler.ghostWithdrawn(address(usd)), 0);
        assertEq(handler.ghostLocked(address(0)), 0);
        assertEq(handler.ghostLocked(address(usd)), 0);
        invariant_E1_solvency();
        invariant_E2_conservation();
        invariant_E3_stateMachine_paysOnce();
        invariant_L2_L3_cashbackMintedOncePerCompletion();
        invariant_E5_liveness();
    }
}
