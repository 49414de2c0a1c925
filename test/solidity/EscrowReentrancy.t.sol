// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";
import {HookToken} from "../../contracts/test/HookToken.sol";
import {ReentrancyAttacker} from "../../contracts/test/ReentrancyAttacker.sol";

import {EscrowFixture} from "./handlers/EscrowFixture.sol";

/// @notice E7: re-entry through an attacker contract (ETH receive) and a hook-calling token, on
/// withdraw, confirm and resolve. Every re-entry must be refused and nothing paid twice.
contract EscrowReentrancyTest is EscrowFixture {
    ReentrancyAttacker internal attacker;
    HookToken internal hook;

    function setUp() public {
        _deployCore();
        attacker = new ReentrancyAttacker();
        hook = new HookToken();
        attacker.exec(address(hook), 0, abi.encodeCall(HookToken.registerHooks, ()));
        vm.prank(admin);
        escrow.setTokenAccepted(address(hook), true);
    }

    /// @dev An order where the attacker is the seller, completed: the attacker has a credit.
    function _attackerSells(address token, uint256 amount) internal returns (bytes32 id, IEscrow.Order memory o) {
        o = _order(token, amount);
        o.seller = address(attacker);
        IEscrow.Quote memory q = _quote(o);
        if (token == address(0)) {
            _pay(q);
        } else {
            hook.mint(buyer, amount);
            bytes memory sig = _sign(q);
            vm.startPrank(buyer);
            hook.approve(address(escrow), amount);
            escrow.checkout(q, sig);
            vm.stopPrank();
        }
        id = q.orderId;
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.markShipped, (id, o)));
        _confirm(id, o);
    }

    /// @dev An order where the attacker is the buyer, paid in ETH and shipped.
    function _attackerBuysShipped(uint256 amount) internal returns (bytes32 id, IEscrow.Order memory o) {
        o = _order(address(0), amount);
        o.buyer = address(attacker);
        IEscrow.Quote memory q = _quote(o);
        bytes memory sig = _sign(q);
        vm.deal(address(attacker), amount);
        attacker.exec(address(escrow), amount, abi.encodeCall(IEscrow.checkout, (q, sig)));
        id = q.orderId;
        _ship(id, o);
    }

    function _assertReentryRefused() internal view {
        assertEq(attacker.reentryAttempts(), 1, "re-entry attempted");
        assertFalse(attacker.lastReentryOk(), "re-entry succeeded");
        assertEq(
            attacker.lastReentryError(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)
        );
    }

    function test_E7_withdrawEth_reentersWithdraw_refused() public {
        _attackerSells(address(0), 1 ether);
        uint256 due = _credit(address(0), address(attacker));
        attacker.arm(address(escrow), abi.encodeCall(IEscrow.withdraw, (address(0))));
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.withdraw, (address(0))));
        _assertReentryRefused();
        assertEq(address(attacker).balance, due);
        assertEq(_credit(address(0), address(attacker)), 0);
        assertEq(address(escrow).balance, _credit(address(0), treasury));
    }

    function test_E7_withdrawEth_reentersConfirm_refused() public {
        _attackerSells(address(0), 1 ether);
        // The attacker also buys a second order, shipped, and tries to confirm it mid-withdrawal.
        (bytes32 id2, IEscrow.Order memory o2) = _attackerBuysShipped(0.5 ether);
        attacker.arm(address(escrow), abi.encodeCall(IEscrow.confirmDelivery, (id2, o2)));
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.withdraw, (address(0))));
        _assertReentryRefused();
        assertEq(uint8(_state(id2)), uint8(IEscrow.State.Shipped));
        // It can still confirm normally afterwards, once.
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.confirmDelivery, (id2, o2)));
        assertEq(uint8(_state(id2)), uint8(IEscrow.State.Completed));
    }

    function test_E7_withdrawEth_reentersResolve_refused() public {
        // A malicious arbiter with a credit tries to resolve a dispute from inside its withdrawal.
        bytes32 arbiterRole = escrow.ARBITER_ROLE();
        vm.prank(admin);
        escrow.grantRole(arbiterRole, address(attacker));
        _attackerSells(address(0), 1 ether);
        (bytes32 id, IEscrow.Order memory o) = _payEth(2 ether);
        _dispute(id, o);
        attacker.arm(address(escrow), abi.encodeCall(IEscrow.resolveDispute, (id, o, 0)));
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.withdraw, (address(0))));
        _assertReentryRefused();
        assertEq(uint8(_state(id)), uint8(IEscrow.State.Disputed));
    }

    function test_E7_hookToken_withdraw_reentersWithdraw_refused() public {
        _attackerSells(address(hook), 1_000_000);
        uint256 due = _credit(address(hook), address(attacker));
        attacker.arm(address(escrow), abi.encodeCall(IEscrow.withdraw, (address(hook))));
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.withdraw, (address(hook))));
        _assertReentryRefused();
        assertEq(hook.balanceOf(address(attacker)), due);
        assertEq(hook.balanceOf(address(escrow)), _credit(address(hook), treasury));
    }

    function test_E7_hookToken_checkout_reentersConfirm_refused() public {
        // The attacker buys in the hook token; while its tokens are pulled (tokensToSend) it tries
        // to confirm an earlier shipped order of its own.
        (bytes32 shippedId, IEscrow.Order memory shipped) = _attackerBuysShipped(1 ether);
        IEscrow.Order memory o = _order(address(hook), 1_000);
        o.buyer = address(attacker);
        IEscrow.Quote memory q = _quote(o);
        bytes memory sig = _sign(q);
        hook.mint(address(attacker), 1_000);
        attacker.exec(address(hook), 0, abi.encodeCall(hook.approve, (address(escrow), 1_000)));
        attacker.arm(address(escrow), abi.encodeCall(IEscrow.confirmDelivery, (shippedId, shipped)));
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.checkout, (q, sig)));
        _assertReentryRefused();
        assertEq(uint8(_state(q.orderId)), uint8(IEscrow.State.Paid));
        assertEq(uint8(_state(shippedId)), uint8(IEscrow.State.Shipped));
    }

    function test_E7_hookToken_withdraw_reentersResolve_refused() public {
        bytes32 arbiterRole = escrow.ARBITER_ROLE();
        vm.prank(admin);
        escrow.grantRole(arbiterRole, address(attacker));
        _attackerSells(address(hook), 10_000);
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _dispute(id, o);
        attacker.arm(address(escrow), abi.encodeCall(IEscrow.resolveDispute, (id, o, 10_000)));
        attacker.exec(address(escrow), 0, abi.encodeCall(IEscrow.withdraw, (address(hook))));
        _assertReentryRefused();
        assertEq(uint8(_state(id)), uint8(IEscrow.State.Disputed));
    }
}
