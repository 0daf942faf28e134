import { canonicalOrder, sha256Hex, snapshotHash, type SnapshotEntry } from './canonical';
import { DRAW_ALGORITHM, deriveSeed, MIN_WITNESS_NUMBERS, normaliseWitness, runDraw, type StratumCount } from './lottery';
import { isStratum, STRATA, type Stratum, type StratumRatios } from './strata';

export const RECORD_FORMAT = 'jointcheck-draw-record/1';

/**
 * The public draw record (DESIGN.md flow 3): everything needed to check that the published list
 * came from the committed secret, the published snapshot and the public witness. It names no
 * target's stratum (credit-risk classes are internal), only how many each stratum held.
 */
export interface PublicDrawRecord {
  format: typeof RECORD_FORMAT;
  algorithm: string;
  task: {
    id: string;
    name: string;
    planId: string;
    planRevision: number;
    year: number;
    leadDepartment: string;
    departments: string[];
    classCombination: 'WORST' | 'LEAD';
  };
  /** SHA-256 (hex) of the secret, published before the snapshot was taken. */
  commitment: string;
  /** The secret, revealed when the list is locked; null before. */
  secret: string | null;
  /** The public source, the date it publishes, how many numbers it publishes, and (after the draw) those numbers, sorted. */
  witness: { source: string; availableOn: string; numbers: number; value: string | null };
  snapshot: { hash: string; size: number; takenAt: string };
  /** Targets left out of the snapshot, with why (R14), as counts. */
  exclusions: { inspectedTwiceThisYear: number; recentlyInspected: number; overLimitReason: string | null };
  /** Per department, the hash of the rosters, conflicts and entrustments its team draw will use, frozen at the snapshot. */
  teamRosterHashes: Record<string, string>;
  strata: StratumCount[];
  /** The smallest ratio cap of the plan's GENERAL items, in basis points, or null (R2). */
  ratioCapBasisPoints: number | null;
  batchSize: number;
  drawn: string[];
  batches: string[][];
  drawnAt: string | null;
  lockedAt: string | null;
}

/** The full record for auditors: the public one plus every snapshot entry with its stratum. */
export interface FullDrawRecord extends PublicDrawRecord {
  snapshotEntries: Array<[string, Stratum]>;
}

export interface VerificationCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface Verification {
  ok: boolean;
  /** Whether the draw itself was re-played (needs the full record and the revealed secret). */
  replayed: boolean;
  checks: VerificationCheck[];
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
}

function firstDifference(expected: string[], actual: string[]): string {
  const i = expected.findIndex((x, k) => x !== actual[k]);
  const at = i === -1 ? Math.min(expected.length, actual.length) : i;
  return `first difference at position ${at + 1}: re-play gives ${expected[at] ?? '(nothing)'}, the record says ${actual[at] ?? '(nothing)'}`;
}

/**
 * Checks a draw record offline: the commitment against the secret, the snapshot entries against
 * the published hash, and, by re-playing the draw, the counts, the list and the batch order.
 * A public record (no entries) gets the checks that need no entries; the replay needs the full one.
 */
export function verifyDrawRecord(record: PublicDrawRecord | FullDrawRecord): Verification {
  const checks: VerificationCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });

  add('format', record.format === RECORD_FORMAT && record.algorithm === DRAW_ALGORITHM, `record ${record.format}, algorithm ${record.algorithm} (this verifier knows ${RECORD_FORMAT}, ${DRAW_ALGORITHM})`);
  const secret = record.secret;
  if (!secret) {
    add('secret revealed', false, 'the secret is revealed when the list is locked; this record has none yet');
  } else {
    const ok = sha256Hex(secret) === record.commitment;
    add('commitment', ok, ok ? 'SHA-256 of the revealed secret equals the published commitment' : 'SHA-256 of the secret does not equal the published commitment');
  }
  const witness = record.witness?.value;
  const numbers = typeof witness === 'string' && witness.trim() !== '' ? normaliseWitness(witness).split(' ').length : 0;
  add(
    'witness entered',
    numbers === record.witness?.numbers && numbers >= MIN_WITNESS_NUMBERS,
    witness ? `witness from ${record.witness.source} (${record.witness.availableOn}): "${witness}", ${numbers} numbers; the task committed to ${record.witness.numbers}` : 'no witness value',
  );
  const flat = record.batches.flat();
  add('batches hold the list', sameList([...flat].sort(), record.drawn) && new Set(flat).size === flat.length, 'every drawn target appears in exactly one batch');
  const counted = record.strata.reduce((sum, s) => sum + s.drawn, 0);
  add('counts add up', counted === record.drawn.length, `strata drew ${counted}, the list has ${record.drawn.length}`);

  const entries = (record as FullDrawRecord).snapshotEntries;
  if (!entries) {
    add('replay', false, 'a public record names no strata: re-playing the draw needs the full record (auditors)');
    return { ok: false, replayed: false, checks };
  }
  let sorted: SnapshotEntry[];
  try {
    if (!entries.every((e) => Array.isArray(e) && typeof e[0] === 'string' && isStratum(String(e[1])))) throw new Error('an entry is not [key, stratum]');
    sorted = canonicalOrder(entries as SnapshotEntry[]);
    if (!sameList(sorted, entries)) throw new Error('entries are not in canonical (key) order');
  } catch (error) {
    add('snapshot', false, (error as Error).message);
    return { ok: false, replayed: false, checks };
  }
  const hash = snapshotHash(sorted);
  add('snapshot', hash === record.snapshot.hash && sorted.length === record.snapshot.size, `entries hash to ${hash}; the record publishes ${record.snapshot.hash} (${record.snapshot.size} entries, ${sorted.length} given)`);
  if (!secret || !witness) return { ok: false, replayed: false, checks };

  const ratios = Object.fromEntries(STRATA.map((s) => [s, record.strata.find((x) => x.stratum === s)?.ratioBasisPoints ?? 0])) as StratumRatios;
  const replay = runDraw(sorted, ratios, deriveSeed(secret, record.snapshot.hash, witness, record.algorithm), record.batchSize, undefined, record.ratioCapBasisPoints ?? null);
  add('strata', sameList(replay.strata, record.strata), replay.strata.map((s) => `${s.stratum} ${s.drawn}/${s.eligible} at ${s.ratioBasisPoints / 100}%`).join(', '));
  add('drawn list', sameList(replay.drawn, record.drawn), sameList(replay.drawn, record.drawn) ? `${replay.drawn.length} targets, the same as published` : firstDifference(replay.drawn, record.drawn));
  const sameBatches = sameList(replay.batches, record.batches);
  add('batch order', sameBatches, sameBatches ? `${replay.batches.length} batches in the published order` : firstDifference(replay.batches.flat(), record.batches.flat()));
  return { ok: checks.every((c) => c.ok), replayed: true, checks };
}

/** The public record of a full one: the entries (and so every target's stratum) left out. */
export function publicRecord(full: FullDrawRecord): PublicDrawRecord {
  const { snapshotEntries: _entries, ...rest } = full;
  return rest;
}
