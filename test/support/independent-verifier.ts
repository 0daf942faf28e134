import { createHash } from 'node:crypto';

/**
 * A verifier of draw records written from subgraphs/joint/draw/README.md ("The draw, exactly")
 * alone, as an outsider would write it: SHA-256 from node:crypto, ARC4 written out, and nothing
 * imported from the hub's draw code or from seedrandom (a test holds this file to that). If it
 * re-plays the hub's records, the description is complete; sections are those of the README.
 */

/** The fields of a target-draw record the draw uses (README, "What a record holds"). */
export interface TargetRecord {
  algorithm: string;
  commitment: string;
  secret: string | null;
  witness: { numbers: number; value: string | null };
  snapshot: { hash: string; size: number };
  strata: Array<{ stratum: string; eligible: number; ratioBasisPoints: number; drawn: number }>;
  ratioCapBasisPoints: number | null;
  batchSize: number;
  drawn: string[];
  batches: string[][];
  snapshotEntries: Array<[string, string]>;
}

export interface Person {
  id: string;
  domains: string[];
  jurisdiction: string[];
  qualified: boolean;
}

/** The fields of an inspector-draw record the draw uses (README, "The inspector draw"). */
export interface TeamRecord {
  input: {
    department: string;
    targetSeed: string;
    visits: Array<{ key: string; regionCode: string }>;
    domains: string[];
    inspectorsPerVisit: number;
    expertsPerVisit: number;
    inspectors: Person[];
    experts: Person[];
    conflicts: Array<[string, string]>;
    entrustments: Array<{ inspectorId: string; regions: string[] }>;
  };
  frozenHash: string;
  inputHash: string;
  seed: string;
  assignments: Array<{ key: string; inspectors: string[]; experts: string[]; vacant: number }>;
}

/** SHA-256 of a text's UTF-8 bytes, as 64 lowercase hex digits (README, conventions). */
export const sha256 = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

/** Sorting by UTF-16 code units (README, conventions). */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Section 2: `key TAB stratum LF` per target, in key order, the last line ending in LF too. */
export function canonicalSnapshot(entries: Array<[string, string]>): string {
  return [...entries]
    .sort((a, b) => byCodeUnits(a[0], b[0]))
    .map(([key, stratum]) => `${key}\t${stratum}\n`)
    .join('');
}

/**
 * Section 3: runs of ASCII digits, leading zeros dropped (one digit kept), repeats kept, numeric order, single spaces.
 */
export function canonicalWitness(value: string): string {
  const numbers = (value.match(/[0-9]+/g) ?? []).map((n) => BigInt(n));
  return numbers
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(String)
    .join(' ');
}

/** Section 4. */
export function targetSeed(secret: string, snapshotHash: string, witness: string): string {
  return sha256(`jointcheck-draw/1\n${secret}\n${snapshotHash}\n${canonicalWitness(witness)}`);
}

/** Section 5: ARC4 keyed with the seed's hex text, 256 bytes dropped, big-endian words, uniform(m) by rejection. */
export function stream(seed: string): { uniform(m: number): number } {
  const key = Array.from(seed, (c) => c.charCodeAt(0) % 256);
  const S = Array.from({ length: 256 }, (_, i) => i);
  let i = 0;
  let j = 0;
  const swap = (a: number, b: number) => ([S[a], S[b]] = [S[b]!, S[a]!]);
  for (i = 0; i < 256; i++) {
    j = (j + S[i]! + key[i % key.length]!) % 256;
    swap(i, j);
  }
  i = 0;
  j = 0;
  const byte = (): number => {
    i = (i + 1) % 256;
    j = (j + S[i]!) % 256;
    swap(i, j);
    return S[(S[i]! + S[j]!) % 256]!;
  };
  for (let n = 0; n < 256; n++) byte();
  const word = (): number => {
    const [b0, b1, b2, b3] = [byte(), byte(), byte(), byte()];
    return b0 * 2 ** 24 + b1 * 2 ** 16 + b2 * 2 ** 8 + b3;
  };
  return {
    uniform(m: number): number {
      const limit = Math.floor(2 ** 32 / m) * m;
      for (;;) {
        const u = word();
        if (u < limit) return u % m;
      }
    },
  };
}

/** Section 6, in integer arithmetic. */
export function count(n: number, ratio: number, cap: number | null): number {
  if (n === 0 || ratio === 0) return 0;
  const k = Math.min(n, Math.floor((n * ratio + 9999) / 10000));
  return cap === null ? k : Math.min(k, Math.floor((n * cap) / 10000));
}

