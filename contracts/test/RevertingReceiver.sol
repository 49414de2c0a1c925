// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEscrow} from "../interfaces/IEscrow.sol";

/// @title A party that refuses ETH (tests only)
/// @notice Acts as a seller (or buyer) whose every ETH receive reverts, to show it only blocks itself.
contract RevertingReceiver {
    error NoEthPlease();

    receive() external payable {
        revert NoEthPlease();
    }

    function markShipped(IEscrow escrow, bytes32 orderId, IEscrow.Order calldata order) external {
        escrow.markShipped(orderId, order);
    }

    function withdraw(IEscrow escrow, address token) external {
        escrow.withdraw(token);
    }
}
