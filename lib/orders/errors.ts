// Typed errors of order placement and receipts; messages tell the user what to do.
import { CommerceError } from "../pricing/errors.ts";

export class DeliveryOptionUnavailableError extends CommerceError {
  override name = "DeliveryOptionUnavailableError";
  constructor(option: string, offerId: string) {
    super(
      "delivery_option_unavailable",
      422,
      `Offer ${offerId} cannot be delivered by "${option}"; choose another delivery option.`,
    );
  }
}

export class PaymentMethodNotAcceptedError extends CommerceError {
  override name = "PaymentMethodNotAcceptedError";
  constructor(method: string, offerId: string) {
    super(
      "payment_method_not_accepted",
      422,
      `Offer ${offerId} does not accept "${method}" payments; choose another payment method.`,
    );
  }
}

export class EscrowCartNotSingleProductError extends CommerceError {
  override name = "EscrowCartNotSingleProductError";
  constructor() {
    super(
      "escrow_cart_not_single_product",
      422,
      "An escrow order pays one seller for one product; check out the other items in a separate cart or pay by card.",
    );
  }
}

export class SellerNotPayableError extends CommerceError {
  override name = "SellerNotPayableError";
  constructor(sellerId: string) {
    super(
      "seller_not_payable",
      422,
      `Seller ${sellerId} has no payout address for wallet payments; pay by card instead.`,
    );
  }
}

export class SelfPurchaseError extends CommerceError {
  override name = "SelfPurchaseError";
  constructor() {
    super("self_purchase", 422, "The buyer's wallet is the seller's payout address; buy from another wallet.");
  }
}

export class OrderNotFoundError extends CommerceError {
  override name = "OrderNotFoundError";
  constructor(orderId: string) {
    super("order_not_found", 404, `Order ${orderId} does not exist.`);
  }
}

export class ReceiptNotAvailableError extends CommerceError {
  override name = "ReceiptNotAvailableError";
  constructor(message: string) {
    super("receipt_not_available", 409, message);
  }
}

export class ReceiptBuyerMismatchError extends CommerceError {
  override name = "ReceiptBuyerMismatchError";
  constructor() {
    super(
      "receipt_buyer_mismatch",
      403,
      "This wallet is not linked to the account that placed the order; link it to your account first.",
    );
  }
}

export class UnknownDeliveryAreaError extends CommerceError {
  override name = "UnknownDeliveryAreaError";
  constructor(area: string) {
    super(
      "unknown_delivery_area",
      422,
      `"${area.slice(0, 60)}" is not a delivery area we serve; choose your delivery area from the list.`,
    );
  }
}

export class DeliveryAreaCountryMismatchError extends CommerceError {
  override name = "DeliveryAreaCountryMismatchError";
  constructor(area: string, areaCountry: string, addressCountry: string) {
    super(
      "delivery_area_country_mismatch",
      422,
      `The delivery area ${area} is in ${areaCountry} but the shipping address is in ${addressCountry}; choose the area your address is in.`,
    );
  }
}
