// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {Reviews} from "../../contracts/Reviews.sol";
import {IEscrow} from "../../contracts/interfaces/IEscrow.sol";
import {IReviews} from "../../contracts/interfaces/IReviews.sol";
import {ERC1271Wallet} from "./helpers/ERC1271Wallet.sol";
import {WrongTagEscrow} from "./helpers/WrongTagEscrow.sol";
import {ReviewsBase} from "./helpers/ReviewsBase.sol";

/// @notice Reviews against the real Escrow: properties R1-R7 of TESTPLAN.md, and every custom error.
contract ReviewsTest is ReviewsBase {
    /// secp256k1 group order: s and n - s are both valid for ecrecover (malleability).
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    // =============================================================================================
    // Deployment and admin
    // =============================================================================================

    function test_constructor_setsEscrowDomainAndAdmin() public view {
        assertEq(address(reviews.escrow()), address(escrow));
        assertEq(reviews.defaultAdmin(), admin);
        assertEq(reviews.defaultAdminDelay(), ADMIN_DELAY);
        assertTrue(reviews.hasRole(reviews.RECEIPT_SIGNER_ROLE(), receiptSigner));
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            reviews.eip712Domain();
        assertEq(name, "NeoCart Reviews");
        assertEq(version, "1");
        assertEq(chainId, block.chainid);
        assertEq(verifyingContract, address(reviews));
    }

    function test_constructor_revertsOnEscrowWithoutCode() public {
        vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidEscrow.selector, address(0)));
        new Reviews(admin, ADMIN_DELAY, IEscrow(address(0)));

        address eoa = makeAddr("not a contract");
        vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidEscrow.selector, eoa));
        new Reviews(admin, ADMIN_DELAY, IEscrow(eoa));
    }

    function test_constructor_revertsOnContractThatIsNotTheEscrow() public {
        // No productTag function at all.
        vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidEscrow.selector, address(points)));
        new Reviews(admin, ADMIN_DELAY, IEscrow(address(points)));
        // A productTag that disagrees with the escrow's (reviews would never match a product).
        WrongTagEscrow wrong = new WrongTagEscrow();
        vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidEscrow.selector, address(wrong)));
        new Reviews(admin, ADMIN_DELAY, IEscrow(address(wrong)));
    }

    function testFuzz_R1_review_productTagMatchesEscrow(bytes32 productId) public {
        // Reviews computes the escrow's tag itself: the two agree on every product id.
        bytes32 orderId = _purchase(buyer, productId);
        vm.prank(buyer);
        reviews.review(orderId, productId, 5, CONTENT);
        (uint128 count,) = reviews.productRating(productId);
        assertEq(count, 1);
    }

    function test_constructor_revertsOnZeroAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, address(0)
            )
        );
        new Reviews(address(0), ADMIN_DELAY, escrow);
    }

    function test_adminTransfer_isTwoStepWithDelay() public {
        address newAdmin = makeAddr("newAdmin");
        vm.prank(admin);
        reviews.beginDefaultAdminTransfer(newAdmin);
        (, uint48 schedule) = reviews.pendingDefaultAdmin();

        vm.warp(schedule - 1);
        vm.prank(newAdmin);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule)
        );
        reviews.acceptDefaultAdminTransfer();

        vm.warp(schedule + 1);
        vm.prank(newAdmin);
        reviews.acceptDefaultAdminTransfer();
        assertEq(reviews.defaultAdmin(), newAdmin);
    }

    function test_grantRole_onlyAdminGrantsReceiptSigner() public {
        address stranger = makeAddr("stranger");
        bytes32 role = reviews.RECEIPT_SIGNER_ROLE();
        bytes32 adminRole = reviews.DEFAULT_ADMIN_ROLE();
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, adminRole)
        );
        reviews.grantRole(role, stranger);
    }

    // =============================================================================================
    // R1: the author is the buyer of a completed order, or holds a valid signed receipt
    // =============================================================================================

    function test_R1_review_recordsBuyerOfCompletedOrder() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);

        vm.expectEmit(true, true, true, true, address(reviews));
        emit IReviews.Reviewed(orderId, PRODUCT, buyer, 4, CONTENT, false);
        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, 4, CONTENT);

        assertTrue(reviews.hasReviewed(orderId));
        (address author, uint8 rating, bool viaReceipt, uint40 reviewedAt) = reviews.reviewOf(orderId);
        assertEq(author, buyer);
        assertEq(rating, 4);
        assertFalse(viaReceipt);
        assertEq(reviewedAt, block.timestamp);
        (uint128 count, uint128 sum) = reviews.productRating(PRODUCT);
        assertEq(count, 1);
        assertEq(sum, 4);
    }

    function test_R1_review_worksForOrderReleasedAfterWindow() public {
        (bytes32 orderId, IEscrow.Order memory order) = _payAndShip(buyer, PRODUCT);
        vm.warp(block.timestamp + DELIVERY_WINDOW);
        escrow.release(orderId, order);

        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, 5, CONTENT);
        assertTrue(reviews.hasReviewed(orderId));
    }

    function testFuzz_R1_review_onlyTheBuyer(address caller) public {
        vm.assume(caller != buyer);
        bytes32 orderId = _purchase(buyer, PRODUCT);

        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IReviews.NotPurchaser.selector, buyer, caller));
        reviews.review(orderId, PRODUCT, 5, CONTENT);
        assertFalse(reviews.hasReviewed(orderId));
    }

    function testFuzz_R1_review_revertsOnProductMismatch(bytes32 productId) public {
        vm.assume(productId != PRODUCT);
        bytes32 orderId = _purchase(buyer, PRODUCT);

        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.ProductMismatch.selector, orderId, productId));
        reviews.review(orderId, productId, 5, CONTENT);
    }

    function test_R1_reviewWithReceipt_recordsReceiptBuyer() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);

        vm.expectEmit(true, true, true, true, address(reviews));
        emit IReviews.Reviewed(receipt.orderId, PRODUCT, buyer, 3, CONTENT, true);
        vm.prank(buyer);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 3, CONTENT);

        (address author, uint8 rating, bool viaReceipt,) = reviews.reviewOf(receipt.orderId);
        assertEq(author, buyer);
        assertEq(rating, 3);
        assertTrue(viaReceipt);
    }

    function testFuzz_R1_reviewWithReceipt_onlyTheReceiptBuyer(address caller) public {
        vm.assume(caller != buyer);
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);

        // Someone who saw the receipt (for example in the mempool) cannot use it.
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IReviews.NotPurchaser.selector, buyer, caller));
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 1, CONTENT);
    }

    // =============================================================================================
    // R2: at most one review per purchase (one per order id, whichever path)
    // =============================================================================================

    function test_R2_review_revertsOnSecondReview() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.startPrank(buyer);
        reviews.review(orderId, PRODUCT, 5, CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IReviews.AlreadyReviewed.selector, orderId));
        reviews.review(orderId, PRODUCT, 1, keccak256("changed my mind"));
        vm.stopPrank();
    }

    function test_R2_reviewWithReceipt_revertsOnReplay() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        vm.startPrank(buyer);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IReviews.AlreadyReviewed.selector, receipt.orderId));
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);

        // A second receipt for the same order id (other product, fresh deadline) is refused too.
        IReviews.Receipt memory again = _receipt(receipt.orderId, buyer, OTHER_PRODUCT);
        bytes memory againSignature = _signReceipt(again);
        vm.expectRevert(abi.encodeWithSelector(IReviews.AlreadyReviewed.selector, receipt.orderId));
        reviews.reviewWithReceipt(again, receiptSigner, againSignature, 5, CONTENT);
        vm.stopPrank();
    }

    function test_R2_review_revertsWhenIdReviewedByReceipt() public {
        // The fiat order id is reviewed first; if the escrow later sees the same id, no second review.
        bytes32 orderId = keccak256(abi.encode("order", uint256(1))); // the id _purchase will use
        IReviews.Receipt memory receipt = _receipt(orderId, buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        vm.prank(buyer);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);

        assertEq(_purchase(buyer, PRODUCT), orderId);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.AlreadyReviewed.selector, orderId));
        reviews.review(orderId, PRODUCT, 5, CONTENT);
    }

    function test_R2_reviewWithReceipt_revertsForEscrowOrderId() public {
        // Completed and reviewed, completed and not reviewed, or still open: a receipt never
        // reviews an id the escrow knows.
        bytes32 reviewed = _purchase(buyer, PRODUCT);
        vm.prank(buyer);
        reviews.review(reviewed, PRODUCT, 5, CONTENT);
        bytes32 completed = _purchase(buyer, PRODUCT);
        (bytes32 open,) = _pay(buyer, PRODUCT);

        bytes32[3] memory ids = [reviewed, completed, open];
        for (uint256 i; i < ids.length; ++i) {
            IReviews.Receipt memory receipt = _receipt(ids[i], buyer, PRODUCT);
            bytes memory signature = _signReceipt(receipt);
            vm.prank(buyer);
            vm.expectRevert(abi.encodeWithSelector(IReviews.EscrowOrderId.selector, ids[i]));
            reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
        }
        assertFalse(reviews.hasReviewed(completed));
    }

    // =============================================================================================
    // R3: reviews never change (no setter, no delete)
    // =============================================================================================

    function testFuzz_R3_review_recordNeverChanges(uint8 rating, bytes32 contentHash, address caller) public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, 2, CONTENT);
        bytes32 before = _snapshot(orderId);

        vm.warp(block.timestamp + 1 days);
        // Every further attempt, by anyone, with any content, through either path, reverts.
        vm.prank(caller);
        (bool ok,) =
            address(reviews).call(abi.encodeCall(IReviews.review, (orderId, PRODUCT, rating, contentHash)));
        assertFalse(ok);
        _tryReceiptReview(orderId, caller, rating, contentHash);

        assertEq(_snapshot(orderId), before);
    }

    function _tryReceiptReview(bytes32 orderId, address caller, uint8 rating, bytes32 contentHash) private {
        IReviews.Receipt memory receipt = _receipt(orderId, caller, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        vm.prank(caller);
        (bool ok,) = address(reviews).call(
            abi.encodeCall(IReviews.reviewWithReceipt, (receipt, receiptSigner, signature, rating, contentHash))
        );
        assertFalse(ok);
    }

    /// @dev Hash of everything readable about a review and its product's aggregate.
    function _snapshot(bytes32 orderId) private view returns (bytes32) {
        (address author, uint8 rating, bool viaReceipt, uint40 reviewedAt) = reviews.reviewOf(orderId);
        (uint128 count, uint128 sum) = reviews.productRating(PRODUCT);
        return keccak256(abi.encode(author, rating, viaReceipt, reviewedAt, count, sum, reviews.hasReviewed(orderId)));
    }

    function test_R3_review_writesOnlyTheRecordAndTheAggregate() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.record();
        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, 5, CONTENT);
        (, bytes32[] memory writes) = vm.accesses(address(reviews));
        // One fresh slot for the review record and the product's count-and-sum slot: nothing else
        // (no list to edit, no index to delete from).
        uint256 distinct;
        for (uint256 i; i < writes.length; ++i) {
            bool seen;
            for (uint256 j; j < i; ++j) {
                if (writes[j] == writes[i]) seen = true;
            }
            if (!seen) ++distinct;
        }
        assertEq(distinct, 2);
    }

    // =============================================================================================
    // R4: counts never decrease
    // =============================================================================================

    function testFuzz_R4_productRating_countsNeverDecrease(uint8[8] memory ratings, bool[8] memory viaReceipt)
        public
    {
        uint128 expectedCount;
        uint128 expectedSum;
        for (uint256 i; i < ratings.length; ++i) {
            uint8 rating = ratings[i] % 8; // 0-7: about a third invalid
            (uint128 countBefore, uint128 sumBefore) = reviews.productRating(PRODUCT);
            bool valid = rating >= 1 && rating <= 5;
            if (viaReceipt[i]) {
                IReviews.Receipt memory receipt = _receipt(keccak256(abi.encode("fiat", i)), buyer, PRODUCT);
                bytes memory signature = _signReceipt(receipt);
                if (!valid) vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidRating.selector, rating));
                vm.prank(buyer);
                reviews.reviewWithReceipt(receipt, receiptSigner, signature, rating, CONTENT);
            } else {
                bytes32 orderId = _purchase(buyer, PRODUCT);
                if (!valid) vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidRating.selector, rating));
                vm.prank(buyer);
                reviews.review(orderId, PRODUCT, rating, CONTENT);
            }
            if (valid) {
                ++expectedCount;
                expectedSum += rating;
            }
            (uint128 count, uint128 sum) = reviews.productRating(PRODUCT);
            assertGe(count, countBefore);
            assertGe(sum, sumBefore);
            assertEq(count, expectedCount);
            assertEq(sum, expectedSum);
        }
        assertEq(reviews.averageRating(PRODUCT), expectedCount == 0 ? 0 : (uint256(expectedSum) * 100) / expectedCount);
    }

    function test_R4_averageRating_roundsDownInHundredths() public {
        assertEq(reviews.averageRating(PRODUCT), 0);
        uint8[3] memory ratings = [5, 4, 4];
        for (uint256 i; i < ratings.length; ++i) {
            bytes32 orderId = _purchase(buyer, PRODUCT);
            vm.prank(buyer);
            reviews.review(orderId, PRODUCT, ratings[i], CONTENT);
        }
        // 13 / 3 = 4.333... stars
        assertEq(reviews.averageRating(PRODUCT), 433);
        (uint128 count, uint128 sum) = reviews.productRating(PRODUCT);
        assertEq(count, 3);
        assertEq(sum, 13);
        // Other products are untouched.
        (count, sum) = reviews.productRating(OTHER_PRODUCT);
        assertEq(count, 0);
        assertEq(sum, 0);
    }

    // =============================================================================================
    // R5: bad input reverts with its own error
    // =============================================================================================

    function testFuzz_R5_review_onlyRatingsOneToFiveSucceed(uint8 rating) public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        bool valid = rating >= 1 && rating <= 5;
        if (!valid) vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidRating.selector, rating));
        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, rating, CONTENT);
        assertEq(reviews.hasReviewed(orderId), valid);
    }

    function testFuzz_R5_reviewWithReceipt_onlyRatingsOneToFiveSucceed(uint8 rating) public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        bool valid = rating >= 1 && rating <= 5;
        if (!valid) vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidRating.selector, rating));
        vm.prank(buyer);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, rating, CONTENT);
        assertEq(reviews.hasReviewed(receipt.orderId), valid);
    }

    function test_R5_review_revertsOnRatingZeroAndSix() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.startPrank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidRating.selector, uint8(0)));
        reviews.review(orderId, PRODUCT, 0, CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IReviews.InvalidRating.selector, uint8(6)));
        reviews.review(orderId, PRODUCT, 6, CONTENT);
        vm.stopPrank();
    }

    function test_R5_review_revertsOnEmptyContentHash() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.prank(buyer);
        vm.expectRevert(IReviews.EmptyContentHash.selector);
        reviews.review(orderId, PRODUCT, 5, bytes32(0));
    }

    function test_R5_reviewWithReceipt_revertsOnEmptyContentHash() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        vm.prank(buyer);
        vm.expectRevert(IReviews.EmptyContentHash.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, bytes32(0));
    }

    function testFuzz_R5_review_revertsOnUnknownOrder(bytes32 orderId) public {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.UnknownOrder.selector, orderId));
        reviews.review(orderId, PRODUCT, 5, CONTENT);
    }

    function test_R5_review_revertsForSellerOwnSale() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(IReviews.NotPurchaser.selector, buyer, seller));
        reviews.review(orderId, PRODUCT, 5, CONTENT);
    }

    function test_R5_review_revertsBeforeCompletion() public {
        // Paid
        (bytes32 orderId, IEscrow.Order memory order) = _pay(buyer, PRODUCT);
        _expectNotCompleted(orderId, IEscrow.State.Paid);
        // Shipped
        vm.prank(seller);
        escrow.markShipped(orderId, order);
        _expectNotCompleted(orderId, IEscrow.State.Shipped);
        // Disputed
        vm.prank(buyer);
        escrow.openDispute(orderId, order);
        _expectNotCompleted(orderId, IEscrow.State.Disputed);
        // Resolved (a partial refund is not a completed purchase)
        vm.prank(arbiter);
        escrow.resolveDispute(orderId, order, 5_000);
        _expectNotCompleted(orderId, IEscrow.State.Resolved);
        // Refunded
        (bytes32 refundedId, IEscrow.Order memory refunded) = _pay(buyer, PRODUCT);
        vm.prank(seller);
        escrow.refund(refundedId, refunded);
        _expectNotCompleted(refundedId, IEscrow.State.Refunded);
    }

    function _expectNotCompleted(bytes32 orderId, IEscrow.State state) private {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.OrderNotCompleted.selector, orderId, state));
        reviews.review(orderId, PRODUCT, 5, CONTENT);
    }

    // =============================================================================================
    // R6: signed receipts: domain (chain, contract), unique id, deadline, signature forms, ERC-1271
    // =============================================================================================

    function test_R6_hashReceipt_isTheEIP712Digest() public view {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        assertEq(reviews.hashReceipt(receipt), _receiptDigest(receipt, block.chainid, address(reviews)));
    }

    function test_R6_reviewWithReceipt_acceptsAtDeadlineAndRevertsAfter() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);

        vm.warp(uint256(receipt.deadline) + 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.ReceiptExpired.selector, receipt.deadline));
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);

        vm.warp(receipt.deadline);
        vm.prank(buyer);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
        assertTrue(reviews.hasReviewed(receipt.orderId));
    }

    function testFuzz_R6_reviewWithReceipt_expiredReverts(uint64 deadline, uint256 lateBy) public {
        deadline = uint64(bound(deadline, block.timestamp, type(uint40).max));
        lateBy = bound(lateBy, 1, 10 * 365 days);
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        receipt.deadline = deadline;
        bytes memory signature = _signReceipt(receipt);

        vm.warp(uint256(deadline) + lateBy);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.ReceiptExpired.selector, deadline));
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_revertsOnHighS() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(receiptSignerKey, _receiptDigest(receipt, block.chainid, address(reviews)));
        // (r, n - s, v ^ 1) recovers the same address with ecrecover, but is the malleable twin.
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 flippedV = v == 27 ? 28 : 27;
        bytes32 digest = reviews.hashReceipt(receipt);
        assertEq(ecrecover(digest, flippedV, r, highS), receiptSigner);

        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, abi.encodePacked(r, highS, flippedV), 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_revertsOnMalformedSignatures() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes32 digest = _receiptDigest(receipt, block.chainid, address(reviews));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(receiptSignerKey, digest);
        (bytes32 cr, bytes32 vs) = vm.signCompact(receiptSignerKey, digest);

        bytes[] memory bad = new bytes[](7);
        bad[0] = "";
        bad[1] = abi.encodePacked(cr, vs); // EIP-2098 compact form: not accepted, 65 bytes only
        bad[2] = abi.encodePacked(r, s, v, uint8(0)); // 66 bytes
        bad[3] = abi.encodePacked(r, s); // 64 bytes, no v
        bad[4] = abi.encodePacked(r, s, uint8(v + 2)); // v = 29/30
        bad[5] = abi.encodePacked(bytes32(0), s, v); // r = 0
        bad[6] = abi.encodePacked(r, s, v == 27 ? uint8(28) : uint8(27)); // recovers another address
        for (uint256 i; i < bad.length; ++i) {
            vm.prank(buyer);
            vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
            reviews.reviewWithReceipt(receipt, receiptSigner, bad[i], 5, CONTENT);
        }
        // The well-formed signature still works afterwards.
        vm.prank(buyer);
        reviews.reviewWithReceipt(receipt, receiptSigner, abi.encodePacked(r, s, v), 5, CONTENT);
    }

    function testFuzz_R6_reviewWithReceipt_randomSignatureReverts(bytes memory signature) public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
    }

    function testFuzz_R6_reviewWithReceipt_revertsOnWrongChain(uint64 otherChainId) public {
        vm.assume(otherChainId != block.chainid);
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _sign(receiptSignerKey, _receiptDigest(receipt, otherChainId, address(reviews)));
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_signatureDiesAfterChainSplit() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        // The same contract on a forked chain with another chain id rejects the original signature.
        vm.chainId(block.chainid + 1);
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_revertsOnSignatureForAnotherContract() public {
        Reviews other = new Reviews(admin, ADMIN_DELAY, escrow);
        bytes32 role = other.RECEIPT_SIGNER_ROLE();
        vm.prank(admin);
        other.grantRole(role, receiptSigner);

        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory forOther = _sign(receiptSignerKey, _receiptDigest(receipt, block.chainid, address(other)));
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, forOther, 5, CONTENT);
        // ...while it is valid where it was meant to be used.
        vm.prank(buyer);
        other.reviewWithReceipt(receipt, receiptSigner, forOther, 5, CONTENT);
    }

    function testFuzz_R6_reviewWithReceipt_revertsOnTamperedReceipt(uint8 field, bytes32 value) public {
        IReviews.Receipt memory signed = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(signed);
        IReviews.Receipt memory used = _receipt(signed.orderId, buyer, PRODUCT);
        field = field % 3;
        if (field == 0) {
            vm.assume(value != signed.orderId);
            used.orderId = value;
        } else if (field == 1) {
            vm.assume(value != signed.productId);
            used.productId = value;
        } else {
            uint64 deadline = uint64(bound(uint256(value), block.timestamp, type(uint64).max));
            vm.assume(deadline != signed.deadline);
            used.deadline = deadline;
        }
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(used, receiptSigner, signature, 5, CONTENT);
    }

    function testFuzz_R6_reviewWithReceipt_revertsOnUnauthorizedSigner(uint256 key) public {
        key = bound(key, 1, SECP256K1_N - 1);
        address signer = vm.addr(key);
        vm.assume(signer != receiptSigner);
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _sign(key, _receiptDigest(receipt, block.chainid, address(reviews)));
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.ReceiptSignerUnauthorized.selector, signer));
        reviews.reviewWithReceipt(receipt, signer, signature, 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_revokedSignerStopsAtOnce() public {
        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _signReceipt(receipt);
        bytes32 role = reviews.RECEIPT_SIGNER_ROLE();
        vm.prank(admin);
        reviews.revokeRole(role, receiptSigner);

        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IReviews.ReceiptSignerUnauthorized.selector, receiptSigner));
        reviews.reviewWithReceipt(receipt, receiptSigner, signature, 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_revertsWhenNamedSignerDidNotSign() public {
        // Two authorized signers: a signature by one cannot be passed off as the other's.
        (address second, uint256 secondKey) = makeAddrAndKey("secondReceiptSigner");
        bytes32 role = reviews.RECEIPT_SIGNER_ROLE();
        vm.prank(admin);
        reviews.grantRole(role, second);

        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory bySecond = _sign(secondKey, _receiptDigest(receipt, block.chainid, address(reviews)));
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, receiptSigner, bySecond, 5, CONTENT);
    }

    function test_R6_reviewWithReceipt_acceptsERC1271Wallet() public {
        (address walletOwner, uint256 walletOwnerKey) = makeAddrAndKey("walletOwner");
        ERC1271Wallet wallet = new ERC1271Wallet(walletOwner);
        bytes32 role = reviews.RECEIPT_SIGNER_ROLE();
        vm.prank(admin);
        reviews.grantRole(role, address(wallet));

        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _sign(walletOwnerKey, _receiptDigest(receipt, block.chainid, address(reviews)));
        vm.prank(buyer);
        reviews.reviewWithReceipt(receipt, address(wallet), signature, 4, CONTENT);
        assertTrue(reviews.hasReviewed(receipt.orderId));
    }

    function test_R6_reviewWithReceipt_revertsWhenERC1271WalletRefuses() public {
        (address walletOwner, uint256 walletOwnerKey) = makeAddrAndKey("walletOwner");
        ERC1271Wallet wallet = new ERC1271Wallet(walletOwner);
        bytes32 role = reviews.RECEIPT_SIGNER_ROLE();
        vm.prank(admin);
        reviews.grantRole(role, address(wallet));

        IReviews.Receipt memory receipt = _receipt(keccak256("fiat-1"), buyer, PRODUCT);
        bytes memory signature = _sign(walletOwnerKey, _receiptDigest(receipt, block.chainid, address(reviews)));
        // A signature by someone other than the wallet's owner.
        bytes memory byStranger = _sign(buyerKey, _receiptDigest(receipt, block.chainid, address(reviews)));
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, address(wallet), byStranger, 4, CONTENT);
        // The wallet revokes its signatures (contract signatures are revocable).
        wallet.setRefuseAll(true);
        vm.prank(buyer);
        vm.expectRevert(IReviews.InvalidReceiptSignature.selector);
        reviews.reviewWithReceipt(receipt, address(wallet), signature, 4, CONTENT);
    }

    // =============================================================================================
    // R7: nothing personal on chain, only hashes
    // =============================================================================================

    function test_R7_reviewed_eventCarriesOnlyIdsHashesAndRating() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.recordLogs();
        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, 5, CONTENT);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1);
        assertEq(logs[0].emitter, address(reviews));
        assertEq(logs[0].topics.length, 4);
        assertEq(logs[0].topics[0], IReviews.Reviewed.selector);
        assertEq(logs[0].topics[1], orderId);
        assertEq(logs[0].topics[2], PRODUCT);
        assertEq(logs[0].topics[3], bytes32(uint256(uint160(buyer))));
        // Exactly three static words: rating, content hash, path. No string, no bytes.
        assertEq(logs[0].data, abi.encode(uint8(5), CONTENT, false));
    }

    function test_R7_review_storesNoContent() public {
        bytes32 orderId = _purchase(buyer, PRODUCT);
        vm.record();
        vm.prank(buyer);
        reviews.review(orderId, PRODUCT, 5, CONTENT);
        (, bytes32[] memory writes) = vm.accesses(address(reviews));
        for (uint256 i; i < writes.length; ++i) {
            bytes32 word = vm.load(address(reviews), writes[i]);
            // Neither the content hash nor anything derived from text is stored: the record holds
            // the author, rating, path and time; the aggregate holds numbers.
            assertTrue(word != CONTENT);
            if (uint160(uint256(word)) == uint160(buyer)) {
                assertEq(uint256(word) >> 216, 0); // nothing above the timestamp
                assertEq(uint8(uint256(word) >> 160), 5);
            } else {
                assertEq(uint256(word), (uint256(1) << 128) | 5);
            }
        }
    }
}
