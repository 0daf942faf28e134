import seedrandom from 'seedrandom';
import { sha256Hex, type SnapshotEntry } from './canonical';
import { drawCount, STRATA, type Stratum, type StratumRatios } from './strata';

/**
 * The target lottery, version `jointcheck-draw/1`, in the spirit of RFC 3797 (publicly
 * verifiable random selection). Pure and deterministic: given the same inputs, every run, on
 * any machine, draws the same targets in the same batch order.
 *
 * The task commits to a secret before the snapshot; the seed is SHA-256 of the secret, the
 * snapshot hash and a public witness (a lottery result nobody knew when the snapshot was fixed);
 * each stratum's targets are picked by a partial Fisher-Yates shuffle on seedrandom's ARC4
 * stream, then the picks are shuffled into the order of inspection batches (R15). The operator
 * knows the secret but not the witness when the snapshot is fixed; the public knows the witness
 * but not the secret until the lock: nobody can steer the seed.
 *
 * Every byte of it (canonical forms, seed, ARC4, uniform integers, counts, both shuffles, with a
 * worked example) is written down once, in README.md in this folder: change the two together.
 */
export const DRAW_ALGORITHM = 'jointcheck-draw/1';

/** At least this many numbers make a witness (a lottery result has several). */
export const MIN_WITNESS_NUMBERS = 3;

/**
 * The canonical spelling of a witness (README.md, section 3): its numbers, repeats kept, without leading zeros, in
 * ascending order, space-separated.
 */
export function normaliseWitness(value: string): string {
  return (value.match(/\d+/g) ?? [])
    .map((n) => n.replace(/^0+(?=\d)/, ''))
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .join(' ');
}

/**
 * The seed (README.md, section 4): SHA-256 hex of the algorithm, secret, snapshot hash and canonical witness,
 * LF-separated.
 */
export function deriveSeed(secret: string, snapshotHash: string, witness: string, algorithm = DRAW_ALGORITHM): string {
  return sha256Hex(`${algorithm}\n${secret}\n${snapshotHash}\n${normaliseWitness(witness)}`);
}

/** A seeded source of exactly uniform integers (README.md, section 5). */
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
function pick<T>(items: T[], k: number, source: UniformSource): T[] {
  for (let i = 0; i < k; i++) {
    const j = i + source.below(items.length - i);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items.slice(0, k);
}

/**
 * Runs the draw on a snapshot already in canonical order (README.md, sections 6 to 8).
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
  const byStratum: Record<Stratum, string[]> = { HIGH: [], ELEVATED: [], GENERAL: [], LOW: [] };
  for (const [key, stratum] of sortedEntries) byStratum[stratum].push(key);
  const { strata, chosen, batches } = drawFromStrata(byStratum, ratios, seed, batchSize, choose, capBasisPoints);
  return { seed, strata, drawn: [...chosen].sort(), batches };
}

/**
 * The draw itself (README.md, sections 6 to 8) over each stratum's entries in canonical order,
 * given as any items standing for them: keys (runDraw), or positions in the snapshot (the joint
 * service's draw, which so never builds a list of a million keys). The picks and the batch order
 * depend only on how many entries each stratum holds and where each stands, so both give the same
 * draw. Mutates the stratum lists (the picks are swapped to their front).
 */
export function drawFromStrata<T>(
  byStratum: Record<Stratum, T[]>,
  ratios: StratumRatios,
  seed: string,
  batchSize: number,
  choose: (items: T[], k: number, source: UniformSource) => T[] = pick,
  capBasisPoints: number | null = null,
): { strata: StratumCount[]; chosen: T[]; batches: T[][] } {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('batchSize must be a positive integer');
  const source = uniformSource(seed);
  const strata: StratumCount[] = [];
  const chosen: T[] = [];
  for (const stratum of STRATA) {
    const items = byStratum[stratum];
    const k = drawCount(items.length, ratios[stratum], capBasisPoints);
    strata.push({ stratum, eligible: items.length, ratioBasisPoints: ratios[stratum], drawn: k });
    for (const item of choose(items, k, source)) chosen.push(item);
  }
  const order = [...chosen];
  for (let i = order.length - 1; i > 0; i--) {
    const j = source.below(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const batches: T[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return { strata, chosen, batches };
}
