// Typed errors of creator storefronts; each message tells the user what to do instead.
import { CommerceError } from "../pricing/errors.ts";

export class HandleTakenError extends CommerceError {
  override name = "HandleTakenError";
  constructor(handle: string) {
    super("handle_taken", 409, `The handle "${handle}" belongs to another creator; choose another one.`);
  }
}

export class CreatorProfileMissingError extends CommerceError {
  override name = "CreatorProfileMissingError";
  constructor() {
    super("creator_profile_missing", 404, "Create your creator profile first, then add products to it.");
  }
}

export class PickProductNotFoundError extends CommerceError {
  override name = "PickProductNotFoundError";
  constructor(slug: string) {
    super("pick_product_not_found", 404, `No product has the address "${slug}"; copy it from the product page URL.`);
  }
}

export class PickNotFoundError extends CommerceError {
  override name = "PickNotFoundError";
  constructor() {
    super("pick_not_found", 404, "That product is not on your page any more; reload the page.");
  }
}

export class TooManyPicksError extends CommerceError {
  override name = "TooManyPicksError";
  constructor(max: number) {
    super("too_many_picks", 422, `A storefront holds at most ${max} products; remove one before adding another.`);
  }
}

/**
 * The cart changed between reading whom to credit and pricing it, so the signed quote would credit
 * a creator for another product or seller. The quote never leaves the server; its order is
 * released when the quote expires (lib/orders/release-expired-quotes.ts).
 */
export class AttributionChangedError extends CommerceError {
  override name = "AttributionChangedError";
  constructor() {
    super(
      "attribution_changed",
      409,
      "Your cart changed while the quote was being prepared; start the checkout again.",
    );
  }
}
