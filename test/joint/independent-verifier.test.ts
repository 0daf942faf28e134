import fs from 'node:fs';
import path from 'node:path';
import { uniformSource } from '../../subgraphs/joint/draw/lottery';
import { verifyDrawRecord, type FullDrawRecord, type PublicDrawRecord } from '../../subgraphs/joint/draw/record';
import type { SnapshotEntry } from '../../subgraphs/joint/draw/canonical';
import {
  frozenHash,
  runTeamDraw,
  TEAM_ALGORITHM,
  verifyTeamDrawRecord,
  type TeamDrawInput,
  type TeamDrawRecord,
} from '../../subgraphs/joint/draw/teams';
import { Role } from '../../kernel/identity';
import { fullRecord, roster, SECRET } from '../support/draw-records';
import { describeWithHub } from '../support/hub';
import {
  canonicalSnapshot,
  canonicalWitness,
  count,
  replayTargets,
  replayTeams,
  sha256,
  stream,
  type TargetRecord,
  type TeamRecord,
} from '../support/independent-verifier';
import { jointPlanInput, publishedPlan, runTaskTo, testClock } from './fixtures';

/**
 * The draw's description (subgraphs/joint/draw/README.md) is complete: a verifier written from it
 * alone (test/support/independent-verifier.ts) re-plays what the hub draws, target lists, batch
 * orders and teams, and tells a changed record from the real one (R9, R15, R16, R18).
 */
const README = fs.readFileSync(path.join(__dirname, '../../subgraphs/joint/draw/README.md'), 'utf8');
const asTarget = (r: FullDrawRecord) => r as unknown as TargetRecord;

/** Re-plays a full record with the independent verifier and holds it to what the record says. */
function expectReplays(record: FullDrawRecord): ReturnType<typeof replayTargets> {
  const replay = replayTargets(asTarget(record));
  expect(replay.commitmentOk).toBe(true);
  expect(replay.snapshotHash).toBe(record.snapshot.hash);
  expect(replay.counts).toEqual(record.strata.map((s) => s.drawn));
  expect(replay.drawn).toEqual(record.drawn);
  expect(replay.batches).toEqual(record.batches);
  return replay;
}

