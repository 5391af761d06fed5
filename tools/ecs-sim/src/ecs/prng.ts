import type { Random } from '../faults/prng';

/** The simulator's one seeded generator, shared with fault injection. */
export { mulberry32 as createPrng, deriveSeed, type Random } from '../faults/prng';

/** An integer in [0, bound). */
export function randomInt(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}
