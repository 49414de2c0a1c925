// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "./IEscrow.sol";

/// @title NeoCart group buy
/// @notice A seller opens a pool for a product at a unit price, with a minimum and a maximum number of
/// units and a deadline. Buyers pledge units, paying in ETH or in an accepted ERC-20. The pool
/// SUCCEEDS as soon as the pledged units reach the minimum; each pledge is then settled, one pledger
/// at a time and by anyone, into an escrow-protected order (`IEscrow.openPoolOrder`). If the deadline
/// passes below the minimum the pool FAILED and each pledger takes back exactly their pledge.
/// @dev Nothing loops over pledgers: settlement and refunds are per pledger (pull).
/// Time edges: pledging and unpledging are allowed while `block.timestamp < deadline`; at
/// `deadline` a pool below its minimum is Failed.
interface IGroupBuy {
    /// @notice Life cycle of a pool. Succeeded and Failed are terminal.
    /// @dev None: no such pool. Open: below the minimum and before the deadline. Succeeded: pledged
    /// units reached the minimum (pledges still accepted up to the maximum until the deadline).
    /// Failed: the deadline passed below the minimum.
    enum PoolState {
        None,
        Open,
        Succeeded,
        Failed
    }

    /// @notice What a seller chooses when opening a pool.
    /// @param productId the catalog product sold
    /// @param token the ERC-20 paid in (accepted by this contract), or address(0) for ETH
    /// @param unitPrice price of one unit in `token` (platform fee included)
    /// @param minUnits units that must be pledged for the pool to succeed (>= 1)
    /// @param maxUnits most units the pool sells (>= minUnits)
    /// @param deadline unix time at which pledging ends; a pool still below `minUnits` then fails
    /// @param deliveryWindow passed to each escrow order: seconds to ship, then to confirm or dispute
    struct PoolTerms {
        bytes32 productId;
        address token;
        uint96 unitPrice;
        uint32 minUnits;
        uint32 maxUnits;
        uint40 deadline;
        uint32 deliveryWindow;
    }

    /// @notice A pool as stored (four slots; the first holds everything pledging and refunds read).
    /// @param feeBps platform fee in basis points, fixed when the pool opened
    /// @param cashbackBps loyalty points minted per unit of `token` paid, in basis points, fixed when the pool opened
    struct Pool {
        uint96 unitPrice;
        uint40 deadline;
        uint32 minUnits;
        uint32 maxUnits;
        uint32 pledgedUnits;
        bool isToken;
        address seller;
        uint32 deliveryWindow;
        uint16 feeBps;
        uint16 cashbackBps;
        address token;
        bytes32 productId;
    }

    /// @notice A pool was opened.
    event PoolOpened(
        uint256 indexed poolId,
        address indexed seller,
        bytes32 indexed productId,
        address token,
        uint96 unitPrice,
        uint32 minUnits,
        uint32 maxUnits,
        uint40 deadline,
        uint32 deliveryWindow,
        uint16 feeBps,
        uint16 cashbackBps
    );
    /// @notice `pledger` pledged `units` more, paying `amount`; the pool now holds `poolUnits` pledged units.
    event Pledged(
        uint256 indexed poolId,
        address indexed pledger,
        uint32 units,
        uint256 amount,
        uint32 poolUnits
    );
    /// @notice `pledger` withdrew `units`, getting `amount` back; the pool now holds `poolUnits` pledged units.
    event Unpledged(
        uint256 indexed poolId,
        address indexed pledger,
        uint32 units,
        uint256 amount,
        uint32 poolUnits
    );
    /// @notice The pledge of `pledger` in a succeeded pool became escrow order `orderId` for `amount`.
    event PledgeSettled(
        uint256 indexed poolId,
        address indexed pledger,
        bytes32 indexed orderId,
        uint256 amount
    );
    /// @notice `pledger` took back its whole pledge `amount` from a failed pool.
    event PledgeRefunded(uint256 indexed poolId, address indexed pledger, uint256 amount);
    /// @notice The admin set the platform fee applied to pools opened from now on.
    event PlatformFeeSet(uint16 bps);
    /// @notice The admin set the cashback rate applied to pools opened from now on.
    event CashbackSet(uint16 bps);
    /// @notice The admin accepted or stopped accepting `token` for new pools.
    event TokenAcceptanceSet(address indexed token, bool accepted);

