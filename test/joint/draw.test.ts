import { verifyDrawRecord, type FullDrawRecord, type PublicDrawRecord } from '../../subgraphs/joint/draw/record';
import { combineStrata, stratumOfView } from '../../subgraphs/joint/draw/strata';
import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';
import {
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  step,
  TASK_FIELDS,
  testClock,
  type Task,
  type TaskState,
} from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');
const runTask = (
  hub: TestHub,
  planId: string,
  until: TaskState,
  witness?: string,
  overLimitReason: string | null = null,
) => runTaskTo(hub, time, planId, until, witness, overLimitReason);

async function records(hub: TestHub, taskId: string) {
  const r = await hub.query<{ jointTask: { publicRecord: PublicDrawRecord; fullRecord: FullDrawRecord } }>(
    `{ jointTask(id: "${taskId}") { publicRecord fullRecord } }`,
    { token: await hub.token(Role.AUDITOR) },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTask;
}

describeWithHub(
  'the target draw through the hub',
  (hub) => {
    let planId: string;
    beforeAll(async () => {
      time.set('2026-03-02T02:00:00Z');
      planId = await publishedPlan(hub());
    });

    it(
      'R9, R16, R17: commit, snapshot, draw with the witness, lock; the record made through the API re-plays ' +
        'offline',
      async () => {
        const taskId = await runTask(hub(), planId, 'COMMITTED');
        const before = await hub().query<{ jointTask: Task & { publicRecord: PublicDrawRecord } }>(
          `{ jointTask(id: "${taskId}") { ${TASK_FIELDS} publicRecord } }`,
        );
        expect(before.data!.jointTask).toMatchObject({
          status: 'COMMITTED',
          commitment: expect.stringMatching(/^[0-9a-f]{64}$/),
          snapshotHash: null,
        });
        expect(before.data!.jointTask.publicRecord.secret).toBeNull();

        const coordinator = await hub().token(Role.COORDINATOR, 'market');
        const snap = await hub().query<{ jointTakeSnapshot: Task }>(
          `mutation { jointTakeSnapshot(taskId: "${taskId}") { ${TASK_FIELDS} } }`,
          { token: coordinator },
        );
        expect(snap.errors).toBeUndefined();
        expect(snap.data!.jointTakeSnapshot).toMatchObject({
          status: 'SNAPSHOT_TAKEN',
          snapshotHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });

        // The witness is not published yet on 2 March: no draw.
        const early = onlyError(
          await step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', {
            taskId,
            witnessValue: '1 2 3',
          }),
        );
        expect(early.code).toBe('CONFLICT');
        expect(early.message).toMatch(/published on 2026-03-04/);

        time.set('2026-03-04T02:00:00Z');
        const noNumbers = onlyError(
          await step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', {
            taskId,
            witnessValue: '见公告',
          }),
        );
        expect(noNumbers.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'witnessValue' });
        const drawn = await step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', {
          taskId,
          witnessValue: '05 11 16 23 28 32 + 07',
        });
        expect(drawn.errors).toBeUndefined();
        const task = drawn.data!.jointDrawTargets!;
        expect(task.status).toBe('DRAWN');
        // the canonical form
        expect((task as unknown as { witnessValue: string }).witnessValue).toBe('5 7 11 16 23 28 32');
        expect(task.strata.map((s) => s.stratum)).toEqual(['HIGH', 'ELEVATED', 'GENERAL', 'LOW']);
        expect(task.strata.reduce((n, s) => n + s.eligible, 0)).toBe(task.snapshotSize);

        const locked = await step(hub(), 'jointLockTask(taskId: $taskId)', { taskId });
        expect(locked.data!.jointLockTask!.status).toBe('LOCKED');

        const { publicRecord, fullRecord } = await records(hub(), taskId);
        expect(publicRecord.secret).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(publicRecord)).not.toContain('snapshotEntries');
        expect(fullRecord.snapshotEntries).toHaveLength(task.snapshotSize!);
        const verification = verifyDrawRecord(fullRecord);
        expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
        expect(verification).toMatchObject({ ok: true, replayed: true });
        expect(fullRecord.drawn.length).toBe(task.strata.reduce((n, s) => n + s.drawn, 0));
        // R15: batches of the plan's size, in the drawn order.
        expect(fullRecord.batches.slice(0, -1).every((b) => b.length === 10)).toBe(true);
      },
    );

    it(
      'R17: a locked list never changes: drawing, snapshotting ' + 'or locking again is refused and nothing moves',
      async () => {
        const taskId = await runTask(hub(), planId, 'LOCKED');
        const before = await records(hub(), taskId);
        for (const [mutation, variables] of [
          [
            'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)',
            { taskId, witnessValue: 'another witness' },
          ],
          ['jointLockTask(taskId: $taskId)', { taskId }],
        ] as const) {
          const error = onlyError(await step(hub(), mutation, variables));
          expect(error.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R17' });
        }
        expect(
          onlyError(
            await hub().query(`mutation { jointTakeSnapshot(taskId: "${taskId}") { id } }`, {
              token: await hub().token(Role.COORDINATOR, 'market'),
            }),
          ).code,
        ).toBe('CONFLICT');
        expect(await records(hub(), taskId)).toEqual(before);
        // A cancelled task keeps its draw on record, with the reason.
        const cancelled = await step(hub(), 'jointCancelTask(taskId: $taskId, reason: $reason)', {
          taskId,
          reason: '检查力量调整，另行组织',
        });
        expect(cancelled.data!.jointCancelTask!.status).toBe('CANCELLED');
        const after = await records(hub(), taskId);
        expect(after.fullRecord.drawn).toEqual(before.fullRecord.drawn);
        expect(verifyDrawRecord(after.fullRecord).ok).toBe(true);
      },
    );

    it(
      'R17: there is no re-roll by cancelling: once the witness may be public a task is drawn before it is ' +
        'cancelled, and a cancelled task shows its secret',
      async () => {
        const early = await runTask(hub(), planId, 'SNAPSHOT_TAKEN'); // 2 March, witness on 4 March
        const cancelledEarly = await step(hub(), 'jointCancelTask(taskId: $taskId, reason: $reason)', {
          taskId: early,
          reason: '计划调整',
        });
        expect(cancelledEarly.data!.jointCancelTask!.status).toBe('CANCELLED');
        expect((await records(hub(), early)).publicRecord.secret).toMatch(/^[0-9a-f]{64}$/);

        const late = await runTask(hub(), planId, 'SNAPSHOT_TAKEN');
        time.set('2026-03-04T02:00:00Z');
        const refused = onlyError(
          await step(hub(), 'jointCancelTask(taskId: $taskId, reason: $reason)', {
            taskId: late,
            reason: '不想要这个结果',
          }),
        );
        expect(refused.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R17' });
        expect(refused.message).toMatch(/draw it first/);
        await step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', {
          taskId: late,
          witnessValue: '05 11 16 23 28 32 + 07',
        });
        await step(hub(), 'jointCancelTask(taskId: $taskId, reason: $reason)', {
          taskId: late,
          reason: '检查力量不足',
        });
        const { publicRecord, fullRecord } = await records(hub(), late);
        expect(publicRecord.secret).toMatch(/^[0-9a-f]{64}$/);
        expect(publicRecord.drawn.length).toBeGreaterThan(0);
        expect(verifyDrawRecord(fullRecord).ok).toBe(true); // what the cancelled draw gave stays checkable
      },
    );

    it('R17: two coordinators drawing at once produce exactly one draw; locking at once, one lock', async () => {
      const taskId = await runTask(hub(), planId, 'SNAPSHOT_TAKEN');
      time.set('2026-03-04T02:00:00Z');
      const draws = await Promise.all(
        ['01 02 03 04 05 06 + 07', '08 09 10 11 12 13 + 14'].map((w) =>
          step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', { taskId, witnessValue: w }),
        ),
      );
      expect(draws.filter((d) => !d.errors)).toHaveLength(1);
      expect(draws.filter((d) => d.errors).map((d) => d.errors![0]!.extensions!.code)).toEqual(['CONFLICT']);
      const locks = await Promise.all([1, 2].map(() => step(hub(), 'jointLockTask(taskId: $taskId)', { taskId })));
      expect(locks.filter((d) => !d.errors)).toHaveLength(1);
      const { fullRecord } = await records(hub(), taskId);
      expect(verifyDrawRecord(fullRecord).ok).toBe(true);
      const drawnWith = draws.find((d) => !d.errors)!.data!.jointDrawTargets as unknown as { witnessValue: string };
      expect(fullRecord.witness.value).toBe(drawnWith.witnessValue);
    });

    it(
      "R13: each target's stratum is the worst of the participating departments' views, with the abnormal " +
        'list, penalties and complaints',
      async () => {
        const taskId = await runTask(hub(), planId, 'SNAPSHOT_TAKEN');
        const { fullRecord } = await records(hub(), taskId);
        const sample = fullRecord.snapshotEntries.slice(0, 100);
        const view = 'creditLevel riskLevel penaltiesLast3Years verifiedComplaints';
        const entities = await hub().query<{
          marketEntities: Array<{ uscc: string; onAbnormalList: boolean; market: never; tax: never; fire: never }>;
        }>(
          `query($u: [String!]!) { marketEntities(usccs: $u) { uscc onAbnormalList market { onRoster ${view} } ` +
            `tax { onRoster ${view} } fire { onRoster ${view} } } }`,
          { variables: { u: sample.map(([k]) => k) }, token: await hub().token(Role.AUDITOR) },
        );
        expect(entities.errors).toBeUndefined();
        let raisedByPartner = 0;
        for (const e of entities.data!.marketEntities) {
          const lead = stratumOfView(e.market, e.onAbnormalList);
          const others = [e.tax, e.fire]
            .filter((v: { onRoster: boolean }) => v.onRoster)
            .map((v) => stratumOfView(v, false));
          const expected = combineStrata(lead, others, 'WORST');
          if (expected !== lead) raisedByPartner++;
          expect([e.uscc, fullRecord.snapshotEntries.find(([k]) => k === e.uscc)![1]]).toEqual([e.uscc, expected]);
        }
        // The cross-department signal is real in the demo data: some targets are raised by tax or fire.
        expect(raisedByPartner).toBeGreaterThan(0);
        await step(hub(), 'jointCancelTask(taskId: $taskId, reason: $reason)', { taskId, reason: 'test' });
      },
    );

    it(
      'R14: a target drawn by two locked tasks this year is left out of the next snapshot unless a reason is ' +
        'recorded',
      async () => {
        // Draw everything (KEY items only, 100% in every stratum) twice.
        const allPlan = await publishedPlan(
          hub(),
          jointPlanInput({
            name: '全覆盖计划',
            scope: { targetKinds: ['ENTERPRISE'], regions: ['310101'], industries: [] },
            ratios: { high: 100, elevated: 100, general: 100, low: 100 },
          }),
        );
        // A task whose snapshot comes before the two locks below.
        const early = await runTask(hub(), allPlan, 'SNAPSHOT_TAKEN');
        const first = await runTask(hub(), allPlan, 'LOCKED');
        const firstRecord = (await records(hub(), first)).fullRecord;
        const size = firstRecord.drawn.length;
        expect(size).toBeGreaterThan(0);
        // Targets that earlier tests' locked tasks drew twice were already left out of this one.
        const already = firstRecord.exclusions.inspectedTwiceThisYear;
        expect(size).toBe(firstRecord.snapshot.size);
        await runTask(hub(), allPlan, 'LOCKED', '11 12 13 14 15 16 + 01');
        const third = await runTask(hub(), allPlan, 'SNAPSHOT_TAKEN');
        const thirdTask = (await hub().query<{ jointTask: Task }>(`{ jointTask(id: "${third}") { ${TASK_FIELDS} } }`))
          .data!.jointTask;
        expect(thirdTask.snapshotSize).toBe(0);
        expect(thirdTask.exclusions).toEqual({
          inspectedTwiceThisYear: size + already,
          recentlyInspected: 0,
          overLimitReason: null,
        });
        const withReason = await runTask(
          hub(),
          allPlan,
          'SNAPSHOT_TAKEN',
          'x',
          '专项整治需要，经局务会研究同意第三次检查',
        );
        const fourth = (await hub().query<{ jointTask: Task }>(`{ jointTask(id: "${withReason}") { ${TASK_FIELDS} } }`))
          .data!.jointTask;
        expect(fourth.snapshotSize).toBe(size + already);
        expect(fourth.exclusions!.overLimitReason).toBe('专项整治需要，经局务会研究同意第三次检查');
        // The early task drew the same targets; locking it now would make them three: refused, nothing locked.
        time.set('2026-03-04T02:00:00Z');
        await step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', {
          taskId: early,
          witnessValue: '05 11 16 23 28 32 + 07',
        });
        const lockEarly = onlyError(await step(hub(), 'jointLockTask(taskId: $taskId)', { taskId: early }));
        expect(lockEarly.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R14' });
        expect(
          (await hub().query<{ jointTask: Task }>(`{ jointTask(id: "${early}") { status } }`)).data!.jointTask.status,
        ).toBe('DRAWN');
      },
    );

    it(
      'R30: the secret stays hidden until the lock, and only auditors and hub admins read full records (every ' +
        "department's classes)",
      async () => {
        const taskId = await runTask(hub(), planId, 'DRAWN');
        const publicView = await hub().query<{ jointTask: { publicRecord: PublicDrawRecord } }>(
          `{ jointTask(id: "${taskId}") { publicRecord } }`,
        );
        expect(publicView.data!.jointTask.publicRecord.secret).toBeNull();
        expect(publicView.data!.jointTask.publicRecord.drawn.length).toBeGreaterThan(0);
        for (const [role, dept, code] of [
          [Role.PUBLIC, null, 'UNAUTHENTICATED'],
          [Role.COORDINATOR, 'tax', 'FORBIDDEN'],
          [Role.INSPECTOR, 'market', 'FORBIDDEN'],
          [Role.COORDINATOR, 'market', 'FORBIDDEN'],
        ] as const) {
          const token = role === Role.PUBLIC ? undefined : await hub().token(role, dept);
          const r = await hub().query(`{ jointTask(id: "${taskId}") { fullRecord } }`, { token });
          expect([role, r.errors?.[0]?.extensions?.code]).toEqual([role, code]);
        }
        const hubAdmin = await hub().query(`{ jointTask(id: "${taskId}") { fullRecord } }`, {
          token: await hub().token(Role.HUB_ADMIN),
        });
        expect(hubAdmin.errors).toBeUndefined();
        const audit = await hub().query(`{ jointAuditTrail(entityId: "${taskId}") { details } }`, {
          token: await hub().token(Role.AUDITOR),
        });
        expect(JSON.stringify(audit.data)).not.toMatch(/secretRevealed/); // not locked yet: the trail holds no secret
        const stranger = onlyError(
          await step(hub(), 'jointLockTask(taskId: $taskId)', { taskId }, await hub().token(Role.COORDINATOR, 'tax')),
        );
        expect(stranger.code).toBe('FORBIDDEN');
      },
    );

    it('R29: every step is in the audit trail with who, when and what, and the hash chain holds', async () => {
      const taskId = await runTask(hub(), planId, 'LOCKED');
      const auditor = await hub().token(Role.AUDITOR);
      const trail = await hub().query<{
        jointAuditTrail: Array<{
          action: string;
          actor: string;
          role: string;
          department: string;
          details: Record<string, unknown>;
        }>;
      }>(`{ jointAuditTrail(entityId: "${taskId}") { action actor role department details } }`, { token: auditor });
      expect(trail.data!.jointAuditTrail.map((e) => e.action)).toEqual([
        'task.committed',
        'task.snapshot',
        'task.drawn',
        'task.locked',
      ]);
      expect(
        trail.data!.jointAuditTrail.every(
          (e) => e.role === 'COORDINATOR' && e.department === 'market' && e.actor === 'test-coordinator',
        ),
      ).toBe(true);
      expect(trail.data!.jointAuditTrail[1]!.details).toMatchObject({ hash: expect.any(String), roster: 'market' });
      const chain = await hub().query<{ jointVerifyAuditTrail: { ok: boolean; entries: number } }>(
        '{ jointVerifyAuditTrail { ok entries brokenAt } }',
        { token: auditor },
      );
      expect(chain.data!.jointVerifyAuditTrail).toMatchObject({ ok: true, brokenAt: null });
      expect(chain.data!.jointVerifyAuditTrail.entries).toBeGreaterThan(10);
      expect(
        onlyError(
          await hub().query('{ jointVerifyAuditTrail { ok } }', {
            token: await hub().token(Role.COORDINATOR, 'market'),
          }),
        ).code,
      ).toBe('FORBIDDEN');
    });
  },
  400,
  time.clock,
);
