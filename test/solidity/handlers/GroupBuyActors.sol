// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGroupBuy} from "../../../contracts/interfaces/IGroupBuy.sol";

/// @notice A pledger whose ETH receive hook re-enters GroupBuy with `reentry` and records how it failed.
contract GroupBuyReentrantPledger {
    IGroupBuy public immutable gb;
    bytes public reentry;
    bytes public reentryRevertData;
    bool public reentered;
    bool public rejectEth;

    constructor(IGroupBuy gb_) {
        gb = gb_;
    }

    function setReentry(bytes calldata data) external {
        reentry = data;
    }

    function setRejectEth(bool reject) external {
        rejectEth = reject;
    }

    function pledge(uint256 poolId, uint32 units) external payable {
        gb.pledge{value: msg.value}(poolId, units);
    }

    function unpledge(uint256 poolId, uint32 units) external {
        gb.unpledge(poolId, units);
    }

    function refund(uint256 poolId) external {
        gb.refund(poolId);
    }

    receive() external payable {
        if (rejectEth) revert();
        if (reentry.length != 0 && !reentered) {
            reentered = true;
            (bool ok, bytes memory data) = address(gb).call(reentry);
            if (ok) reentryRevertData = hex"01"; // marks an unexpected success
            else reentryRevertData = data;
        }
    }
}
