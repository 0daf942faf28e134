import type { SnapshotEntry } from '../../subgraphs/joint/draw/canonical';
import { deriveSeed, runDraw, type UniformSource } from '../../subgraphs/joint/draw/lottery';
import { STRATA, type Stratum, type StratumRatios } from '../../subgraphs/joint/draw/strata';
import { chiSquarePValue } from './statistics';

export type Chooser = (items: string[], k: number, source: UniformSource) => string[];

/** How often each target is drawn over `draws` seeded draws of the same snapshot. */
export function drawFrequencies(
  entries: readonly SnapshotEntry[],
  hash: string,
  ratios: StratumRatios,
  draws: number,
  choose?: Chooser,
): Map<string, number> {
  const counts = new Map<string, number>(entries.map(([k]) => [k, 0]));
  for (let d = 0; d < draws; d++) {
    const outcome = runDraw(entries, ratios, deriveSeed(`secret-${d}`, hash, 'witness'), 50, choose);
    for (const key of outcome.drawn) counts.set(key, counts.get(key)! + 1);
  }
  return counts;
}

/** Per stratum, the p-value of the chi-square test that every target is drawn equally often. */
export function fairnessPValues(
  entries: readonly SnapshotEntry[],
  counts: Map<string, number>,
): Record<Stratum, number> {
  const out = {} as Record<Stratum, number>;
  for (const stratum of STRATA) {
    const observed = entries.filter(([, s]) => s === stratum).map(([k]) => counts.get(k)!);
    out[stratum] = observed.length > 1 ? chiSquarePValue(observed) : 1;
  }
  return out;
}

/** A drawer like the real one but skewed towards the start of each stratum (u^1.5 instead of u). */
export const biasedChooser: Chooser = (items, k, source) => {
  for (let i = 0; i < k; i++) {
    const u = source.below(1_000_000) / 1_000_000;
    const j = i + Math.floor(u ** 1.5 * (items.length - i));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items.slice(0, k);
};
