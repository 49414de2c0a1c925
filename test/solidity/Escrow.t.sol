// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {Escrow} from "../../contracts/Escrow.sol";
import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";
import {ILoyaltyPoints} from "../../contracts/interfaces/ILoyaltyPoints.sol";
import {FeeOnTransferToken} from "../../contracts/test/FeeOnTransferToken.sol";
import {NoReturnToken} from "../../contracts/test/NoReturnToken.sol";
import {BlocklistToken} from "../../contracts/test/BlocklistToken.sol";
import {RevertingReceiver} from "../../contracts/test/RevertingReceiver.sol";
import {TestStablecoin} from "../../contracts/test/TestStablecoin.sol";

import {EscrowFixture} from "./handlers/EscrowFixture.sol";

/// @notice Escrow unit tests, named by TESTPLAN property (E3–E10) and reaching every custom error.
contract EscrowTest is EscrowFixture {
    function setUp() public {
        _deployCore();
    }

    // ---------------------------------------------------------------------------------------------
    // Constructor and admin

    function test_constructor_revertsOnZeroTreasuryOrPoints() public {
        vm.expectRevert(abi.encodeWithSelector(IEscrow.ZeroAddress.selector));
        new Escrow(admin, ADMIN_DELAY, address(0), points, ARBITRATION_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.ZeroAddress.selector));
        new Escrow(admin, ADMIN_DELAY, treasury, ILoyaltyPoints(address(0)), ARBITRATION_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.ZeroAmount.selector));
        new Escrow(admin, ADMIN_DELAY, treasury, points, 0);
    }

    function test_setTokenAccepted_onlyAdmin_andNotZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, escrow.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(stranger);
        escrow.setTokenAccepted(address(usd), false);

        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.ZeroAddress.selector));
        escrow.setTokenAccepted(address(0), true);

        vm.expectEmit(address(escrow));
        emit IEscrow.TokenAcceptanceSet(address(usd), false);
        vm.prank(admin);
        escrow.setTokenAccepted(address(usd), false);
        assertFalse(escrow.isTokenAccepted(address(usd)));
        assertTrue(escrow.isTokenAccepted(address(0)));
    }

    function test_setTreasury_movesUnwithdrawnFeesToTheNewTreasury() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        _confirm(id, o);
        assertEq(_credit(address(0), treasury), o.fee);
        address newTreasury = makeAddr("newTreasury");

        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.ZeroAddress.selector));
        escrow.setTreasury(address(0));

        vm.expectEmit(address(escrow));
        emit IEscrow.TreasurySet(newTreasury);
        vm.prank(admin);
        escrow.setTreasury(newTreasury);
        assertEq(_credit(address(0), treasury), 0);
        assertEq(_credit(address(0), newTreasury), o.fee);
        vm.prank(treasury);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NothingToWithdraw.selector));
        escrow.withdraw(address(0));
        vm.prank(newTreasury);
        escrow.withdraw(address(0));
        assertEq(newTreasury.balance, o.fee);
        assertEq(escrow.feesOf(address(0)), 0);
    }

    function test_hashQuote_matchesIndependentEip712Digest() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes32 orderHash = keccak256(
            abi.encode(
                keccak256(
                    "Order(address buyer,address seller,address token,uint256 amount,uint256 fee,address affiliate,uint16 affiliateBps,uint256 cashback,bytes32 productId,uint32 deliveryWindow)"
                ),
                q.order.buyer,
                q.order.seller,
                q.order.token,
                q.order.amount,
                q.order.fee,
                q.order.affiliate,
                q.order.affiliateBps,
                q.order.cashback,
                q.order.productId,
                q.order.deliveryWindow
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Quote(bytes32 orderId,Order order,uint256 pointsToRedeem,uint64 expiry)Order(address buyer,address seller,address token,uint256 amount,uint256 fee,address affiliate,uint16 affiliateBps,uint256 cashback,bytes32 productId,uint32 deliveryWindow)"
                ),
                q.orderId,
                orderHash,
                q.pointsToRedeem,
                q.expiry
            )
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("NeoCart Escrow"),
                keccak256("1"),
                block.chainid,
                address(escrow)
            )
        );
        assertEq(escrow.hashQuote(q), keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
    }

    // ---------------------------------------------------------------------------------------------
    // Checkout validation (every input error)

    function test_checkout_paysAndEmits() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.deal(buyer, 1 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.OrderPaid(
            q.orderId,
            buyer,
            seller,
            address(0),
            1 ether,
            q.order.fee,
            address(0),
            0,
            0,
            PRODUCT,
            WINDOW,
            0,
            uint40(block.timestamp + WINDOW)
        );
        vm.prank(buyer);
        escrow.checkout{value: 1 ether}(q, sig);
        assertEq(uint8(_state(q.orderId)), uint8(IEscrow.State.Paid));
        assertEq(_deadline(q.orderId), block.timestamp + WINDOW);
        assertEq(address(escrow).balance, 1 ether);
        assertEq(escrow.orderCommitment(q.order), uint192(uint256(keccak256(abi.encode(q.order))) >> 64));
    }

    function test_checkout_revertsOnZeroAddresses() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.seller = address(0);
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.ZeroAddress.selector));
        o = _order(address(0), 1 ether);
        o.affiliateBps = 100; // share without an affiliate
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.ZeroAddress.selector));
    }

    function test_checkout_revertsOnZeroAmountOrWindow() public {
        IEscrow.Order memory o = _order(address(0), 0);
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.ZeroAmount.selector));
        o = _order(address(0), 1 ether);
        o.deliveryWindow = 0;
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.ZeroAmount.selector));
    }

    function test_checkout_revertsWhenFeeExceedsAmount() public {
        IEscrow.Order memory o = _order(address(0), 100);
        o.fee = 101;
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.FeeExceedsAmount.selector, 101, 100));
    }

    function test_checkout_revertsOnBpsAboveTenThousand() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.affiliate = affiliate;
        o.affiliateBps = 10_001;
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.InvalidBps.selector, 10_001));
    }

    function test_checkout_revertsOnSelfPurchase() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.seller = buyer;
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.SelfPurchase.selector, buyer));
    }

    function test_checkout_revertsOnTokenNotAccepted() public {
        TestStablecoin other = new TestStablecoin();
        IEscrow.Order memory o = _order(address(other), 1e6);
        _expectCheckoutRevert(o, abi.encodeWithSelector(IEscrow.TokenNotAccepted.selector, address(other)));
    }

    function test_E8_checkout_quoteExpiryEdges() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.deal(buyer, 1 ether);
        vm.warp(q.expiry + 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.QuoteExpired.selector, q.expiry));
        escrow.checkout{value: 1 ether}(q, sig);
        vm.warp(q.expiry); // the expiry second itself is still valid
        vm.prank(buyer);
        escrow.checkout{value: 1 ether}(q, sig);
        assertEq(uint8(_state(q.orderId)), uint8(IEscrow.State.Paid));
    }

    function test_checkout_revertsOnNonSigner() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        (address mallory, uint256 malloryKey) = makeAddrAndKey("mallory");
        bytes memory sig = _signWith(malloryKey, q);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.QuoteSignerUnauthorized.selector, mallory));
        escrow.checkout{value: 1 ether}(q, sig);
    }

    function test_checkout_revokedSignerIsRefused() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        bytes32 role = escrow.QUOTE_SIGNER_ROLE();
        vm.prank(admin);
        escrow.revokeRole(role, quoteSigner);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.QuoteSignerUnauthorized.selector, quoteSigner));
        escrow.checkout{value: 1 ether}(q, sig);
    }

    function test_checkout_revertsOnMalformedAndHighSSignatures() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        vm.deal(buyer, 3 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidSignature.selector));
        escrow.checkout{value: 1 ether}(q, hex"deadbeef");

        (uint8 v, bytes32 r, bytes32 s) = vm.sign(quoteSignerKey, escrow.hashQuote(q));
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        bytes memory highS = abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidSignature.selector));
        escrow.checkout{value: 1 ether}(q, highS);

        bytes memory badV = abi.encodePacked(r, s, uint8(29));
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidSignature.selector));
        escrow.checkout{value: 1 ether}(q, badV);
    }

    function test_checkout_revertsOnReplayedOrderId() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        _pay(q);
        bytes memory sig = _sign(q);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.OrderIdUsed.selector, q.orderId));
        escrow.checkout{value: 1 ether}(q, sig);
    }

    function test_checkout_revertsOnWrongBuyer() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.deal(stranger, 1 ether);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.WrongBuyer.selector, buyer, stranger));
        escrow.checkout{value: 1 ether}(q, sig);
    }

    function test_checkout_revertsOnWrongEthAmount() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.deal(buyer, 2 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.WrongAmount.selector, 1 ether, 1 ether + 1));
        escrow.checkout{value: 1 ether + 1}(q, sig);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.WrongAmount.selector, 1 ether, 1 ether - 1));
        escrow.checkout{value: 1 ether - 1}(q, sig);
    }

    function test_checkout_revertsOnEthWithToken() public {
        IEscrow.Quote memory q = _quote(_order(address(usd), 1e6));
        bytes memory sig = _sign(q);
        usd.mint(buyer, 1e6);
        vm.deal(buyer, 1);
        vm.startPrank(buyer);
        usd.approve(address(escrow), 1e6);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.UnexpectedEth.selector));
        escrow.checkout{value: 1}(q, sig);
        vm.stopPrank();
    }

    function test_checkout_redeemsPoints() public {
        bytes32 minter = points.MINTER_ROLE();
        vm.startPrank(admin);
        points.grantRole(minter, admin);
        points.mint(buyer, 50);
        vm.stopPrank();
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        q.pointsToRedeem = 30;
        _pay(q);
        assertEq(points.balanceOf(buyer), 20);
        assertEq(points.totalSupply(), 20);
    }

    function test_checkoutWithPermit_paysInOneTransaction() public {
        (address permitBuyer, uint256 key) = makeAddrAndKey("permitBuyer");
        IEscrow.Order memory o = _order(address(usd), 250e6);
        o.buyer = permitBuyer;
        IEscrow.Quote memory q = _quote(o);
        bytes memory sig = _sign(q);
        usd.mint(permitBuyer, 250e6);
        (uint8 v, bytes32 r, bytes32 s) = _permit(key, permitBuyer, 250e6, block.timestamp + 1 hours);
        vm.prank(permitBuyer);
        escrow.checkoutWithPermit(q, sig, block.timestamp + 1 hours, v, r, s);
        assertEq(usd.balanceOf(address(escrow)), 250e6);
        assertEq(usd.allowance(permitBuyer, address(escrow)), 0);
    }

    function test_checkoutWithPermit_revertsForEth() public {
        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TokenNotAccepted.selector, address(0)));
        escrow.checkoutWithPermit(q, sig, block.timestamp, 27, bytes32(0), bytes32(0));
    }

    function test_openPoolOrder_onlyPoolRole_pullsFromCaller() public {
        IEscrow.Order memory o = _order(address(usd), 10e6);
        bytes32 id = _newId();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, escrow.POOL_ROLE())
        );
        vm.prank(stranger);
        escrow.openPoolOrder(id, o);

        usd.mint(pool, 10e6);
        vm.startPrank(pool);
        usd.approve(address(escrow), 10e6);
        escrow.openPoolOrder(id, o);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.OrderIdUsed.selector, id));
        escrow.openPoolOrder(id, o);
        vm.stopPrank();
        assertEq(usd.balanceOf(address(escrow)), 10e6);
        assertEq(uint8(_state(id)), uint8(IEscrow.State.Paid));
        // The pledger (order.buyer) confirms as usual.
        _ship(id, o);
        _confirm(id, o);
        (address b,, IEscrow.State st) = escrow.purchaseOf(id);
        assertEq(b, buyer);
        assertEq(uint8(st), uint8(IEscrow.State.Completed));
    }

    function test_openPoolOrder_ethNeedsExactValue() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        vm.deal(pool, 2 ether);
        vm.prank(pool);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.WrongAmount.selector, 1 ether, 2 ether));
        escrow.openPoolOrder{value: 2 ether}(_newId(), o);
        vm.prank(pool);
        escrow.openPoolOrder{value: 1 ether}(_newId(), o);
    }

    // ---------------------------------------------------------------------------------------------
    // E3 state machine

    function test_E3_confirm_revertsWhenNotShipped() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.Paid));
        escrow.confirmDelivery(id, o);
    }

    function test_E3_unknownOrder_revertsInvalidStateNone() public {
        IEscrow.Order memory o = _order(address(0), 1 ether);
        bytes32 id = _newId();
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.None));
        escrow.markShipped(id, o);
    }

    function test_E3_termsMismatch_isRefused() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        IEscrow.Order memory forged = o;
        forged.fee = 0;
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TermsMismatch.selector, id));
        escrow.markShipped(id, forged);
    }

    function test_E3_completed_isTerminal_andPaysOnce() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        _confirm(id, o);
        uint256 sellerCredit = _credit(address(0), seller);
        _expectAllTransitionsRevert(id, o, IEscrow.State.Completed);
        assertEq(_credit(address(0), seller), sellerCredit);
        (address b, uint88 tag, IEscrow.State st) = escrow.purchaseOf(id);
        assertEq(b, buyer);
        assertEq(tag, escrow.productTag(PRODUCT));
        assertEq(tag, uint88(uint256(keccak256(abi.encode(PRODUCT)))));
        assertEq(uint8(st), uint8(IEscrow.State.Completed));
        (IEscrow.State s2, uint40 d) = escrow.orderState(id);
        assertEq(uint8(s2), uint8(IEscrow.State.Completed));
        assertEq(d, 0);
    }

    function test_E3_refunded_isTerminal() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.prank(seller);
        escrow.refund(id, o);
        _expectAllTransitionsRevert(id, o, IEscrow.State.Refunded);
        (address b,, IEscrow.State st) = escrow.purchaseOf(id);
        assertEq(b, address(0));
        assertEq(uint8(st), uint8(IEscrow.State.Refunded));
    }

    function test_E3_resolved_isTerminal() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _dispute(id, o);
        vm.prank(arbiter);
        escrow.resolveDispute(id, o, 5_000);
        _expectAllTransitionsRevert(id, o, IEscrow.State.Resolved);
    }

    function test_E3_refund_fromPaidShippedDisputed() public {
        (bytes32 a, IEscrow.Order memory o) = _payEth(1 ether);
        (bytes32 b,) = _payEth(1 ether);
        (bytes32 c,) = _payEth(1 ether);
        _ship(b, o);
        _dispute(c, o);
        vm.startPrank(seller);
        vm.expectEmit(address(escrow));
        emit IEscrow.OrderRefunded(a, 1 ether);
        escrow.refund(a, o);
        escrow.refund(b, o);
        escrow.refund(c, o);
        vm.stopPrank();
        assertEq(_credit(address(0), buyer), 3 ether);
        assertEq(_credit(address(0), seller), 0);
    }

    function test_E3_disputeFromPaid_thenResolve() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.expectEmit(address(escrow));
        emit IEscrow.OrderDisputed(id, uint40(block.timestamp + ARBITRATION_WINDOW));
        _dispute(id, o);
        vm.prank(arbiter);
        escrow.resolveDispute(id, o, 10_000);
        assertEq(_credit(address(0), buyer), 1 ether);
    }

    // ---------------------------------------------------------------------------------------------
    // E4 access

    function test_E4_onlySellerShips() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotSeller.selector, buyer));
        escrow.markShipped(id, o);
    }

    function test_E4_onlyBuyerConfirms() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotBuyer.selector, seller));
        escrow.confirmDelivery(id, o);
    }

    function test_E4_onlyBuyerDisputes_onlyBuyerCancels_onlySellerRefunds() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotBuyer.selector, stranger));
        escrow.openDispute(id, o);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotSeller.selector, buyer));
        escrow.refund(id, o);
        vm.warp(block.timestamp + WINDOW);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NotBuyer.selector, seller));
        escrow.cancelUnshipped(id, o);
    }

    function test_E4_onlyArbiterResolves_onlyWhileDisputed() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.Paid));
        escrow.resolveDispute(id, o, 0);
        _dispute(id, o);
        bytes32 role = escrow.ARBITER_ROLE();
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, seller, role));
        escrow.resolveDispute(id, o, 0);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidBps.selector, 10_001));
        escrow.resolveDispute(id, o, 10_001);
    }

    function test_E4_timeoutPaths_neverWhileDisputed() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        _dispute(id, o);
        vm.warp(block.timestamp + 30 days);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.Disputed));
        escrow.release(id, o);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.Disputed));
        escrow.cancelUnshipped(id, o);
    }

    // ---------------------------------------------------------------------------------------------
    // E5 liveness: an inactive arbiter

    function test_E5_staleDispute_refundsBuyerInFull() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _dispute(id, o);
        uint40 arbitrateBy = _deadline(id);
        vm.warp(arbitrateBy);
        vm.expectEmit(address(escrow));
        emit IEscrow.DisputeResolved(id, 10_000, 1 ether, 0, 0, 0, false);
        vm.prank(stranger);
        escrow.settleStaleDispute(id, o);
        vm.prank(buyer);
        escrow.withdraw(address(0));
        assertEq(buyer.balance, 1 ether);
        assertEq(address(escrow).balance, 0);
    }

    // ---------------------------------------------------------------------------------------------
    // E6 reverting receivers only block themselves

    function test_E6_revertingReceiver_onlyBlocksItself() public {
        RevertingReceiver bad = new RevertingReceiver();
        IEscrow.Order memory o = _order(address(0), 1 ether);
        o.seller = address(bad);
        o.affiliate = affiliate;
        o.affiliateBps = 1_000;
        IEscrow.Quote memory q = _quote(o);
        _pay(q);
        bad.markShipped(escrow, q.orderId, o);
        _confirm(q.orderId, o);

        vm.expectRevert(abi.encodeWithSelector(IEscrow.EthTransferFailed.selector, address(bad)));
        bad.withdraw(escrow, address(0));

        vm.prank(treasury);
        escrow.withdraw(address(0));
        vm.prank(affiliate);
        escrow.withdraw(address(0));
        assertEq(treasury.balance, o.fee);
        assertEq(affiliate.balance, (o.amount - o.fee) / 10);
        assertEq(_credit(address(0), address(bad)), o.amount - o.fee - (o.amount - o.fee) / 10);
        assertEq(address(escrow).balance, _credit(address(0), address(bad)));
    }

    // ---------------------------------------------------------------------------------------------
    // E8 time edges

    function test_E8_markShipped_deadlineEdges() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        uint40 shipBy = _deadline(id);
        vm.warp(shipBy - 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooEarly.selector, shipBy));
        escrow.cancelUnshipped(id, o);
        uint256 snap = vm.snapshotState();
        _ship(id, o); // deadline - 1: still in time
        vm.revertToState(snap);
        vm.warp(shipBy);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooLate.selector, shipBy));
        escrow.markShipped(id, o);
        vm.warp(shipBy + 1);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooLate.selector, shipBy));
        escrow.markShipped(id, o);
        vm.prank(buyer);
        escrow.cancelUnshipped(id, o);
        assertEq(_credit(address(0), buyer), 1 ether);
    }

    function test_E8_cancelUnshipped_atDeadline() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        vm.warp(_deadline(id));
        vm.prank(buyer);
        escrow.cancelUnshipped(id, o);
        assertEq(uint8(_state(id)), uint8(IEscrow.State.Refunded));
    }

    function test_E8_release_deadlineEdges() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        uint40 releaseAt = _deadline(id);
        assertEq(releaseAt, block.timestamp + WINDOW);
        vm.warp(releaseAt - 1);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooEarly.selector, releaseAt));
        escrow.release(id, o);
        vm.warp(releaseAt);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooLate.selector, releaseAt));
        escrow.openDispute(id, o);
        uint256 snap = vm.snapshotState();
        escrow.release(id, o);
        vm.revertToState(snap);
        vm.warp(releaseAt + 1);
        vm.expectEmit(address(escrow));
        emit IEscrow.OrderCompleted(id, o.amount - o.fee, o.fee, 0, 0, false);
        vm.prank(stranger);
        escrow.release(id, o);
    }

    function test_E8_disputeVsRelease_sameBlock_beforeDeadline() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        uint40 releaseAt = _deadline(id);
        vm.warp(releaseAt - 1);
        _dispute(id, o);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.Disputed));
        escrow.release(id, o);
    }

    function test_E8_disputeVsRelease_sameBlock_atDeadline() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        vm.warp(_deadline(id));
        escrow.release(id, o);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.InvalidState.selector, id, IEscrow.State.Completed));
        escrow.openDispute(id, o);
    }

    function test_E8_disputeFromPaid_deadlineEdges() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        uint40 shipBy = _deadline(id);
        vm.warp(shipBy);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooLate.selector, shipBy));
        escrow.openDispute(id, o);
        vm.warp(shipBy - 1);
        _dispute(id, o);
    }

    function test_E8_arbitration_deadlineEdges() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _dispute(id, o);
        uint40 arbitrateBy = _deadline(id);
        vm.warp(arbitrateBy - 1);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooEarly.selector, arbitrateBy));
        escrow.settleStaleDispute(id, o);
        uint256 snap = vm.snapshotState();
        vm.prank(arbiter);
        escrow.resolveDispute(id, o, 2_500);
        vm.revertToState(snap);
        vm.warp(arbitrateBy);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.TooLate.selector, arbitrateBy));
        escrow.resolveDispute(id, o, 2_500);
        vm.warp(arbitrateBy + 1);
        escrow.settleStaleDispute(id, o);
        assertEq(uint8(_state(id)), uint8(IEscrow.State.Resolved));
    }

    function test_E8_confirmAfterWindow_stillAllowed() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        vm.warp(_deadline(id) + 1 days);
        vm.expectEmit(address(escrow));
        emit IEscrow.OrderCompleted(id, o.amount - o.fee, o.fee, 0, 0, true);
        _confirm(id, o);
    }

    // ---------------------------------------------------------------------------------------------
    // E9 tokens

    function test_E9_noReturnToken_worksThroughSafeERC20() public {
        NoReturnToken t = new NoReturnToken();
        vm.prank(admin);
        escrow.setTokenAccepted(address(t), true);
        IEscrow.Quote memory q = _quote(_order(address(t), 1_000e6));
        bytes memory sig = _sign(q);
        t.mint(buyer, 1_000e6);
        vm.startPrank(buyer);
        t.approve(address(escrow), 1_000e6);
        escrow.checkout(q, sig);
        vm.stopPrank();
        _ship(q.orderId, q.order);
        _confirm(q.orderId, q.order);
        vm.prank(seller);
        escrow.withdraw(address(t));
        vm.prank(treasury);
        escrow.withdraw(address(t));
        assertEq(t.balanceOf(seller), q.order.amount - q.order.fee);
        assertEq(t.balanceOf(treasury), q.order.fee);
        assertEq(t.balanceOf(address(escrow)), 0);
    }

    function test_E9_feeOnTransferToken_isRejected() public {
        FeeOnTransferToken t = new FeeOnTransferToken();
        vm.prank(admin);
        escrow.setTokenAccepted(address(t), true);
        IEscrow.Quote memory q = _quote(_order(address(t), 10_000));
        bytes memory sig = _sign(q);
        t.mint(buyer, 10_000);
        vm.startPrank(buyer);
        t.approve(address(escrow), 10_000);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.WrongAmount.selector, 10_000, 9_900));
        escrow.checkout(q, sig);
        vm.stopPrank();
        // Once the fee is switched off the same token is accepted.
        t.setFeeBps(0);
        vm.prank(buyer);
        escrow.checkout(q, sig);
        assertEq(t.balanceOf(address(escrow)), 10_000);
    }

    function test_E9_blocklistedSeller_cannotTrapOthers() public {
        BlocklistToken t = new BlocklistToken();
        vm.prank(admin);
        escrow.setTokenAccepted(address(t), true);
        IEscrow.Order memory o = _order(address(t), 1_000_000);
        o.affiliate = affiliate;
        o.affiliateBps = 500;
        IEscrow.Quote memory q = _quote(o);
        bytes memory sig = _sign(q);
        t.mint(buyer, o.amount);
        vm.startPrank(buyer);
        t.approve(address(escrow), o.amount);
        escrow.checkout(q, sig);
        vm.stopPrank();
        _ship(q.orderId, o);
        _confirm(q.orderId, o);
        t.setBlocked(seller, true);

        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(BlocklistToken.Blocked.selector, seller));
        escrow.withdraw(address(t));
        vm.prank(treasury);
        escrow.withdraw(address(t));
        vm.prank(affiliate);
        escrow.withdraw(address(t));
        assertEq(t.balanceOf(treasury), o.fee);
        assertEq(t.balanceOf(address(escrow)), _credit(address(t), seller));
        t.setBlocked(seller, false);
        vm.prank(seller);
        escrow.withdraw(address(t));
        assertEq(t.balanceOf(address(escrow)), 0);
    }

    function test_E9_blocklistedBuyer_sellerStillRefunds_othersUnaffected() public {
        BlocklistToken t = new BlocklistToken();
        vm.prank(admin);
        escrow.setTokenAccepted(address(t), true);
        IEscrow.Quote memory q = _quote(_order(address(t), 500));
        bytes memory sig = _sign(q);
        t.mint(buyer, 500);
        vm.startPrank(buyer);
        t.approve(address(escrow), 500);
        escrow.checkout(q, sig);
        vm.stopPrank();
        t.setBlocked(buyer, true);
        vm.prank(seller);
        escrow.refund(q.orderId, q.order); // a credit, not a transfer: never blocked
        assertEq(_credit(address(t), buyer), 500);
    }

    // ---------------------------------------------------------------------------------------------
    // E10 pause and admin

    function test_E10_pause_blocksCheckoutOnly() public {
        (bytes32 shippedId, IEscrow.Order memory o) = _payEth(1 ether);
        (bytes32 paidId,) = _payEth(1 ether);
        (bytes32 disputedId,) = _payEth(1 ether);
        _ship(shippedId, o);
        _dispute(disputedId, o);
        (bytes32 refundId,) = _payEth(1 ether);

        vm.prank(pauser);
        escrow.pause();
        assertTrue(escrow.paused());

        IEscrow.Quote memory q = _quote(_order(address(0), 1 ether));
        bytes memory sig = _sign(q);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        escrow.checkout{value: 1 ether}(q, sig);
        IEscrow.Quote memory tq = _quote(_order(address(usd), 1e6));
        bytes memory tsig = _sign(tq);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        escrow.checkoutWithPermit(tq, tsig, block.timestamp, 27, bytes32(0), bytes32(0));
        vm.deal(pool, 1 ether);
        vm.prank(pool);
        vm.expectRevert(abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        escrow.openPoolOrder{value: 1 ether}(_newId(), o);

        // Order progression and withdrawals go on.
        _ship(paidId, o);
        _confirm(shippedId, o);
        vm.prank(arbiter);
        escrow.resolveDispute(disputedId, o, 5_000);
        vm.prank(seller);
        escrow.refund(refundId, o);
        vm.warp(block.timestamp + WINDOW);
        escrow.release(paidId, o);
        vm.prank(seller);
        escrow.withdraw(address(0));
        vm.prank(buyer);
        escrow.withdraw(address(0));
        vm.prank(treasury);
        escrow.withdraw(address(0));
        assertEq(address(escrow).balance, 0);

        vm.prank(pauser);
        escrow.unpause();
        _pay(_quote(_order(address(0), 1 ether)));
    }

    function test_E10_onlyPauserPauses() public {
        bytes32 role = escrow.PAUSER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, role));
        escrow.pause();
    }

    function test_E10_adminTransfer_isTwoStepWithDelay() public {
        address newAdmin = makeAddr("newAdmin");
        bytes32 adminRole = escrow.DEFAULT_ADMIN_ROLE();
        vm.prank(admin);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector)
        );
        escrow.grantRole(adminRole, newAdmin);

        vm.prank(admin);
        escrow.beginDefaultAdminTransfer(newAdmin);
        (, uint48 schedule) = escrow.pendingDefaultAdmin();
        assertEq(schedule, block.timestamp + ADMIN_DELAY);
        vm.prank(newAdmin);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule)
        );
        escrow.acceptDefaultAdminTransfer();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, stranger)
        );
        escrow.acceptDefaultAdminTransfer();
        vm.warp(uint256(schedule) + 1);
        vm.prank(newAdmin);
        escrow.acceptDefaultAdminTransfer();
        assertEq(escrow.defaultAdmin(), newAdmin);
        assertFalse(escrow.hasRole(adminRole, admin));
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, admin, adminRole));
        escrow.setTreasury(stranger);
    }

    // ---------------------------------------------------------------------------------------------
    // Withdrawals

    function test_withdraw_revertsWithNothing() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NothingToWithdraw.selector));
        escrow.withdraw(address(0));
    }

    function test_withdraw_paysOnce_andEmits() public {
        (bytes32 id, IEscrow.Order memory o) = _payEth(1 ether);
        _ship(id, o);
        _confirm(id, o);
        uint256 due = o.amount - o.fee;
        vm.expectEmit(address(escrow));
        emit IEscrow.Withdrawn(address(0), seller, due);
        vm.prank(seller);
        escrow.withdraw(address(0));
        assertEq(seller.balance, due);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IEscrow.NothingToWithdraw.selector));
        escrow.withdraw(address(0));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    function _expectCheckoutRevert(IEscrow.Order memory o, bytes memory err) internal {
        IEscrow.Quote memory q = _quote(o);
        bytes memory sig = _sign(q);
        vm.deal(o.buyer, o.amount);
        vm.prank(o.buyer);
        vm.expectRevert(err);
        escrow.checkout{value: o.token == address(0) ? o.amount : 0}(q, sig);
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
                address(escrow),
                value,
                usd.nonces(owner),
                deadline
            )
        );
        (v, r, s) = vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usd.DOMAIN_SEPARATOR(), structHash)));
    }

    /// @dev Every transition from a terminal state reverts with InvalidState(id, terminal).
    function _expectAllTransitionsRevert(bytes32 id, IEscrow.Order memory o, IEscrow.State terminal) internal {
        vm.warp(block.timestamp + 365 days);
        bytes memory err = abi.encodeWithSelector(IEscrow.InvalidState.selector, id, terminal);
        vm.prank(seller);
        vm.expectRevert(err);
        escrow.markShipped(id, o);
        vm.prank(buyer);
        vm.expectRevert(err);
        escrow.confirmDelivery(id, o);
        vm.expectRevert(err);
        escrow.release(id, o);
        vm.prank(buyer);
        vm.expectRevert(err);
        escrow.openDispute(id, o);
        vm.prank(arbiter);
        vm.expectRevert(err);
        escrow.resolveDispute(id, o, 0);
        vm.expectRevert(err);
        escrow.settleStaleDispute(id, o);
        vm.prank(seller);
        vm.expectRevert(err);
        escrow.refund(id, o);
        vm.prank(buyer);
        vm.expectRevert(err);
        escrow.cancelUnshipped(id, o);
    }
}
