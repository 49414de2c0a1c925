// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
// solhint-disable-next-line max-line-length
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IBadges} from "./interfaces/IBadges.sol";

/// @title NeoCart badges
/// @notice Soulbound ERC-1155 achievement badges. Each holder has at most one of each badge, and
/// badges never move between holders.
/// @dev Awards skip the ERC-1155 receiver check on purpose: a badge can never be moved, so a
/// contract wallet that cannot handle ERC-1155 loses nothing, and an award made inside another
/// action (a review, a pledge) can never be blocked by the holder.
contract Badges is ERC1155, AccessControlDefaultAdminRules, IBadges {
    using Strings for uint256;

    /// @notice May award badges (the marketplace contracts and the app's server key).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice First completed purchase.
    uint256 public constant FIRST_PURCHASE = 1;
    /// @notice Wrote a verified review.
    uint256 public constant REVIEWER = 2;
    /// @notice Organised a group buy.
    uint256 public constant GROUP_BUY_ORGANISER = 3;
    /// @notice Pledged to a group buy.
    uint256 public constant GROUP_BUY_PLEDGER = 4;
    /// @notice Recognised as a top seller.
    uint256 public constant TOP_SELLER = 5;

    string private _baseUri;
    mapping(uint256 id => string) private _uris;

    /// @param admin initial default admin (a multisig in production)
    /// @param adminDelay seconds a default-admin transfer must wait before it can be accepted
    /// @param baseUri prefix of each badge's metadata URI: `baseUri + id + ".json"` unless set per id
    constructor(
        address admin,
        uint48 adminDelay,
        string memory baseUri
    ) ERC1155("") AccessControlDefaultAdminRules(adminDelay, admin) {
        _baseUri = baseUri;
    }

    /// @inheritdoc IBadges
    function award(address holder, uint256 id) external onlyRole(MINTER_ROLE) returns (bool awarded) {
        _requireKnown(id);
        if (balanceOf(holder, id) != 0) return false;
        uint256[] memory ids = new uint256[](1);
        uint256[] memory values = new uint256[](1);
        ids[0] = id;
        values[0] = 1;
        // _update without the acceptance check: see the contract's @dev.
        _update(address(0), holder, ids, values);
        emit BadgeAwarded(holder, id);
        return true;
    }

    /// @inheritdoc IBadges
    function hasBadge(address holder, uint256 id) external view returns (bool) {
        return balanceOf(holder, id) != 0;
    }

    /// @notice Whether `id` is one of the badges this contract knows.
    function isKnownBadge(uint256 id) public pure returns (bool) {
        return id >= FIRST_PURCHASE && id <= TOP_SELLER;
    }

    /// @notice Sets the metadata URI of badge `id`; only the default admin.
    /// @param id a known badge id
    /// @param newUri the full metadata URI; empty to fall back to `baseUri + id + ".json"`
    function setBadgeURI(uint256 id, string calldata newUri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireKnown(id);
        _uris[id] = newUri;
        emit URI(uri(id), id);
    }

    /// @notice Metadata URI of badge `id`.
    /// @dev Reverts with UnknownBadge for ids this contract does not know.
    function uri(uint256 id) public view override returns (string memory) {
        _requireKnown(id);
        string memory custom = _uris[id];
        if (bytes(custom).length != 0) return custom;
        return string.concat(_baseUri, id.toString(), ".json");
    }

    /// @notice Badges cannot be delegated: approvals are refused.
    function setApprovalForAll(address, bool) public pure override {
        revert Soulbound();
    }

    /// @inheritdoc ERC1155
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC1155, AccessControlDefaultAdminRules) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    /// @dev Every movement between two non-zero holders reverts: badges are soulbound.
    function _update(
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values
    ) internal override {
        if (from != address(0) && to != address(0)) revert Soulbound();
        super._update(from, to, ids, values);
    }

    function _requireKnown(uint256 id) private pure {
        if (!isKnownBadge(id)) revert UnknownBadge(id);
    }
}
