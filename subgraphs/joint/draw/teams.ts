import { sha256Hex } from './canonical';
import { uniformSource } from './lottery';

/**
 * The inspector (and expert) draw, version `jointcheck-team/1`: each participating department
 * draws its own people for every visit of a locked task (R18), seeded and re-playable like the
 * target draw. Pure: the record holds every input, so anyone can re-play it.
 *
 * Eligible for a visit (R7, R19, R21):
 *   - an inspector who is qualified, holds at least one supervision domain of the department's
 *     items in the plan, has jurisdiction over the target's region (a jurisdiction code is a prefix
 *     of the region code) or is entrusted for it by the higher-level department, and has declared
 *     no conflict of interest with the target;
 *   - an expert whose expertise covers one of those domains and who declared no conflict.
 * Visits are served in the drawn inspection order; each seat goes, by a uniform draw on
 * seedrandom's ARC4 stream (seeded from the target draw's seed, the department and the input's
 * hash), to one of the eligible people not yet on the team with the fewest visits so far in this
 * task (so nobody gets a second visit while an eligible colleague has none). A seat nobody eligible
 * is left for stays vacant: the department's deputy head fills it afterwards, without a lottery and
 * on record. Every byte of it is written down once, in README.md in this folder ("The inspector
 * draw"): change the two together.
 *
 * Nobody can steer it: the rosters, declared conflicts and entrustments it uses (`frozen`) were
 * read at the task's snapshot, before the witness and so the target seed could be known, and their
 * hash was published then (`frozenHash`).
 */
export const TEAM_ALGORITHM = 'jointcheck-team/1';

export interface RosterPerson {
  id: string;
  name: string;
  certificateNo: string | null;
  /** Inspectors: supervision domains; experts: expertise. */
  domains: string[];
  /** Region codes or prefixes of jurisdiction (inspectors only). */
  jurisdiction: string[];
  qualified: boolean;
}

/** What a department's team draw may use, read at the task's snapshot and frozen (R9). */
export interface FrozenTeamInput {
  inspectors: RosterPerson[];
  experts: RosterPerson[];
  /** [personId, targetKey] pairs with a declared conflict of interest (R19). */
  conflicts: Array<[string, string]>;
  /** Entrustments (R21): an inspector may act in these regions. */
  entrustments: Array<{ inspectorId: string; regions: string[] }>;
}

export interface TeamDrawInput extends FrozenTeamInput {
  algorithm: string;
  taskId: string;
  department: string;
  /** The task's target-draw seed: ties this draw to that one. */
  targetSeed: string;
  visits: Array<{ key: string; regionCode: string }>;
  domains: string[];
  inspectorsPerVisit: number;
  expertsPerVisit: number;
}

/** The hash of a frozen input, published at the snapshot. */
export function frozenHash(frozen: FrozenTeamInput): string {
  return sha256Hex(
    canonicalJson({
      inspectors: frozen.inspectors,
      experts: frozen.experts,
      conflicts: frozen.conflicts,
      entrustments: frozen.entrustments,
    }),
  );
}

export interface TeamAssignment {
  key: string;
  inspectors: string[];
  experts: string[];
  /** Seats nobody eligible was left for. */
  vacant: number;
}

export interface TeamDrawOutcome {
  seed: string;
  inputHash: string;
  assignments: TeamAssignment[];
}

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function teamSeed(input: TeamDrawInput): { seed: string; inputHash: string } {
  const inputHash = sha256Hex(canonicalJson(input));
  return { seed: sha256Hex(`${TEAM_ALGORITHM}\n${input.targetSeed}\n${input.department}\n${inputHash}`), inputHash };
}

const covers = (codes: readonly string[], region: string) => codes.some((c) => region.startsWith(c));

/** Who may take a seat on a visit's team (R7, R19, R21). */
export function eligibility(input: TeamDrawInput) {
  const conflicted = new Set(input.conflicts.map(([person, key]) => `${person}\u0000${key}`));
  const entrusted = new Map<string, string[]>();
  for (const e of input.entrustments)
    entrusted.set(e.inspectorId, [...(entrusted.get(e.inspectorId) ?? []), ...e.regions]);
  const domains = new Set(input.domains);
  return {
    inspector: (p: RosterPerson, visit: { key: string; regionCode: string }) =>
      p.qualified && // R7
      p.domains.some((d) => domains.has(d)) && // R7
      (covers(p.jurisdiction, visit.regionCode) || covers(entrusted.get(p.id) ?? [], visit.regionCode)) && // R21
      !conflicted.has(`${p.id}\u0000${visit.key}`), // R19
    expert: (p: RosterPerson, visit: { key: string }) =>
      p.domains.some((d) => domains.has(d)) && !conflicted.has(`${p.id}\u0000${visit.key}`), // R8, R19
  };
}

