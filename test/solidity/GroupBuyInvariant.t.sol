// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";
import {IGroupBuy} from "../../contracts/interfaces/IGroupBuy.sol";

import {GroupBuyFixture} from "./handlers/GroupBuyFixture.sol";
import {GroupBuyHandler} from "./handlers/GroupBuyHandler.sol";

/// @notice Handler-based invariants of GroupBuy against the real Escrow (TESTPLAN G1, G2, G3, G6).
contract GroupBuyInvariantTest is GroupBuyFixture {
    GroupBuyHandler internal handler;

    function setUp() public {
        _deployCore();
        handler = new GroupBuyHandler(gb, usd, seller);
        // Start with one pool of each kind so the first calls have something to act on.
        handler.openPool(1 ether, false, 3, 8, 1 days);
        handler.openPool(50e6, true, 2, 5, 2 days);

        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = GroupBuyHandler.openPool.selector;
        selectors[1] = GroupBuyHandler.pledge.selector;
        selectors[2] = GroupBuyHandler.unpledge.selector;
        selectors[3] = GroupBuyHandler.refund.selector;
        selectors[4] = GroupBuyHandler.settle.selector;
        selectors[5] = GroupBuyHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// G1: the contract holds at least every pledge neither settled nor paid back, per token; the
    /// escrow got exactly what was settled.
    function invariant_G1_solvency() public view {
        assertGe(address(gb).balance, handler.outstanding(address(0)), "ETH held < outstanding pledges");
        assertEq(usd.balanceOf(address(gb)), handler.outstanding(address(usd)), "tokens held != outstanding pledges");
        assertEq(address(escrow).balance, handler.ghostSettled(address(0)), "escrow ETH != settled");
        assertEq(usd.balanceOf(address(escrow)), handler.ghostSettled(address(usd)), "escrow tokens != settled");
        assertEq(
            handler.ghostDeposited(address(0)),
            handler.ghostPaidBack(address(0)) + handler.ghostSettled(address(0)) + address(gb).balance,
            "ETH in != out + held"
        );
    }

    /// G2/G3: each pledger's money is exactly what it was given minus what it still has pledged and what
    /// became escrow orders: every refund and unpledge paid exactly, and at most once.
    function invariant_G2_G3_pledgersPaidExactly() public view {
        for (uint256 i = 0; i < handler.actorCount(); i++) {
            address actor = handler.actors(i);
            assertEq(
                actor.balance,
                handler.ghostFunded(actor, address(0)) - handler.outstandingOf(actor, address(0))
                    - handler.settledOf(actor, address(0)),
                "pledger ETH"
            );
            assertEq(
                usd.balanceOf(actor),
                handler.ghostFunded(actor, address(usd)) - handler.outstandingOf(actor, address(usd))
                    - handler.settledOf(actor, address(usd)),
                "pledger tokens"
            );
        }
    }

    /// G3: a settled pledge is exactly one Paid escrow order; an unsettled one has no order.
    function invariant_G3_settledPledgesAreEscrowOrders() public view {
        for (uint256 id = 1; id <= handler.poolCount(); id++) {
            for (uint256 i = 0; i < handler.actorCount(); i++) {
                address actor = handler.actors(i);
                (IEscrow.State state,) = escrow.orderState(gb.orderIdOf(id, actor));
                bool settled = handler.modelPledge(id, actor).settled;
                assertEq(uint8(state), uint8(settled ? IEscrow.State.Paid : IEscrow.State.None), "escrow order");
            }
        }
    }

    /// G6: the pool agrees with the reference model on every call's outcome, every pool's state and
    /// units, and every pledge.
    function invariant_G6_agreesWithReferenceModel() public view {
        assertEq(handler.mismatches(), 0, handler.lastMismatch());
        assertEq(gb.poolCount(), handler.poolCount(), "pool count");
        for (uint256 id = 1; id <= handler.poolCount(); id++) {
            assertEq(uint8(gb.poolState(id)), uint8(handler.modelState(id)), "pool state");
            IGroupBuy.Pool memory p = gb.getPool(id);
            GroupBuyHandler.ModelPool memory m = handler.modelPool(id);
            assertEq(p.pledgedUnits, m.pledged, "pledged units");
            assertLe(p.pledgedUnits, p.maxUnits, "over max");
            for (uint256 i = 0; i < handler.actorCount(); i++) {
                address actor = handler.actors(i);
                (uint32 units,, bool settled) = gb.pledgeOf(id, actor);
                GroupBuyHandler.ModelPledge memory mp = handler.modelPledge(id, actor);
                assertEq(units, mp.units, "pledge units");
                assertEq(settled, mp.settled, "pledge settled");
            }
        }
    }
}
