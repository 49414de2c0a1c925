// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
import {Test} from "forge-std/Test.sol";
contract SmokeTest is Test {
    function testFuzz_add(uint128 a, uint128 b) public pure { assertEq(uint256(a) + b, uint256(b) + a); }
}