/** Runs the team draw; a seat nobody eligible is left for stays vacant. */
export function runTeamDraw(input: TeamDrawInput): TeamDrawOutcome {
  const { seed, inputHash } = teamSeed(input);
  const source = uniformSource(seed);
  const eligible = eligibility(input);
  const inspectors = [...input.inspectors].sort((a, b) => (a.id < b.id ? -1 : 1));
  const experts = [...input.experts].sort((a, b) => (a.id < b.id ? -1 : 1));
  const load = new Map<string, number>();
  const seat = (pool: RosterPerson[], team: string[]): string | null => {
    const free = pool.filter((p) => !team.includes(p.id));
    if (free.length === 0) return null;
    const least = Math.min(...free.map((p) => load.get(p.id) ?? 0));
    const candidates = free.filter((p) => (load.get(p.id) ?? 0) === least);
    const chosen = candidates[source.below(candidates.length)]!;
    load.set(chosen.id, least + 1);
    return chosen.id;
  };
  const assignments = input.visits.map((visit) => {
    const pool = inspectors.filter((p) => eligible.inspector(p, visit));
    const team: string[] = [];
    let vacant = 0;
    for (let i = 0; i < input.inspectorsPerVisit; i++) {
      const id = seat(pool, team);
      if (id) team.push(id);
      else vacant++;
    }
    const expertPool = experts.filter((p) => eligible.expert(p, visit));
    const chosenExperts: string[] = [];
    for (let i = 0; i < input.expertsPerVisit; i++) {
      const id = seat(expertPool, chosenExperts);
      if (id) chosenExperts.push(id);
      else vacant++;
    }
    return { key: visit.key, inspectors: team, experts: chosenExperts, vacant };
  });
  return { seed, inputHash, assignments };
}

/** A stored team draw: its input and what it gave. */
export interface TeamDrawRecord {
  format: 'jointcheck-team-record/1';
  input: TeamDrawInput;
  /** The hash of the frozen part of the input, as published at the task's snapshot. */
  frozenHash: string;
  seed: string;
  inputHash: string;
  assignments: TeamAssignment[];
}

/** Re-plays a team draw record; says whether the stored assignment is what the draw gives. */
export function verifyTeamDrawRecord(record: TeamDrawRecord): {
  ok: boolean;
  checks: Array<{ check: string; ok: boolean; detail: string }>;
} {
  const checks: Array<{ check: string; ok: boolean; detail: string }> = [];
  checks.push({
    check: 'format',
    ok: record.format === 'jointcheck-team-record/1' && record.input.algorithm === TEAM_ALGORITHM,
    detail: `${record.format}, ${record.input.algorithm}`,
  });
  let replay: TeamDrawOutcome;
  try {
    replay = runTeamDraw(record.input);
  } catch (error) {
    checks.push({ check: 'replay', ok: false, detail: (error as Error).message });
    return { ok: false, checks };
  }
  const frozen = frozenHash(record.input);
  checks.push({
    check: 'frozen rosters',
    ok: frozen === record.frozenHash,
    detail: `rosters, conflicts and entrustments hash to ${frozen}; published at the snapshot: ${record.frozenHash}`,
  });
  checks.push({
    check: 'input hash',
    ok: replay.inputHash === record.inputHash,
    detail: `input hashes to ${replay.inputHash}`,
  });
  checks.push({ check: 'seed', ok: replay.seed === record.seed, detail: `seed ${replay.seed}` });
  const same = JSON.stringify(replay.assignments) === JSON.stringify(record.assignments);
  const at = replay.assignments.findIndex((a, i) => JSON.stringify(a) !== JSON.stringify(record.assignments[i]));
  checks.push({
    check: 'teams',
    ok: same,
    detail: same
      ? `${replay.assignments.length} visits, the same teams as recorded`
      : `first difference at visit ${at + 1} (${replay.assignments[at]?.key})`,
  });
  return { ok: checks.every((c) => c.ok), checks };
}
