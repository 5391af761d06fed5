/**
 * Coalesces bursts of changes into one render per animation frame, at most every
 * `minIntervalMs`: a churning cluster sends many changes a second, and a render
 * per change would keep the page busy.
 */
export function renderThrottle(render: () => void, minIntervalMs = 150): () => void {
  let scheduled = false;
  let last = 0;
  const run = () => {
    scheduled = false;
    last = performance.now();
    render();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    const wait = Math.max(0, last + minIntervalMs - performance.now());
    setTimeout(() => requestAnimationFrame(run), wait);
  };
}