    /// @notice A required address was zero.
    error ZeroAddress();
    /// @notice Zero units were pledged or unpledged.
    error ZeroUnits();
    /// @notice A basis-point rate above its bound.
    error InvalidBps(uint256 bps, uint256 max);
    /// @notice The unit price is zero.
    error InvalidUnitPrice();
    /// @notice `minUnits` is zero or above `maxUnits`.
    error InvalidUnits(uint32 minUnits, uint32 maxUnits);
    /// @notice The deadline is not in the future or further than `MAX_DURATION` away.
    error InvalidDeadline(uint40 deadline);
    /// @notice The delivery window is zero or above `MAX_DELIVERY_WINDOW`.
    error InvalidDeliveryWindow(uint32 deliveryWindow);
    /// @notice The token is not accepted for new pools.
    error TokenNotAccepted(address token);
    /// @notice No pool has this id.
    error UnknownPool(uint256 poolId);
    /// @notice Pledging ended at `deadline`.
    error DeadlinePassed(uint256 poolId, uint40 deadline);
    /// @notice Only `available` units are left in the pool.
    error ExceedsMaxUnits(uint256 poolId, uint32 available, uint32 requested);
    /// @notice A seller cannot pledge in its own pool (the escrow refuses self-purchases).
    error SellerCannotPledge(address seller);
    /// @notice ETH sent, or tokens received, differ from the price of the units.
    error WrongAmount(uint256 expected, uint256 received);
    /// @notice ETH was sent to a token pool.
    error UnexpectedEth();
    /// @notice The permit variant was used on an ETH pool.
    error NotTokenPool(uint256 poolId);
    /// @notice Unpledging more units than pledged.
    error InsufficientPledge(uint256 poolId, uint32 pledged, uint32 requested);
    /// @notice The pool is not Open (unpledging needs an Open pool).
    error PoolNotOpen(uint256 poolId, PoolState state);
    /// @notice The pool did not fail (refunds need a Failed pool).
    error PoolNotFailed(uint256 poolId, PoolState state);
    /// @notice The pool did not succeed (settlement needs a Succeeded pool).
    error PoolNotSucceeded(uint256 poolId, PoolState state);
    /// @notice `pledger` has nothing pledged in the pool (or already took it back).
    error NoPledge(uint256 poolId, address pledger);
    /// @notice The pledge of `pledger` was already settled into an escrow order.
    error PledgeAlreadySettled(uint256 poolId, address pledger);
    /// @notice Sending ETH to `to` failed.
    error EthTransferFailed(address to);

    /// @notice Opens a pool selling `terms.productId`; the caller is the seller and receives the
    /// group-buy organiser badge. Not while paused.
    /// @param terms price, units, deadline, token and delivery window of the pool
    /// @return poolId the new pool's id (ids start at 1)
    function openPool(PoolTerms calldata terms) external returns (uint256 poolId);

    /// @notice Pledges `units` more units in an Open or Succeeded pool before its deadline, paying
    /// `units * unitPrice`: exactly that in ETH for an ETH pool, or by `transferFrom` (approve first,
    /// send no ETH) for a token pool. Not while paused; not by the seller; not beyond `maxUnits`.
    /// @param poolId the pool
    /// @param units units to add to the caller's pledge
    function pledge(uint256 poolId, uint32 units) external payable;

