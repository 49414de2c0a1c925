// Public surface of lib/orders.
export * from "./create-escrow-checkout.ts";
export * from "./create-fiat-order.ts";
export * from "./delivery-options.ts";
export * from "./errors.ts";
export * from "./issue-purchase-receipt.ts";
export * from "./list-orders.ts";
export * from "./order-contact.ts";
export * from "./price-delivery.ts";
export * from "./release-expired-quotes.ts";
export { escrowQuotes, orderDeliveries, pointsRedemptions } from "./tables.ts";
