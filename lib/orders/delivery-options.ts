// Delivery options and the escrow delivery window each implies (seconds the seller has to ship,
// and then the buyer has to confirm or dispute).
import { z } from "zod";
import { deliveryOptions } from "../db/schema.ts";

export const deliveryOptionSchema = z.enum(deliveryOptions);
export type DeliveryOption = z.infer<typeof deliveryOptionSchema>;

const DAY = 86_400;
export const DELIVERY_WINDOW_SECONDS: Record<DeliveryOption, number> = {
  standard: 5 * DAY,
  green: 7 * DAY,
  drone: 1 * DAY,
};
