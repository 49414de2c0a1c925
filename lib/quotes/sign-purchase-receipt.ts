// Signs a fiat purchase receipt (EIP-712 Receipt of the Reviews contract, lib/contracts/typed-data.ts):
// it lets the buyer review the product on chain once, before `deadline`.
import { type Address, getAddress, type Hex } from "viem";
import { z } from "zod";
import { type PurchaseReceipt, receiptTypes, reviewsDomain } from "../contracts/typed-data.ts";
import { parseInput } from "../pricing/parse-input.ts";
import type { ChainConfig } from "./chain-config.ts";
import type { QuoteSigners } from "./signer-keys.ts";

export const purchaseReceiptSchema = z
  .object({
    orderId: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/)
      .transform((h) => h.toLowerCase() as Hex),
    buyer: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/)
      .transform((a) => getAddress(a)),
    productId: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/)
      .transform((h) => h.toLowerCase() as Hex),
    deadline: z
      .bigint()
      .min(1n)
      .max(2n ** 64n - 1n),
  })
  .strict();

export type SignedReceipt = { receipt: PurchaseReceipt; signature: Hex; signer: Address };

export async function signPurchaseReceipt(
  signers: QuoteSigners,
  chain: ChainConfig,
  receipt: PurchaseReceipt,
): Promise<SignedReceipt> {
  const message = parseInput(purchaseReceiptSchema, receipt, "purchase receipt") as PurchaseReceipt;
  const signature = await signers.active.signTypedData({
    domain: reviewsDomain(chain.chainId, chain.reviews),
    types: receiptTypes,
    primaryType: "Receipt",
    message,
  });
  // reviewWithReceipt takes the signer's address explicitly (it may be an ERC-1271 wallet).
  return { receipt: message, signature, signer: signers.active.address };
}
