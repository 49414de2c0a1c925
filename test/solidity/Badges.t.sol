// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {Badges} from "../../contracts/Badges.sol";
import {IBadges} from "../../contracts/interfaces/IBadges.sol";

/// @notice Soulbound badges (L1, L5 for badges): awarded once by MINTER_ROLE, never moved.
contract BadgesTest is Test {
    Badges internal badges;
    address internal admin = makeAddr("admin");
    address internal minter = makeAddr("minter");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        badges = new Badges(admin, 1 days, "https://neocart.example/badges/");
        bytes32 role = badges.MINTER_ROLE();
        vm.prank(admin);
        badges.grantRole(role, minter);
    }

    function test_ids_areFixed() public view {
        assertEq(badges.FIRST_PURCHASE(), 1);
        assertEq(badges.REVIEWER(), 2);
        assertEq(badges.GROUP_BUY_ORGANISER(), 3);
        assertEq(badges.GROUP_BUY_PLEDGER(), 4);
        assertEq(badges.TOP_SELLER(), 5);
        assertFalse(badges.isKnownBadge(0));
        assertFalse(badges.isKnownBadge(6));
    }

    function test_award_once_thenNoOp() public {
        vm.expectEmit(address(badges));
        emit IBadges.BadgeAwarded(alice, 1);
        vm.prank(minter);
        assertTrue(badges.award(alice, 1));
        vm.prank(minter);
        assertFalse(badges.award(alice, 1));
        assertEq(badges.balanceOf(alice, 1), 1);
        assertTrue(badges.hasBadge(alice, 1));
        assertFalse(badges.hasBadge(bob, 1));
    }

    function test_award_toContractWithoutReceiverHook_works() public {
        // Awards skip the ERC-1155 acceptance check on purpose (soulbound, never blocks the caller).
        vm.prank(minter);
        assertTrue(badges.award(address(this), 2));
        assertTrue(badges.hasBadge(address(this), 2));
    }

    function test_award_revertsOnUnknownBadge() public {
        vm.prank(minter);
        vm.expectRevert(abi.encodeWithSelector(IBadges.UnknownBadge.selector, 6));
        badges.award(alice, 6);
        vm.prank(minter);
        vm.expectRevert(abi.encodeWithSelector(IBadges.UnknownBadge.selector, 0));
        badges.award(alice, 0);
    }

    function testFuzz_L1_onlyMinterAwards(address caller) public {
        vm.assume(caller != minter);
        bytes32 role = badges.MINTER_ROLE();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        badges.award(alice, 1);
    }

    function test_L5_revokedMinterCannotAward() public {
        bytes32 role = badges.MINTER_ROLE();
        vm.prank(admin);
        badges.revokeRole(role, minter);
        vm.prank(minter);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, minter, role));
        badges.award(alice, 1);
    }

    function test_L5_badgesNeverMove_safeTransferFrom() public {
        vm.prank(minter);
        badges.award(alice, 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IBadges.Soulbound.selector));
        badges.safeTransferFrom(alice, bob, 1, 1, "");
    }

    function test_L5_badgesNeverMove_batch() public {
        vm.prank(minter);
        badges.award(alice, 1);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory values = new uint256[](1);
        ids[0] = 1;
        values[0] = 1;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IBadges.Soulbound.selector));
        badges.safeBatchTransferFrom(alice, bob, ids, values, "");
    }

    function testFuzz_L5_badgesNeverMove(address to, uint8 idSeed) public {
        vm.assume(to != address(0) && to != alice);
        uint256 id = 1 + (idSeed % 5);
        vm.prank(minter);
        badges.award(alice, id);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IBadges.Soulbound.selector));
        badges.safeTransferFrom(alice, to, id, 1, "");
        assertEq(badges.balanceOf(alice, id), 1);
    }

    function test_L5_approvalsRefused() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IBadges.Soulbound.selector));
        badges.setApprovalForAll(bob, true);
    }

    function test_uri_perId() public {
        assertEq(badges.uri(1), "https://neocart.example/badges/1.json");
        assertEq(badges.uri(5), "https://neocart.example/badges/5.json");
        vm.expectRevert(abi.encodeWithSelector(IBadges.UnknownBadge.selector, 9));
        badges.uri(9);

        vm.expectEmit(address(badges));
        emit IERC1155.URI("ipfs://reviewer", 2);
        vm.prank(admin);
        badges.setBadgeURI(2, "ipfs://reviewer");
        assertEq(badges.uri(2), "ipfs://reviewer");
        vm.prank(admin);
        badges.setBadgeURI(2, "");
        assertEq(badges.uri(2), "https://neocart.example/badges/2.json");

        bytes32 adminRole = badges.DEFAULT_ADMIN_ROLE();
        vm.prank(minter);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, minter, adminRole));
        badges.setBadgeURI(2, "x");
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IBadges.UnknownBadge.selector, 7));
        badges.setBadgeURI(7, "x");
    }

    function test_supportsInterface() public view {
        assertTrue(badges.supportsInterface(type(IERC1155).interfaceId));
        assertTrue(badges.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(badges.supportsInterface(type(IERC165).interfaceId));
    }
}
