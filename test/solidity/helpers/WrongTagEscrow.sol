// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Test-only: a contract with a `productTag` that disagrees with the real escrow's.
contract WrongTagEscrow {
    function productTag(bytes32 productId) external pure returns (uint88) {
        return uint88(uint256(productId));
    }
}
