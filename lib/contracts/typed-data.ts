// EIP-712 types the contracts verify: checkout quotes (Escrow) and fiat purchase receipts
// (Reviews). The app's server signs with these; tests and benchmarks sign with them too, so a
// change to a struct breaks every signer in one place.
import type { Address, Hex } from "viem";

export const ESCROW_DOMAIN_NAME = "NeoCart Escrow";
export const REVIEWS_DOMAIN_NAME = "NeoCart Reviews";
export const DOMAIN_VERSION = "1";

export const quoteTypes = {
  Quote: [
    { name: "orderId", type: "bytes32" },
    { name: "order", type: "Order" },
    { name: "pointsToRedeem", type: "uint256" },
    { name: "expiry", type: "uint64" },
  ],
  Order: [
    { name: "buyer", type: "address" },
    { name: "seller", type: "address" },
    { name: "token", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "fee", type: "uint256" },
    { name: "affiliate", type: "address" },
    { name: "affiliateBps", type: "uint16" },
    { name: "cashback", type: "uint256" },
    { name: "productId", type: "bytes32" },
    { name: "deliveryWindow", type: "uint32" },
  ],
} as const;

export const receiptTypes = {
  Receipt: [
    { name: "orderId", type: "bytes32" },
    { name: "buyer", type: "address" },
    { name: "productId", type: "bytes32" },
    { name: "deadline", type: "uint64" },
  ],
} as const;

export type EscrowOrder = {
  buyer: Address;
  seller: Address;
  token: Address;
  amount: bigint;
  fee: bigint;
  affiliate: Address;
  affiliateBps: number;
  cashback: bigint;
  productId: Hex;
  deliveryWindow: number;
};

export type EscrowQuote = {
  orderId: Hex;
  order: EscrowOrder;
  pointsToRedeem: bigint;
  expiry: bigint;
};

export type PurchaseReceipt = {
  orderId: Hex;
  buyer: Address;
  productId: Hex;
  deadline: bigint;
};

export function escrowDomain(chainId: number, verifyingContract: Address) {
  return { name: ESCROW_DOMAIN_NAME, version: DOMAIN_VERSION, chainId, verifyingContract } as const;
}

export function reviewsDomain(chainId: number, verifyingContract: Address) {
  return { name: REVIEWS_DOMAIN_NAME, version: DOMAIN_VERSION, chainId, verifyingContract } as const;
}
