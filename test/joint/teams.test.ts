import { verifyTeamDrawRecord, type TeamDrawRecord } from '../../subgraphs/joint/draw/teams';
import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';
import { jointPlanInput, publishedPlan, runTaskTo, testClock } from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');

interface Member {
  department: string;
  kind: string;
  personId: string;
  certificateNo: string | null;
  leader: boolean;
  origin: string;
  status: string;
  replacementReason: string | null;
}
interface Visit {
  key: string;
  regionCode: string;
  team: Member[];
  teamProblems: string[];
}

const DRAW =
  'mutation($taskId: ID!, $department: String!) { jointDrawInspectors(taskId: $taskId, department: ' +
  '$department) { id } }';
const VISITS = (taskId: string) =>
  `{ jointTask(id: "${taskId}") { visits(first: 1000) { key regionCode teamProblems team { department kind ` +
  `personId certificateNo leader origin status replacementReason } } } }`;

async function drawFor(hub: TestHub, taskId: string, department: string, role: Role = Role.COORDINATOR) {
  return hub.query(DRAW, { variables: { taskId, department }, token: await hub.token(role, department) });
}
async function visits(hub: TestHub, taskId: string): Promise<Visit[]> {
  const r = await hub.query<{ jointTask: { visits: Visit[] } }>(VISITS(taskId), {
    token: await hub.token(Role.AUDITOR),
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTask.visits;
}
async function record(hub: TestHub, taskId: string, department: string): Promise<TeamDrawRecord> {
  const r = await hub.query<{ jointTask: { inspectorDrawRecord: TeamDrawRecord } }>(
    `{ jointTask(id: "${taskId}") { inspectorDrawRecord(department: "${department}") } }`,
    { token: await hub.token(Role.AUDITOR) },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTask.inspectorDrawRecord;
}

describeWithHub(
  'the inspector draw',
  (hub) => {
    const ratios = { high: 20, elevated: 10, general: 5, low: 5 };
    let taskId: string;
    beforeAll(async () => {
      const planId = await publishedPlan(hub(), jointPlanInput({ ratios, expertsPerVisit: 1 }));
      taskId = await runTaskTo(hub(), time, planId, 'LOCKED');
    });

    it(
      'R18: no inspector is drawn before the list is locked, by another role, or for a department not taking ' + 'part',
      async () => {
        const planId = await publishedPlan(hub(), jointPlanInput({ ratios }));
        const drawn = await runTaskTo(hub(), time, planId, 'DRAWN');
        expect(onlyError(await drawFor(hub(), drawn, 'market')).code).toBe('CONFLICT');
        expect(onlyError(await drawFor(hub(), taskId, 'market', Role.INSPECTOR)).code).toBe('FORBIDDEN');
        const outsider = await hub().query(DRAW, {
          variables: { taskId, department: 'tax' },
          token: await hub().token(Role.COORDINATOR, 'market'),
        });
        expect(onlyError(outsider).code).toBe('FORBIDDEN');
        expect(onlyError(await drawFor(hub(), taskId, 'housing')).code).toBe('BAD_USER_INPUT');
        // R30: teams name inspectors before their visits: not for the public.
        expect((await hub().query(VISITS(taskId))).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      },
    );

    it(
      'R18, R7, R21: each department draws its own qualified inspectors with jurisdiction; the lead inspector ' +
        'leads; teams have two officers',
      async () => {
        for (const department of ['market', 'tax', 'fire'])
          expect((await drawFor(hub(), taskId, department)).errors).toBeUndefined();
        const all = await visits(hub(), taskId);
        expect(all.length).toBeGreaterThan(5);
        for (const visit of all) {
          expect([visit.key, visit.teamProblems]).toEqual([visit.key, []]);
          const inspectors = visit.team.filter((m) => m.kind === 'INSPECTOR');
          expect(new Set(inspectors.map((m) => m.department))).toEqual(new Set(['market', 'tax', 'fire']));
          expect(new Set(inspectors.map((m) => m.certificateNo)).size).toBe(inspectors.length);
          expect(visit.team.filter((m) => m.leader).map((m) => m.department)).toEqual(['market']);
          // R8: one expert of the lead department per visit.
          expect(visit.team.filter((m) => m.kind === 'EXPERT').map((m) => m.department)).toEqual(['market']);
        }
        for (const department of ['market', 'tax', 'fire']) {
          const r = await record(hub(), taskId, department);
          const roster = new Map(r.input.inspectors.map((p) => [p.id, p]));
          for (const a of r.assignments) {
            const region = r.input.visits.find((v) => v.key === a.key)!.regionCode;
            for (const id of a.inspectors) {
              const p = roster.get(id)!;
              expect(p.qualified).toBe(true); // R7
              expect(p.domains.some((d) => r.input.domains.includes(d))).toBe(true); // R7
              expect(p.jurisdiction.some((j) => region.startsWith(j))).toBe(true); // R21
            }
          }
        }
      },
    );

    it('R30: an expert on the team does not submit its results: refused before anything else about them', async () => {
      const visit = (await visits(hub(), taskId))[0]!;
      const expert = visit.team.find((m) => m.kind === 'EXPERT')!;
      // A day outside the task and no results: the caller's right is settled first (authorise, once).
      const r = await hub().query(
        'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
        {
          variables: { input: { taskId, targetKey: visit.key, inspectedOn: '1999-01-01', results: [] } },
          token: await hub().token(Role.INSPECTOR, expert.department, expert.personId),
        },
      );
      expect(onlyError(r).extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
      expect(onlyError(r).message).toMatch(/one of the team's inspectors/);
    });

    it('the draw spreads the work: nobody has a second visit while an eligible colleague has none', async () => {
      for (const department of ['market', 'tax', 'fire']) {
        const r = await record(hub(), taskId, department);
        const final = new Map<string, number>();
        for (const a of r.assignments) for (const id of a.inspectors) final.set(id, (final.get(id) ?? 0) + 1);
        // Walk the visits in order: whoever gets a second (third ...) visit got it while every
        // colleague eligible for that visit already had one.
        const load = new Map<string, number>();
        let repeats = 0;
        for (const a of r.assignments) {
          const region = r.input.visits.find((v) => v.key === a.key)!.regionCode;
          const eligible = r.input.inspectors.filter(
            (p) =>
              p.qualified &&
              p.domains.some((d) => r.input.domains.includes(d)) &&
              p.jurisdiction.some((j) => region.startsWith(j)),
          );
          for (const id of a.inspectors) {
            const before = load.get(id) ?? 0;
            if (before > 0) {
              repeats++;
              const idle = eligible.filter((p) => !a.inspectors.includes(p.id) && (load.get(p.id) ?? 0) < before);
              expect([department, a.key, id, idle.map((p) => p.id)]).toEqual([department, a.key, id, []]);
            }
            load.set(id, before + 1);
          }
        }
        expect(load).toEqual(final);
        if (department === 'market') expect(repeats).toBeGreaterThan(0); // the property was exercised
      }
    });

    it('R18: a plan of one department seats two of its inspectors per visit, the first leading', async () => {
      const internal = await publishedPlan(
        hub(),
        jointPlanInput({
          name: '部门内部抽查',
          partners: [],
          items: [{ department: 'market', code: 'MKT-09', version: 1 }],
          ratios,
        }),
      );
      const task = await runTaskTo(hub(), time, internal, 'LOCKED', '40 41 42 43 44 45 2');
      expect((await drawFor(hub(), task, 'market')).errors).toBeUndefined();
      for (const visit of await visits(hub(), task)) {
        expect([visit.key, visit.teamProblems]).toEqual([visit.key, []]);
        const inspectors = visit.team.filter((m) => m.kind === 'INSPECTOR');
        expect(inspectors.map((m) => m.department)).toEqual(['market', 'market']);
        expect(new Set(inspectors.map((m) => m.certificateNo)).size).toBe(2);
        expect(inspectors.map((m) => m.leader)).toEqual([true, false]);
      }
    });

    it('R18: the inspector draw is seeded and re-plays from its record; a changed record fails', async () => {
      const r = await record(hub(), taskId, 'tax');
      expect(verifyTeamDrawRecord(r)).toMatchObject({ ok: true });
      const tampered = structuredClone(r);
      tampered.assignments[0]!.inspectors[0] = r.input.inspectors.find(
        (p) => !r.assignments[0]!.inspectors.includes(p.id),
      )!.id;
      expect(verifyTeamDrawRecord(tampered).checks.find((c) => c.check === 'teams')!.ok).toBe(false);
      const rosterChanged = structuredClone(r);
      rosterChanged.input.inspectors.pop();
      expect(verifyTeamDrawRecord(rosterChanged).ok).toBe(false);
      expect(onlyError(await drawFor(hub(), taskId, 'tax')).code).toBe('CONFLICT'); // one draw per department
    });

    it(
      'R20: a drawn inspector is replaced only for a listed reason, approved by the deputy head, by an ' +
        'eligible colleague; the original stays on record',
      async () => {
        const visit = (await visits(hub(), taskId))[0]!;
        const drawn = visit.team.find((m) => m.department === 'fire' && m.kind === 'INSPECTOR')!;
        const r = await record(hub(), taskId, 'fire');
        const region = visit.regionCode;
        const eligible = r.input.inspectors.filter(
          (p) =>
            p.qualified &&
            p.domains.some((d) => r.input.domains.includes(d)) &&
            p.jurisdiction.some((j) => region.startsWith(j)) &&
            p.id !== drawn.personId,
        );
        const unqualified = r.input.inspectors.find((p) => !p.jurisdiction.some((j) => region.startsWith(j)))!;
        const replace = async (replacementId: string, role: Role = Role.DEPUTY_HEAD) =>
          hub().query(
            `mutation($input: ReplaceInspectorInput!) { jointReplaceInspector(input: $input) { personId origin ` +
              `status replacementReason approvedBy } }`,
            {
              variables: {
                input: {
                  taskId,
                  targetKey: visit.key,
                  department: 'fire',
                  personId: drawn.personId,
                  reason: 'HEALTH',
                  replacementId,
                  note: '因病住院',
                },
              },
              token: await hub().token(role, 'fire', 'deputy-fire'),
            },
          );
        expect(onlyError(await replace(eligible[0]!.id, Role.DEPT_ADMIN)).code).toBe('FORBIDDEN');
        const refused = onlyError(await replace(unqualified.id));
        expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R20' });
        const ok = await replace(eligible[0]!.id);
        expect(ok.errors).toBeUndefined();
        expect(ok.data).toEqual({
          jointReplaceInspector: {
            personId: eligible[0]!.id,
            origin: 'REPLACEMENT',
            status: 'ACTIVE',
            replacementReason: 'HEALTH',
            approvedBy: 'deputy-fire',
          },
        });
        const after = (await visits(hub(), taskId)).find((v) => v.key === visit.key)!;
        expect(after.team.find((m) => m.personId === drawn.personId)).toMatchObject({
          status: 'REPLACED',
          origin: 'DRAWN',
        });
        expect(after.teamProblems).toEqual([]);
        // The draw record still shows what the lottery gave.
        expect(verifyTeamDrawRecord(await record(hub(), taskId, 'fire')).ok).toBe(true);
        const badReason = await hub().query(
          `mutation { jointReplaceInspector(input: { taskId: "${taskId}", targetKey: "${visit.key}", ` +
            `department: "fire", personId: "x", reason: BORED, replacementId: "y", note: "z" }) { status } }`,
          {
            token: await hub().token(Role.DEPUTY_HEAD, 'fire'),
          },
        );
        expect(badReason.errors![0]!.message).toMatch(/BORED/);
      },
    );

    it(
      'R19, R21: declared conflicts keep inspectors off a visit; an entrustment before the snapshot lets the ' +
        'lottery seat an outsider; otherwise the seat stays vacant for the deputy head',
      async () => {
        // Every enterprise of 310107 is drawn (KEY items only, 100% in every stratum).
        const scope = { targetKinds: ['ENTERPRISE'], regions: ['310107'], industries: [] };
        const all = { high: 100, elevated: 100, general: 100, low: 100 };
        const roster = await hub().query<{
          fire: {
            inspectors: { nodes: Array<{ id: string; jurisdiction: string[]; qualified: boolean; domains: string[] }> };
          };
        }>('{ fire { inspectors(first: 1000) { nodes { id jurisdiction qualified domains } } } }', {
          token: await hub().token(Role.DEPT_ADMIN, 'fire'),
        });
        const nodes = roster.data!.fire.inspectors.nodes;
        const local = nodes.filter((p) => p.jurisdiction.some((j) => '310107'.startsWith(j)));
        const outsider = nodes.find(
          (p) =>
            p.qualified && p.domains.includes('消防安全管理') && !p.jurisdiction.some((j) => '310107'.startsWith(j)),
        )!;
        const targets = await hub().query<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
          '{ market { targets(first: 1, filter: { kinds: [ENTERPRISE], regions: ["310107"] }) { nodes { id } } } }',
          {
            token: await hub().token(Role.COORDINATOR, 'market'),
          },
        );
        const target = targets.data!.market.targets.nodes[0]!.id;
        // R19: every fire inspector with jurisdiction over 310107 declares a conflict with that target.
        for (const p of local) {
          const declared = await hub().query(
            `mutation($input: ConflictInput!) { jointDeclareConflict(input: $input) }`,
            {
              variables: {
                input: { department: 'fire', personId: p.id, targetKey: target, reason: '近亲属在该单位任职' },
              },
              token: await hub().token(Role.INSPECTOR, 'fire', p.id),
            },
          );
          expect(declared.errors).toBeUndefined();
        }
        const entrust = async (task: string) =>
          hub().query(`mutation($input: EntrustmentInput!) { jointEntrustInspector(input: $input) }`, {
            variables: {
              input: {
                taskId: task,
                department: 'fire',
                inspectorId: outsider.id,
                regions: ['310107'],
                entrustedByUnit: '上海市消防救援总队',
                reason: '辖区检查人员均需回避',
              },
            },
            token: await hub().token(Role.DEPUTY_HEAD, 'fire'),
          });
        const fireTeam = async (task: string) => (await visits(hub(), task)).find((v) => v.key === target)!;

        // With the entrustment recorded before the snapshot, the lottery seats the outsider.
        const withEntrustment = await runTaskTo(
          hub(),
          time,
          await publishedPlan(hub(), jointPlanInput({ name: '委托', scope, ratios: all })),
          'COMMITTED',
        );
        expect((await entrust(withEntrustment)).errors).toBeUndefined();
        await hub().query(
          `mutation { jointTakeSnapshot(taskId: "${withEntrustment}", overLimitReason: "回避与委托流程演练") { id } }`,
          { token: await hub().token(Role.COORDINATOR, 'market') },
        );
        time.set('2026-03-04T02:00:00Z');
        await hub().query(
          `mutation { jointDrawTargets(taskId: "${withEntrustment}", witnessValue: "1 2 3 4 5 6 7") { id } }`,
          { token: await hub().token(Role.COORDINATOR, 'market') },
        );
        await hub().query(`mutation { jointLockTask(taskId: "${withEntrustment}") { id } }`, {
          token: await hub().token(Role.COORDINATOR, 'market'),
        });
        for (const d of ['market', 'tax', 'fire'])
          expect((await drawFor(hub(), withEntrustment, d)).errors).toBeUndefined();
        const seated = (await fireTeam(withEntrustment)).team.filter((m) => m.department === 'fire');
        expect(seated.map((m) => m.personId)).toEqual([outsider.id]);
        expect(local.some((p) => seated.some((m) => m.personId === p.id))).toBe(false);

        // Without it, the lottery leaves that seat vacant; the deputy head fills it once the outsider is entrusted.
        // (Earlier tests drew some of these targets twice this year: a recorded reason keeps them in, R14.)
        const without = await runTaskTo(
          hub(),
          time,
          await publishedPlan(hub(), jointPlanInput({ name: '无委托', scope, ratios: all })),
          'LOCKED',
          '8 9 10 11 12 13 14',
          '回避与委托流程演练',
        );
        for (const d of ['market', 'tax', 'fire']) expect((await drawFor(hub(), without, d)).errors).toBeUndefined();
        const vacant = await fireTeam(without);
        expect(vacant.team.filter((m) => m.department === 'fire')).toEqual([]);
        expect(vacant.teamProblems).toEqual([expect.stringMatching(/1 fire seat\(s\) vacant/)]);
        const fill = async () =>
          hub().query(
            `mutation($input: FillVacancyInput!) { jointFillVacantSeat(input: $input) { personId origin approvedBy } }`,
            {
              variables: {
                input: {
                  taskId: without,
                  targetKey: target,
                  department: 'fire',
                  inspectorId: outsider.id,
                  note: '辖区人员均回避，由总队委托',
                },
              },
              token: await hub().token(Role.DEPUTY_HEAD, 'fire', 'deputy-fire'),
            },
          );
        // no jurisdiction, not entrusted yet
        expect(onlyError(await fill()).extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R21' });
        expect((await entrust(without)).errors).toBeUndefined();
        expect((await fill()).data).toEqual({
          jointFillVacantSeat: { personId: outsider.id, origin: 'ASSIGNED', approvedBy: 'deputy-fire' },
        });
        expect((await fireTeam(without)).teamProblems).toEqual([]);
        // The lottery's record is untouched by what came after it, and still re-plays.
        expect(verifyTeamDrawRecord(await record(hub(), without, 'fire')).ok).toBe(true);
      },
    );

    it(
      'R18: the team draw uses what was frozen at the snapshot, whose hash the public record shows; nothing ' +
        'declared later can steer it',
      async () => {
        const planId = await publishedPlan(hub(), jointPlanInput({ ratios, name: '冻结名录' }));
        const task = await runTaskTo(hub(), time, planId, 'LOCKED', '31 32 33 34 35 36 1');
        const publicRecord = (
          await hub().query<{ jointTask: { publicRecord: { teamRosterHashes: Record<string, string> } } }>(
            `{ jointTask(id: "${task}") { publicRecord } }`,
          )
        ).data!.jointTask.publicRecord;
        expect(Object.keys(publicRecord.teamRosterHashes).sort()).toEqual(['fire', 'market', 'tax']);
        const first = (await visits(hub(), task))[0]!;
        // After the lock (the seed is public now) a tax inspector declares conflicts with every target.
        const taxRoster = await hub().query<{ tax: { inspectors: { nodes: Array<{ id: string }> } } }>(
          '{ tax { inspectors(first: 1000) { nodes { id } } } }',
          { token: await hub().token(Role.DEPT_ADMIN, 'tax') },
        );
        const someone = taxRoster.data!.tax.inspectors.nodes[0]!.id;
        await hub().query(`mutation($input: ConflictInput!) { jointDeclareConflict(input: $input) }`, {
          variables: { input: { department: 'tax', personId: someone, targetKey: first.key, reason: '事后申报' } },
          token: await hub().token(Role.INSPECTOR, 'tax', someone),
        });
        expect((await drawFor(hub(), task, 'tax')).errors).toBeUndefined();
        const r = await record(hub(), task, 'tax');
        expect(r.frozenHash).toBe(publicRecord.teamRosterHashes.tax);
        expect(r.input.conflicts.some(([person, key]) => person === someone && key === first.key)).toBe(false);
        expect(verifyTeamDrawRecord(r).ok).toBe(true);
        const forged = structuredClone(r);
        forged.input.conflicts.push([someone, first.key]);
        expect(verifyTeamDrawRecord(forged).checks.find((c) => c.check === 'frozen rosters')!.ok).toBe(false);
      },
    );

    it('R29: team draws, replacements, conflicts and entrustments are in the audit trail', async () => {
      const trail = await hub().query<{ jointAuditTrail: Array<{ action: string }> }>(
        '{ jointAuditTrail(first: 5000) { action } }',
        { token: await hub().token(Role.AUDITOR) },
      );
      const actions = new Set(trail.data!.jointAuditTrail.map((e) => e.action));
      for (const action of ['team.drawn', 'team.replaced', 'team.assigned', 'conflict.declared', 'inspector.entrusted'])
        expect(actions).toContain(action);
    });
  },
  400,
  time.clock,
);
