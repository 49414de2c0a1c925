// Typed errors of delivery quotes and tracking; messages tell the user (or operator) what to do.
import { CommerceError } from "../pricing/errors.ts";

export class DroneOutsideServiceAreaError extends CommerceError {
  override name = "DroneOutsideServiceAreaError";
  constructor(which: "origin" | "destination" | "route", regions: readonly string[]) {
    super(
      "drone_outside_service_area",
      422,
      which === "route"
        ? `Drone delivery needs both ends in the same service area (${regions.join(", ")}); choose standard or green delivery.`
        : `Drone delivery is only available inside ${regions.join(", ")}, and the ${which} is outside them; choose standard or green delivery.`,
    );
  }
}

export class DroneWeightLimitError extends CommerceError {
  override name = "DroneWeightLimitError";
  constructor(weightGrams: number, maxGrams: number) {
    super(
      "drone_weight_limit",
      422,
      `The parcel weighs ${(weightGrams / 1000).toFixed(2)} kg and drones carry at most ${(maxGrams / 1000).toFixed(2)} kg; choose standard or green delivery.`,
    );
  }
}

export class DroneRangeError extends CommerceError {
  override name = "DroneRangeError";
  constructor(distanceKm: number, maxKm: number) {
    super(
      "drone_range",
      422,
      `The route is ${distanceKm.toFixed(1)} km and drones fly at most ${maxKm} km; choose standard or green delivery.`,
    );
  }
}

export class ShipmentNotFoundError extends CommerceError {
  override name = "ShipmentNotFoundError";
  constructor(shipmentId: string) {
    super("shipment_not_found", 404, `You have no shipment ${shipmentId}.`);
  }
}

/** Bad tracking configuration (secret, delivery rules file): the operator has to fix it. */
export class TrackingConfigError extends Error {
  override name = "TrackingConfigError";
}
