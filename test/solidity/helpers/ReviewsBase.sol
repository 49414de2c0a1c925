// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Escrow} from "../../../contracts/Escrow.sol";
import {LoyaltyPoints} from "../../../contracts/LoyaltyPoints.sol";
import {Reviews} from "../../../contracts/Reviews.sol";
import {IEscrow} from "../../../contracts/interfaces/IEscrow.sol";
import {IReviews} from "../../../contracts/interfaces/IReviews.sol";

/// @notice Deploys the real LoyaltyPoints, Escrow and Reviews, and drives escrow orders and signs
/// receipts for the Reviews suites.
abstract contract ReviewsBase is Test {
    uint48 internal constant ADMIN_DELAY = 2 days;
    uint32 internal constant ARBITRATION_WINDOW = 7 days;
    uint32 internal constant DELIVERY_WINDOW = 3 days;
    bytes32 internal constant PRODUCT = keccak256("sku:neo-lamp");
    bytes32 internal constant OTHER_PRODUCT = keccak256("sku:neo-chair");
    bytes32 internal constant CONTENT = keccak256("Bright, sturdy, arrived in two days.");

    address internal admin = makeAddr("admin");
    address internal treasury = makeAddr("treasury");
    address internal seller = makeAddr("seller");
    address internal arbiter = makeAddr("arbiter");
    address internal buyer;
    uint256 internal buyerKey;
    address internal quoteSigner;
    uint256 internal quoteSignerKey;
    address internal receiptSigner;
    uint256 internal receiptSignerKey;

    LoyaltyPoints internal points;
    Escrow internal escrow;
    Reviews internal reviews;

    uint256 private _orderNonce;

    function setUp() public virtual {
        (buyer, buyerKey) = makeAddrAndKey("buyer");
        (quoteSigner, quoteSignerKey) = makeAddrAndKey("quoteSigner");
        (receiptSigner, receiptSignerKey) = makeAddrAndKey("receiptSigner");

        points = new LoyaltyPoints(admin, ADMIN_DELAY);
        escrow = new Escrow(admin, ADMIN_DELAY, treasury, points, ARBITRATION_WINDOW);
        reviews = new Reviews(admin, ADMIN_DELAY, escrow);

        vm.startPrank(admin);
        points.grantRole(points.MINTER_ROLE(), address(escrow));
        points.grantRole(points.REDEEMER_ROLE(), address(escrow));
        escrow.grantRole(escrow.QUOTE_SIGNER_ROLE(), quoteSigner);
        escrow.grantRole(escrow.ARBITER_ROLE(), arbiter);
        reviews.grantRole(reviews.RECEIPT_SIGNER_ROLE(), receiptSigner);
        vm.stopPrank();
    }

    // ---------------------------------------------------------------------------------------------
    // Escrow orders
    // ---------------------------------------------------------------------------------------------

    function _order(address who, bytes32 productId) internal view returns (IEscrow.Order memory) {
        return IEscrow.Order({
            buyer: who,
            seller: seller,
            token: address(0),
            amount: 1 ether,
            fee: 0.05 ether,
            affiliate: address(0),
            affiliateBps: 0,
            cashback: 10e18,
            productId: productId,
            deliveryWindow: DELIVERY_WINDOW
        });
    }

    function _newOrderId() internal returns (bytes32) {
        return keccak256(abi.encode("order", ++_orderNonce));
    }

    /// @dev Pays an order for `who` through a signed quote; returns its id and terms.
    function _pay(address who, bytes32 productId) internal returns (bytes32 orderId, IEscrow.Order memory order) {
        orderId = _newOrderId();
        order = _order(who, productId);
        IEscrow.Quote memory quote = IEscrow.Quote({
            orderId: orderId,
            order: order,
            pointsToRedeem: 0,
            expiry: uint64(block.timestamp + 1 hours)
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(quoteSignerKey, escrow.hashQuote(quote));
        vm.deal(who, who.balance + order.amount);
        vm.prank(who);
        escrow.checkout{value: order.amount}(quote, abi.encodePacked(r, s, v));
    }

    function _payAndShip(address who, bytes32 productId) internal returns (bytes32 orderId, IEscrow.Order memory order) {
        (orderId, order) = _pay(who, productId);
        vm.prank(seller);
        escrow.markShipped(orderId, order);
    }

    /// @dev Pays, ships and confirms an order for `who` of `productId`: a completed purchase.
    function _purchase(address who, bytes32 productId) internal returns (bytes32 orderId) {
        IEscrow.Order memory order;
        (orderId, order) = _payAndShip(who, productId);
        vm.prank(who);
        escrow.confirmDelivery(orderId, order);
    }

    // ---------------------------------------------------------------------------------------------
    // Receipts
    // ---------------------------------------------------------------------------------------------

    function _receipt(bytes32 orderId, address who, bytes32 productId) internal view returns (IReviews.Receipt memory) {
        return IReviews.Receipt({
            orderId: orderId,
            buyer: who,
            productId: productId,
            deadline: uint64(block.timestamp + 1 days)
        });
    }

    /// @dev Independent EIP-712 digest of a receipt for `verifyingContract` on `chainId`.
    function _receiptDigest(IReviews.Receipt memory receipt, uint256 chainId, address verifyingContract)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("NeoCart Reviews"),
                keccak256("1"),
                chainId,
                verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Receipt(bytes32 orderId,address buyer,bytes32 productId,uint64 deadline)"),
                receipt.orderId,
                receipt.buyer,
                receipt.productId,
                receipt.deadline
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _signReceipt(IReviews.Receipt memory receipt) internal view returns (bytes memory) {
        return _sign(receiptSignerKey, _receiptDigest(receipt, block.chainid, address(reviews)));
    }
}
