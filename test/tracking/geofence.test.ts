// Spherical distances, great-circle interpolation and point-in-polygon for the drone geofences.
import { describe, expect, it } from "vitest";
import {
  defaultDeliveryRules,
  distanceKm,
  interpolateGreatCircle,
  pointInPolygon,
  pointInRing,
  type Ring,
} from "../../lib/tracking/index.ts";

const BERLIN = { lat: 52.52, lon: 13.405 };
const MUNICH = { lat: 48.1374, lon: 11.5755 };

describe("distances and great-circle interpolation", () => {
  it("measures Berlin–Munich at about 504 km and a point to itself at 0", () => {
    expect(distanceKm(BERLIN, MUNICH)).toBeCloseTo(504.4, 0);
    expect(distanceKm(BERLIN, BERLIN)).toBe(0);
    // A quarter of the equator.
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 90 })).toBeCloseTo(10_007.5, 0);
  });

  it("interpolates along the arc: ends at the ends, halfway is equidistant, and follows the great circle", () => {
    expect(interpolateGreatCircle(BERLIN, MUNICH, 0).lat).toBeCloseTo(BERLIN.lat, 9);
    expect(interpolateGreatCircle(BERLIN, MUNICH, 1).lon).toBeCloseTo(MUNICH.lon, 9);
    const mid = interpolateGreatCircle(BERLIN, MUNICH, 0.5);
    expect(distanceKm(BERLIN, mid)).toBeCloseTo(distanceKm(mid, MUNICH), 6);
    // New York → Madrid bends north of the straight lat/lon line, as great circles do.
    const ny = { lat: 40.71, lon: -74.01 };
    const madrid = { lat: 40.42, lon: -3.7 };
    expect(interpolateGreatCircle(ny, madrid, 0.5).lat).toBeGreaterThan(45);
  });
});

describe("point in polygon", () => {
  const square: Ring = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
    [0, 0],
  ];
  // A "U": the notch between the arms is outside.
  const u: Ring = [
    [0, 0],
    [9, 0],
    [9, 9],
    [6, 9],
    [6, 3],
    [3, 3],
    [3, 9],
    [0, 9],
  ];

  it("tells inside from outside for convex and concave rings", () => {
    expect(pointInRing({ lon: 5, lat: 5 }, square)).toBe(true);
    expect(pointInRing({ lon: 11, lat: 5 }, square)).toBe(false);
    expect(pointInRing({ lon: 5, lat: -0.1 }, square)).toBe(false);
    expect(pointInRing({ lon: 1.5, lat: 8 }, u)).toBe(true);
    expect(pointInRing({ lon: 4.5, lat: 8 }, u)).toBe(false);
    expect(pointInRing({ lon: 4.5, lat: 1 }, u)).toBe(true);
  });

  it("leaves holes out", () => {
    const hole: Ring = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
    ];
    expect(pointInPolygon({ lon: 5, lat: 5 }, [square, hole])).toBe(false);
    expect(pointInPolygon({ lon: 2, lat: 2 }, [square, hole])).toBe(true);
    expect(pointInPolygon({ lon: 2, lat: 2 }, [])).toBe(false);
  });

  it("places real addresses inside or outside the configured drone regions", () => {
    const region = (id: string) => defaultDeliveryRules.drone.regions.find((r) => r.id === id)?.polygon ?? [];
    expect(pointInPolygon({ lat: 37.7749, lon: -122.4194 }, region("sf"))).toBe(true); // City Hall
    expect(pointInPolygon({ lat: 37.8044, lon: -122.2712 }, region("sf"))).toBe(false); // Oakland
    expect(pointInPolygon({ lat: 12.9716, lon: 77.5946 }, region("blr"))).toBe(true); // MG Road
    expect(pointInPolygon({ lat: 52.5163, lon: 13.3777 }, region("ber"))).toBe(true); // Brandenburg Gate
    expect(pointInPolygon({ lat: 52.4, lon: 13.06 }, region("ber"))).toBe(false); // Potsdam
  });
});
