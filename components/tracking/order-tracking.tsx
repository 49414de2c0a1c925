// The live tracking panels of one order (an order may ship in several parcels); rendered by the
// orders page for orders with shipments.
import type { ShipmentView } from "../../lib/tracking/shipments.ts";
import { LiveTracking } from "./live-tracking.tsx";
import type { TrackingStrings } from "./tracking-strings.ts";

export function OrderTracking(props: {
  shipments: ShipmentView[];
  confirmable: boolean;
  locale: string;
  strings: TrackingStrings;
}) {
  if (props.shipments.length === 0) return null;
  return (
    <div className="stack" data-testid="order-tracking">
      {props.shipments.map((shipment) => (
        <LiveTracking
          key={shipment.id}
          shipment={shipment}
          confirmable={props.confirmable}
          locale={props.locale}
          strings={props.strings}
        />
      ))}
    </div>
  );
}
