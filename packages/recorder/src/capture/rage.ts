// Rage click detector (pure): true exactly once per burst of ≥ n clicks within `ms`
// milliseconds and `px` pixels of each other; the burst ends when a click has no recent
// neighbour, so one frantic series gives one rage_click, not one per extra click.
export function rageDetector(n = 3, ms = 1000, px = 30): (x: number, y: number, t: number) => boolean {
  let hits: { x: number; y: number; t: number }[] = [];
  let fired = false;
  return (x, y, t) => {
    hits = hits.filter((h) => t - h.t <= ms && Math.hypot(h.x - x, h.y - y) <= px);
    if (!hits.length) fired = false;
    hits.push({ x, y, t });
    if (hits.length >= n && !fired) return (fired = true);
    return false;
  };
}
