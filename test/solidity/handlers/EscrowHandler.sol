// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {Escrow} from "../../../contracts/Escrow.sol";
import {LoyaltyPoints} from "../../../contracts/LoyaltyPoints.sol";
import {IEscrow} from "../../../contracts/interfaces/IEscrow.sol";
import {TestStablecoin} from "../../../contracts/test/TestStablecoin.sol";

/// @notice Drives the escrow with random checkouts, transitions, withdrawals, time jumps and
/// forced ETH, keeping ghost sums (per token) and a reference model of every order's state and
/// deadline. Every call's success must match what the model allows.
contract EscrowHandler is Test {
    uint256 internal constant BPS = 10_000;

    Escrow public immutable escrow;
    LoyaltyPoints public immutable points;
    TestStablecoin public immutable usd;
    uint256 internal immutable signerKey;
    address public immutable arbiter;
    address public immutable treasury;
    uint32 public immutable arbitrationWindow;

    address[] public buyers;
    address[] public sellers;
    address public affiliate = makeAddr("h-affiliate");
    address[2] public tokens;

    struct Tracked {
        bytes32 id;
        IEscrow.Order order;
    }

    Tracked[] internal _orders;
    mapping(bytes32 id => IEscrow.State) public modelState;
    mapping(bytes32 id => uint40) public modelDeadline;

    // Ghost sums per token.
    mapping(address token => uint256) public ghostDeposited;
    mapping(address token => uint256) public ghostLocked;
    mapping(address token => uint256) public ghostToSellers;
    mapping(address token => uint256) public ghostToBuyers;
    mapping(address token => uint256) public ghostFees;
    mapping(address token => uint256) public ghostToAffiliates;
    mapping(address token => uint256) public ghostWithdrawn;
    uint256 public ghostForcedEth;
    uint256 public ghostCashback;

    mapping(bytes32 id => uint256) public ghostPayouts;
    uint256 public ghostDoublePayouts;
    /// @dev Calls whose outcome differed from the model (success where it must fail, or the reverse).
    uint256 public ghostModelMismatches;
    mapping(bytes4 selector => uint256) public calls;

    uint256 private _nonce;

    constructor(Escrow escrow_, LoyaltyPoints points_, TestStablecoin usd_, uint256 signerKey_, address arbiter_, address treasury_) {
        escrow = escrow_;
        points = points_;
        usd = usd_;
        signerKey = signerKey_;
        arbiter = arbiter_;
        treasury = treasury_;
        arbitrationWindow = escrow_.arbitrationWindow();
        tokens = [address(0), address(usd_)];
        for (uint256 i; i < 3; i++) {
            buyers.push(makeAddr(string.concat("h-buyer", vm.toString(i))));
            sellers.push(makeAddr(string.concat("h-seller", vm.toString(i))));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Views for the invariants

    function orderCount() external view returns (uint256) {
        return _orders.length;
    }

    function orderAt(uint256 i) external view returns (bytes32, IEscrow.Order memory) {
        return (_orders[i].id, _orders[i].order);
    }

    /// @notice Every account that can hold a credit.
    function accounts() public view returns (address[] memory all) {
        all = new address[](buyers.length + sellers.length + 2);
        uint256 n;
        for (uint256 i; i < buyers.length; i++) all[n++] = buyers[i];
        for (uint256 i; i < sellers.length; i++) all[n++] = sellers[i];
        all[n++] = affiliate;
        all[n++] = treasury;
    }

    function sumCredits(address token) public view returns (uint256 sum) {
        address[] memory all = accounts();
        for (uint256 i; i < all.length; i++) sum += escrow.creditOf(token, all[i]);
    }

    // ------------------------------------------------------------------------------------------
    // Actions

    function checkout(uint256 actorSeed, bool inToken, uint256 amount, uint256 fee, uint16 affiliateBps, uint256 cashback)
        external
    {
        calls[this.checkout.selector]++;
        address token = inToken ? address(usd) : address(0);
        amount = bound(amount, 1, 1e27);
        fee = bound(fee, 0, amount);
        affiliateBps = uint16(bound(affiliateBps, 0, BPS));
        IEscrow.Order memory o = IEscrow.Order({
            buyer: buyers[actorSeed % buyers.length],
            seller: sellers[(actorSeed / 7) % sellers.length],
            token: token,
            amount: amount,
            fee: fee,
            affiliate: affiliateBps == 0 ? address(0) : affiliate,
            affiliateBps: affiliateBps,
            cashback: bound(cashback, 0, 1e24),
            productId: keccak256(abi.encode(actorSeed % 5)),
            deliveryWindow: uint32(bound(actorSeed, 1 hours, 10 days))
        });
        IEscrow.Quote memory q = IEscrow.Quote({
            orderId: keccak256(abi.encode("h-order", ++_nonce)),
            order: o,
            pointsToRedeem: 0,
            expiry: uint64(block.timestamp + 1 hours)
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, escrow.hashQuote(q));
        bytes memory sig = abi.encodePacked(r, s, v);
        if (token == address(0)) {
            vm.deal(o.buyer, amount);
            vm.prank(o.buyer);
            escrow.checkout{value: amount}(q, sig);
        } else {
            usd.mint(o.buyer, amount);
            vm.prank(o.buyer);
            usd.approve(address(escrow), amount);
            vm.prank(o.buyer);
            escrow.checkout(q, sig);
        }
        _orders.push(Tracked(q.orderId, o));
        modelState[q.orderId] = IEscrow.State.Paid;
        modelDeadline[q.orderId] = uint40(block.timestamp + o.deliveryWindow);
        ghostDeposited[token] += amount;
        ghostLocked[token] += amount;
    }

    function markShipped(uint256 seed) external {
        calls[this.markShipped.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        bool allowed = modelState[id] == IEscrow.State.Paid && block.timestamp < modelDeadline[id];
        vm.prank(o.seller);
        try escrow.markShipped(id, o) {
            _expect(allowed);
            modelState[id] = IEscrow.State.Shipped;
            modelDeadline[id] = uint40(block.timestamp + o.deliveryWindow);
        } catch {
            _expect(!allowed);
        }
    }

    function confirmDelivery(uint256 seed) external {
        calls[this.confirmDelivery.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        bool allowed = modelState[id] == IEscrow.State.Shipped;
        Snapshot memory before = _snap(o);
        vm.prank(o.buyer);
        try escrow.confirmDelivery(id, o) {
            _expect(allowed);
            _settled(id, o, before, IEscrow.State.Completed, true);
        } catch {
            _expect(!allowed);
        }
    }

    function release(uint256 seed, address caller) external {
        calls[this.release.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        bool allowed = modelState[id] == IEscrow.State.Shipped && block.timestamp >= modelDeadline[id];
        Snapshot memory before = _snap(o);
        vm.prank(caller);
        try escrow.release(id, o) {
            _expect(allowed);
            _settled(id, o, before, IEscrow.State.Completed, true);
        } catch {
            _expect(!allowed);
        }
    }

    function openDispute(uint256 seed) external {
        calls[this.openDispute.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        IEscrow.State st = modelState[id];
        bool allowed = (st == IEscrow.State.Paid || st == IEscrow.State.Shipped) && block.timestamp < modelDeadline[id];
        vm.prank(o.buyer);
        try escrow.openDispute(id, o) {
            _expect(allowed);
            modelState[id] = IEscrow.State.Disputed;
            modelDeadline[id] = uint40(block.timestamp + arbitrationWindow);
        } catch {
            _expect(!allowed);
        }
    }

    function resolveDispute(uint256 seed, uint16 buyerBps) external {
        calls[this.resolveDispute.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        buyerBps = uint16(bound(buyerBps, 0, BPS));
        bool allowed = modelState[id] == IEscrow.State.Disputed && block.timestamp < modelDeadline[id];
        Snapshot memory before = _snap(o);
        vm.prank(arbiter);
        try escrow.resolveDispute(id, o, buyerBps) {
            _expect(allowed);
            _settled(id, o, before, IEscrow.State.Resolved, false);
        } catch {
            _expect(!allowed);
        }
    }

    function settleStaleDispute(uint256 seed, address caller) external {
        calls[this.settleStaleDispute.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        bool allowed = modelState[id] == IEscrow.State.Disputed && block.timestamp >= modelDeadline[id];
        Snapshot memory before = _snap(o);
        vm.prank(caller);
        try escrow.settleStaleDispute(id, o) {
            _expect(allowed);
            _settled(id, o, before, IEscrow.State.Resolved, false);
        } catch {
            _expect(!allowed);
        }
    }

    function refund(uint256 seed) external {
        calls[this.refund.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        IEscrow.State st = modelState[id];
        bool allowed = st == IEscrow.State.Paid || st == IEscrow.State.Shipped || st == IEscrow.State.Disputed;
        Snapshot memory before = _snap(o);
        vm.prank(o.seller);
        try escrow.refund(id, o) {
            _expect(allowed);
            _settled(id, o, before, IEscrow.State.Refunded, false);
        } catch {
            _expect(!allowed);
        }
    }

    function cancelUnshipped(uint256 seed) external {
        calls[this.cancelUnshipped.selector]++;
        (bytes32 id, IEscrow.Order memory o, bool any) = _pick(seed);
        if (!any) return;
        bool allowed = modelState[id] == IEscrow.State.Paid && block.timestamp >= modelDeadline[id];
        Snapshot memory before = _snap(o);
        vm.prank(o.buyer);
        try escrow.cancelUnshipped(id, o) {
            _expect(allowed);
            _settled(id, o, before, IEscrow.State.Refunded, false);
        } catch {
            _expect(!allowed);
        }
    }

    function withdraw(uint256 actorSeed, bool inToken) external {
        calls[this.withdraw.selector]++;
        address[] memory all = accounts();
        address who = all[actorSeed % all.length];
        address token = inToken ? address(usd) : address(0);
        uint256 due = escrow.creditOf(token, who);
        uint256 balanceBefore = token == address(0) ? who.balance : usd.balanceOf(who);
        vm.prank(who);
        try escrow.withdraw(token) {
            _expect(due != 0);
            uint256 got = (token == address(0) ? who.balance : usd.balanceOf(who)) - balanceBefore;
            if (got != due) ghostModelMismatches++;
            ghostWithdrawn[token] += due;
        } catch {
            _expect(due == 0);
        }
    }

    function warp(uint256 secondsForward) external {
        calls[this.warp.selector]++;
        vm.warp(block.timestamp + bound(secondsForward, 0, 12 days));
    }

    /// @notice ETH forced in without a call (selfdestruct, coinbase): the escrow must not rely on its balance.
    function forceEth(uint256 amount) external {
        calls[this.forceEth.selector]++;
        amount = bound(amount, 0, 1 ether);
        vm.deal(address(escrow), address(escrow).balance + amount);
        ghostForcedEth += amount;
    }

    // ------------------------------------------------------------------------------------------
    // Internals

    struct Snapshot {
        uint256 buyer;
        uint256 seller;
        uint256 treasury;
        uint256 affiliate;
        uint256 points;
    }

    function _snap(IEscrow.Order memory o) internal view returns (Snapshot memory s) {
        s.buyer = escrow.creditOf(o.token, o.buyer);
        s.seller = escrow.creditOf(o.token, o.seller);
        s.treasury = escrow.creditOf(o.token, treasury);
        s.affiliate = escrow.creditOf(o.token, affiliate);
        s.points = points.balanceOf(o.buyer);
    }

    /// @dev Books a payout measured from the credit changes (not recomputed), once per order.
    function _settled(bytes32 id, IEscrow.Order memory o, Snapshot memory b, IEscrow.State to, bool completed)
        internal
    {
        Snapshot memory a = _snap(o);
        address token = o.token;
        ghostToBuyers[token] += a.buyer - b.buyer;
        ghostToSellers[token] += a.seller - b.seller;
        ghostFees[token] += a.treasury - b.treasury;
        ghostToAffiliates[token] += a.affiliate - b.affiliate;
        ghostLocked[token] -= o.amount;
        if (completed) {
            if (a.points - b.points != o.cashback) ghostModelMismatches++;
            ghostCashback += o.cashback;
        } else if (a.points != b.points) {
            ghostModelMismatches++; // L3: no cashback for refunded or resolved orders
        }
        if (++ghostPayouts[id] > 1) ghostDoublePayouts++;
        modelState[id] = to;
        modelDeadline[id] = 0;
    }

    function _pick(uint256 seed) internal view returns (bytes32 id, IEscrow.Order memory o, bool any) {
        if (_orders.length == 0) return (id, o, false);
        Tracked storage t = _orders[seed % _orders.length];
        return (t.id, t.order, true);
    }

    function _expect(bool ok) internal {
        if (!ok) ghostModelMismatches++;
    }
}
