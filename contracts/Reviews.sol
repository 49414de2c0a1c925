// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IEscrow} from "./interfaces/IEscrow.sol";
import {IReviews} from "./interfaces/IReviews.sol";

/// @title NeoCart verified reviews
/// @notice One review per purchase, append-only. See {IReviews}.
/// @dev Storage per review is one slot, keyed by order id: the author, rating, path and time packed
/// together, so "already reviewed" and the record cost a single fresh SSTORE. Each product's count
/// and rating sum share one slot, so a review of a product already reviewed updates a warm non-zero
/// word. There is no function that writes a stored review again or clears it (R3).
/// The admin role follows AccessControlDefaultAdminRules (two-step transfer with a delay); it
/// grants and revokes RECEIPT_SIGNER_ROLE.
contract Reviews is IReviews, AccessControlDefaultAdminRules, EIP712 {
    /// @inheritdoc IReviews
    bytes32 public constant RECEIPT_SIGNER_ROLE = keccak256("RECEIPT_SIGNER_ROLE");

    /// @notice EIP-712 type hash of {IReviews-Receipt}.
    bytes32 public constant RECEIPT_TYPEHASH = keccak256(
        "Receipt(bytes32 orderId,address buyer,bytes32 productId,uint64 deadline)"
    );

    // Review record layout: author in bits 0-159, rating in 160-167, viaReceipt in 168-175,
    // timestamp in 176-215. The author is never zero, so a stored record is never zero.
    uint256 private constant _RATING_SHIFT = 160;
    uint256 private constant _VIA_RECEIPT_SHIFT = 168;
    uint256 private constant _TIME_SHIFT = 176;

    // Product aggregate layout: count in the high 128 bits, rating sum in the low 128 bits.
    uint256 private constant _COUNT_SHIFT = 128;
    uint256 private constant _ONE_REVIEW = 1 << _COUNT_SHIFT;
    uint256 private constant _LOW_128 = type(uint128).max;

    /// @inheritdoc IReviews
    IEscrow public immutable escrow;

    /// @dev One word per review (layout above), wrapped in a struct so `_record` computes its slot once.
    struct Record {
        uint256 packed;
    }

    mapping(bytes32 orderId => Record) private _reviews;
    mapping(bytes32 productId => uint256 countAndSum) private _ratings;

    /// @param admin the initial default admin (a multisig in production)
    /// @param adminDelay seconds a default admin transfer must wait before it can be accepted
    /// @param escrow_ the escrow whose completed orders may be reviewed
    constructor(
        address admin,
        uint48 adminDelay,
        IEscrow escrow_
    ) AccessControlDefaultAdminRules(adminDelay, admin) EIP712("NeoCart Reviews", "1") {
        // `review` computes the escrow's product tag itself (saving a call per review): require a
        // contract whose `productTag` agrees with it.
        if (!_computesSameTag(escrow_)) revert InvalidEscrow(address(escrow_));
        escrow = escrow_;
    }

    /// @inheritdoc IReviews
    function review(bytes32 orderId, bytes32 productId, uint8 rating, bytes32 contentHash) external {
        _checkContent(rating, contentHash);
        (address buyer, uint88 tag, IEscrow.State state) = _purchaseOf(orderId);
        if (state != IEscrow.State.Completed) {
            if (state == IEscrow.State.None) revert UnknownOrder(orderId);
            revert OrderNotCompleted(orderId, state);
        }
        if (buyer != msg.sender) revert NotPurchaser(buyer, msg.sender);
        if (tag != _productTag(productId)) revert ProductMismatch(orderId, productId);
        _record(orderId, productId, rating, contentHash, false);
    }

    /// @inheritdoc IReviews
    function reviewWithReceipt(
        Receipt calldata receipt,
        address signer,
        bytes calldata signature,
        uint8 rating,
        bytes32 contentHash
    ) external {
        _checkContent(rating, contentHash);
        if (block.timestamp > receipt.deadline) revert ReceiptExpired(receipt.deadline);
        if (receipt.buyer != msg.sender) revert NotPurchaser(receipt.buyer, msg.sender);
        if (!hasRole(RECEIPT_SIGNER_ROLE, signer)) revert ReceiptSignerUnauthorized(signer);
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashReceipt(receipt), signature)) {
            revert InvalidReceiptSignature();
        }
        // A receipt for an id the escrow knows would let a receipt take the escrow buyer's one review.
        (IEscrow.State state, ) = escrow.orderState(receipt.orderId);
        if (state != IEscrow.State.None) revert EscrowOrderId(receipt.orderId);
        _record(receipt.orderId, receipt.productId, rating, contentHash, true);
    }

    /// @inheritdoc IReviews
    function hasReviewed(bytes32 orderId) external view returns (bool) {
        return _reviews[orderId].packed != 0;
    }

    /// @inheritdoc IReviews
    function reviewOf(
        bytes32 orderId
    ) external view returns (address author, uint8 rating, bool viaReceipt, uint40 reviewedAt) {
        uint256 record = _reviews[orderId].packed;
        author = address(uint160(record));
        rating = uint8(record >> _RATING_SHIFT);
        viaReceipt = uint8(record >> _VIA_RECEIPT_SHIFT) != 0;
        reviewedAt = uint40(record >> _TIME_SHIFT);
    }

    /// @inheritdoc IReviews
    function productRating(bytes32 productId) public view returns (uint128 count, uint128 sum) {
        uint256 packed = _ratings[productId];
        count = uint128(packed >> _COUNT_SHIFT);
        sum = uint128(packed & _LOW_128);
    }

    /// @inheritdoc IReviews
    function averageRating(bytes32 productId) external view returns (uint256 centiStars) {
        (uint128 count, uint128 sum) = productRating(productId);
        if (count == 0) return 0;
        return (uint256(sum) * 100) / count;
    }

    /// @inheritdoc IReviews
    function hashReceipt(Receipt calldata receipt) external view returns (bytes32) {
        return _hashReceipt(receipt);
    }

    function _hashReceipt(Receipt calldata receipt) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        RECEIPT_TYPEHASH,
                        receipt.orderId,
                        receipt.buyer,
                        receipt.productId,
                        receipt.deadline
                    )
                )
            );
    }

    /// @dev Whether `candidate` is a contract whose `productTag` matches `_productTag` (on one
    /// arbitrary input: a different function would agree by chance with probability 2^-88).
    function _computesSameTag(IEscrow candidate) private view returns (bool) {
        if (address(candidate).code.length == 0) return false;
        try candidate.productTag(RECEIPT_TYPEHASH) returns (uint88 tag) {
            return tag == _productTag(RECEIPT_TYPEHASH);
        } catch {
            return false;
        }
    }

    /// @dev `escrow.purchaseOf(orderId)`, called in assembly: the high-level call's memory
    /// allocation and return-data copying cost ~200 gas on the path held to the review gas budget.
    /// Reverts bubble up; return data shorter than the three words is refused.
    function _purchaseOf(
        bytes32 orderId
    ) private view returns (address buyer, uint88 tag, IEscrow.State state) {
        address target = address(escrow);
        bytes4 selector = IEscrow.purchaseOf.selector;
        uint256 rawState;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), orderId)
            let ok := staticcall(gas(), target, ptr, 0x24, ptr, 0x60)
            if iszero(and(ok, gt(returndatasize(), 0x5f))) {
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
            buyer := and(mload(ptr), 0xffffffffffffffffffffffffffffffffffffffff)
            tag := and(mload(add(ptr, 0x20)), 0xffffffffffffffffffffff)
            rawState := mload(add(ptr, 0x40))
        }
        // Checked conversion: a value outside the enum panics.
        state = IEscrow.State(rawState);
    }

    /// @dev The escrow's `productTag`: the low 88 bits of keccak256(abi.encode(productId)).
    function _productTag(bytes32 productId) private pure returns (uint88) {
        bytes32 h;
        assembly ("memory-safe") {
            mstore(0x00, productId)
            h := keccak256(0x00, 0x20)
        }
        return uint88(uint256(h));
    }

    function _checkContent(uint8 rating, bytes32 contentHash) private pure {
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        if (contentHash == bytes32(0)) revert EmptyContentHash();
    }

    /// @dev Writes the one review of `orderId` by msg.sender and adds it to the product's aggregate.
    function _record(
        bytes32 orderId,
        bytes32 productId,
        uint8 rating,
        bytes32 contentHash,
        bool viaReceipt
    ) private {
        Record storage stored = _reviews[orderId];
        if (stored.packed != 0) revert AlreadyReviewed(orderId);
        stored.packed =
            uint256(uint160(msg.sender)) |
            (uint256(rating) << _RATING_SHIFT) |
            ((viaReceipt ? uint256(1) : 0) << _VIA_RECEIPT_SHIFT) |
            (uint256(uint40(block.timestamp)) << _TIME_SHIFT);
        // Checked add: the count (high half) cannot reach 2^128, each review costing a fresh slot.
        // The sum (low half) is at most 5 x count, so it would need ~6.8e37 reviews to carry into the
        // count: physically impossible, so the halves stay independent.
        _ratings[productId] += _ONE_REVIEW | rating;
        emit Reviewed(orderId, productId, msg.sender, rating, contentHash, viaReceipt);
    }
}
