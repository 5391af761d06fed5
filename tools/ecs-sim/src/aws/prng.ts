/**
 * mulberry32: a tiny seeded PRNG, the one generator of the simulator and the
 * benchmarks. Fault decisions, ECS identifiers, workloads and benchmark request mixes
 * must be reproducible from a seed so that a run can be replayed; Math.random cannot
 * be seeded.
 */
export type Random = () => number;

/** A generator of floats in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Derives an independent stream so that one consumer's draws never shift another's. */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

/** An integer in [0, bound). */
export function randomInt(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}
