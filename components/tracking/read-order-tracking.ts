// What the orders page needs for tracking: each order's shipments and which escrow orders can be
// confirmed once delivered. Imports the specific lib/tracking files, not lib/tracking/index.ts,
// which would pull the MQTT client into the server bundle.
import type { Executor } from "../../lib/pricing/executor.ts";
import { listDeliveredAwaitingConfirmation } from "../../lib/tracking/delivered-awaiting-confirmation.ts";
import { listOrderShipments, type ShipmentView } from "../../lib/tracking/shipments.ts";

export type OrderTrackingData = {
  shipments: Map<string, ShipmentView[]>;
  /** Orders already delivered whose escrow accepts confirmDelivery now. */
  deliveredConfirmable: Set<string>;
};

export async function readOrderTracking(
  db: Executor,
  input: { userId: string; orderIds: string[]; viewsSchema: string },
): Promise<OrderTrackingData> {
  const [lists, awaiting] = await Promise.all([
    Promise.all(input.orderIds.map((orderId) => listOrderShipments(db, { orderId, userId: input.userId }))),
    listDeliveredAwaitingConfirmation(db, { userId: input.userId, viewsSchema: input.viewsSchema }),
  ]);
  return {
    shipments: new Map(input.orderIds.map((id, i) => [id, lists[i] ?? []])),
    deliveredConfirmable: new Set(awaiting.filter((a) => a.confirmable).map((a) => a.orderId)),
  };
}
