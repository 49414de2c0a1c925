// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {Badges} from "../../../contracts/Badges.sol";
import {Escrow} from "../../../contracts/Escrow.sol";
import {GroupBuy} from "../../../contracts/GroupBuy.sol";
import {LoyaltyPoints} from "../../../contracts/LoyaltyPoints.sol";
import {IGroupBuy} from "../../../contracts/interfaces/IGroupBuy.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";

/// @notice Deploys the real escrow, points, badges, a test stablecoin and GroupBuy, wired as in
/// production: GroupBuy holds the escrow's POOL_ROLE and the badges' MINTER_ROLE.
abstract contract GroupBuyFixture is Test {
    uint48 internal constant ADMIN_DELAY = 1 days;
    uint16 internal constant FEE_BPS = 250;
    uint32 internal constant DELIVERY = 7 days;
    bytes32 internal constant PRODUCT = keccak256("product:espresso-machine");

    address internal admin = makeAddr("admin");
    address internal treasury = makeAddr("treasury");
    address internal seller = makeAddr("seller");

    LoyaltyPoints internal points;
    Badges internal badges;
    Escrow internal escrow;
    TestStablecoin internal usd;
    GroupBuy internal gb;

    function _deployCore() internal {
        vm.warp(1_800_000_000);
        points = new LoyaltyPoints(admin, ADMIN_DELAY);
        badges = new Badges(admin, ADMIN_DELAY, "ipfs://badges/");
        escrow = new Escrow(admin, ADMIN_DELAY, treasury, points, 3 days);
        usd = new TestStablecoin();
        gb = new GroupBuy(ADMIN_DELAY, admin, escrow, badges, FEE_BPS);

        vm.startPrank(admin);
        points.grantRole(points.MINTER_ROLE(), address(escrow));
        points.grantRole(points.REDEEMER_ROLE(), address(escrow));
        escrow.grantRole(escrow.POOL_ROLE(), address(gb));
        badges.grantRole(badges.MINTER_ROLE(), address(gb));
        escrow.setTokenAccepted(address(usd), true);
        gb.setTokenAccepted(address(usd), true);
        vm.stopPrank();
    }

    function _terms(address token, uint96 price, uint32 minUnits, uint32 maxUnits, uint40 duration)
        internal
        view
        returns (IGroupBuy.PoolTerms memory)
    {
        return IGroupBuy.PoolTerms({
            productId: PRODUCT,
            token: token,
            unitPrice: price,
            minUnits: minUnits,
            maxUnits: maxUnits,
            deadline: uint40(block.timestamp) + duration,
            deliveryWindow: DELIVERY
        });
    }

    function _openEthPool(uint32 minUnits, uint32 maxUnits) internal returns (uint256 poolId) {
        vm.prank(seller);
        poolId = gb.openPool(_terms(address(0), 0.01 ether, minUnits, maxUnits, 7 days));
    }

    function _openTokenPool(uint32 minUnits, uint32 maxUnits) internal returns (uint256 poolId) {
        vm.prank(seller);
        poolId = gb.openPool(_terms(address(usd), 25e6, minUnits, maxUnits, 7 days));
    }

    function _pledgeEth(address who, uint256 poolId, uint32 units) internal returns (uint256 amount) {
        amount = uint256(units) * gb.getPool(poolId).unitPrice;
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        gb.pledge{value: amount}(poolId, units);
    }

    function _pledgeToken(address who, uint256 poolId, uint32 units) internal returns (uint256 amount) {
        amount = uint256(units) * gb.getPool(poolId).unitPrice;
        usd.mint(who, amount);
        vm.startPrank(who);
        usd.approve(address(gb), amount);
        gb.pledge(poolId, units);
        vm.stopPrank();
    }

    function _deadline(uint256 poolId) internal view returns (uint40) {
        return gb.getPool(poolId).deadline;
    }
}