describe('R16: the draw re-played from its description alone', () => {
  it('the independent verifier imports nothing of the draw and not seedrandom: only node:crypto', () => {
    const source = fs.readFileSync(path.join(__dirname, '../support/independent-verifier.ts'), 'utf8');
    expect([...source.matchAll(/from '([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2])).toEqual([
      'node:crypto',
    ]);
  });

  it("R15: the README's worked example comes out as written, by the description and by the hub's code", () => {
    const strata = ['HIGH', 'LOW', 'ELEVATED', 'HIGH', 'LOW', 'HIGH', 'GENERAL'] as const;
    const entries: SnapshotEntry[] = strata.map((s, i) => [`91310115T0000000${i + 1}X`, s]);
    const record = fullRecord(
      entries,
      SECRET,
      '03 09 14 22 27 31 + 09',
      { HIGH: 5000, ELEVATED: 1000, GENERAL: 0, LOW: 1000 },
      2,
    );
    const text = canonicalSnapshot(record.snapshotEntries);
    expect(Buffer.byteLength(text)).toBe(173);
    expect(text.endsWith('GENERAL\n')).toBe(true);
    const replay = expectReplays(record);
    const t = (n: number) => `91310115T0000000${n}X`;
    expect(replay.drawOrder).toEqual([t(4), t(1), t(3), t(2)]);
    expect(replay.batches).toEqual([
      [t(3), t(2)],
      [t(1), t(4)],
    ]);
    expect(record.witness.value).toBe('3 9 9 14 22 27 31');
    const seedText = `jointcheck-draw/1\n${SECRET}\n${replay.snapshotHash}\n3 9 9 14 22 27 31`;
    expect(Buffer.byteLength(seedText)).toBe(165);
    expect(sha256(seedText)).toBe(replay.seed);
    // The values the README prints are these.
    for (const value of [sha256(SECRET), replay.snapshotHash, replay.seed, '0xe90cebf7 = 3909938167'])
      expect(README).toContain(value);
    expect(stream(replay.seed).uniform(2 ** 32)).toBe(0xe90cebf7);
  });

  it('ARC4, its words and uniform integers are those of the hub, rejections included', () => {
    // 2^31 + 1 rejects nearly half of all words, 3·2^30 a quarter: both bounds are exercised.
    const ranges = [1, 2, 3, 7, 10, 1000, 999_983, 2 ** 31 + 1, 3 * 2 ** 30, 2 ** 32];
    for (const seed of [
      sha256('a'),
      sha256('b'),
      'not hex, and longer than sixty-four characters, though a seed never is',
    ]) {
      const ours = stream(seed);
      const hubs = uniformSource(seed);
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 500; i++) {
        const m = ranges[i % ranges.length]!;
        a.push(ours.uniform(m));
        b.push(hubs.below(m));
      }
      expect(a).toEqual(b);
    }
  });

  it('R13, R2: counts are ceil(eligible × ratio), within the GENERAL cap, in integer arithmetic', () => {
    expect([
      count(3, 5000, null),
      count(1, 1000, null),
      count(1, 0, null),
      count(30, 100, null),
      count(3, 500, 500),
      count(40, 500, 500),
    ]).toEqual([2, 1, 0, 1, 0, 2]);
    // 0.07 × 100 is 7.000000000000001 in floating point; the integer rule gives 7.
    expect(count(100, 700, null)).toBe(7);
  });

  it(
    "the witness's canonical spelling: only the numbers count, repeats kept, leading zeros gone, in numeric " + 'order',
    () => {
      expect(canonicalWitness('03 09 14 22 27 31 + 09')).toBe('3 9 9 14 22 27 31');
      expect(canonicalWitness('蓝球09，红球31、27、22、14、9、3')).toBe('3 9 9 14 22 27 31');
      expect(canonicalWitness('100, 00, 7, 0, ２')).toBe('0 0 7 100');
    },
  );

  const cases: Array<[string, () => FullDrawRecord, (r: FullDrawRecord) => void]> = [
    [
      'four strata of 10, 30, 60 and 100 at the default ratios',
      () => fullRecord(roster(), SECRET, '05 11 16 23 28 32 + 07'),
      (r) => expect(r.strata.filter((s) => s.drawn > 0)).toHaveLength(4),
    ],
    [
      'a witness whose blue ball repeats a red one',
      () => fullRecord(roster(), SECRET, '03 09 14 22 27 31 + 09'),
      (r) => expect(r.witness.value).toBe('3 9 9 14 22 27 31'),
    ],
    [
      'ratios whose ceiling matters in every stratum',
      () =>
        fullRecord(
          roster(),
          SECRET,
          '01 02 03 04 05 06 + 07',
          { HIGH: 2500, ELEVATED: 1050, GENERAL: 150, LOW: 75 },
          4,
        ),
      (r) =>
        expect(r.strata.map((s) => [s.drawn, (s.eligible * s.ratioBasisPoints) / 10000])).toEqual([
          [3, 2.5],
          [4, 3.15],
          [1, 0.9],
          [1, 0.75],
        ]),
    ],
    [
      "a GENERAL item's cap that rounds a stratum down to nothing",
      () =>
        fullRecord(
          roster(),
          SECRET,
          '01 02 03 04 05 06 + 07',
          { HIGH: 500, ELEVATED: 500, GENERAL: 500, LOW: 500 },
          3,
          't1',
          500,
        ),
      (r) => expect(r.strata.map((s) => s.drawn)).toEqual([0, 1, 3, 5]),
    ],
    [
      'a whole stratum drawn (uniform(1) reads a word) and one batch of all',
      () => fullRecord(roster(), SECRET, '8 9 10', { HIGH: 10000, ELEVATED: 3000, GENERAL: 0, LOW: 0 }, 100),
      (r) => expect(r.batches).toHaveLength(1),
    ],
  ];

  it.each(cases)('R9, R15, R16: a record of %s re-plays to the same list and batch order', (_what, make, about) => {
    const record = make();
    about(record);
    expectReplays(record);
  });

  it(
    'R16: it can fail: a changed witness, secret or stratum gives another list; another spelling of the ' +
      'witness does not',
    () => {
      const record = fullRecord(roster(), SECRET, '05 11 16 23 28 32 + 07');
      const replayed = (change: (r: FullDrawRecord) => void) => {
        const copy = structuredClone(record);
        change(copy);
        return replayTargets(asTarget(copy));
      };
      expect(replayed((r) => (r.witness.value = '5 7 11 16 23 28 33')).drawn).not.toEqual(record.drawn);
      expect(replayed((r) => (r.secret = 'b'.repeat(64))).drawn).not.toEqual(record.drawn);
      expect(replayed((r) => (r.snapshotEntries[0] = [r.snapshotEntries[0]![0], 'LOW'])).snapshotHash).not.toBe(
        record.snapshot.hash,
      );
      expect(replayed((r) => (r.secret = 'b'.repeat(64))).commitmentOk).toBe(false);
      const respelled = replayed((r) => (r.witness.value = '07, 32 28 23 16 11 05'));
      expect([respelled.drawn, respelled.batches]).toEqual([record.drawn, record.batches]);
    },
  );

  it("R18: an inspector-draw record made by the hub's code re-plays: eligibility, least load first, vacancies", () => {
    const person = (id: string, over: Partial<TeamDrawInput['inspectors'][number]> = {}) => ({
      id,
      name: `检查员${id}`,
      certificateNo: `310${id}`,
      domains: ['发票'],
      jurisdiction: ['3101'],
      qualified: true,
      ...over,
    });
    const input: TeamDrawInput = {
      algorithm: TEAM_ALGORITHM,
      taskId: 't1',
      department: 'tax',
      targetSeed: sha256('target seed'),
      visits: ['V5', 'V1', 'V3', 'V2', 'V4', 'V6'].map((key, i) => ({
        key,
        regionCode: i === 5 ? '320102' : `31010${i}`,
      })),
      domains: ['发票', '纳税'],
      inspectorsPerVisit: 2,
      expertsPerVisit: 1,
      inspectors: [
        person('i3'),
        person('i1', { jurisdiction: ['310101'] }),
        person('i2', { qualified: false }),
        person('i5', { domains: ['社保'] }),
        person('i4', { jurisdiction: ['3202'] }),
        person('i6', { name: '带"引号"\\的名字' }),
      ],
      experts: [
        person('e2', { certificateNo: null, jurisdiction: [] }),
        person('e1', { domains: ['纳税'], jurisdiction: [] }),
      ],
      conflicts: [
        ['i3', 'V1'],
        ['e1', 'V3'],
      ],
      entrustments: [{ inspectorId: 'i4', regions: ['310103'] }],
    };
    const outcome = runTeamDraw(input);
    const record: TeamDrawRecord = {
      format: 'jointcheck-team-record/1',
      input,
      frozenHash: frozenHash(input),
      seed: outcome.seed,
      inputHash: outcome.inputHash,
      assignments: outcome.assignments,
    };
    expect(outcome.assignments.some((a) => a.vacant > 0)).toBe(true);
    const replay = replayTeams(record as unknown as TeamRecord);
    expect(replay).toEqual({
      frozenHash: record.frozenHash,
      inputHash: record.inputHash,
      seed: record.seed,
      assignments: record.assignments,
    });
    const changed = structuredClone(record);
    changed.input.targetSeed = sha256('another target seed');
    expect(replayTeams(changed as unknown as TeamRecord).assignments).not.toEqual(record.assignments);
  });
});

