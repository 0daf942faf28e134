import { canonicalOrder, compareKeys, sha256Hex, snapshotHash, type SnapshotEntry } from './canonical';
import {
  DRAW_ALGORITHM,
  deriveSeed,
  MIN_WITNESS_NUMBERS,
  normaliseWitness,
  runDraw,
  type StratumCount,
} from './lottery';
import { drawCount, isStratum, STRATA, type Stratum, type StratumRatios } from './strata';

export const RECORD_FORMAT = 'jointcheck-draw-record/1';

/**
 * The public draw record (README.md in this folder): everything needed to check that the
 * published list came from the committed secret, the published snapshot and the public witness.
 * It names no target's stratum (credit-risk classes are internal), only how many each stratum held.
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
    /**
     * Made in a training hub (培训/演练环境), whose clock coordinators can move: not a real draw.
     * Absent from records saved before training hubs existed (they are real).
     */
    training?: boolean;
  };
  /** SHA-256 (hex) of the secret, published before the snapshot was taken. */
  commitment: string;
  /** The secret, revealed when the list is locked; null before. */
  secret: string | null;
  /**
   * The public source, the date it publishes, how many numbers it publishes, and (after the draw) those numbers,
   * sorted.
   */
  witness: { source: string; availableOn: string; numbers: number; value: string | null };
  snapshot: { hash: string; size: number; takenAt: string };
  /** Targets left out of the snapshot, with why (R14), as counts. */
  exclusions: { inspectedTwiceThisYear: number; recentlyInspected: number; overLimitReason: string | null };
  /**
   * Per department, the hash of the rosters, conflicts and entrustments its team draw will use, frozen at the snapshot.
   */
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
  /**
   * Passes, but says something a reader should look at (shown as "!"): a witness spelled otherwise than canonically.
   */
  warning?: boolean;
}

/**
 * How a record stands (README.md in this folder, "What the verifier says"):
 * - `verified`: re-played (a full record), every check passes;
 * - `public`: every check a public record allows passes; the re-play needs the full record;
 * - `awaiting-lock`: drawn, not locked: nothing found wrong, the secret comes with the lock (R17);
 * - `failed`: a check fails.
 */
export type Verdict = 'verified' | 'public' | 'awaiting-lock' | 'failed';

export interface Verification {
  verdict: Verdict;
  /** The verdict is `verified`. */
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
  return (
    `first difference at position ${at + 1}: re-play gives ${expected[at] ?? '(nothing)'}, the record says ` +
    `${actual[at] ?? '(nothing)'}`
  );
}

const HASH = /^[0-9a-f]{64}$/;

/** The checks a public record allows: no snapshot entries, so no re-play (README.md, "What the verifier says"). */
function publicChecks(
  record: PublicDrawRecord,
  add: (check: string, ok: boolean, detail: string, warning?: boolean) => void,
): void {
  add(
    'format',
    record.format === RECORD_FORMAT && record.algorithm === DRAW_ALGORITHM,
    `record ${record.format}, algorithm ${record.algorithm} (this verifier knows ${RECORD_FORMAT}, ${DRAW_ALGORITHM})`,
  );
  // A training draw re-plays like any other, but it is practice: its hub's clock could be moved, so its witness proves
  // nothing.
  if (record.task?.training === true) {
    add(
      'training',
      true,
      'a TRAINING draw (培训/演练环境): made on a hub whose clock coordinators can move, so the witness may have ' +
        'been known; practice, not a real draw',
      true,
    );
  }
  const secret = record.secret;
  if (!secret) {
    add('secret revealed', false, 'the secret is revealed when the list is locked; this record has none yet');
  } else {
    const ok = sha256Hex(secret) === record.commitment;
    add(
      'commitment',
      ok,
      ok
        ? 'SHA-256 of the revealed secret equals the published commitment'
        : 'SHA-256 of the secret does not equal the published commitment',
    );
  }
  // The seed hashes these as text: another spelling of the same bytes (upper case) would give another seed.
  const hashes: Record<string, unknown> = { commitment: record.commitment, 'snapshot hash': record.snapshot.hash };
  if (secret) hashes.secret = secret;
  const malformed = Object.keys(hashes).filter(
    (name) => typeof hashes[name] !== 'string' || !HASH.test(hashes[name] as string),
  );
  add(
    'hash forms',
    malformed.length === 0,
    malformed.length === 0
      ? `${Object.keys(hashes).join(', ')}: 64 lowercase hex digits each`
      : `not 64 lowercase hex digits: ${malformed.join(', ')}`,
  );

  const witness = record.witness?.value;
  const canonical = typeof witness === 'string' ? normaliseWitness(witness) : '';
  const numbers = canonical === '' ? 0 : canonical.split(' ').length;
  add(
    'witness entered',
    numbers === record.witness?.numbers && numbers >= MIN_WITNESS_NUMBERS,
    witness
      ? `witness from ${record.witness.source} (${record.witness.availableOn}): "${witness}", ${numbers} ` +
          `numbers; the task committed to ${record.witness.numbers}`
      : 'no witness value',
  );
  // A spelling is a warning, not a failure: the seed takes the numbers only (README.md, "What the verifier says").
  if (witness && canonical !== '' && witness !== canonical) {
    add(
      'witness spelling',
      true,
      `the witness is spelled non-canonically ("${witness}"); its canonical spelling, which the hub publishes ` +
        `and the seed uses, is "${canonical}"`,
      true,
    );
  }

  // R2, R13: each stratum's count is what its ratio (and the GENERAL items' cap) gives.
  const cap = record.ratioCapBasisPoints ?? null;
  const wrong = record.strata
    .filter((s) => s.drawn !== drawCount(s.eligible, s.ratioBasisPoints, cap))
    .map((s) => s.stratum);
  const eligible = record.strata.reduce((sum, s) => sum + s.eligible, 0);
  const counted = record.strata.reduce((sum, s) => sum + s.drawn, 0);
  const strataInOrder = sameList(
    record.strata.map((s) => s.stratum),
    STRATA,
  );
  add(
    'counts add up',
    strataInOrder && wrong.length === 0 && eligible === record.snapshot.size && counted === record.drawn.length,
    [
      strataInOrder ? `strata ${STRATA.join(', ')}` : `the strata should be ${STRATA.join(', ')} in that order`,
      wrong.length
        ? `not the count the ratio gives: ${wrong.join(', ')}`
        : `each drawn count is what its ratio gives${cap === null ? '' : ` under the ${cap / 100}% cap`}`,
      `${eligible} eligible in all, the snapshot holds ${record.snapshot.size}`,
      `${counted} drawn in all, the list has ${record.drawn.length}`,
    ].join('; '),
  );

  // R15: the list in key order, each drawn target in exactly one batch, batches of batchSize (the last may be smaller).
  const flat = record.batches.flat();
  const keyOrder = record.drawn.every((key, i) => i === 0 || compareKeys(record.drawn[i - 1]!, key) < 0);
  const held = sameList([...flat].sort(compareKeys), record.drawn) && new Set(flat).size === flat.length;
  const sized = record.batches.every(
    (b, i) =>
      b.length === record.batchSize ||
      (i === record.batches.length - 1 && b.length >= 1 && b.length < record.batchSize),
  );
  add(
    'batches hold the list',
    keyOrder && held && sized,
    [
      keyOrder ? 'the list is in key order' : 'the list is not in key order, or names a target twice',
      held ? 'every drawn target is in exactly one batch' : 'the batches do not hold the list, each target once',
      sized
        ? `batches of ${record.batchSize} (the last may be smaller)`
        : `a batch other than the last is not of ${record.batchSize}`,
    ].join('; '),
  );
}

