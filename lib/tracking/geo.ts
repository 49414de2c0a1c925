// Spherical geometry for routes and geofences. Distances use a spherical Earth (haversine): the
// 0.3% error against the ellipsoid is far below what carbon estimates and ETAs can resolve.
import type { Position } from "./telemetry-message.ts";

export const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

/** Great-circle distance in kilometres. */
export function distanceKm(a: Position, b: Position): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The point at `fraction` (0..1) of the great-circle arc from a to b (spherical interpolation). */
export function interpolateGreatCircle(a: Position, b: Position, fraction: number): Position {
  const d = distanceKm(a, b) / EARTH_RADIUS_KM;
  if (d < 1e-12) return { lat: a.lat, lon: a.lon };
  const sinD = Math.sin(d);
  const wa = Math.sin((1 - fraction) * d) / sinD;
  const wb = Math.sin(fraction * d) / sinD;
  const [la, oa, lb, ob] = [rad(a.lat), rad(a.lon), rad(b.lat), rad(b.lon)];
  const x = wa * Math.cos(la) * Math.cos(oa) + wb * Math.cos(lb) * Math.cos(ob);
  const y = wa * Math.cos(la) * Math.sin(oa) + wb * Math.cos(lb) * Math.sin(ob);
  const z = wa * Math.sin(la) + wb * Math.sin(lb);
  return { lat: deg(Math.atan2(z, Math.hypot(x, y))), lon: deg(Math.atan2(y, x)) };
}

/** A ring of [lon, lat] pairs (GeoJSON order); closing the ring is optional. */
export type Ring = readonly (readonly [number, number])[];

/**
 * Whether the point lies inside the ring (even-odd ray casting in lon/lat). Service areas are
 * city-sized, where treating lon/lat as planar is exact enough; rings must not cross the
 * antimeridian. A point exactly on an edge may fall either way, so geofences should keep a margin.
 */
export function pointInRing(point: Position, ring: Ring): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i] as readonly [number, number];
    const [xj, yj] = ring[j] as readonly [number, number];
    const crosses = yi > point.lat !== yj > point.lat;
    if (crosses && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and outside every hole (GeoJSON Polygon coordinates). */
export function pointInPolygon(point: Position, polygon: readonly Ring[]): boolean {
  const [outer, ...holes] = polygon;
  if (!outer || !pointInRing(point, outer)) return false;
  return !holes.some((hole) => pointInRing(point, hole));
}
