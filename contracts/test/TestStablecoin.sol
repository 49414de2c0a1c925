// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title Test stablecoin (local development and tests only)
/// @notice A 6-decimal ERC-20 with ERC-2612 permit that anyone can mint. Never deploy to a real network.
contract TestStablecoin is ERC20, ERC20Permit {
    constructor() ERC20("NeoCart Test USD", "tUSD") ERC20Permit("NeoCart Test USD") {}

    /// @notice Mints `amount` (6 decimals) to `to`; open to anyone, for local development.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice 6 decimals, like USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
