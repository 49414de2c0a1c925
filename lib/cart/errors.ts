// Typed errors of cart editing; messages tell the user what to do.
import { CommerceError } from "../pricing/errors.ts";

export class UnknownOfferError extends CommerceError {
  override name = "UnknownOfferError";
  constructor(offerId: string) {
    super("unknown_offer", 404, `Offer ${offerId} does not exist; pick an offer from the product page.`);
  }
}

export class CartItemNotFoundError extends CommerceError {
  override name = "CartItemNotFoundError";
  constructor(offerId: string) {
    super("cart_item_not_found", 404, `Offer ${offerId} is not in this cart; add it first.`);
  }
}

export class CartAccessDeniedError extends CommerceError {
  override name = "CartAccessDeniedError";
  constructor() {
    super("cart_access_denied", 403, "This cart belongs to someone else; open it through its share link instead.");
  }
}

export class CartNotCollaborativeError extends CommerceError {
  override name = "CartNotCollaborativeError";
  constructor() {
    super(
      "cart_not_collaborative",
      403,
      "This shared cart is read-only; ask its owner to make it collaborative, or copy the items to your own cart.",
    );
  }
}

export class SharedCartNotFoundError extends CommerceError {
  override name = "SharedCartNotFoundError";
  constructor() {
    super("shared_cart_not_found", 404, "No cart has this share link; ask for a new link.");
  }
}

export class QuantityLimitError extends CommerceError {
  override name = "QuantityLimitError";
  constructor(total: number) {
    super("quantity_limit", 422, `A cart line holds 1 to 999 units; this change would make it ${total}.`);
  }
}
