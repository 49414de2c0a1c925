// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Reviews} from "../../contracts/Reviews.sol";
import {Escrow} from "../../contracts/Escrow.sol";
import {IReviews} from "../../contracts/interfaces/IReviews.sol";
import {ReviewsBase} from "./helpers/ReviewsBase.sol";

/// @notice Invariant handler for Reviews: deploys the real escrow stack (ReviewsBase), then lets the
/// fuzzer buy, review through both paths, replay, impersonate and wait, while ghost variables keep
/// a reference model: per-product count and sum, every stored record, and flags for any violation
/// observed between calls.
contract ReviewsHandler is ReviewsBase {
    uint256 internal constant PRODUCTS = 3;
    uint256 internal constant BUYERS = 4;

    struct Ghost {
        address author;
        uint8 rating;
        bool viaReceipt;
        uint40 reviewedAt;
    }

    address[BUYERS] public buyers;
    uint256[BUYERS] internal buyerKeys;

    /// Completed escrow orders, with their buyer and product.
    bytes32[] public completed;
    mapping(bytes32 orderId => address) public buyerOf;
    mapping(bytes32 orderId => bytes32) public productOf;

    /// Every order id reviewed so far and its record as first written.
    bytes32[] public reviewedIds;
    mapping(bytes32 orderId => Ghost) internal _ghost;

    uint128[PRODUCTS] public ghostCount;
    uint128[PRODUCTS] public ghostSum;

    /// Set when a second review of an id succeeded, a count went down, or the contract and the
    /// model disagreed on whether a call must succeed (either way).
    bool public secondReviewAccepted;
    bool public countDecreased;
    bool public modelMismatch;

    uint256 public calls;
    uint256 public successes;
    uint256 private _fiatNonce;

    constructor() {
        setUp();
        for (uint256 i; i < BUYERS; ++i) {
            (buyers[i], buyerKeys[i]) = makeAddrAndKey(string.concat("invariant-buyer-", vm.toString(i)));
        }
    }

    function productAt(uint256 i) public pure returns (bytes32) {
        return keccak256(abi.encode("invariant-product", i % PRODUCTS));
    }

    function reviewsAddress() external view returns (address) {
        return address(reviews);
    }

    function escrowAddress() external view returns (address) {
        return address(escrow);
    }

    function reviewedCount() external view returns (uint256) {
        return reviewedIds.length;
    }

    function ghostOf(bytes32 orderId) external view returns (Ghost memory) {
        return _ghost[orderId];
    }

    // ---------------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------------

    /// A buyer completes an escrow purchase of one of the products.
    function buy(uint256 buyerSeed, uint256 productSeed) external {
        address who = buyers[buyerSeed % BUYERS];
        bytes32 productId = productAt(productSeed);
        bytes32 orderId = _purchase(who, productId);
        completed.push(orderId);
        buyerOf[orderId] = who;
        productOf[orderId] = productId;
    }

    /// Someone (the buyer or not) reviews a completed order (maybe again, maybe for another product).
    function reviewEscrowOrder(
        uint256 orderSeed,
        uint256 callerSeed,
        uint256 productSeed,
        uint8 rating,
        bytes32 contentHash
    ) external {
        if (completed.length == 0) return;
        bytes32 orderId = completed[orderSeed % completed.length];
        // Mostly the real buyer and product, sometimes another account or product.
        address caller = callerSeed % 4 == 0 ? buyers[callerSeed % BUYERS] : buyerOf[orderId];
        bytes32 productId = productSeed % 4 == 0 ? productAt(productSeed) : productOf[orderId];
        rating = uint8(bound(rating, 0, 6));

        bool expectOk = caller == buyerOf[orderId] && productId == productOf[orderId] && rating >= 1
            && rating <= 5 && contentHash != bytes32(0) && _ghost[orderId].author == address(0);
        _attempt(
            orderId,
            productId,
            caller,
            rating,
            false,
            expectOk,
            abi.encodeCall(IReviews.review, (orderId, productId, rating, contentHash))
        );
    }

    /// A buyer reviews a fiat order with a receipt: a new id, or a replay of an id already used;
    /// signed by the receipt signer, or forged by someone else.
    function reviewWithReceipt(
        uint256 idSeed,
        uint256 buyerSeed,
        uint256 productSeed,
        uint8 rating,
        bool forged
    ) external {
        bytes32 orderId = idSeed % 3 == 0 && reviewedIds.length != 0
            ? reviewedIds[idSeed % reviewedIds.length]
            : keccak256(abi.encode("invariant-fiat", ++_fiatNonce));
        address who = buyers[buyerSeed % BUYERS];
        bytes32 productId = productAt(productSeed);
        rating = uint8(bound(rating, 0, 6));

        bool expectOk = !forged && buyerOf[orderId] == address(0) && rating >= 1 && rating <= 5
            && _ghost[orderId].author == address(0);
        bytes memory callData = _receiptCall(orderId, who, productId, rating, forged ? buyerKeys[buyerSeed % BUYERS] : receiptSignerKey);
        _attempt(orderId, productId, who, rating, true, expectOk, callData);
    }

    function _receiptCall(bytes32 orderId, address who, bytes32 productId, uint8 rating, uint256 key)
        private
        view
        returns (bytes memory)
    {
        IReviews.Receipt memory receipt = _receipt(orderId, who, productId);
        bytes memory signature = _sign(key, _receiptDigest(receipt, block.chainid, address(reviews)));
        return abi.encodeCall(IReviews.reviewWithReceipt, (receipt, receiptSigner, signature, rating, CONTENT));
    }

    /// Time passes.
    function wait(uint256 secondsToWait) external {
        vm.warp(block.timestamp + bound(secondsToWait, 1, 30 days));
    }

    // ---------------------------------------------------------------------------------------------
    // Model
    // ---------------------------------------------------------------------------------------------

    function _attempt(
        bytes32 orderId,
        bytes32 productId,
        address caller,
        uint8 rating,
        bool viaReceipt,
        bool expectOk,
        bytes memory callData
    ) private {
        ++calls;
        uint256 p = _productIndex(productId);
        (uint128 countBefore,) = reviews.productRating(productId);
        bool alreadyReviewed = _ghost[orderId].author != address(0);

        vm.prank(caller);
        (bool ok,) = address(reviews).call(callData);

        (uint128 countAfter,) = reviews.productRating(productId);
        if (countAfter < countBefore) countDecreased = true;
        if (ok && alreadyReviewed) secondReviewAccepted = true;
        if (ok != expectOk) modelMismatch = true;

        if (ok) {
            ++successes;
            reviewedIds.push(orderId);
            _ghost[orderId] = Ghost(caller, rating, viaReceipt, uint40(block.timestamp));
            ++ghostCount[p];
            ghostSum[p] += rating;
        }
    }

    function _productIndex(bytes32 productId) private pure returns (uint256) {
        for (uint256 i; i < PRODUCTS; ++i) {
            if (productAt(i) == productId) return i;
        }
        revert("ReviewsHandler: unknown product");
    }
}

