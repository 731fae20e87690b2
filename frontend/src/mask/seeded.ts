// A seeded random source for tests: the same numbers on every run.

/** Numbers in [0, 1) from a linear congruential generator started at seed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
