// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITokenHooks} from "./HookToken.sol";

/// @title Re-entering attacker (tests only)
/// @notice Plays buyer, seller or affiliate through `exec`, and when it receives ETH or a
/// hook-token callback it re-enters the escrow with a pre-armed call (withdraw, confirm, resolve…).
/// It records the outcome of the re-entry instead of reverting, so tests can assert it was refused.
contract ReentrancyAttacker is ITokenHooks {
    address public target;
    bytes public reentryData;
    bool public armed;
    uint256 public reentryAttempts;
    bool public lastReentryOk;
    bytes public lastReentryError;

    error ExecFailed(bytes reason);

    receive() external payable {
        _reenter();
    }

    /// @notice Arms one re-entry into `target_` with `data` on the next callback.
    function arm(address target_, bytes calldata data) external {
        target = target_;
        reentryData = data;
        armed = true;
    }

    /// @notice Calls `to` as this contract (to act as buyer, seller or affiliate), bubbling reverts.
    function exec(address to, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    function tokensToSend(address, address, uint256) external {
        _reenter();
    }

    function tokensReceived(address, address, uint256) external {
        _reenter();
    }

    function _reenter() private {
        if (!armed) return;
        armed = false;
        reentryAttempts++;
        (bool ok, bytes memory ret) = target.call(reentryData);
        lastReentryOk = ok;
        lastReentryError = ret;
    }
}
