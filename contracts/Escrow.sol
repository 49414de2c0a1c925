// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IEscrow} from "./interfaces/IEscrow.sol";
import {ILoyaltyPoints} from "./interfaces/ILoyaltyPoints.sol";

/// @title NeoCart escrow
/// @notice Holds buyers' payments (ETH or accepted ERC-20s) until delivery, then credits seller,
/// treasury and affiliate; every payout is a credit withdrawn with `withdraw` (pull payments).
/// @dev Storage per order is ONE slot:
///  - while open (Paid, Shipped, Disputed): [commitment 192 | unused 16 | deadline 40 | state 8],
///    where commitment is the top 192 bits of keccak256(abi.encode(order)) and deadline is the end
///    of the current window (ship-by, release-at or arbitrate-by);
///  - once Completed: [buyer 160 | productTag 88 | state 8], so Reviews can check a purchase
///    without the terms (`purchaseOf`);
///  - once Resolved or Refunded: [0 | state 8] (non-zero, so the order id stays used).
/// Windows are half-open: an action "within" a window is allowed while block.timestamp < deadline;
/// the timeout path opens at block.timestamp >= deadline, so the two never overlap.
/// Fee-on-transfer tokens are rejected by measuring the escrow's balance change on every token
/// payment (two warm balanceOf calls, ~2k gas). An allowlist alone is not enough: tokens such as
/// USDT can switch a transfer fee on after being listed.
contract Escrow is IEscrow, AccessControlDefaultAdminRules, Pausable, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice Resolves disputes.
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    /// @notice Signs checkout quotes (the app's server key).
    bytes32 public constant QUOTE_SIGNER_ROLE = keccak256("QUOTE_SIGNER_ROLE");
    /// @notice Pauses and unpauses new checkouts.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Opens orders for settled group-buy pledges (the GroupBuy contract).
    bytes32 public constant POOL_ROLE = keccak256("POOL_ROLE");

    /// @notice EIP-712 type hash of `Order`.
    bytes32 public constant ORDER_TYPEHASH = keccak256(
        "Order(address buyer,address seller,address token,uint256 amount,uint256 fee,address affiliate,"
        "uint16 affiliateBps,uint256 cashback,bytes32 productId,uint32 deliveryWindow)"
    );
    /// @notice EIP-712 type hash of `Quote`.
    bytes32 public constant QUOTE_TYPEHASH = keccak256(
        "Quote(bytes32 orderId,Order order,uint256 pointsToRedeem,uint64 expiry)"
        "Order(address buyer,address seller,address token,uint256 amount,uint256 fee,address affiliate,"
        "uint16 affiliateBps,uint256 cashback,bytes32 productId,uint32 deliveryWindow)"
    );

    uint256 private constant BPS = 10_000;
    uint256 private constant STATE_MASK = 0xff;
    uint256 private constant DEADLINE_SHIFT = 8;
    /// @dev Top 192 bits of a slot: where an open order keeps its commitment.
    uint256 private constant COMMIT_MASK = ~uint256(type(uint64).max);

    /// @notice The loyalty points contract (cashback mint, redemption burn).
    ILoyaltyPoints public immutable points;
    /// @notice Seconds the arbiter has to resolve a dispute before anyone may refund the buyer.
    uint32 public immutable arbitrationWindow;

    /// @notice Where platform fees are credited.
    address public treasury;

    mapping(bytes32 orderId => uint256) private _orders;
    mapping(address token => mapping(address account => uint256)) private _credits;
    mapping(address token => bool) private _accepted;
    /// @dev Platform fees not yet withdrawn, per token. Kept apart from `_credits` so completing
    /// an order never reads `treasury` (a cold SLOAD saved on the hottest path); the treasury of
    /// the day withdraws them with `withdraw`, and `creditOf(token, treasury)` includes them.
    mapping(address token => uint256) private _fees;

    /// @param admin initial default admin (a multisig in production)
    /// @param adminDelay seconds a default-admin transfer must wait before it can be accepted
    /// @param treasury_ where platform fees are credited
    /// @param points_ the loyalty points contract; grant this escrow its MINTER_ROLE and REDEEMER_ROLE
    /// @param arbitrationWindow_ seconds the arbiter has to resolve a dispute
    constructor(
        address admin,
        uint48 adminDelay,
        address treasury_,
        ILoyaltyPoints points_,
        uint32 arbitrationWindow_
    ) AccessControlDefaultAdminRules(adminDelay, admin) EIP712("NeoCart Escrow", "1") {
        if (treasury_ == address(0) || address(points_) == address(0)) revert ZeroAddress();
        if (arbitrationWindow_ == 0) revert ZeroAmount();
        treasury = treasury_;
        points = points_;
        arbitrationWindow = arbitrationWindow_;
        emit TreasurySet(treasury_);
    }

    // ------------------------------------------------------------------------------------------
    // Checkout
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IEscrow
    function checkout(
        Quote calldata quote,
        bytes calldata signature
    ) external payable nonReentrant whenNotPaused {
        _acceptQuote(quote, signature);
        _collect(quote.order.token, msg.sender, quote.order.amount);
    }

    /// @inheritdoc IEscrow
    function checkoutWithPermit(
        Quote calldata quote,
        bytes calldata signature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        address token = quote.order.token;
        if (token == address(0)) revert TokenNotAccepted(address(0));
        _acceptQuote(quote, signature);
        // A permit front-run by a third party (same signature, submitted first) must not block the
        // buyer: ignore a failing permit; the transfer below fails anyway if no allowance exists.
        try
            IERC20Permit(token).permit(msg.sender, address(this), quote.order.amount, permitDeadline, v, r, s)
        {} catch {}
        _collect(token, msg.sender, quote.order.amount);
    }

    /// @inheritdoc IEscrow
    function openPoolOrder(
        bytes32 orderId,
        Order calldata order
    ) external payable nonReentrant whenNotPaused onlyRole(POOL_ROLE) {
        _validateTerms(order);
        _open(orderId, order, _commitmentOf(order), 0);
        _collect(order.token, msg.sender, order.amount);
    }

    // ------------------------------------------------------------------------------------------
    // Order progression
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IEscrow
    function markShipped(bytes32 orderId, Order calldata order) external {
        (uint256 slot, uint40 shipBy) = _load(orderId, order, State.Paid);
        if (msg.sender != order.seller) revert NotSeller(msg.sender);
        if (block.timestamp >= shipBy) revert TooLate(shipBy);
        uint40 releaseAt = uint40(block.timestamp) + order.deliveryWindow;
        _orders[orderId] =
            (slot & COMMIT_MASK) |
            (uint256(releaseAt) << DEADLINE_SHIFT) |
            uint256(State.Shipped);
        emit OrderShipped(orderId, releaseAt);
    }

    /// @inheritdoc IEscrow
    function confirmDelivery(bytes32 orderId, Order calldata order) external nonReentrant {
        _load(orderId, order, State.Shipped);
        if (msg.sender != order.buyer) revert NotBuyer(msg.sender);
        // The buyer may confirm even after releaseAt: the outcome is the same as a release.
        _complete(orderId, order, true);
    }

    /// @inheritdoc IEscrow
    function release(bytes32 orderId, Order calldata order) external nonReentrant {
        (, uint40 releaseAt) = _load(orderId, order, State.Shipped);
        if (block.timestamp < releaseAt) revert TooEarly(releaseAt);
        _complete(orderId, order, false);
    }

    /// @inheritdoc IEscrow
    function openDispute(bytes32 orderId, Order calldata order) external {
        uint256 slot = _orders[orderId];
        State state = State(slot & STATE_MASK);
        if (state != State.Paid && state != State.Shipped) revert InvalidState(orderId, state);
        _checkCommitment(orderId, slot, order);
        if (msg.sender != order.buyer) revert NotBuyer(msg.sender);
        uint40 deadline = uint40(slot >> DEADLINE_SHIFT);
        if (block.timestamp >= deadline) revert TooLate(deadline);
        uint40 arbitrateBy = uint40(block.timestamp) + arbitrationWindow;
        _orders[orderId] =
            (slot & COMMIT_MASK) |
            (uint256(arbitrateBy) << DEADLINE_SHIFT) |
            uint256(State.Disputed);
        emit OrderDisputed(orderId, arbitrateBy);
    }

    /// @inheritdoc IEscrow
    function resolveDispute(
        bytes32 orderId,
        Order calldata order,
        uint16 buyerBps
    ) external nonReentrant onlyRole(ARBITER_ROLE) {
        if (buyerBps > BPS) revert InvalidBps(buyerBps);
        (, uint40 arbitrateBy) = _load(orderId, order, State.Disputed);
        if (block.timestamp >= arbitrateBy) revert TooLate(arbitrateBy);
        _orders[orderId] = uint256(State.Resolved);

        uint256 amount = order.amount;
        uint256 toBuyer = Math.mulDiv(amount, buyerBps, BPS);
        uint256 rest = amount - toBuyer;
        uint256 fee = Math.mulDiv(order.fee, rest, amount);
        uint256 affiliateShare = Math.mulDiv(rest - fee, order.affiliateBps, BPS);
        uint256 toSeller = rest - fee - affiliateShare;

        address token = order.token;
        _credit(token, order.buyer, toBuyer);
        _credit(token, order.seller, toSeller);
        _creditFee(token, fee);
        _credit(token, order.affiliate, affiliateShare);
        emit DisputeResolved(orderId, buyerBps, toBuyer, toSeller, fee, affiliateShare, true);
    }

    /// @inheritdoc IEscrow
    function settleStaleDispute(bytes32 orderId, Order calldata order) external nonReentrant {
        (, uint40 arbitrateBy) = _load(orderId, order, State.Disputed);
        if (block.timestamp < arbitrateBy) revert TooEarly(arbitrateBy);
        _orders[orderId] = uint256(State.Resolved);
        _credit(order.token, order.buyer, order.amount);
        emit DisputeResolved(orderId, uint16(BPS), order.amount, 0, 0, 0, false);
    }

    /// @inheritdoc IEscrow
    function refund(bytes32 orderId, Order calldata order) external nonReentrant {
        uint256 slot = _orders[orderId];
        State state = State(slot & STATE_MASK);
        if (state != State.Paid && state != State.Shipped && state != State.Disputed) {
            revert InvalidState(orderId, state);
        }
        _checkCommitment(orderId, slot, order);
        if (msg.sender != order.seller) revert NotSeller(msg.sender);
        _refund(orderId, order);
    }

    /// @inheritdoc IEscrow
    function cancelUnshipped(bytes32 orderId, Order calldata order) external nonReentrant {
        (, uint40 shipBy) = _load(orderId, order, State.Paid);
        if (msg.sender != order.buyer) revert NotBuyer(msg.sender);
        if (block.timestamp < shipBy) revert TooEarly(shipBy);
        _refund(orderId, order);
    }

    /// @inheritdoc IEscrow
    function withdraw(address token) external nonReentrant {
        uint256 amount = _credits[token][msg.sender];
        if (amount != 0) _credits[token][msg.sender] = 0;
        if (msg.sender == treasury) {
            uint256 fees = _fees[token];
            if (fees != 0) {
                _fees[token] = 0;
                amount += fees;
            }
        }
        if (amount == 0) revert NothingToWithdraw();
        if (token == address(0)) {
            (bool ok, ) = msg.sender.call{value: amount}("");
            if (!ok) revert EthTransferFailed(msg.sender);
        } else {
            IERC20(token).safeTransfer(msg.sender, amount);
        }
        emit Withdrawn(token, msg.sender, amount);
    }

    // ------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------

    /// @notice Accepts or stops accepting `token` for new checkouts (open orders are unaffected);
    /// only the default admin.
    /// @param token an ERC-20 without transfer fees (fee-on-transfer payments are refused anyway)
    /// @param accepted whether new checkouts may pay in `token`
    function setTokenAccepted(address token, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0)) revert ZeroAddress();
        _accepted[token] = accepted;
        emit TokenAcceptanceSet(token, accepted);
    }

    /// @notice Sets where platform fees are paid; only the default admin.
    /// @param newTreasury the new treasury; it withdraws every fee not yet withdrawn, including
    /// fees accrued before the change
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0)) revert ZeroAddress();
        treasury = newTreasury;
        emit TreasurySet(newTreasury);
    }

    /// @notice Stops new checkouts and pool orders (never withdrawals or order progression); only PAUSER_ROLE.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lets new checkouts and pool orders in again; only PAUSER_ROLE.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IEscrow
    function orderState(bytes32 orderId) external view returns (State state, uint40 deadline) {
        uint256 slot = _orders[orderId];
        state = State(slot & STATE_MASK);
        if (state == State.Paid || state == State.Shipped || state == State.Disputed) {
            deadline = uint40(slot >> DEADLINE_SHIFT);
        }
    }

    /// @inheritdoc IEscrow
    function purchaseOf(bytes32 orderId) external view returns (address buyer, uint88 tag, State state) {
        uint256 slot = _orders[orderId];
        state = State(slot & STATE_MASK);
        if (state == State.Completed) {
            buyer = address(uint160(slot >> 96));
            tag = uint88(slot >> 8);
        }
    }

    /// @inheritdoc IEscrow
    function productTag(bytes32 productId) public pure returns (uint88 tag) {
        // keccak256(abi.encode(productId)), hashed in scratch space.
        assembly ("memory-safe") {
            mstore(0x00, productId)
            tag := and(keccak256(0x00, 0x20), 0xffffffffffffffffffffff)
        }
    }

    /// @inheritdoc IEscrow
    function creditOf(address token, address account) external view returns (uint256) {
        uint256 credit = _credits[token][account];
        if (account == treasury) credit += _fees[token];
        return credit;
    }

    /// @notice Platform fees in `token` not yet withdrawn by the treasury (included in `creditOf(token, treasury)`).
    function feesOf(address token) external view returns (uint256) {
        return _fees[token];
    }

    /// @inheritdoc IEscrow
    function hashQuote(Quote calldata quote) external view returns (bytes32) {
        (bytes32 quoteHash, ) = _hashQuote(quote);
        return _hashTypedDataV4(quoteHash);
    }

    /// @notice Whether new checkouts may pay in `token` (ETH, address(0), is always accepted).
    function isTokenAccepted(address token) external view returns (bool) {
        return token == address(0) || _accepted[token];
    }

    /// @notice The commitment an open order keeps of its terms: the top 192 bits of keccak256(abi.encode(order)).
    function orderCommitment(Order calldata order) external pure returns (uint192) {
        return uint192(_commitmentOf(order) >> 64);
    }

    // ------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------

    /// @dev Checks a quote (terms, buyer, expiry, signer) and records the order as Paid.
    function _acceptQuote(Quote calldata quote, bytes calldata signature) private {
        Order calldata order = quote.order;
        if (block.timestamp > quote.expiry) revert QuoteExpired(quote.expiry);
        if (order.buyer != msg.sender) revert WrongBuyer(order.buyer, msg.sender);
        _validateTerms(order);
        (bytes32 quoteHash, uint256 commitment) = _hashQuote(quote);
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(
            _hashTypedDataV4(quoteHash),
            signature
        );
        if (err != ECDSA.RecoverError.NoError) revert InvalidSignature();
        if (!hasRole(QUOTE_SIGNER_ROLE, signer)) revert QuoteSignerUnauthorized(signer);
        _open(quote.orderId, order, commitment, quote.pointsToRedeem);
        if (quote.pointsToRedeem != 0) points.redeem(msg.sender, quote.pointsToRedeem);
    }

    function _validateTerms(Order calldata order) private pure {
        if (order.buyer == address(0) || order.seller == address(0)) revert ZeroAddress();
        if (order.buyer == order.seller) revert SelfPurchase(order.buyer);
        if (order.amount == 0 || order.deliveryWindow == 0) revert ZeroAmount();
        if (order.fee > order.amount) revert FeeExceedsAmount(order.fee, order.amount);
        if (order.affiliateBps > BPS) revert InvalidBps(order.affiliateBps);
        if (order.affiliate == address(0) && order.affiliateBps != 0) revert ZeroAddress();
    }

    /// @dev Records a new Paid order (its id must be unused) and emits OrderPaid.
    function _open(
        bytes32 orderId,
        Order calldata order,
        uint256 commitment,
        uint256 pointsRedeemed
    ) private {
        if (_orders[orderId] != 0) revert OrderIdUsed(orderId);
        uint40 shipBy = uint40(block.timestamp) + order.deliveryWindow;
        _orders[orderId] =
            (commitment & COMMIT_MASK) |
            (uint256(shipBy) << DEADLINE_SHIFT) |
            uint256(State.Paid);
        emit OrderPaid(
            orderId,
            order.buyer,
            order.seller,
            order.token,
            order.amount,
            order.fee,
            order.affiliate,
            order.affiliateBps,
            order.cashback,
            order.productId,
            order.deliveryWindow,
            pointsRedeemed,
            shipBy
        );
    }

    /// @dev Takes exactly `amount` of `token` (or ETH) from `from`. Token payments are measured by
    /// the escrow's balance change, which rejects fee-on-transfer tokens.
    function _collect(address token, address from, uint256 amount) private {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongAmount(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert UnexpectedEth();
        if (!_accepted[token]) revert TokenNotAccepted(token);
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert WrongAmount(amount, received);
    }

    /// @dev Loads an open order, requiring `expected` state and terms matching its commitment.
    function _load(
        bytes32 orderId,
        Order calldata order,
        State expected
    ) private view returns (uint256 slot, uint40 deadline) {
        slot = _orders[orderId];
        State state = State(slot & STATE_MASK);
        if (state != expected) revert InvalidState(orderId, state);
        _checkCommitment(orderId, slot, order);
        deadline = uint40(slot >> DEADLINE_SHIFT);
    }

    function _checkCommitment(bytes32 orderId, uint256 slot, Order calldata order) private pure {
        if ((slot ^ _commitmentOf(order)) & COMMIT_MASK != 0) revert TermsMismatch(orderId);
    }

    /// @dev Completes a shipped order: keeps [buyer | productTag | Completed], credits the
    /// seller, treasury and affiliate, and mints the cashback.
    function _complete(bytes32 orderId, Order calldata order, bool confirmedByBuyer) private {
        address buyer = order.buyer;
        _orders[orderId] =
            (uint256(uint160(buyer)) << 96) |
            (uint256(productTag(order.productId)) << 8) |
            uint256(State.Completed);

        uint256 fee = order.fee;
        // fee <= amount was checked at checkout, and the share is at most (amount - fee).
        uint256 affiliateBps = order.affiliateBps;
        uint256 affiliateShare = affiliateBps == 0 ? 0 : Math.mulDiv(order.amount - fee, affiliateBps, BPS);
        uint256 toSeller = order.amount - fee - affiliateShare;

        address token = order.token;
        _credit(token, order.seller, toSeller);
        _creditFee(token, fee);
        _credit(token, order.affiliate, affiliateShare);
        uint256 cashback = order.cashback;
        if (cashback != 0) points.mint(buyer, cashback);
        emit OrderCompleted(orderId, toSeller, fee, affiliateShare, cashback, confirmedByBuyer);
    }

    function _refund(bytes32 orderId, Order calldata order) private {
        _orders[orderId] = uint256(State.Refunded);
        _credit(order.token, order.buyer, order.amount);
        emit OrderRefunded(orderId, order.amount);
    }

    function _credit(address token, address account, uint256 amount) private {
        if (amount != 0) _credits[token][account] += amount;
    }

    function _creditFee(address token, uint256 amount) private {
        if (amount != 0) _fees[token] += amount;
    }

    /// @dev EIP-712 struct hash of `quote`, and the order commitment keccak256(abi.encode(order)).
    /// `Order` is a static struct: its ABI encoding, and its EIP-712 encoding after the type hash,
    /// are exactly its ten 32-byte words in calldata, so both hashes read one copy of them. Dirty
    /// calldata cannot slip through: `_validateTerms` reads (and so validates) every narrow field.
    function _hashQuote(Quote calldata quote) private pure returns (bytes32 quoteHash, uint256 commitment) {
        Order calldata order = quote.order;
        bytes32 orderHash;
        bytes32 orderTypeHash = ORDER_TYPEHASH;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, orderTypeHash)
            calldatacopy(add(ptr, 0x20), order, 0x140)
            orderHash := keccak256(ptr, 0x160)
            commitment := keccak256(add(ptr, 0x20), 0x140)
        }
        quoteHash = keccak256(
            abi.encode(QUOTE_TYPEHASH, quote.orderId, orderHash, quote.pointsToRedeem, quote.expiry)
        );
    }

    /// @dev keccak256(abi.encode(order)) from one calldata copy (see `_hashQuote`).
    function _commitmentOf(Order calldata order) private pure returns (uint256 commitment) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, order, 0x140)
            commitment := keccak256(ptr, 0x140)
        }
    }
}
