import { canonicalOrder, sha256Hex, snapshotHash, type SnapshotEntry } from '../../subgraphs/joint/draw/canonical';
import { DRAW_ALGORITHM, deriveSeed, normaliseWitness, runDraw } from '../../subgraphs/joint/draw/lottery';
import { RECORD_FORMAT, type FullDrawRecord } from '../../subgraphs/joint/draw/record';
import type { Stratum, StratumRatios } from '../../subgraphs/joint/draw/strata';

/**
 * Draw records made by the draw's own code, as the hub makes them (the witness in its canonical spelling), for tests
 * of the verifiers (server, command line, browser).
 */
export const RATIOS: StratumRatios = { HIGH: 3000, ELEVATED: 1000, GENERAL: 200, LOW: 100 };

/** A fixed roster: 10 HIGH, 30 ELEVATED, 60 GENERAL, 100 LOW, keys like USCCs in shape. */
export function roster(): SnapshotEntry[] {
  const strata: Array<[Stratum, number]> = [
    ['HIGH', 10],
    ['ELEVATED', 30],
    ['GENERAL', 60],
    ['LOW', 100],
  ];
  const entries: SnapshotEntry[] = [];
  let i = 0;
  for (const [stratum, n] of strata)
    for (let k = 0; k < n; k++) entries.push([`91310115T${String(i++).padStart(8, '0')}X`, stratum]);
  return canonicalOrder(entries);
}

export function fullRecord(
  entries: SnapshotEntry[],
  secret: string,
  witness: string,
  ratios = RATIOS,
  batchSize = 7,
  taskId = 't1',
  capBasisPoints: number | null = null,
): FullDrawRecord {
  const sorted = canonicalOrder(entries);
  const hash = snapshotHash(sorted);
  const outcome = runDraw(sorted, ratios, deriveSeed(secret, hash, witness), batchSize, undefined, capBasisPoints);
  return {
    format: RECORD_FORMAT,
    algorithm: DRAW_ALGORITHM,
    task: {
      id: taskId,
      name: '2026年度联合抽查第1批',
      planId: 'p1',
      planRevision: 2,
      year: 2026,
      leadDepartment: 'market',
      departments: ['market', 'tax'],
      classCombination: 'WORST',
    },
    commitment: sha256Hex(secret),
    secret,
    witness: {
      source: '中国福利彩票双色球第2026136期开奖号码',
      availableOn: '2026-11-24',
      numbers: normaliseWitness(witness).split(' ').length,
      value: normaliseWitness(witness),
    },
    snapshot: { hash, size: sorted.length, takenAt: '2026-11-23T08:00:00.000Z' },
    exclusions: { inspectedTwiceThisYear: 0, recentlyInspected: 0, overLimitReason: null },
    teamRosterHashes: {},
    strata: outcome.strata,
    ratioCapBasisPoints: capBasisPoints,
    batchSize,
    drawn: outcome.drawn,
    batches: outcome.batches,
    drawnAt: '2026-11-24T08:00:00.000Z',
    lockedAt: '2026-11-24T08:05:00.000Z',
    snapshotEntries: sorted.map(([k, s]) => [k, s]),
  };
}

export const SECRET = 'a3f1c0de9b7e4d2a8c6b5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b';
export const WITNESS = '03 09 14 22 27 31 + 08';