    /// @notice As `pledge` for a token pool, approving this contract with the caller's ERC-2612 permit
    /// for `units * unitPrice` in the same transaction (a permit already used by a front-runner is ignored
    /// when the allowance suffices).
    /// @param poolId the pool
    /// @param units units to add to the caller's pledge
    /// @param permitDeadline the permit's deadline
    /// @param v signature part of the permit
    /// @param r signature part of the permit
    /// @param s signature part of the permit
    function pledgeWithPermit(
        uint256 poolId,
        uint32 units,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice Withdraws `units` of the caller's pledge and pays them back, while the pool is Open
    /// (below its minimum and before its deadline). Works while paused.
    /// @param poolId the pool
    /// @param units units to withdraw (some or all)
    function unpledge(uint256 poolId, uint32 units) external;

    /// @notice Pays the caller back its whole pledge in a Failed pool, once. Works while paused.
    /// @param poolId the pool
    function refund(uint256 poolId) external;

    /// @notice Turns the pledge of `pledger` in a Succeeded pool into an escrow order (buyer = pledger,
    /// seller = the pool's seller, amount = the pledge, fee and cashback at the pool's rates), moving
    /// the funds into the escrow. Anyone may call; once per pledger; works while paused. A settled
    /// pledger cannot pledge more in that pool.
    /// @param poolId the pool
    /// @param pledger whose pledge to settle
    /// @return orderId the escrow order id, `keccak256(abi.encode(address(this), poolId, pledger))`
    function settlePledge(uint256 poolId, address pledger) external returns (bytes32 orderId);

    /// @notice Sets the platform fee (basis points, at most `MAX_FEE_BPS`) for pools opened from now on.
    /// Only the admin.
    /// @param bps the new fee
    function setPlatformFeeBps(uint16 bps) external;

    /// @notice Sets the cashback rate (basis points of the amount paid, at most `MAX_CASHBACK_BPS`)
    /// for pools opened from now on. Only the admin.
    /// @param bps the new rate
    function setCashbackBps(uint16 bps) external;

    /// @notice Accepts or stops accepting `token` for new pools (it must also be accepted by the
    /// escrow). Only the admin.
    /// @param token the ERC-20
    /// @param accepted whether new pools may use it
    function setTokenAccepted(address token, bool accepted) external;

    /// @notice Stops opening pools and pledging. Only PAUSER_ROLE.
    function pause() external;

    /// @notice Resumes opening pools and pledging. Only PAUSER_ROLE.
    function unpause() external;

    /// @notice The escrow that settled pledges are paid into.
    function escrow() external view returns (IEscrow);

    /// @notice The platform fee, in basis points, for pools opened from now on.
    function platformFeeBps() external view returns (uint16);

    /// @notice The cashback rate, in basis points, for pools opened from now on.
    function cashbackBps() external view returns (uint16);

    /// @notice Whether `token` is accepted for new pools.
    function tokenAccepted(address token) external view returns (bool);

    /// @notice How many pools were opened (the last pool id).
    function poolCount() external view returns (uint256);

    /// @notice The state of pool `poolId` now.
    function poolState(uint256 poolId) external view returns (PoolState);

    /// @notice The stored pool `poolId` (all zero when unknown).
    function getPool(uint256 poolId) external view returns (Pool memory);

    /// @notice The pledge of `pledger` in pool `poolId`.
    /// @return units units pledged (0 after unpledging everything or a refund)
    /// @return amount what those units cost (`units * unitPrice`)
    /// @return settled whether the pledge became an escrow order
    function pledgeOf(
        uint256 poolId,
        address pledger
    ) external view returns (uint32 units, uint256 amount, bool settled);

    /// @notice The escrow order id a settled pledge of `pledger` in pool `poolId` gets.
    function orderIdOf(uint256 poolId, address pledger) external view returns (bytes32);

    /// @notice The escrow order id and terms of the pledge of `pledger` in pool `poolId`, as settlement
    /// opens it (the terms every later escrow call, e.g. `markShipped` or `confirmDelivery`, passes back).
    function orderOf(
        uint256 poolId,
        address pledger
    ) external view returns (bytes32 orderId, IEscrow.Order memory order);
}
