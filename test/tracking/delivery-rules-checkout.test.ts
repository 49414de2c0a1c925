// The parts of the delivery rules checkout prices with (fees, dispatch hubs, delivery areas,
// parcel weights): the shipped defaults are consistent with the drone geofences, and a rules file
// naming a missing default hub or the same area twice is refused with what is wrong.
import { describe, expect, it } from "vitest";
import { defaultDeliveryRules, parseDeliveryRules } from "../../lib/tracking/delivery-rules.ts";
import { TrackingConfigError } from "../../lib/tracking/errors.ts";
import { pointInPolygon } from "../../lib/tracking/geo.ts";

const rules = defaultDeliveryRules;
const droneRegionOf = (p: { lat: number; lon: number }) =>
  rules.drone.regions.find((r) => pointInPolygon(p, r.polygon))?.name;

describe("delivery rules for checkout", () => {
  it("puts each drone city's hub and at least one delivery area inside its geofence, and one area outside", () => {
    for (const region of rules.drone.regions) {
      expect(rules.hubs.list.some((h) => droneRegionOf(h) === region.name)).toBe(true);
      expect(rules.destinations.some((d) => droneRegionOf(d) === region.name)).toBe(true);
    }
    // Oakland is across the bay from the San Francisco hub: the geofence must exclude it.
    const oakland = rules.destinations.find((d) => d.id === "us-oakland");
    expect(oakland && droneRegionOf(oakland)).toBeUndefined();
  });

  it("refuses a default hub missing from the list and duplicate delivery areas", () => {
    const copy = () => JSON.parse(JSON.stringify(rules));
    const noHub = copy();
    noHub.hubs.defaultHub = "nowhere";
    expect(() => parseDeliveryRules(noHub)).toThrow(TrackingConfigError);
    expect(() => parseDeliveryRules(noHub)).toThrow(/defaultHub must name a hub/);
    const twice = copy();
    twice.destinations.push(twice.destinations[0]);
    expect(() => parseDeliveryRules(twice)).toThrow(/destination ids must be unique/);
    const negativeFee = copy();
    negativeFee.fees.green.baseMinor = -1;
    expect(() => parseDeliveryRules(negativeFee)).toThrow(/fees\.green\.baseMinor/);
  });
});
