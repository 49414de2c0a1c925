// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ILoyaltyPoints} from "./interfaces/ILoyaltyPoints.sol";

/// @title NeoCart loyalty points (NCP)
/// @notice ERC-20 with ERC-2612 permit. The escrow (and the marketplace) mint cashback with
/// MINTER_ROLE; the escrow burns points redeemed at checkout with REDEEMER_ROLE.
/// @dev Uncapped: total supply always equals the sum of balances (OpenZeppelin ERC20 accounting).
/// The admin role follows AccessControlDefaultAdminRules (two-step transfer with a delay).
contract LoyaltyPoints is ERC20, ERC20Permit, AccessControlDefaultAdminRules, ILoyaltyPoints {
    /// @notice May mint points (the escrow, the marketplace).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice May burn points a buyer redeems at checkout (the escrow).
    bytes32 public constant REDEEMER_ROLE = keccak256("REDEEMER_ROLE");

    /// @param admin initial default admin (a multisig in production)
    /// @param adminDelay seconds a default-admin transfer must wait before it can be accepted
    constructor(
        address admin,
        uint48 adminDelay
    )
        ERC20("NeoCart Points", "NCP")
        ERC20Permit("NeoCart Points")
        AccessControlDefaultAdminRules(adminDelay, admin)
    {}

    /// @inheritdoc ILoyaltyPoints
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @inheritdoc ILoyaltyPoints
    function redeem(address from, uint256 amount) external onlyRole(REDEEMER_ROLE) {
        _burn(from, amount);
    }
}
