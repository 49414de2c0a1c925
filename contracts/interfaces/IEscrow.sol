// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title NeoCart escrow checkout
/// @notice Holds a buyer's payment (ETH or an accepted ERC-20) until delivery is confirmed, then
/// credits the seller, the platform treasury and an optional affiliate, and mints cashback points.
/// Funds leave only through `withdraw` (pull payments).
/// @dev Only a commitment to an order's terms is stored (one slot per order). Every call after
/// checkout passes the terms back; the escrow checks them against the commitment.
interface IEscrow {
    /// @notice Life cycle of an order. Completed, Resolved and Refunded are terminal.
    enum State {
        None,
        Paid,
        Shipped,
        Completed,
        Disputed,
        Resolved,
        Refunded
    }

    /// @notice Terms fixed when an order is paid.
    /// @param buyer who pays and who confirms delivery
    /// @param seller who ships and is credited on completion
    /// @param token the ERC-20 paid in, or address(0) for ETH
    /// @param amount total the buyer pays, platform fee included
    /// @param fee platform fee, part of `amount`, credited to the treasury on completion
    /// @param affiliate who referred the sale, or address(0)
    /// @param affiliateBps affiliate share of the seller's part (`amount - fee`), in basis points
    /// @param cashback loyalty points minted to the buyer on completion
    /// @param productId the catalog product bought (binds the purchase to the review)
    /// @param deliveryWindow seconds the seller has to ship after payment, and the buyer has to
    /// confirm or dispute after shipment
    struct Order {
        address buyer;
        address seller;
        address token;
        uint256 amount;
        uint256 fee;
        address affiliate;
        uint16 affiliateBps;
        uint256 cashback;
        bytes32 productId;
        uint32 deliveryWindow;
    }

    /// @notice A checkout offer signed (EIP-712) by a holder of QUOTE_SIGNER_ROLE.
    /// @param orderId unique id chosen by the app; each id can be paid once
    /// @param order the terms
    /// @param pointsToRedeem loyalty points burned from the buyer at checkout (discount already
    /// applied to `order.amount` by the app)
    /// @param expiry unix time after which the quote is refused
    struct Quote {
        bytes32 orderId;
        Order order;
        uint256 pointsToRedeem;
        uint64 expiry;
    }

    /// @notice An order was paid and its funds locked.
    event OrderPaid(
        bytes32 indexed orderId,
        address indexed buyer,
        address indexed seller,
        address token,
        uint256 amount,
        uint256 fee,
        address affiliate,
        uint16 affiliateBps,
        uint256 cashback,
        bytes32 productId,
        uint32 deliveryWindow,
        uint256 pointsRedeemed,
        uint40 shipBy
    );
    /// @notice The seller marked the order shipped; the buyer may confirm or dispute until `releaseAt`.
    event OrderShipped(bytes32 indexed orderId, uint40 releaseAt);
    /// @notice The order completed (confirmed by the buyer, or released after the window).
    event OrderCompleted(
        bytes32 indexed orderId,
        uint256 sellerProceeds,
        uint256 fee,
        uint256 affiliateShare,
        uint256 cashback,
        bool confirmedByBuyer
    );
    /// @notice The buyer opened a dispute; the arbiter may resolve it until `arbitrateBy`.
    event OrderDisputed(bytes32 indexed orderId, uint40 arbitrateBy);
    /// @notice A dispute was resolved: `toBuyer` refunded, `toSeller` + `fee` + `affiliateShare` paid out.
    event DisputeResolved(
        bytes32 indexed orderId,
        uint16 buyerBps,
        uint256 toBuyer,
        uint256 toSeller,
        uint256 fee,
        uint256 affiliateShare,
        bool byArbiter
    );
    /// @notice The whole amount was credited back to the buyer.
    event OrderRefunded(bytes32 indexed orderId, uint256 amount);
    /// @notice `account` withdrew its credit in `token`.
    event Withdrawn(address indexed token, address indexed account, uint256 amount);
    /// @notice The admin accepted or stopped accepting `token` for new checkouts.
    event TokenAcceptanceSet(address indexed token, bool accepted);
    /// @notice The admin changed where platform fees are credited.
    event TreasurySet(address indexed treasury);