export interface Replay {
  commitmentOk: boolean;
  snapshotHash: string;
  seed: string;
  counts: number[];
  /** Section 7: the picks, HIGH first. */
  drawOrder: string[];
  /** Section 8: `drawn` and `batches` as the record should hold them. */
  drawn: string[];
  batches: string[][];
}

/** Re-plays a full target-draw record (sections 1 to 8). */
export function replayTargets(record: TargetRecord): Replay {
  const text = canonicalSnapshot(record.snapshotEntries);
  const snapshotHash = sha256(text);
  const seed = targetSeed(record.secret!, record.snapshot.hash, record.witness.value!);
  const random = stream(seed);
  const counts: number[] = [];
  const drawOrder: string[] = [];
  for (const stratum of ['HIGH', 'ELEVATED', 'GENERAL', 'LOW']) {
    const a = record.snapshotEntries
      .filter(([, s]) => s === stratum)
      .map(([key]) => key)
      .sort(byCodeUnits);
    const ratio = record.strata.find((s) => s.stratum === stratum)?.ratioBasisPoints ?? 0;
    const k = count(a.length, ratio, record.ratioCapBasisPoints);
    counts.push(k);
    for (let i = 0; i < k; i++) {
      const j = i + random.uniform(a.length - i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    drawOrder.push(...a.slice(0, k));
  }
  const o = [...drawOrder];
  for (let i = o.length - 1; i >= 1; i--) {
    const j = random.uniform(i + 1);
    [o[i], o[j]] = [o[j]!, o[i]!];
  }
  const batches: string[][] = [];
  for (let i = 0; i < o.length; i += record.batchSize) batches.push(o.slice(i, i + record.batchSize));
  return {
    commitmentOk: sha256(record.secret!) === record.commitment,
    snapshotHash,
    seed,
    counts,
    drawOrder,
    drawn: [...drawOrder].sort(byCodeUnits),
    batches,
  };
}

/** Canonical JSON (README, "The inspector draw"): keys sorted, no spaces, JSON's own escapes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value).sort(byCodeUnits);
    return `{${members.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Re-plays an inspector-draw record (README, "The inspector draw"). */
export function replayTeams(record: TeamRecord): {
  frozenHash: string;
  inputHash: string;
  seed: string;
  assignments: TeamRecord['assignments'];
} {
  const input = record.input;
  const frozenHash = sha256(
    canonicalJson({
      inspectors: input.inspectors,
      experts: input.experts,
      conflicts: input.conflicts,
      entrustments: input.entrustments,
    }),
  );
  const inputHash = sha256(canonicalJson(input));
  const seed = sha256(`jointcheck-team/1\n${input.targetSeed}\n${input.department}\n${inputHash}`);
  const random = stream(seed);
  const inDomains = (p: Person) => p.domains.some((d) => input.domains.includes(d));
  const conflicted = (p: Person, key: string) => input.conflicts.some(([person, k]) => person === p.id && k === key);
  const covers = (codes: string[], region: string) => codes.some((code) => region.startsWith(code));
  const entrusted = (p: Person) => input.entrustments.filter((e) => e.inspectorId === p.id).flatMap((e) => e.regions);
  const byId = (people: Person[]) => [...people].sort((a, b) => byCodeUnits(a.id, b.id));
  const load = new Map<string, number>();
  const seats = (pool: Person[], n: number) => {
    const chosen: string[] = [];
    let vacant = 0;
    for (let s = 0; s < n; s++) {
      const free = pool.filter((p) => !chosen.includes(p.id));
      if (free.length === 0) {
        vacant++;
        continue;
      }
      const least = Math.min(...free.map((p) => load.get(p.id) ?? 0));
      const candidates = free.filter((p) => (load.get(p.id) ?? 0) === least);
      const person = candidates[random.uniform(candidates.length)]!;
      load.set(person.id, least + 1);
      chosen.push(person.id);
    }
    return { chosen, vacant };
  };
  const assignments = input.visits.map((visit) => {
    const inspectorPool = byId(input.inspectors).filter(
      (p) =>
        p.qualified &&
        inDomains(p) &&
        (covers(p.jurisdiction, visit.regionCode) || covers(entrusted(p), visit.regionCode)) &&
        !conflicted(p, visit.key),
    );
    const inspectors = seats(inspectorPool, input.inspectorsPerVisit);
    const experts = seats(
      byId(input.experts).filter((p) => inDomains(p) && !conflicted(p, visit.key)),
      input.expertsPerVisit,
    );
    return {
      key: visit.key,
      inspectors: inspectors.chosen,
      experts: experts.chosen,
      vacant: inspectors.vacant + experts.vacant,
    };
  });
  return { frozenHash, inputHash, seed, assignments };
}
