// Turns a refusal from the commerce modules into the shopper's language when we have the sentence,
// else the module's own message (English, but it says what to fix).
import { AuthError } from "../auth/index.ts";
import type { MessageKey, Translate } from "../i18n/translate.ts";
import { PaymentRequestError, PaymentSettingsError, ProviderRequestError } from "../payments/errors.ts";
import { CommerceError } from "../pricing/errors.ts";
import { deliveryRefusalReason } from "./delivery-choice-view.ts";

const KEYS: Record<string, MessageKey> = {
  out_of_stock: "cart.error.outOfStock",
  offer_unavailable: "cart.error.offerUnavailable",
  unknown_offer: "cart.error.unknownOffer",
  empty_cart: "cart.error.empty",
  quantity_limit: "cart.error.quantityLimit",
  cart_not_collaborative: "cart.error.notCollaborative",
  shared_cart_not_found: "cart.error.sharedNotFound",
  cart_access_denied: "cart.error.accessDenied",
  cart_item_not_found: "cart.error.itemNotFound",
  payment_method_not_accepted: "fiat.error.methodNotAccepted",
  delivery_option_unavailable: "fiat.error.deliveryUnavailable",
  missing_fx_rate: "cart.error.currency",
  unsupported_currency: "cart.error.currency",
  points_burn_failed: "fiat.points.burnFailed",
  points_service_config: "fiat.points.unavailable",
};

/** A refusal of the delivery choice (area, drone geofence, weight, range) in the shopper's language. */
export function deliveryErrorMessage(error: CommerceError, t: Translate): string | undefined {
  if (error.code === "unknown_delivery_area") return t("delivery.invalid.area");
  if (error.code === "delivery_area_country_mismatch") return t("delivery.error.country");
  // Drone refusals when the order is placed: the same reason the choice showed.
  const refusal = error.code.startsWith("drone_") ? deliveryRefusalReason(error.code, t) : undefined;
  return refusal ? t("delivery.unavailable", { reason: refusal }) : undefined;
}

/** The message to show, or undefined when the error is not one a shopper can act on (rethrow it). */
export function shopperMessage(error: unknown, t: Translate): string | undefined {
  if (error instanceof CommerceError) {
    const delivery = deliveryErrorMessage(error, t);
    if (delivery) return delivery;
    const key = KEYS[error.code];
    return key ? t(key) : error.message;
  }
  if (error instanceof AuthError) return error.message;
  if (error instanceof ProviderRequestError) return t("fiat.error.provider");
  if (error instanceof PaymentRequestError || error instanceof PaymentSettingsError) return error.message;
  return undefined;
}
