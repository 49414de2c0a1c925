"use server";
// Fiat checkout: the order is priced and stocked on the server (lib/orders createFiatOrder), with
// its contact data encrypted in the same transaction, then the shopper is sent to the provider's
// hosted page. Nothing about the amount comes from the form: the delivery fee too is priced on the
// server from the option and delivery area ids (lib/orders/price-delivery.ts).
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getAddress } from "viem";
import { z } from "zod";
import type { MessageKey } from "../../../lib/i18n/translate.ts";
import { newChainOrderId } from "../../../lib/orders/chain-order-id.ts";
import { deliveryOptionSchema } from "../../../lib/orders/delivery-options.ts";
import { createFiatOrder, deliveryAreaIdSchema, shippingAddressSchema } from "../../../lib/orders/index.ts";
import { pointsConsentDomain } from "../../../lib/orders/points-consent.ts";
import { burnRedeemedPoints, cancelAndReturnPoints } from "../../../lib/orders/points-redemption.ts";
import { loadPointsService, type PointsService } from "../../../lib/orders/points-service.ts";
import { POINT_TOKEN_UNITS } from "../../../lib/pricing/pricing-rules.ts";
import { GUEST_ORDER_COOKIE, privateCookieOptions } from "../../../lib/web-cart/cart-cookie.ts";
import { shopperMessage } from "../../../lib/web-cart/error-message.ts";
import { choiceTakesCurrency, FIAT_CHOICES, fiatChoiceIds } from "../../../lib/web-cart/fiat-methods.ts";
import { guestOrderCookieValue } from "../../../lib/web-cart/guest-order-token.ts";
import { configuredPayments } from "../../../lib/web-cart/payment-providers.ts";
import { startFiatPayment } from "../../../lib/web-cart/start-fiat-payment.ts";
import { database } from "../../_server/db.ts";
import { preferences } from "../../_server/preferences.ts";
import { currentViewer } from "../../_server/session.ts";
import { webSettings } from "../../_server/settings.ts";
import { currentCart } from "../../cart/_server/current-cart.ts";

export type FiatCheckoutState = {
  status: "idle" | "error";
  message: string;
  /** Field name → what to fix. */
  fieldErrors?: Record<string, string>;
  /** Set when the order exists but the provider could not be reached: its status page. */
  orderId?: string;
};

const checkoutSchema = z.object({
  method: z.enum(fiatChoiceIds, { error: "choose a payment method" }),
  deliveryOption: deliveryOptionSchema,
  deliveryArea: deliveryAreaIdSchema,
  email: z.email().max(254).optional(),
  shipping: shippingAddressSchema,
  /** Set by the "use my points" choice once the wallet signed the consent (checked again by lib/orders). */
  points: z
    .object({
      pointsToRedeem: z.coerce.number().int().min(1).max(100_000_000),
      holder: z.string(),
      amount: z.string(),
      orderId: z.string(),
      deadline: z.coerce.number().int().positive(),
      signature: z.string(),
    })
    .optional(),
});

function fieldsOf(form: FormData) {
  const value = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" && v.trim() !== "" ? v : undefined;
  };
  return {
    method: value("method"),
    deliveryOption: value("deliveryOption"),
    deliveryArea: value("deliveryArea"),
    email: value("email")?.trim(),
    shipping: {
      name: value("shipName"),
      line1: value("shipLine1"),
      line2: value("shipLine2"),
      city: value("shipCity"),
      postalCode: value("shipPostalCode"),
      country: value("shipCountry"),
    },
    points: value("pointsSignature")
      ? {
          pointsToRedeem: value("pointsToRedeem"),
          holder: value("pointsHolder"),
          amount: value("pointsAmount"),
          orderId: value("pointsOrderId"),
          deadline: value("pointsDeadline"),
          signature: value("pointsSignature"),
        }
      : undefined,
  };
}

/** The EIP-712 consent the wallet signs before a fiat order redeems points (values as strings). */
export type PointsConsentRequest =
  | {
      ok: true;
      typedData: {
        domain: { name: string; version: string; chainId: number; verifyingContract: `0x${string}` };
        message: { holder: `0x${string}`; amount: string; orderId: `0x${string}`; deadline: string };
      };
    }
  | { ok: false; error: string };

const CONSENT_TTL_SECONDS = 600;

/**
 * Prepares the consent for `points` whole points: the signed-in wallet is the holder, the order id
 * is fresh (the order is created with it), the deadline ten minutes away. Nothing is reserved:
 * the order action checks the signature, the cap and the balance itself.
 */
export async function preparePointsConsent(points: number): Promise<PointsConsentRequest> {
  const { t } = await preferences();
  const viewer = await currentViewer();
  if (!viewer) return { ok: false, error: t("walletCheckout.signInFirst") };
  const parsed = z.number().int().min(1).max(100_000_000).safeParse(points);
  if (!parsed.success) return { ok: false, error: "Ask for a whole number of points between 1 and 100,000,000." };
  let service: PointsService;
  try {
    service = loadPointsService();
  } catch (error) {
    console.error("points service unavailable", error);
    return { ok: false, error: t("fiat.points.unavailable") };
  }
  return {
    ok: true,
    typedData: {
      domain: pointsConsentDomain(service.chainId, service.points),
      message: {
        holder: getAddress(viewer.address),
        amount: (BigInt(parsed.data) * POINT_TOKEN_UNITS).toString(),
        orderId: newChainOrderId(),
        deadline: String(Math.floor(Date.now() / 1000) + CONSENT_TTL_SECONDS),
      },
    },
  };
}