function verdictOf(record: PublicDrawRecord, checks: VerificationCheck[], replayed: boolean): Verification {
  const failing = checks.filter((c) => !c.ok).map((c) => c.check);
  const waiting = record.secret === null && record.lockedAt === null && failing.every((c) => c === 'secret revealed');
  const verdict: Verdict =
    failing.length === 0 ? (replayed ? 'verified' : 'public') : waiting ? 'awaiting-lock' : 'failed';
  return { verdict, ok: verdict === 'verified', replayed, checks };
}

/**
 * Checks a draw record offline: the commitment against the secret, the counts, the list and the
 * batches (a public record), and, with the snapshot entries of a full record, the entries against
 * the published hash and the re-play of the draw: the counts, the list and the batch order.
 */
export function verifyDrawRecord(record: PublicDrawRecord | FullDrawRecord): Verification {
  const checks: VerificationCheck[] = [];
  const add = (check: string, ok: boolean, detail: string, warning?: boolean) =>
    checks.push(warning ? { check, ok, detail, warning } : { check, ok, detail });
  publicChecks(record, add);

  const entries = (record as FullDrawRecord).snapshotEntries;
  if (!entries) return verdictOf(record, checks, false);
  let sorted: SnapshotEntry[];
  try {
    if (!entries.every((e) => Array.isArray(e) && typeof e[0] === 'string' && isStratum(String(e[1]))))
      throw new Error('an entry is not [key, stratum]');
    sorted = canonicalOrder(entries as SnapshotEntry[]);
    if (!sameList(sorted, entries)) throw new Error('entries are not in canonical (key) order');
  } catch (error) {
    add('snapshot', false, (error as Error).message);
    return verdictOf(record, checks, false);
  }
  const hash = snapshotHash(sorted);
  add(
    'snapshot',
    hash === record.snapshot.hash && sorted.length === record.snapshot.size,
    `entries hash to ${hash}; the record publishes ${record.snapshot.hash} (${record.snapshot.size} entries, ` +
      `${sorted.length} given)`,
  );
  const secret = record.secret;
  const witness = record.witness?.value;
  if (!secret || !witness) return verdictOf(record, checks, false);

  const ratios = Object.fromEntries(
    STRATA.map((s) => [s, record.strata.find((x) => x.stratum === s)?.ratioBasisPoints ?? 0]),
  ) as StratumRatios;
  const replay = runDraw(
    sorted,
    ratios,
    deriveSeed(secret, record.snapshot.hash, witness, record.algorithm),
    record.batchSize,
    undefined,
    record.ratioCapBasisPoints ?? null,
  );
  add(
    'strata',
    sameList(replay.strata, record.strata),
    replay.strata.map((s) => `${s.stratum} ${s.drawn}/${s.eligible} at ${s.ratioBasisPoints / 100}%`).join(', '),
  );
  add(
    'drawn list',
    sameList(replay.drawn, record.drawn),
    sameList(replay.drawn, record.drawn)
      ? `${replay.drawn.length} targets, the same as published`
      : firstDifference(replay.drawn, record.drawn),
  );
  const sameBatches = sameList(replay.batches, record.batches);
  add(
    'batch order',
    sameBatches,
    sameBatches
      ? `${replay.batches.length} batches in the published order`
      : firstDifference(replay.batches.flat(), record.batches.flat()),
  );
  return verdictOf(record, checks, true);
}

/** The public record of a full one: the entries (and so every target's stratum) left out. */
export function publicRecord(full: FullDrawRecord): PublicDrawRecord {
  const { snapshotEntries: _entries, ...rest } = full;
  return rest;
}
