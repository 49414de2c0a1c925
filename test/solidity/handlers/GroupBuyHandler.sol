// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {GroupBuy} from "../../../contracts/GroupBuy.sol";
import {IGroupBuy} from "../../../contracts/interfaces/IGroupBuy.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";

/// @notice Drives GroupBuy with random pools, pledges, unpledges, refunds, settlements and time, while
/// running a deliberately simple reference model of the same rules (G6) and ghost sums of the money
/// that came in and went out (G1). Every call, valid or not, is made: the model predicts whether it
/// must succeed, and any disagreement is counted in `mismatches`.
contract GroupBuyHandler is CommonBase, StdCheats, StdUtils {
    struct ModelPool {
        bool isToken;
        uint96 price;
        uint32 minUnits;
        uint32 maxUnits;
        uint32 pledged;
        uint40 deadline;
    }

    struct ModelPledge {
        uint32 units;
        bool settled;
        bool refunded;
    }

    uint256 public constant MAX_POOLS = 6;

    GroupBuy public immutable gb;
    TestStablecoin public immutable usd;
    address public immutable seller;
    address[] public actors;

    // Reference model.
    ModelPool[] internal _pools; // index = poolId - 1
    mapping(uint256 poolId => mapping(address actor => ModelPledge)) internal _pledges;

    // Ghost sums per token (address(0) = ETH).
    mapping(address token => uint256) public ghostDeposited;
    mapping(address token => uint256) public ghostPaidBack; // unpledges and refunds
    mapping(address token => uint256) public ghostSettled; // moved into the escrow
    mapping(address actor => mapping(address token => uint256)) public ghostFunded; // dealt or minted to the actor

    uint256 public mismatches;
    string public lastMismatch;
    mapping(bytes32 action => uint256) public calls;

    constructor(GroupBuy gb_, TestStablecoin usd_, address seller_) {
        gb = gb_;
        usd = usd_;
        seller = seller_;
        for (uint256 i = 0; i < 4; i++) {
            actors.push(address(uint160(uint256(keccak256(abi.encode("groupbuy-actor", i))))));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Model

    function modelState(uint256 poolId) public view returns (IGroupBuy.PoolState) {
        if (poolId == 0 || poolId > _pools.length) return IGroupBuy.PoolState.None;
        ModelPool storage p = _pools[poolId - 1];
        if (p.pledged >= p.minUnits) return IGroupBuy.PoolState.Succeeded;
        if (block.timestamp >= p.deadline) return IGroupBuy.PoolState.Failed;
        return IGroupBuy.PoolState.Open;
    }

    function modelPool(uint256 poolId) external view returns (ModelPool memory) {
        return _pools[poolId - 1];
    }

    function modelPledge(uint256 poolId, address actor) external view returns (ModelPledge memory) {
        return _pledges[poolId][actor];
    }

    function poolCount() external view returns (uint256) {
        return _pools.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function tokenOf(uint256 poolId) public view returns (address) {
        return _pools[poolId - 1].isToken ? address(usd) : address(0);
    }

    /// @notice What `actor` still has pledged (neither settled, unpledged nor refunded) in `token`.
    function outstandingOf(address actor, address token) public view returns (uint256 sum) {
        for (uint256 id = 1; id <= _pools.length; id++) {
            if (tokenOf(id) != token) continue;
            ModelPledge storage m = _pledges[id][actor];
            if (!m.settled) sum += uint256(m.units) * _pools[id - 1].price;
        }
    }

    /// @notice What `actor` had settled into escrow orders in `token`.
    function settledOf(address actor, address token) public view returns (uint256 sum) {
        for (uint256 id = 1; id <= _pools.length; id++) {
            if (tokenOf(id) != token) continue;
            ModelPledge storage m = _pledges[id][actor];
            if (m.settled) sum += uint256(m.units) * _pools[id - 1].price;
        }
    }

    function outstanding(address token) public view returns (uint256) {
        return ghostDeposited[token] - ghostPaidBack[token] - ghostSettled[token];
    }

    // ---------------------------------------------------------------------------------------------
    // Actions

    function openPool(uint256 seed, bool isToken, uint32 minUnits, uint32 maxUnits, uint40 duration) external {
        if (_pools.length >= MAX_POOLS) return;
        calls["openPool"]++;
        minUnits = uint32(_bound(minUnits, 1, 12));
        maxUnits = uint32(_bound(maxUnits, minUnits, 20));
        duration = uint40(_bound(duration, 1, 5 days));
        uint96 price = uint96(_bound(seed, 1, 1e20));
        IGroupBuy.PoolTerms memory t = IGroupBuy.PoolTerms({
            productId: keccak256(abi.encode(seed)),
            token: isToken ? address(usd) : address(0),
            unitPrice: price,
            minUnits: minUnits,
            maxUnits: maxUnits,
            deadline: uint40(block.timestamp) + duration,
            deliveryWindow: 3 days
        });
        vm.prank(seller);
        uint256 poolId = gb.openPool(t);
        _pools.push(ModelPool(isToken, price, minUnits, maxUnits, 0, t.deadline));
        _check(poolId == _pools.length, "pool id");
    }

    function pledge(uint256 actorSeed, uint256 poolSeed, uint32 units) external {
        if (_pools.length == 0) return;
        calls["pledge"]++;
        address actor = _actor(actorSeed);
        uint256 poolId = _poolId(poolSeed);
        units = uint32(_bound(units, 0, 22));
        bool expectOk;
        uint256 amount;
        address token;
        if (poolId <= _pools.length) {
            ModelPool storage p = _pools[poolId - 1];
            amount = uint256(units) * p.price;
            token = tokenOf(poolId);
            expectOk = block.timestamp < p.deadline && units != 0 && units <= p.maxUnits - p.pledged
                && !_pledges[poolId][actor].settled;
        }
        if (token == address(0)) {
            vm.deal(actor, actor.balance + amount);
        } else {
            usd.mint(actor, amount);
            vm.prank(actor);
            usd.approve(address(gb), amount);
        }
        ghostFunded[actor][token] += amount;

        vm.prank(actor);
        bool ok;
        if (token == address(0)) {
            try gb.pledge{value: amount}(poolId, units) {
                ok = true;
            } catch {}
        } else {
            try gb.pledge(poolId, units) {
                ok = true;
            } catch {}
        }
        _check(ok == expectOk, "pledge");
        if (ok && expectOk) {
            _pools[poolId - 1].pledged += units;
            _pledges[poolId][actor].units += units;
            ghostDeposited[token] += amount;
        }
    }

    function unpledge(uint256 actorSeed, uint256 poolSeed, uint32 units) external {
        if (_pools.length == 0) return;
        calls["unpledge"]++;
        address actor = _actor(actorSeed);
        uint256 poolId = _poolId(poolSeed);
        ModelPledge storage m = _pledges[poolId][actor];
        units = uint32(_bound(units, 0, uint256(m.units) + 1));
        bool expectOk = modelState(poolId) == IGroupBuy.PoolState.Open && units != 0 && units <= m.units;
        vm.prank(actor);
        bool ok;
        try gb.unpledge(poolId, units) {
            ok = true;
        } catch {}
        _check(ok == expectOk, "unpledge");
        if (ok && expectOk) {
            m.units -= units;
            _pools[poolId - 1].pledged -= units;
            ghostPaidBack[tokenOf(poolId)] += uint256(units) * _pools[poolId - 1].price;
        }
    }

    function refund(uint256 actorSeed, uint256 poolSeed) external {
        if (_pools.length == 0) return;
        calls["refund"]++;
        address actor = _actor(actorSeed);
        uint256 poolId = _poolId(poolSeed);
        ModelPledge storage m = _pledges[poolId][actor];
        bool expectOk = modelState(poolId) == IGroupBuy.PoolState.Failed && m.units != 0;
        vm.prank(actor);
        bool ok;
        try gb.refund(poolId) {
            ok = true;
        } catch {}
        _check(ok == expectOk, "refund");
        if (ok && expectOk) {
            ghostPaidBack[tokenOf(poolId)] += uint256(m.units) * _pools[poolId - 1].price;
            m.units = 0;
            m.refunded = true;
        }
    }

    function settle(uint256 callerSeed, uint256 actorSeed, uint256 poolSeed) external {
        if (_pools.length == 0) return;
        calls["settle"]++;
        address actor = _actor(actorSeed);
        uint256 poolId = _poolId(poolSeed);
        ModelPledge storage m = _pledges[poolId][actor];
        bool expectOk = modelState(poolId) == IGroupBuy.PoolState.Succeeded && m.units != 0 && !m.settled;
        vm.prank(_actor(callerSeed));
        bool ok;
        try gb.settlePledge(poolId, actor) returns (bytes32 orderId) {
            ok = true;
            _check(orderId == keccak256(abi.encode(address(gb), poolId, actor)), "order id");
        } catch {}
        _check(ok == expectOk, "settle");
        if (ok && expectOk) {
            m.settled = true;
            ghostSettled[tokenOf(poolId)] += uint256(m.units) * _pools[poolId - 1].price;
        }
    }

    function warp(uint256 secondsAhead) external {
        calls["warp"]++;
        vm.warp(block.timestamp + _bound(secondsAhead, 0, 2 days));
    }

    // ---------------------------------------------------------------------------------------------

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    /// @dev Mostly existing pools, sometimes the next (unknown) id.
    function _poolId(uint256 seed) internal view returns (uint256) {
        return (seed % (_pools.length + 1)) + 1;
    }

    function _check(bool condition, string memory what) internal {
        if (!condition) {
            mismatches++;
            lastMismatch = what;
        }
    }
}
