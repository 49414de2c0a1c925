// The escrow's Order struct as the contract expects it, from the terms the server passed as
// strings (bigints do not cross into client components as such).
import type { EscrowTerms } from "../../lib/dashboards/escrow-terms.ts";

export function orderStruct(terms: EscrowTerms) {
  return {
    buyer: terms.buyer,
    seller: terms.seller,
    token: terms.token,
    amount: BigInt(terms.amount),
    fee: BigInt(terms.fee),
    affiliate: terms.affiliate,
    affiliateBps: terms.affiliateBps,
    cashback: BigInt(terms.cashback),
    productId: terms.productId,
    deliveryWindow: terms.deliveryWindow,
  } as const;
}
