// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";

import {EscrowFixture} from "./handlers/EscrowFixture.sol";

/// @notice Fuzz tests: E11 rounding (1 wei to 1e30, every bps), E4 every caller against every
/// function, E8 timing around each deadline.
contract EscrowFuzzTest is EscrowFixture {
    uint256 internal constant MAX_AMOUNT = 1e30;

    function setUp() public {
        _deployCore();
    }

    function _fuzzOrder(uint256 amount, uint256 fee, uint16 affiliateBps) internal returns (bytes32, IEscrow.Order memory) {
        amount = bound(amount, 1, MAX_AMOUNT);
        fee = bound(fee, 0, amount);
        affiliateBps = uint16(bound(affiliateBps, 0, BPS));
        IEscrow.Order memory o = _order(address(0), amount);
        o.fee = fee;
        o.affiliate = affiliate;
        o.affiliateBps = affiliateBps;
        o.cashback = amount % 1_000;
        IEscrow.Quote memory q = _quote(o);
        _pay(q);
        return (q.orderId, o);
    }

    function testFuzz_E11_splitsConserve_onCompletion(uint256 amount, uint256 fee, uint16 affiliateBps) public {
        (bytes32 id, IEscrow.Order memory o) = _fuzzOrder(amount, fee, affiliateBps);
        _ship(id, o);
        _confirm(id, o);
        uint256 toSeller = _credit(address(0), seller);
        uint256 toTreasury = _credit(address(0), treasury);
        uint256 toAffiliate = _credit(address(0), affiliate);
        assertEq(toSeller + toTreasury + toAffiliate, o.amount, "nothing created or lost");
        assertEq(toTreasury, o.fee);
        assertEq(toAffiliate, ((o.amount - o.fee) * o.affiliateBps) / BPS, "affiliate share rounds down");
        assertEq(_credit(address(0), buyer), 0);
        assertEq(points.balanceOf(buyer), o.cashback);
        _drainAndCheck();
    }

    function testFuzz_E11_splitsConserve_onResolve(uint256 amount, uint256 fee, uint16 affiliateBps, uint16 buyerBps)
        public
    {
        (bytes32 id, IEscrow.Order memory o) = _fuzzOrder(amount, fee, affiliateBps);
        buyerBps = uint16(bound(buyerBps, 0, BPS));
        _dispute(id, o);
        vm.prank(arbiter);
        escrow.resolveDispute(id, o, buyerBps);
        uint256 toBuyer = _credit(address(0), buyer);
        uint256 toSeller = _credit(address(0), seller);
        uint256 toTreasury = _credit(address(0), treasury);
        uint256 toAffiliate = _credit(address(0), affiliate);
        assertEq(toBuyer + toSeller + toTreasury + toAffiliate, o.amount, "nothing created or lost");
        assertEq(toBuyer, (o.amount * buyerBps) / BPS, "buyer share rounds down");
        assertLe(toTreasury, o.fee, "fee pro rata never exceeds the fee");
        assertEq(points.balanceOf(buyer), 0, "L3: no cashback on a resolved order");
        _drainAndCheck();
    }

    function testFuzz_E11_refundPaysExactAmount(uint256 amount, uint256 fee, uint16 affiliateBps, bool shipped) public {
        (bytes32 id, IEscrow.Order memory o) = _fuzzOrder(amount, fee, affiliateBps);
        if (shipped) _ship(id, o);
        vm.prank(seller);
        escrow.refund(id, o);
        assertEq(_credit(address(0), buyer), o.amount);
        assertEq(points.balanceOf(buyer), 0, "L3: no cashback on a refunded order");
        _drainAndCheck();
    }

    /// @dev Everyone withdraws; the escrow ends empty (E5 at small scale).
    function _drainAndCheck() internal {
        address[4] memory who = [buyer, seller, treasury, affiliate];
        for (uint256 i; i < who.length; i++) {
            if (_credit(address(0), who[i]) != 0) {
                vm.prank(who[i]);
                escrow.withdraw(address(0));
            }
        }
        assertEq(address(escrow).balance, 0, "escrow drained");
    }

    // ---------------------------------------------------------------------------------------------
    // E4: every caller against every function

    function testFuzz_E4_onlyPartiesAct(address caller) public {
        vm.assume(caller != buyer && caller != seller && caller != arbiter);
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);

        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotSeller.selector, caller));
        escrow.markShipped(id, o);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotSeller.selector, caller));
        escrow.refund(id, o);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotBuyer.selector, caller));
        escrow.openDispute(id, o);

        _ship(id, o);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotBuyer.selector, caller));
        escrow.confirmDelivery(id, o);

        _dispute(id, o);
        bytes32 role = escrow.ARBITER_ROLE();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        escrow.resolveDispute(id, o, 0);
    }

    function testFuzz_E4_cancelUnshipped_onlyBuyer(address caller) public {
        vm.assume(caller != buyer);
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.warp(_deadline(id));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotBuyer.selector, caller));
        escrow.cancelUnshipped(id, o);
    }

    function testFuzz_E4_checkout_onlyTheQuotedBuyer(address caller) public {
        vm.assume(caller != buyer);
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.deal(caller, 1 ether);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.WrongBuyer.selector, buyer, caller));
        escrow.checkout{value: 1 ether}(q, sig);
    }

    // ---------------------------------------------------------------------------------------------
    // E8: timing

    function testFuzz_E8_release_onlyFromReleaseAt(uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 2 * uint256(WINDOW));
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        uint40 releaseAt = _deadline(id);
        vm.warp(block.timestamp + elapsed);
        if (block.timestamp < releaseAt) {
            vm.expectRevert(abi.encodeWithSelector(IEscrow.TooEarly.selector, releaseAt));
            escrow.release(id, o);
            _dispute(id, o); // and the buyer can still dispute
        } else {
            vm.prank(buyer);
            vm.expectRevert(abi.encodeWithSelector(IEscrow.TooLate.selector, releaseAt));
            escrow.openDispute(id, o);
            escrow.release(id, o);
        }
    }

    function testFuzz_E8_ship_or_cancel_exactlyOne(uint256 elapsed) public {
        elapsed = bound(elapsed, 0, 2 * uint256(WINDOW));
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        uint40 shipBy = _deadline(id);
        vm.warp(block.timestamp + elapsed);
        vm.prank(seller);
        (bool shipped,) = address(escrow).call(abi.encodeCall(IEscrow.markShipped, (id, o)));
        if (shipped) {
            assertLt(block.timestamp, shipBy);
        } else {
            assertGe(block.timestamp, shipBy);
            vm.prank(buyer);
            escrow.cancelUnshipped(id, o);
        }
    }
}
