// Errors the commerce modules throw for input a caller can fix. Each carries an HTTP-like status
// and a stable code so a route handler can answer 4xx with the message as is.
export class CommerceError extends Error {
  override name = "CommerceError";
  readonly code: string;
  readonly status: 400 | 403 | 404 | 409 | 422;
  constructor(code: string, status: 400 | 403 | 404 | 409 | 422, message: string) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export class InvalidInputError extends CommerceError {
  override name = "InvalidInputError";
  constructor(message: string) {
    super("invalid_input", 400, message);
  }
}

export class UnsupportedCurrencyError extends CommerceError {
  override name = "UnsupportedCurrencyError";
  constructor(currency: string, supported: readonly string[]) {
    super("unsupported_currency", 422, `Currency ${currency} is not supported; use one of ${supported.join(", ")}.`);
  }
}

export class MissingFxRateError extends CommerceError {
  override name = "MissingFxRateError";
  constructor(from: string, to: string) {
    super(
      "missing_fx_rate",
      422,
      `No exchange rate from ${from} to ${to}; add one to commerce.fx_rates or pick another currency.`,
    );
  }
}

export class CartNotFoundError extends CommerceError {
  override name = "CartNotFoundError";
  constructor(cartId: string) {
    super("cart_not_found", 404, `Cart ${cartId} does not exist; create a new cart.`);
  }
}

export class EmptyCartError extends CommerceError {
  override name = "EmptyCartError";
  constructor() {
    super("empty_cart", 422, "The cart is empty; add an item before checking out.");
  }
}

export class OfferUnavailableError extends CommerceError {
  override name = "OfferUnavailableError";
  constructor(offerId: string) {
    super("offer_unavailable", 409, `Offer ${offerId} is no longer available; remove it from the cart.`);
  }
}

export class OutOfStockError extends CommerceError {
  override name = "OutOfStockError";
  readonly offerId: string;
  readonly available: number;
  readonly requested: number;
  constructor(offerId: string, available: number, requested: number) {
    super(
      "out_of_stock",
      409,
      `Offer ${offerId} is out of stock (${available} left, ${requested} requested); lower the quantity.`,
    );
    this.offerId = offerId;
    this.available = available;
    this.requested = requested;
  }
}

export class PointsCapExceededError extends CommerceError {
  override name = "PointsCapExceededError";
  constructor(requested: number, maxPoints: number, shareBps: number) {
    super(
      "points_cap_exceeded",
      422,
      `You can redeem at most ${maxPoints} points on this cart (${shareBps / 100}% of the subtotal); ${requested} requested.`,
    );
  }
}

/** Turns a zod failure into one readable sentence naming the fields to fix. */
export function describeZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : "input"}: ${i.message}`).join("; ");
}
