import seedrandom from 'seedrandom';
import { sha256Hex, type SnapshotEntry } from './canonical';
import { drawCount, STRATA, type Stratum, type StratumRatios } from './strata';

/**
 * The target lottery, version `jointcheck-draw/1`, in the spirit of RFC 3797 (publicly
 * verifiable random selection). Pure and deterministic: given the same inputs, every run, on
 * any machine, draws the same targets in the same batch order.
 *
 * 1. Before the snapshot, the task publishes `commitment = SHA-256(secret)` and names a public
 *    source of witness entropy that is not yet known (a lottery's numbers on a stated date).
 * 2. The snapshot (canonical form, see canonical.ts) is taken and its hash published.
 * 3. At the draw the coordinator enters the witness value. The seed is
 *    `SHA-256("jointcheck-draw/1\n" + secret + "\n" + snapshotHash + "\n" + witness)` in hex,
 *    where the witness is its canonical form: the numbers it contains, without leading zeros,
 *    sorted in ascending numeric order, joined by single spaces ("14, 03 + 09" becomes "3 9 14",
 *    in the spirit of RFC 3797's sorting of unordered results). Only the set of numbers counts, so
 *    whoever enters the witness cannot pick among spellings or orderings of the same result to
 *    steer the seed; what they enter is checked by anyone against the public source.
 *    The operator knows the secret but not the witness when the snapshot is fixed; the public
 *    knows the witness but not the secret until the lock: nobody can steer the seed.
 * 4. The PRNG is seedrandom's default (ARC4, as published in seedrandom 3.0.5) seeded with that
 *    hex string. Integers below m come from `int32()` by rejection: draw u = int32() >>> 0,
 *    reject u ≥ floor(2^32 / m) × m, answer u mod m (exactly uniform).
 * 5. Strata are visited in order HIGH, ELEVATED, GENERAL, LOW. In each, the targets in
 *    canonical order form an array a of n; k = drawCount(n, ratio, cap) of them are chosen by a partial
 *    Fisher-Yates shuffle: for i = 0..k-1, j = i + uniform(n - i), swap a[i] and a[j]; a[0..k) is drawn.
 * 6. Batch order (R15): the drawn targets, in the order chosen (stratum by stratum), are shuffled
 *    by a full Fisher-Yates on the same PRNG stream (for i = len-1 down to 1, j = uniform(i + 1),
 *    swap), then cut into batches of `batchSize` in that order.
 */
export const DRAW_ALGORITHM = 'jointcheck-draw/1';

/** At least this many numbers make a witness (a lottery result has several). */
export const MIN_WITNESS_NUMBERS = 3;

/** The canonical form of a witness value: its numbers without leading zeros, in ascending order, space-separated. */
export function normaliseWitness(value: string): string {
  return (value.match(/\d+/g) ?? [])
    .map((n) => n.replace(/^0+(?=\d)/, ''))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .join(' ');
}

export function deriveSeed(secret: string, snapshotHash: string, witness: string, algorithm = DRAW_ALGORITHM): string {
  return sha256Hex(`${algorithm}\n${secret}\n${snapshotHash}\n${normaliseWitness(witness)}`);
}

/** A seeded source of exactly uniform integers. */
export interface UniformSource {
  /** An integer in [0, m), for 1 ≤ m ≤ 2^32. */
  below(m: number): number;
}

export function uniformSource(seed: string): UniformSource {
  const rng = seedrandom(seed);
  return {
    below(m: number): number {
      if (!Number.isInteger(m) || m < 1 || m > 2 ** 32) throw new Error(`uniform range ${m} out of bounds`);
      const limit = Math.floor(2 ** 32 / m) * m;
      for (;;) {
        const u = rng.int32() >>> 0;
        if (u < limit) return u % m;
      }
    },
  };
}

export interface StratumCount {
  stratum: Stratum;
  eligible: number;
  ratioBasisPoints: number;
  drawn: number;
}

export interface DrawOutcome {
  seed: string;
  strata: StratumCount[];
  /** Drawn keys, sorted (the published list). */
  drawn: string[];
  /** The drawn keys in batches, in the drawn order of inspection (R15). */
  batches: string[][];
}

/** Picks k of `items` by partial Fisher-Yates (mutates `items`; the first k are the pick). */
function pick(items: string[], k: number, source: UniformSource): string[] {
  for (let i = 0; i < k; i++) {
    const j = i + source.below(items.length - i);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items.slice(0, k);
}

/**
 * Runs the draw on a snapshot already in canonical order (step 5 and 6 above).
 * `choose` is the per-stratum selection, replaceable only by tests (a deliberately biased drawer
 * proves the fairness test can fail).
 */
export function runDraw(
  sortedEntries: readonly SnapshotEntry[],
  ratios: StratumRatios,
  seed: string,
  batchSize: number,
  choose: (items: string[], k: number, source: UniformSource) => string[] = pick,
  /** The smallest ratio cap of the plan's GENERAL items (R2), or null. */
  capBasisPoints: number | null = null,
): DrawOutcome {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  const byStratum: Record<Stratum, string[]> = { HIGH: [], ELEVATED: [], GENERAL: [], LOW: [] };
  for (const [key, stratum] of sortedEntries) byStratum[stratum].push(key);
  const source = uniformSource(seed);
  const strata: StratumCount[] = [];
  const chosen: string[] = [];
  for (const stratum of STRATA) {
    const items = byStratum[stratum];
    const k = drawCount(items.length, ratios[stratum], capBasisPoints);
    strata.push({ stratum, eligible: items.length, ratioBasisPoints: ratios[stratum], drawn: k });
    for (const key of choose(items, k, source)) chosen.push(key);
  }
  const order = [...chosen];
  for (let i = order.length - 1; i > 0; i--) {
    const j = source.below(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const batches: string[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return { seed, strata, drawn: [...chosen].sort(), batches };
}
