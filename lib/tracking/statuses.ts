// The shipment statuses a device reports, in the order a parcel normally passes through them
// ("exception" may come at any point: damage, failed delivery attempt, customs hold).
export const shipmentStatuses = [
  "label_created",
  "picked_up",
  "in_transit",
  "out_for_delivery",
  "delivered",
  "exception",
] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];
