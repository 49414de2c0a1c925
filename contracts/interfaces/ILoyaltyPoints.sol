// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title NeoCart loyalty points
/// @notice An ERC-20 (with ERC-2612 permit) of loyalty points, minted as cashback by the escrow
/// and the marketplace, and burned when redeemed at checkout.
interface ILoyaltyPoints {
    /// @notice Mints `amount` points to `to`; only MINTER_ROLE.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` points that `from` redeems at checkout; only REDEEMER_ROLE (the escrow,
    /// acting for `from` as its caller).
    function redeem(address from, uint256 amount) external;
}
