// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {LoyaltyPoints} from "../../contracts/LoyaltyPoints.sol";
import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";

import {EscrowFixture} from "./handlers/EscrowFixture.sol";

/// @notice LoyaltyPoints (L1–L5) and the escrow's cashback and redemption.
contract LoyaltyTest is EscrowFixture {
    address internal minter = makeAddr("minter");

    function setUp() public {
        _deployCore();
        bytes32 role = points.MINTER_ROLE();
        vm.prank(admin);
        points.grantRole(role, minter);
    }

    function test_metadata() public view {
        assertEq(points.name(), "NeoCart Points");
        assertEq(points.symbol(), "NCP");
        assertEq(points.decimals(), 18);
        assertEq(points.defaultAdmin(), admin);
        assertEq(points.defaultAdminDelay(), ADMIN_DELAY);
    }

    function test_L1_onlyMinterMints() public {
        bytes32 role = points.MINTER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role));
        points.mint(stranger, 1);
        vm.prank(minter);
        points.mint(buyer, 5);
        assertEq(points.balanceOf(buyer), 5);
    }

    function testFuzz_L1_onlyMinterMints(address caller, uint256 amount) public {
        vm.assume(caller != minter && caller != address(escrow));
        bytes32 role = points.MINTER_ROLE();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        points.mint(caller, amount);
    }

    function test_L1_onlyRedeemerRedeems() public {
        vm.prank(minter);
        points.mint(buyer, 5);
        bytes32 role = points.REDEEMER_ROLE();
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, buyer, role));
        points.redeem(buyer, 5);
    }

    function testFuzz_L2_sumOfBalancesIsTotalSupply(uint96[3] memory mints, uint96 burn) public {
        address[3] memory who = [buyer, seller, stranger];
        uint256 sum;
        vm.startPrank(minter);
        for (uint256 i; i < 3; i++) {
            points.mint(who[i], mints[i]);
            sum += mints[i];
        }
        vm.stopPrank();
        uint256 b = bound(burn, 0, mints[0]);
        vm.prank(address(escrow));
        points.redeem(buyer, b);
        assertEq(points.balanceOf(buyer) + points.balanceOf(seller) + points.balanceOf(stranger), points.totalSupply());
        assertEq(points.totalSupply(), sum - b);
    }

    function test_L3_cashbackOnce_onConfirm() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.cashback = 100e18;
        IEscrow.Quote memory q = _quote(o);
        _pay(q);
        _ship(q.orderId, o);
        _confirm(q.orderId, o);
        assertEq(points.balanceOf(buyer), 100e18);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, q.orderId, IEscrow.State.Completed));
        escrow.confirmDelivery(q.orderId, o);
        vm.warp(block.timestamp + 30 days);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, q.orderId, IEscrow.State.Completed));
        escrow.release(q.orderId, o);
        assertEq(points.balanceOf(buyer), 100e18);
    }

    function test_L3_cashbackOnRelease() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.cashback = 3;
        IEscrow.Quote memory q = _quote(o);
        _pay(q);
        _ship(q.orderId, o);
        vm.warp(_deadline(q.orderId));
        escrow.release(q.orderId, o);
        assertEq(points.balanceOf(buyer), 3);
    }

    function test_L3_noCashback_forRefundedOrResolvedOrders() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.cashback = 100e18;
        IEscrow.Quote memory a = _quote(o);
        IEscrow.Quote memory b = _quote(o);
        IEscrow.Quote memory c = _quote(o);
        IEscrow.Quote memory d = _quote(o);
        _pay(a);
        _pay(b);
        _pay(c);
        _pay(d);
        vm.prank(seller);
        escrow.refund(a.orderId, o);
        _dispute(b.orderId, o);
        vm.prank(arbiter);
        escrow.resolveDispute(b.orderId, o, 0); // even a full win for the seller mints nothing
        _dispute(c.orderId, o);
        vm.warp(_deadline(c.orderId));
        escrow.settleStaleDispute(c.orderId, o);
        vm.prank(buyer);
        escrow.cancelUnshipped(d.orderId, o);
        assertEq(points.balanceOf(buyer), 0);
        assertEq(points.totalSupply(), 0);
    }

    function test_L4_redeemExactly_neverMoreThanHeld() public {
        vm.prank(minter);
        points.mint(buyer, 10);
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        q.pointsToRedeem = 11;
        bytes memory sig = _sign(q);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, buyer, 10, 11));
        escrow.checkout{value: 1 ether}(q, sig);
        q.pointsToRedeem = 10;
        sig = _sign(q);
        vm.prank(buyer);
        escrow.checkout{value: 1 ether}(q, sig);
        assertEq(points.balanceOf(buyer), 0);
    }

    function testFuzz_L4_cashbackIsExactlyTheQuotedAmount(uint256 cashback, uint256 amount) public {
        amount = bound(amount, 1, 1e30);
        cashback = bound(cashback, 0, 1e30);
        IEscrow.Order memory o = _order(address(0), amount);
        o.cashback = cashback;
        IEscrow.Quote memory q = _quote(o);
        _pay(q);
        _ship(q.orderId, o);
        _confirm(q.orderId, o);
        assertEq(points.balanceOf(buyer), cashback);
    }

    function test_L5_revokingMinterStopsMintingAtOnce() public {
        bytes32 role = points.MINTER_ROLE();
        vm.prank(minter);
        points.mint(buyer, 1);
        vm.prank(admin);
        points.revokeRole(role, minter);
        vm.prank(minter);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, minter, role));
        points.mint(buyer, 1);

        // Revoking the escrow's role stops cashback at once (the completion reverts, funds stay
        // locked and refundable) until the role is granted back.
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.cashback = 1;
        IEscrow.Quote memory q = _quote(o);
        _pay(q);
        _ship(q.orderId, o);
        vm.prank(admin);
        points.revokeRole(role, address(escrow));
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(escrow), role)
        );
        escrow.confirmDelivery(q.orderId, o);
        vm.prank(seller);
        escrow.refund(q.orderId, o);
        assertEq(_credit(address(0), buyer), 1 ether);
    }

    function test_permit_approvesBySignature() public {
        (address owner, uint256 key) = makeAddrAndKey("owner");
        vm.prank(minter);
        points.mint(owner, 10);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                stranger,
                10,
                points.nonces(owner),
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", points.DOMAIN_SEPARATOR(), structHash)));
        points.permit(owner, stranger, 10, deadline, v, r, s);
        assertEq(points.allowance(owner, stranger), 10);
    }

    function test_adminTransfer_isTwoStep() public {
        address next = makeAddr("next");
        vm.prank(admin);
        points.beginDefaultAdminTransfer(next);
        vm.warp(block.timestamp + ADMIN_DELAY + 1);
        vm.prank(next);
        points.acceptDefaultAdminTransfer();
        assertEq(points.defaultAdmin(), next);
    }
}
