// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {Escrow} from "../../../contracts/Escrow.sol";
import {LoyaltyPoints} from "../../../contracts/LoyaltyPoints.sol";
import {IEscrow} from "../../../contracts/interfaces/IEscrow.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";

/// @notice Deploys LoyaltyPoints, TestStablecoin and Escrow with roles wired, and builds, signs
/// and pays orders. Shared by the Escrow unit, fuzz, reentrancy and invariant suites.
abstract contract EscrowFixture is Test {
    uint48 internal constant ADMIN_DELAY = 1 days;
    uint32 internal constant ARBITRATION_WINDOW = 7 days;
    uint32 internal constant WINDOW = 3 days;
    uint256 internal constant BPS = 10_000;
    bytes32 internal constant PRODUCT = keccak256("sku-1");

    Escrow internal escrow;
    LoyaltyPoints internal points;
    TestStablecoin internal usd;

    address internal admin = makeAddr("admin");
    address internal treasury = makeAddr("treasury");
    address internal arbiter = makeAddr("arbiter");
    address internal pauser = makeAddr("pauser");
    address internal pool = makeAddr("pool");
    address internal buyer = makeAddr("buyer");
    address internal seller = makeAddr("seller");
    address internal affiliate = makeAddr("affiliate");
    address internal stranger = makeAddr("stranger");
    address internal quoteSigner;
    uint256 internal quoteSignerKey;

    uint256 private _nextId;

    function _deployCore() internal {
        (quoteSigner, quoteSignerKey) = makeAddrAndKey("quoteSigner");
        points = new LoyaltyPoints(admin, ADMIN_DELAY);
        usd = new TestStablecoin();
        escrow = new Escrow(admin, ADMIN_DELAY, treasury, points, ARBITRATION_WINDOW);
        vm.startPrank(admin);
        escrow.grantRole(escrow.ARBITER_ROLE(), arbiter);
        escrow.grantRole(escrow.QUOTE_SIGNER_ROLE(), quoteSigner);
        escrow.grantRole(escrow.PAUSER_ROLE(), pauser);
        escrow.grantRole(escrow.POOL_ROLE(), pool);
        escrow.setTokenAccepted(address(usd), true);
        points.grantRole(points.MINTER_ROLE(), address(escrow));
        points.grantRole(points.REDEEMER_ROLE(), address(escrow));
        vm.stopPrank();
    }

    function _newId() internal returns (bytes32) {
        return keccak256(abi.encode("order", ++_nextId));
    }

    /// @dev 1 ETH-style order buyer → seller, 2.5 % fee, no affiliate, no cashback.
    function _order(address token, uint256 amount) internal view returns (IEscrow.Order memory o) {
        o = IEscrow.Order({
            buyer: buyer,
            seller: seller,
            token: token,
            amount: amount,
            fee: (amount * 250) / BPS,
            affiliate: address(0),
            affiliateBps: 0,
            cashback: 0,
            productId: PRODUCT,
            deliveryWindow: WINDOW
        });
    }

    function _quote(IEscrow.Order memory o) internal returns (IEscrow.Quote memory q) {
        q = IEscrow.Quote({orderId: _newId(), order: o, pointsToRedeem: 0, expiry: uint64(block.timestamp + 1 hours)});
    }

    function _sign(IEscrow.Quote memory q) internal view returns (bytes memory) {
        return _signWith(quoteSignerKey, q);
    }

    function _signWith(uint256 key, IEscrow.Quote memory q) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, escrow.hashQuote(q));
        return abi.encodePacked(r, s, v);
    }

    /// @dev Funds the buyer and pays `q` (ETH or approve + checkout).
    function _pay(IEscrow.Quote memory q) internal {
        bytes memory sig = _sign(q);
        address b = q.order.buyer;
        if (q.order.token == address(0)) {
            vm.deal(b, b.balance + q.order.amount);
            vm.prank(b);
            escrow.checkout{value: q.order.amount}(q, sig);
        } else {
            TestStablecoin(q.order.token).mint(b, q.order.amount);
            vm.prank(b);
            TestStablecoin(q.order.token).approve(address(escrow), q.order.amount);
            vm.prank(b);
            escrow.checkout(q, sig);
        }
    }

    function _payEth(uint256 amount) internal returns (bytes32 id, IEscrow.Order memory o) {
        IEscrow.Quote memory q = _quote(_order(address(0), amount));
        _pay(q);
        return (q.orderId, q.order);
    }

    function _ship(bytes32 id, IEscrow.Order memory o) internal {
        vm.prank(o.seller);
        escrow.markShipped(id, o);
    }

    function _confirm(bytes32 id, IEscrow.Order memory o) internal {
        vm.prank(o.buyer);
        escrow.confirmDelivery(id, o);
    }

    function _dispute(bytes32 id, IEscrow.Order memory o) internal {
        vm.prank(o.buyer);
        escrow.openDispute(id, o);
    }

    function _state(bytes32 id) internal view returns (IEscrow.State s) {
        (s,) = escrow.orderState(id);
    }

    function _deadline(bytes32 id) internal view returns (uint40 d) {
        (, d) = escrow.orderState(id);
    }

    function _credit(address token, address account) internal view returns (uint256) {
        return escrow.creditOf(token, account);
    }
}
