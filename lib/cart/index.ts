// Public surface of lib/cart.
export * from "./cart-access.ts";
export * from "./create-cart.ts";
export * from "./edit-cart-items.ts";
export * from "./errors.ts";
export * from "./read-cart.ts";
