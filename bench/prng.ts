// A small seeded generator (a 32-bit integer hash of a Weyl sequence, in the manner of splitmix):
// deterministic on every host, for generated benchmark inputs and test corpora. Never Math.random.

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A random 64-bit value from two draws. */
export function rand64(next: () => number): bigint {
  return (BigInt(next()) << 32n) | BigInt(next());
}
