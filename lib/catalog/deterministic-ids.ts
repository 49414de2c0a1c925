// Ids derived from natural keys, so that re-running the seed writes the same rows (and `on
// conflict` skips them) and child rows can reference parents without reading them back.
import { createHash } from "node:crypto";
import { keccak256, stringToBytes } from "viem";

/** A UUID (version 8, "custom") from sha256 of `key`. */
export function uuidFrom(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** keccak256 of the UTF-8 text, as 0x-prefixed lowercase hex (the contracts' product ids and content hashes). */
export function keccakText(text: string): `0x${string}` {
  return keccak256(stringToBytes(text));
}

/** A 20-byte 0x address derived from `key` (demo payout addresses). */
export function addressFrom(key: string): string {
  return `0x${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}