/// @notice Handler-based invariants of Reviews (R1-R4) with ghost sums, against the real Escrow.
contract ReviewsInvariantTest is Test {
    ReviewsHandler internal handler;
    Reviews internal reviews;
    Escrow internal escrow;

    function setUp() public {
        handler = new ReviewsHandler();
        reviews = Reviews(handler.reviewsAddress());
        escrow = Escrow(handler.escrowAddress());

        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = ReviewsHandler.buy.selector;
        selectors[1] = ReviewsHandler.reviewEscrowOrder.selector;
        selectors[2] = ReviewsHandler.reviewWithReceipt.selector;
        selectors[3] = ReviewsHandler.wait.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// R2: a second review of an order id never succeeds, and the contract agrees with the model on
    /// every attempt (invalid ones refused, valid ones accepted).
    function invariant_R2_oneReviewPerOrderAndModelAgrees() public view {
        assertFalse(handler.secondReviewAccepted());
        assertFalse(handler.modelMismatch());
    }

    /// R4: per product, count and sum equal the ghost sums, counts never went down, and the counts
    /// add up to the number of reviewed order ids.
    function invariant_R4_aggregateEqualsGhostSums() public view {
        assertFalse(handler.countDecreased());
        uint256 total;
        for (uint256 i; i < 3; ++i) {
            (uint128 count, uint128 sum) = reviews.productRating(handler.productAt(i));
            assertEq(count, handler.ghostCount(i));
            assertEq(sum, handler.ghostSum(i));
            assertLe(sum, uint256(count) * 5);
            assertGe(sum, count);
            total += count;
        }
        assertEq(total, handler.reviewedCount());
    }

    /// R1 + R3: every stored record is exactly as first written, and its author bought the order
    /// (escrow path: the escrow's buyer of a completed order; receipt path: the receipt's buyer).
    function invariant_R1_R3_recordsAreTheBuyersAndNeverChange() public view {
        uint256 n = handler.reviewedCount();
        for (uint256 i; i < n; ++i) {
            bytes32 orderId = handler.reviewedIds(i);
            ReviewsHandler.Ghost memory ghost = handler.ghostOf(orderId);
            (address author, uint8 rating, bool viaReceipt, uint40 reviewedAt) = reviews.reviewOf(orderId);
            assertTrue(reviews.hasReviewed(orderId));
            assertEq(author, ghost.author);
            assertEq(rating, ghost.rating);
            assertEq(viaReceipt, ghost.viaReceipt);
            assertEq(reviewedAt, ghost.reviewedAt);
            if (!viaReceipt) {
                (address buyer,,) = escrow.purchaseOf(orderId);
                assertEq(author, buyer);
            }
        }
    }

    /// The handler really exercises the contract: a run with ten review attempts or more wrote at
    /// least one review (so the invariants above are not vacuous).
    function afterInvariant() public {
        emit log_named_uint("handler calls", handler.calls());
        emit log_named_uint("reviews written", handler.successes());
        if (handler.calls() >= 10) assertGt(handler.successes(), 0);
    }
}