// What to fix, per form field, in the shopper's language.
const FIELD_KEYS: Record<string, MessageKey> = {
  method: "fiat.invalid.method",
  deliveryOption: "fiat.invalid.deliveryOption",
  deliveryArea: "delivery.invalid.area",
  email: "fiat.invalid.email",
  shipName: "fiat.invalid.shipName",
  shipLine1: "fiat.invalid.shipLine1",
  shipLine2: "fiat.invalid.shipLine2",
  shipCity: "fiat.invalid.shipCity",
  shipPostalCode: "fiat.invalid.shipPostalCode",
  shipCountry: "fiat.invalid.shipCountry",
};

/** Form field name of a zod issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path[0] === "shipping" && typeof path[1] === "string") {
    return `ship${path[1].charAt(0).toUpperCase()}${path[1].slice(1)}`;
  }
  return String(path[0] ?? "form");
}

export async function placeFiatOrder(_: FiatCheckoutState, form: FormData): Promise<FiatCheckoutState> {
  const { t, currency } = await preferences();
  const viewer = await currentViewer();
  const parsed = checkoutSchema.safeParse(fieldsOf(form));
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const name = fieldName(issue.path);
      const key = FIELD_KEYS[name];
      fieldErrors[name] ??= key ? t(key) : issue.message;
    }
    return { status: "error", message: t("fiat.error.fields"), fieldErrors };
  }
  const input = parsed.data;
  if (!viewer && !input.email) {
    return { status: "error", message: t("fiat.error.fields"), fieldErrors: { email: t("fiat.invalid.email") } };
  }
  const choice = FIAT_CHOICES[input.method];
  const db = database();
  const origin = webSettings().NEOCART_ORIGIN;
  let orderId: string | undefined;
  let hostedUrl: string;
  try {
    if (!configuredPayments().providers[choice.provider]) {
      return { status: "error", message: t("fiat.error.methodUnavailable") };
    }
    // UPI collects Indian rupees only: say so before an order is priced in another currency.
    if (!choiceTakesCurrency(choice, currency)) {
      return {
        status: "error",
        message: t("fiat.error.currency", {
          method: t(`fiat.method.${choice.id}`),
          currency: choice.currencies?.[0] ?? "",
          current: currency,
        }),
      };
    }
    const cart = await currentCart(viewer);
    if (!cart) return { status: "error", message: t("cart.error.empty") };
    // Only a buyer redeeming points needs the points service (and its key).
    const pointsService = input.points ? loadPointsService() : undefined;
    const { order } = await createFiatOrder(
      db,
      {
        cartId: cart.cartId,
        userId: viewer?.userId,
        currency,
        deliveryOption: input.deliveryOption,
        deliveryArea: input.deliveryArea,
        paymentMethod: choice.orderMethod,
        contact: { guestEmail: viewer ? undefined : input.email, shippingAddress: input.shipping },
        pointsToRedeem: input.points?.pointsToRedeem ?? 0,
        pointsConsent: input.points
          ? {
              holder: input.points.holder,
              amount: input.points.amount,
              orderId: input.points.orderId,
              deadline: input.points.deadline,
              signature: input.points.signature,
            }
          : undefined,
      },
      pointsService ? { points: { chainId: pointsService.chainId, points: pointsService.points } } : {},
    );
    orderId = order.id;
    // The points are gone before the provider is asked for the discounted amount.
    if (pointsService) await burnRedeemedPoints(db, order.id, pointsService);
    // Guests have no session: this cookie is their right to watch the order (see the status route).
    (await cookies()).set(GUEST_ORDER_COOKIE, guestOrderCookieValue(order.id), privateCookieOptions(origin));
    const statusUrl = `${origin}/checkout/return?order=${order.id}`;
    try {
      hostedUrl = await startFiatPayment(db, {
        orderId: order.id,
        choice,
        returnUrl: statusUrl,
        cancelUrl: `${statusUrl}&canceled=1`,
        email: viewer ? undefined : input.email,
      });
    } catch (error) {
      // No payment will come for burned points: give them back and end the order.
      if (pointsService) {
        await cancelAndReturnPoints(
          db,
          order.id,
          `payment could not start: ${(error as Error).message}`,
          pointsService,
        ).catch((remintError: unknown) => {
          // Left owed (remint_due) for the sweep; the shopper still gets the payment error.
          console.error(`points of order ${order.id} not returned yet`, remintError);
        });
      }
      throw error;
    }
  } catch (error) {
    const message = shopperMessage(error, t);
    if (message === undefined) throw error;
    return { status: "error", message, orderId };
  }
  redirect(hostedUrl);
}
