// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Callbacks an ERC-777-like token makes to contracts on both ends of a transfer.
interface ITokenHooks {
    function tokensToSend(address from, address to, uint256 amount) external;
    function tokensReceived(address from, address to, uint256 amount) external;
}

/// @title ERC-777-like hook-calling token (tests only)
/// @notice Calls `tokensToSend` on a registered sender before, and `tokensReceived` on a registered
/// recipient after, every transfer, so a malicious holder can try to re-enter the escrow.
contract HookToken is ERC20 {
    /// @notice Accounts that registered for callbacks (ERC-1820 stand-in).
    mapping(address => bool) public hooked;

    constructor() ERC20("Hook Token", "HOOK") {}

    /// @notice Registers the caller for `tokensToSend` / `tokensReceived` callbacks.
    function registerHooks() external {
        hooked[msg.sender] = true;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (hooked[from]) ITokenHooks(from).tokensToSend(from, to, value);
        super._update(from, to, value);
        if (hooked[to]) ITokenHooks(to).tokensReceived(from, to, value);
    }
}