const time = testClock('2026-03-02T02:00:00Z');

describeWithHub(
  'R9, R15, R16, R18: records the hub makes, re-played from the description alone',
  (hub) => {
    it(
      "a joint task with a GENERAL cap and a repeated witness number: the target draw and every department's " +
        'team draw',
      async () => {
        // A conflict declared before the snapshot with a target this task does not draw (R19).
        const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const taxInspectors = await hub().query<{ tax: { inspectors: { nodes: Array<{ id: string }> } } }>(
          '{ tax { inspectors(first: 1) { nodes { id } } } }',
          { token: admin },
        );
        const conflicted = taxInspectors.data!.tax.inspectors.nodes[0]!.id;
        const declared = await hub().query('mutation($input: ConflictInput!) { jointDeclareConflict(input: $input) }', {
          variables: {
            input: { department: 'tax', personId: conflicted, targetKey: 'NOT-IN-THIS-TASK-1', reason: '配偶任职' },
          },
          token: admin,
        });
        expect(declared.errors).toBeUndefined();
        // MKT-04 is a GENERAL item with a 5% cap (R2); the ratios' ceilings and the cap both count.
        const items = [
          { department: 'market', code: 'MKT-04', version: 1 },
          { department: 'tax', code: 'TAX-08', version: 1 },
          { department: 'fire', code: 'FIRE-01', version: 1 },
        ];
        const planId = await publishedPlan(
          hub(),
          jointPlanInput({
            items,
            ratios: { high: 5, elevated: 4.5, general: 2.5, low: 1.5 },
            batchSize: 4,
            expertsPerVisit: 1,
          }),
        );
        const taskId = await runTaskTo(hub(), time, planId, 'LOCKED', '03 09 14 22 27 31 + 09');
        const auditor = await hub().token(Role.AUDITOR);
        for (const department of ['market', 'tax', 'fire']) {
          const drawn = await hub().query(
            `mutation { jointDrawInspectors(taskId: "${taskId}", department: "${department}") { id } }`,
            { token: await hub().token(Role.COORDINATOR, department) },
          );
          expect(drawn.errors).toBeUndefined();
        }
        const read = await hub().query<{
          jointTask: {
            publicRecord: PublicDrawRecord;
            fullRecord: FullDrawRecord;
            market: TeamDrawRecord;
            tax: TeamDrawRecord;
            fire: TeamDrawRecord;
          };
        }>(
          `{ jointTask(id: "${taskId}") { publicRecord fullRecord market: inspectorDrawRecord(department: ` +
            `"market") tax: inspectorDrawRecord(department: "tax") fire: inspectorDrawRecord(department: "fire") ` +
            `} }`,
          { token: auditor },
        );
        expect(read.errors).toBeUndefined();
        const { publicRecord, fullRecord: full } = read.data!.jointTask;

        expect(full.witness.value).toBe('3 9 9 14 22 27 31');
        expect(full.ratioCapBasisPoints).toBe(500);
        expect(full.strata.some((s) => (s.eligible * s.ratioBasisPoints) % 10000 !== 0 && s.drawn > 0)).toBe(true);
        const replay = expectReplays(full);
        expect(verifyDrawRecord(full)).toMatchObject({ verdict: 'verified', ok: true });
        expect(verifyDrawRecord(publicRecord)).toMatchObject({ verdict: 'public', replayed: false });

        for (const department of ['market', 'tax', 'fire'] as const) {
          const team = read.data!.jointTask[department];
          const teams = replayTeams(team as unknown as TeamRecord);
          expect([department, teams]).toEqual([
            department,
            { frozenHash: team.frozenHash, inputHash: team.inputHash, seed: team.seed, assignments: team.assignments },
          ]);
          // Tied to this target draw: its seed, its visits in the order of inspection, the rosters' hash published at
          // the snapshot.
          expect(team.input.targetSeed).toBe(replay.seed);
          expect(team.input.visits.map((v) => v.key)).toEqual(full.batches.flat());
          expect(team.frozenHash).toBe(publicRecord.teamRosterHashes[department]);
          expect([department, verifyTeamDrawRecord(team).ok]).toEqual([department, true]);
        }
        expect(read.data!.jointTask.market.assignments.some((a) => a.experts.length > 0)).toBe(true);
        // The tax record holds every frozen conflict, so its rosters hash to what was published.
        expect(read.data!.jointTask.tax.input.conflicts).toContainEqual([conflicted, 'NOT-IN-THIS-TASK-1']);
      },
    );
  },
  400,
  time.clock,
);
