// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBadges} from "./interfaces/IBadges.sol";
import {IEscrow} from "./interfaces/IEscrow.sol";
import {IGroupBuy} from "./interfaces/IGroupBuy.sol";

/// @title NeoCart group buy
/// @notice Pools that either fill (each pledge becomes an escrow order) or refund every pledger.
/// See {IGroupBuy}.
/// @dev Holds POOL_ROLE on the escrow (to call `openPoolOrder`) and MINTER_ROLE on the badges (to award
/// the organiser badge when a pool opens). Solvency: for every token, the balance held is at least the
/// sum of pledges neither settled nor refunded; each pledge leaves once (unpledge, refund or settlement).
contract GroupBuy is IGroupBuy, AccessControlDefaultAdminRules, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The role that may pause and unpause opening pools and pledging.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The badge id awarded to a seller opening a pool (IBadges: group-buy organiser).
    uint256 public constant GROUP_BUY_ORGANISER_BADGE = 3;
    /// @notice Highest platform fee, in basis points (10%).
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Highest cashback rate, in basis points (10%).
    uint16 public constant MAX_CASHBACK_BPS = 1_000;
    /// @notice Longest time between opening a pool and its deadline.
    uint256 public constant MAX_DURATION = 365 days;
    /// @notice Longest delivery window a pool may pass to its escrow orders.
    uint32 public constant MAX_DELIVERY_WINDOW = 180 days;

    uint256 private constant _BPS = 10_000;

    /// @dev One slot per pledge.
    struct Pledge {
        uint32 units;
        bool settled;
    }

    /// @inheritdoc IGroupBuy
    IEscrow public immutable escrow;
    /// @notice The soulbound badges contract the organiser badge is awarded from.
    IBadges public immutable badges;

    /// @inheritdoc IGroupBuy
    uint16 public platformFeeBps;
    /// @inheritdoc IGroupBuy
    uint16 public cashbackBps;
    /// @inheritdoc IGroupBuy
    uint256 public poolCount;
    /// @inheritdoc IGroupBuy
    mapping(address token => bool) public tokenAccepted;

    mapping(uint256 poolId => Pool) private _pools;
    mapping(uint256 poolId => mapping(address pledger => Pledge)) private _pledges;

    /// @param initialDelay delay (seconds) of the two-step admin transfer
    /// @param initialAdmin the admin (a multisig in production); also gets PAUSER_ROLE
    /// @param escrow_ the escrow settled pledges are paid into (grant this contract its POOL_ROLE)
    /// @param badges_ the badges contract (grant this contract its MINTER_ROLE)
    /// @param platformFeeBps_ the initial platform fee, at most `MAX_FEE_BPS`
    constructor(
        uint48 initialDelay,
        address initialAdmin,
        IEscrow escrow_,
        IBadges badges_,
        uint16 platformFeeBps_
    ) AccessControlDefaultAdminRules(initialDelay, initialAdmin) {
        if (address(escrow_) == address(0) || address(badges_) == address(0)) revert ZeroAddress();
        if (platformFeeBps_ > MAX_FEE_BPS) revert InvalidBps(platformFeeBps_, MAX_FEE_BPS);
        escrow = escrow_;
        badges = badges_;
        platformFeeBps = platformFeeBps_;
        emit PlatformFeeSet(platformFeeBps_);
        _grantRole(PAUSER_ROLE, initialAdmin);
    }

    // ---------------------------------------------------------------------------------------------
    // Sellers

    /// @inheritdoc IGroupBuy
    function openPool(PoolTerms calldata terms) external whenNotPaused returns (uint256 poolId) {
        if (terms.unitPrice == 0) revert InvalidUnitPrice();
        if (terms.minUnits == 0 || terms.maxUnits < terms.minUnits) {
            revert InvalidUnits(terms.minUnits, terms.maxUnits);
        }
        if (terms.deadline <= block.timestamp || terms.deadline > block.timestamp + MAX_DURATION) {
            revert InvalidDeadline(terms.deadline);
        }
        if (terms.deliveryWindow == 0 || terms.deliveryWindow > MAX_DELIVERY_WINDOW) {
            revert InvalidDeliveryWindow(terms.deliveryWindow);
        }
        bool isToken = terms.token != address(0);
        if (isToken && !tokenAccepted[terms.token]) revert TokenNotAccepted(terms.token);

        poolId = ++poolCount;
        uint16 feeBps = platformFeeBps;
        uint16 cashback = cashbackBps;
        _pools[poolId] = Pool({
            unitPrice: terms.unitPrice,
            deadline: terms.deadline,
            minUnits: terms.minUnits,
            maxUnits: terms.maxUnits,
            pledgedUnits: 0,
            isToken: isToken,
            seller: msg.sender,
            deliveryWindow: terms.deliveryWindow,
            feeBps: feeBps,
            cashbackBps: cashback,
            token: terms.token,
            productId: terms.productId
        });
        emit PoolOpened(
            poolId,
            msg.sender,
            terms.productId,
            terms.token,
            terms.unitPrice,
            terms.minUnits,
            terms.maxUnits,
            terms.deadline,
            terms.deliveryWindow,
            feeBps,
            cashback
        );
        // Awarding an already held badge does nothing; kept here, off the pledge and refund paths.
        badges.award(msg.sender, GROUP_BUY_ORGANISER_BADGE);
    }

    // ---------------------------------------------------------------------------------------------
    // Pledgers

    /// @inheritdoc IGroupBuy
    function pledge(uint256 poolId, uint32 units) external payable nonReentrant whenNotPaused {
        (uint256 amount, bool isToken) = _addPledge(poolId, units);
        if (isToken) {
            if (msg.value != 0) revert UnexpectedEth();
            _pullToken(IERC20(_pools[poolId].token), amount);
        } else if (msg.value != amount) {
            revert WrongAmount(amount, msg.value);
        }
    }

    /// @inheritdoc IGroupBuy
    function pledgeWithPermit(
        uint256 poolId,
        uint32 units,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        (uint256 amount, bool isToken) = _addPledge(poolId, units);
        if (!isToken) revert NotTokenPool(poolId);
        IERC20 token = IERC20(_pools[poolId].token);
        // A front-runner may have used the permit already; the transfer below then still succeeds
        // if the allowance is there, and fails otherwise.
        // solhint-disable no-empty-blocks
        try
            IERC20Permit(address(token)).permit(msg.sender, address(this), amount, permitDeadline, v, r, s)
        {} catch {}
        // solhint-enable no-empty-blocks
        _pullToken(token, amount);
    }

    /// @inheritdoc IGroupBuy
    function unpledge(uint256 poolId, uint32 units) external nonReentrant {
        Pool storage pool = _pools[poolId];
        PoolState state = _stateOf(pool);
        if (state == PoolState.None) revert UnknownPool(poolId);
        if (state != PoolState.Open) revert PoolNotOpen(poolId, state);
        if (units == 0) revert ZeroUnits();
        Pledge storage p = _pledges[poolId][msg.sender];
        uint32 pledged = p.units;
        if (units > pledged) revert InsufficientPledge(poolId, pledged, units);
        uint32 poolUnits;
        // units <= pledged <= pool.pledgedUnits: neither subtraction can underflow.
        unchecked {
            p.units = pledged - units;
            poolUnits = pool.pledgedUnits - units;
        }
        pool.pledgedUnits = poolUnits;
        uint256 amount = uint256(units) * pool.unitPrice;
        emit Unpledged(poolId, msg.sender, units, amount, poolUnits);
        _pay(pool, msg.sender, amount);
    }

    /// @inheritdoc IGroupBuy
    function refund(uint256 poolId) external nonReentrant {
        Pool storage pool = _pools[poolId];
        PoolState state = _stateOf(pool);
        if (state == PoolState.None) revert UnknownPool(poolId);
        if (state != PoolState.Failed) revert PoolNotFailed(poolId, state);
        uint256 units = _pledges[poolId][msg.sender].units;
        if (units == 0) revert NoPledge(poolId, msg.sender);
        // A failed pool never settles, so the pledge is whole; clearing it makes the refund one-time.
        // The pool's pledgedUnits stays as it was (below the minimum, so the pool stays Failed).
        delete _pledges[poolId][msg.sender];
        uint256 amount = units * pool.unitPrice;
        emit PledgeRefunded(poolId, msg.sender, amount);
        _pay(pool, msg.sender, amount);
    }

    /// @inheritdoc IGroupBuy
    function settlePledge(uint256 poolId, address pledger) external nonReentrant returns (bytes32 orderId) {
        Pool storage pool = _pools[poolId];
        PoolState state = _stateOf(pool);
        if (state == PoolState.None) revert UnknownPool(poolId);
        if (state != PoolState.Succeeded) revert PoolNotSucceeded(poolId, state);
        Pledge storage p = _pledges[poolId][pledger];
        uint32 units = p.units;
        if (units == 0) revert NoPledge(poolId, pledger);
        if (p.settled) revert PledgeAlreadySettled(poolId, pledger);
        p.settled = true;

        IEscrow.Order memory order;
        (orderId, order) = _orderOf(pool, poolId, pledger, units);
        emit PledgeSettled(poolId, pledger, orderId, order.amount);
        if (pool.isToken) {
            IERC20(pool.token).forceApprove(address(escrow), order.amount);
            escrow.openPoolOrder(orderId, order);
        } else {
            escrow.openPoolOrder{value: order.amount}(orderId, order);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Admin

    /// @inheritdoc IGroupBuy
    function setPlatformFeeBps(uint16 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_FEE_BPS) revert InvalidBps(bps, MAX_FEE_BPS);
        platformFeeBps = bps;
        emit PlatformFeeSet(bps);
    }

    /// @inheritdoc IGroupBuy
    function setCashbackBps(uint16 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_CASHBACK_BPS) revert InvalidBps(bps, MAX_CASHBACK_BPS);
        cashbackBps = bps;
        emit CashbackSet(bps);
    }

    /// @inheritdoc IGroupBuy
    function setTokenAccepted(address token, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0)) revert ZeroAddress();
        tokenAccepted[token] = accepted;
        emit TokenAcceptanceSet(token, accepted);
    }

    /// @inheritdoc IGroupBuy
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IGroupBuy
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------------------------------------
    // Views

    /// @inheritdoc IGroupBuy
    function poolState(uint256 poolId) external view returns (PoolState) {
        return _stateOf(_pools[poolId]);
    }

    /// @inheritdoc IGroupBuy
    function getPool(uint256 poolId) external view returns (Pool memory) {
        return _pools[poolId];
    }

    /// @inheritdoc IGroupBuy
    function pledgeOf(
        uint256 poolId,
        address pledger
    ) external view returns (uint32 units, uint256 amount, bool settled) {
        Pledge memory p = _pledges[poolId][pledger];
        return (p.units, uint256(p.units) * _pools[poolId].unitPrice, p.settled);
    }

    /// @inheritdoc IGroupBuy
    function orderIdOf(uint256 poolId, address pledger) public view returns (bytes32) {
        return keccak256(abi.encode(address(this), poolId, pledger));
    }

    /// @inheritdoc IGroupBuy
    function orderOf(
        uint256 poolId,
        address pledger
    ) external view returns (bytes32 orderId, IEscrow.Order memory order) {
        return _orderOf(_pools[poolId], poolId, pledger, _pledges[poolId][pledger].units);
    }

    // ---------------------------------------------------------------------------------------------
    // Internals

    /// @dev Records `units` more for the caller in pool `poolId`; returns their price and whether the
    /// pool takes a token.
    function _addPledge(uint256 poolId, uint32 units) private returns (uint256 amount, bool isToken) {
        Pool storage pool = _pools[poolId];
        uint40 deadline = pool.deadline;
        if (deadline == 0) revert UnknownPool(poolId);
        if (block.timestamp >= deadline) revert DeadlinePassed(poolId, deadline);
        if (units == 0) revert ZeroUnits();
        uint32 poolUnits = pool.pledgedUnits;
        uint32 available;
        // pledgedUnits never exceeds maxUnits (checked below on every increase).
        unchecked {
            available = pool.maxUnits - poolUnits;
        }
        if (units > available) revert ExceedsMaxUnits(poolId, available, units);
        address seller = pool.seller;
        if (msg.sender == seller) revert SellerCannotPledge(seller);
        Pledge storage p = _pledges[poolId][msg.sender];
        if (p.settled) revert PledgeAlreadySettled(poolId, msg.sender);
        // units <= available keeps both sums <= maxUnits, a uint32.
        unchecked {
            poolUnits += units;
            p.units += units;
        }
        pool.pledgedUnits = poolUnits;
        amount = uint256(units) * pool.unitPrice;
        isToken = pool.isToken;
        emit Pledged(poolId, msg.sender, units, amount, poolUnits);
    }

    /// @dev Pulls exactly `amount` of `token` from the caller; fee-on-transfer tokens are rejected.
    function _pullToken(IERC20 token, uint256 amount) private {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert WrongAmount(amount, received);
    }

    /// @dev Sends `amount` of the pool's token (or ETH) to `to`.
    function _pay(Pool storage pool, address to, uint256 amount) private {
        if (pool.isToken) {
            IERC20(pool.token).safeTransfer(to, amount);
        } else {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert EthTransferFailed(to);
        }
    }

    function _stateOf(Pool storage pool) private view returns (PoolState) {
        uint40 deadline = pool.deadline;
        if (deadline == 0) return PoolState.None;
        if (pool.pledgedUnits >= pool.minUnits) return PoolState.Succeeded;
        if (block.timestamp >= deadline) return PoolState.Failed;
        return PoolState.Open;
    }

    function _orderOf(
        Pool storage pool,
        uint256 poolId,
        address pledger,
        uint32 units
    ) private view returns (bytes32 orderId, IEscrow.Order memory order) {
        orderId = orderIdOf(poolId, pledger);
        uint256 amount = uint256(units) * pool.unitPrice;
        order = IEscrow.Order({
            buyer: pledger,
            seller: pool.seller,
            token: pool.token,
            amount: amount,
            fee: (amount * pool.feeBps) / _BPS,
            affiliate: address(0),
            affiliateBps: 0,
            cashback: (amount * pool.cashbackBps) / _BPS,
            productId: pool.productId,
            deliveryWindow: pool.deliveryWindow
        });
    }
}