    error ZeroAddress();
    error ZeroAmount();
    error InvalidBps(uint256 bps);
    error FeeExceedsAmount(uint256 fee, uint256 amount);
    error SelfPurchase(address account);
    error TokenNotAccepted(address token);
    error QuoteExpired(uint64 expiry);
    error QuoteSignerUnauthorized(address signer);
    error InvalidSignature();
    error OrderIdUsed(bytes32 orderId);
    error WrongBuyer(address expected, address caller);
    error WrongAmount(uint256 expected, uint256 received);
    error UnexpectedEth();
    error TermsMismatch(bytes32 orderId);
    error InvalidState(bytes32 orderId, State state);
    error NotBuyer(address caller);
    error NotSeller(address caller);
    error TooEarly(uint40 availableAt);
    error TooLate(uint40 deadline);
    error NothingToWithdraw();
    error EthTransferFailed(address to);

    /// @notice Pays for an order in ETH (send exactly `quote.order.amount`) or in an accepted token
    /// (approved beforehand; send no ETH). Burns `quote.pointsToRedeem` from the buyer.
    /// @param quote the terms the app offered
    /// @param signature EIP-712 signature of `quote` by a QUOTE_SIGNER_ROLE holder
    function checkout(Quote calldata quote, bytes calldata signature) external payable;

    /// @notice Pays for an order in an ERC-2612 token, approving the escrow with the buyer's permit in the
    /// same transaction.
    /// @param quote the terms the app offered
    /// @param signature EIP-712 signature of `quote` by a QUOTE_SIGNER_ROLE holder
    /// @param permitDeadline, v, r, s the buyer's ERC-2612 permit for `quote.order.amount`
    function checkoutWithPermit(
        Quote calldata quote,
        bytes calldata signature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Opens an escrow order for a settled group-buy pledge; only the GroupBuy contract (POOL_ROLE).
    /// @dev Takes `order.amount` as msg.value (ETH) or by transferFrom from the caller (token).
    function openPoolOrder(bytes32 orderId, Order calldata order) external payable;

    /// @notice The seller marks a paid order shipped, starting the buyer's window to confirm or dispute.
    function markShipped(bytes32 orderId, Order calldata order) external;

    /// @notice The buyer confirms delivery: seller, treasury and affiliate are credited, cashback minted.
    function confirmDelivery(bytes32 orderId, Order calldata order) external;

    /// @notice Anyone completes a shipped order once its window has passed with no dispute.
    function release(bytes32 orderId, Order calldata order) external;

    /// @notice The buyer disputes a paid or shipped order before its window ends.
    function openDispute(bytes32 orderId, Order calldata order) external;

    /// @notice The arbiter splits a disputed order: `buyerBps` of the amount back to the buyer, the rest paid
    /// out as on completion (fee and affiliate pro rata).
    function resolveDispute(bytes32 orderId, Order calldata order, uint16 buyerBps) external;

    /// @notice Anyone refunds the buyer in full once the arbiter let the arbitration window pass.
    function settleStaleDispute(bytes32 orderId, Order calldata order) external;

    /// @notice The seller refunds a paid, shipped or disputed order in full.
    function refund(bytes32 orderId, Order calldata order) external;

    /// @notice The buyer cancels, in full, an order the seller did not ship in time.
    function cancelUnshipped(bytes32 orderId, Order calldata order) external;

    /// @notice Sends the caller all its credit in `token` (address(0) for ETH).
    function withdraw(address token) external;

    /// @notice The state of an order and the time its current window ends (0 when none applies).
    function orderState(bytes32 orderId) external view returns (State state, uint40 deadline);

    /// @notice For a completed order, its buyer and a tag of its product (`productTag(productId)`); zero otherwise.
    function purchaseOf(bytes32 orderId) external view returns (address buyer, uint88 tag, State state);

    /// @notice The 88-bit tag a completed order keeps of its product id.
    function productTag(bytes32 productId) external pure returns (uint88);

    /// @notice What `account` may withdraw in `token`.
    function creditOf(address token, address account) external view returns (uint256);

    /// @notice EIP-712 digest of a quote, as a quote signer signs it.
    function hashQuote(Quote calldata quote) external view returns (bytes32);
}
