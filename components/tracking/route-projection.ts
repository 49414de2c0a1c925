// Equirectangular projection of a parcel's positions fitted into an SVG box: longitudes are
// shrunk by cos(mean latitude) so a route keeps its shape away from the equator, and the bounds
// are scaled uniformly (no stretching) and centred with a margin.
export type LatLon = { lat: number; lon: number };
export type Point = { x: number; y: number };

export function projectRoute(positions: LatLon[], width: number, height: number, margin = 12): Point[] {
  if (positions.length === 0) return [];
  const meanLat = positions.reduce((sum, p) => sum + p.lat, 0) / positions.length;
  const k = Math.cos((meanLat * Math.PI) / 180);
  const raw = positions.map((p) => ({ x: p.lon * k, y: -p.lat }));
  const xs = raw.map((p) => p.x);
  const ys = raw.map((p) => p.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX;
  const spanY = Math.max(...ys) - minY;
  const innerW = width - 2 * margin;
  const innerH = height - 2 * margin;
  // A single point (or a parcel that has not moved) has no span: draw it in the middle.
  const scale = Math.min(
    spanX > 0 ? innerW / spanX : Number.POSITIVE_INFINITY,
    spanY > 0 ? innerH / spanY : Number.POSITIVE_INFINITY,
  );
  const s = Number.isFinite(scale) ? scale : 0;
  const offsetX = margin + (innerW - spanX * s) / 2;
  const offsetY = margin + (innerH - spanY * s) / 2;
  return raw.map((p) => ({
    x: Math.round((offsetX + (p.x - minX) * s) * 10) / 10,
    y: Math.round((offsetY + (p.y - minY) * s) * 10) / 10,
  }));
}
