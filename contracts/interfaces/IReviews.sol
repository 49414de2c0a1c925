// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "./IEscrow.sol";

/// @title NeoCart verified reviews
/// @notice One review per purchase, append-only: a review can be written once per order id and is
/// never changed or deleted. A purchase is either a completed escrow order reviewed by its buyer, or
/// a fiat order proven by an EIP-712 receipt that the app's receipt signer issued to the buyer. Escrow
/// and fiat orders share one order id space, so an id is reviewed at most once whichever path is used.
/// @dev Only hashes and numbers are kept on chain: the review text lives off chain, keyed by
/// `contentHash`. Each product keeps its review count and rating sum in one slot, so its average
/// needs no trust in the indexer.
interface IReviews {
    /// @notice A fiat purchase attested by the app (EIP-712 type
    /// `Receipt(bytes32 orderId,address buyer,bytes32 productId,uint64 deadline)`, domain
    /// "NeoCart Reviews", version "1", this chain and this contract).
    /// @param orderId the app's order id; shares the escrow's id space
    /// @param buyer the only account that may use the receipt
    /// @param productId the catalog product bought
    /// @param deadline last unix time (inclusive) at which the receipt is accepted
    // The field order is the EIP-712 type the app signs; the struct only lives in calldata.
    // solhint-disable-next-line gas-struct-packing
    struct Receipt {
        bytes32 orderId;
        address buyer;
        bytes32 productId;
        uint64 deadline;
    }

    /// @notice `author` reviewed `productId` for order `orderId` with `rating` stars; the text hashes
    /// to `contentHash`. `viaReceipt` is true for a fiat order proven by a signed receipt.
    event Reviewed(
        bytes32 indexed orderId,
        bytes32 indexed productId,
        address indexed author,
        uint8 rating,
        bytes32 contentHash,
        bool viaReceipt
    );

    /// @notice The escrow given at deployment is not a contract whose `productTag` matches this contract's.
    error InvalidEscrow(address escrow);
    /// @notice The rating is not between 1 and 5 stars.
    error InvalidRating(uint8 rating);
    /// @notice The content hash is zero.
    error EmptyContentHash();
    /// @notice The escrow has no order with this id.
    error UnknownOrder(bytes32 orderId);
    /// @notice The escrow order exists but is not completed (paid, shipped, disputed, resolved or refunded).
    error OrderNotCompleted(bytes32 orderId, IEscrow.State state);
    /// @notice The caller is not the buyer of the order (or of the receipt).
    error NotPurchaser(address buyer, address caller);
    /// @notice The order bought another product than the one reviewed.
    error ProductMismatch(bytes32 orderId, bytes32 productId);
    /// @notice This order id already has its review.
    error AlreadyReviewed(bytes32 orderId);
    /// @notice The receipt's deadline has passed.
    error ReceiptExpired(uint64 deadline);
    /// @notice The account named as the receipt's signer does not hold RECEIPT_SIGNER_ROLE.
    error ReceiptSignerUnauthorized(address signer);
    /// @notice The signature is not a valid signature of the receipt by the named signer (wrong
    /// signer, chain or contract, malformed, high-s, or refused by an ERC-1271 wallet).
    error InvalidReceiptSignature();
    /// @notice A receipt cannot review an order id that the escrow knows: escrow orders are reviewed
    /// with `review`, by their buyer, once completed.
    error EscrowOrderId(bytes32 orderId);

    /// @notice Reviews the product of a completed escrow order; only the order's buyer, once per order.
    /// @param orderId the escrow order id
    /// @param productId the product the order bought (must match the escrow's tag of it)
    /// @param rating stars, 1 to 5
    /// @param contentHash hash of the review text kept off chain (non-zero)
    function review(bytes32 orderId, bytes32 productId, uint8 rating, bytes32 contentHash) external;

    /// @notice Reviews the product of a fiat order with a receipt the app signed for the caller; once per order id.
    /// @param receipt the purchase receipt; `receipt.buyer` must be the caller
    /// @param signer the RECEIPT_SIGNER_ROLE holder that signed (an EOA, or an ERC-1271 contract wallet)
    /// @param signature EIP-712 signature of `receipt` by `signer` (65-byte low-s ECDSA for an EOA)
    /// @param rating stars, 1 to 5
    /// @param contentHash hash of the review text kept off chain (non-zero)
    function reviewWithReceipt(
        Receipt calldata receipt,
        address signer,
        bytes calldata signature,
        uint8 rating,
        bytes32 contentHash
    ) external;

    /// @notice Whether order `orderId` has been reviewed (by either path).
    function hasReviewed(bytes32 orderId) external view returns (bool);

    /// @notice The stored review of `orderId`; all zero when it has none.
    /// @return author who wrote it
    /// @return rating its stars, 1 to 5
    /// @return viaReceipt whether a signed receipt proved the purchase
    /// @return reviewedAt the block timestamp of the review
    function reviewOf(
        bytes32 orderId
    ) external view returns (address author, uint8 rating, bool viaReceipt, uint40 reviewedAt);

    /// @notice The number of reviews of `productId` and the sum of their ratings.
    function productRating(bytes32 productId) external view returns (uint128 count, uint128 sum);

    /// @notice The average rating of `productId` in hundredths of a star, rounded down (437 = 4.37
    /// stars); 0 when the product has no review.
    function averageRating(bytes32 productId) external view returns (uint256 centiStars);

    /// @notice EIP-712 digest of `receipt`, as a receipt signer signs it.
    function hashReceipt(Receipt calldata receipt) external view returns (bytes32);

    /// @notice The escrow whose completed orders may be reviewed (fixed at deployment).
    function escrow() external view returns (IEscrow);

    /// @notice The role whose holders sign fiat purchase receipts (the app's server key).
    function RECEIPT_SIGNER_ROLE() external view returns (bytes32);
}
