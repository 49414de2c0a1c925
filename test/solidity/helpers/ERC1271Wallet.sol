// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Test-only smart-contract wallet: accepts a hash signed by its owner's key (ERC-1271),
/// unless switched to refuse everything.
contract ERC1271Wallet is IERC1271 {
    address public immutable owner;
    bool public refuseAll;

    constructor(address owner_) {
        owner = owner_;
    }

    function setRefuseAll(bool refuse) external {
        refuseAll = refuse;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (refuseAll) return 0xffffffff;
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (err != ECDSA.RecoverError.NoError || recovered != owner) return 0xffffffff;
        return IERC1271.isValidSignature.selector;
    }
}
