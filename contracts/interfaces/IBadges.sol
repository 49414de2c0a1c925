// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title NeoCart badges
/// @notice Soulbound ERC-1155 achievement badges: awarded once per holder, never transferable.
interface IBadges {
    /// @notice The badge `id` was awarded to `holder`.
    event BadgeAwarded(address indexed holder, uint256 indexed id);

    /// @notice Badges cannot move between holders.
    error Soulbound();
    /// @notice The badge id is not one this contract knows.
    error UnknownBadge(uint256 id);

    /// @notice Awards badge `id` to `holder` once; awarding a badge already held does nothing. Only MINTER_ROLE.
    /// @return awarded true when the badge was newly awarded
    function award(address holder, uint256 id) external returns (bool awarded);

    /// @notice Whether `holder` has badge `id`.
    function hasBadge(address holder, uint256 id) external view returns (bool);
}
