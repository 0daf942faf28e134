import { verifyDrawRecord, type PublicDrawRecord } from '../../subgraphs/joint/draw/record';
import { Role } from '../../kernel/identity';
import { SettableClock } from '../../kernel/settable-clock';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';
import { jointPlanInput, publishedPlan, WITNESS } from './fixtures';

/*
 * The training hub (培训/演练环境, H1 point 3): a new user tries a draw on the day they install.
 * The witness must be published after the task commits (R16), which is right; in a training hub
 * a coordinator moves the clock to the witness date, and every plan and task it makes is marked
 * training for good. Production and development hubs refuse to move the clock.
 */

/** Day one: Saturday 5 December 2026, 10:00 in China. */
const DAY_ONE = '2026-12-05T02:00:00Z';

const PLAN_2027 = jointPlanInput({
  name: '2027年度联合抽查计划（演练）',
  year: 2027,
  windowStart: '2027-01-04',
  windowEnd: '2027-11-30',
});

interface ClockAnswer {
  training: boolean;
  now: string;
  today: string;
  moved: boolean;
}

const CLOCK = 'training now today moved';

async function must<T>(hub: TestHub, query: string, token?: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await hub.query<T>(query, { token, variables });
  if (r.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

const move = async (hub: TestHub, to: string, token: string) =>
  hub.query<{ jointMoveTrainingClock: ClockAnswer }>(
    `mutation($to: String!) { jointMoveTrainingClock(to: $to) { ${CLOCK} } }`,
    { variables: { to }, token },
  );

const trailLength = async (hub: TestHub) =>
  (
    await must<{ jointAuditTrail: unknown[] }>(
      hub,
      '{ jointAuditTrail(first: 1000) { seq } }',
      await hub.token(Role.AUDITOR),
    )
  ).jointAuditTrail.length;

const clock = new SettableClock();

describeWithHub(
  'a training hub: a draw on day one, every record marked',
  (hub) => {
    // Each database's hub starts on day one (the file's clock was moved by the one before).
    beforeAll(() => clock.set(new Date(DAY_ONE)));

    it(
      "R16: on day one a coordinator plans, commits a task to tomorrow's witness, moves the clock there and " +
        'draws; plan, task and inspection code are marked training',
      async () => {
        const coordinator = await hub().token(Role.COORDINATOR, 'market');
        expect(
          (await must<{ jointTrainingClock: ClockAnswer }>(hub(), `{ jointTrainingClock { ${CLOCK} } }`))
            .jointTrainingClock,
        ).toMatchObject({ training: true, today: '2026-12-05', moved: true });
        const planId = await publishedPlan(hub(), PLAN_2027, coordinator);
        const created = await must<{ jointCreateTask: { id: string; training: boolean } }>(
          hub(),
          'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id training } }',
          coordinator,
          {
            input: {
              planId,
              name: '演练任务',
              witnessSource: WITNESS.witnessSource,
              witnessAvailableOn: '2026-12-06',
              witnessNumbers: 7,
            },
          },
        );
        const taskId = created.jointCreateTask.id;
        expect(created.jointCreateTask.training).toBe(true);
        await must(hub(), `mutation { jointTakeSnapshot(taskId: "${taskId}") { id } }`, coordinator);
        // The witness is not out yet: the draw waits, as in production (R16).
        const early = await hub().query(
          `mutation { jointDrawTargets(taskId: "${taskId}", witnessValue: "05 11 16 23 28 32 07") { id } }`,
          { token: coordinator },
        );
        expect(early.errors?.[0]?.extensions?.code).toBe('CONFLICT');
        // Moved to the witness date (10:00 China time), the draw runs and locks.
        const moved = await move(hub(), '2026-12-06', coordinator);
        expect(moved.errors).toBeUndefined();
        expect(moved.data!.jointMoveTrainingClock).toMatchObject({ training: true, today: '2026-12-06', moved: true });
        await must(
          hub(),
          `mutation { jointDrawTargets(taskId: "${taskId}", witnessValue: "05 11 16 23 28 32 07") { id } }`,
          coordinator,
        );
        await must(hub(), `mutation { jointLockTask(taskId: "${taskId}") { id } }`, coordinator);
        const read = await must<{ jointTask: { training: boolean; status: string; plan: { training: boolean } } }>(
          hub(),
          `{ jointTask(id: "${taskId}") { training status plan { training } } }`,
        );
        expect(read.jointTask).toEqual({ training: true, status: 'LOCKED', plan: { training: true } });
        // The public draw record says so, and the verifier warns that a training draw is practice (its clock moved).
        const record = (
          await must<{ jointTask: { publicRecord: PublicDrawRecord } }>(
            hub(),
            `{ jointTask(id: "${taskId}") { publicRecord } }`,
          )
        ).jointTask.publicRecord;
        expect(record.task.training).toBe(true);
        const verification = verifyDrawRecord(record);
        expect(verification.verdict).toBe('public');
        expect(verification.checks.find((c) => c.check === 'training')).toMatchObject({
          ok: true,
          warning: true,
          detail: expect.stringContaining('TRAINING'),
        });
        expect(
          verifyDrawRecord({ ...record, task: { ...record.task, training: false } }).checks.some(
            (c) => c.check === 'training',
          ),
        ).toBe(false);
        // R32: a business checking a visit's code learns it is a practice visit.
        const visit = (
          await must<{ jointTask: { visits: Array<{ key: string }> } }>(
            hub(),
            `{ jointTask(id: "${taskId}") { visits(first: 1) { key } } }`,
            coordinator,
          )
        ).jointTask.visits[0]!;
        const code = (
          await must<{ jointIssueInspectionCode: string }>(
            hub(),
            `mutation { jointIssueInspectionCode(taskId: "${taskId}", targetKey: "${visit.key}") }`,
            coordinator,
          )
        ).jointIssueInspectionCode;
        expect(
          (
            await must<{ jointCheckInspectionCode: { genuine: boolean; training: boolean } }>(
              hub(),
              `{ jointCheckInspectionCode(code: "${code}") { genuine training } }`,
            )
          ).jointCheckInspectionCode,
        ).toEqual({ genuine: true, training: true });
        // R29: the move is on the audit trail, with who moved it from when to when.
        const trail = await must<{
          jointAuditTrail: Array<{ action: string; actor: string; details: { from: string; to: string } }>;
        }>(hub(), '{ jointAuditTrail(first: 1000) { action actor details } }', await hub().token(Role.AUDITOR));
        const moves = trail.jointAuditTrail.filter((e) => e.action === 'training.clock-moved');
        expect(moves).toHaveLength(1);
        expect(moves[0]!.details.to).toBe('2026-12-06T02:00:00.000Z');
      },
    );

    it('moves only forward, only for coordinators and hub admins, and refuses what is not a time', async () => {
      const before = await trailLength(hub());
      const coordinator = await hub().token(Role.COORDINATOR, 'tax');
      const back = onlyError(await move(hub(), '2026-12-01', coordinator));
      expect(back.code).toBe('BAD_USER_INPUT');
      expect(back.message).toContain('only moves forward');
      expect(onlyError(await move(hub(), '2026-13-01', coordinator)).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'to',
      });
      expect(onlyError(await move(hub(), '2027-01-04', await hub().token(Role.INSPECTOR, 'tax'))).code).toBe(
        'FORBIDDEN',
      );
      expect(onlyError(await move(hub(), '2027-01-04', '')).code).toBe('UNAUTHENTICATED');
      expect(await trailLength(hub())).toBe(before);
      expect(
        (await move(hub(), '2027-01-04T02:00:00Z', await hub().token(Role.HUB_ADMIN))).data!.jointMoveTrainingClock
          .today,
      ).toBe('2027-01-04');
    });
  },
  400,
  undefined,
  { training: clock },
);

for (const mode of ['production', 'development'] as const) {
  const realClock = new SettableClock();
  describeWithHub(
    `a ${mode} hub keeps real time`,
    (hub) => {
      it(
        `refuses to move the clock (FORBIDDEN, saying what a training hub is), writes nothing, and marks ` +
          `nothing training`,
        async () => {
          const before = await trailLength(hub());
          const refused = onlyError(await move(hub(), '2030-01-01', await hub().token(Role.HUB_ADMIN)));
          expect(refused.code).toBe('FORBIDDEN');
          expect(refused.message).toContain('JOINTCHECK_MODE=training');
          expect(realClock.isSet).toBe(false);
          expect(await trailLength(hub())).toBe(before);
          expect(
            (await must<{ jointTrainingClock: ClockAnswer }>(hub(), `{ jointTrainingClock { ${CLOCK} } }`))
              .jointTrainingClock,
          ).toMatchObject({ training: false, moved: false });
          const planId = await publishedPlan(hub(), PLAN_2027, await hub().token(Role.COORDINATOR, 'market'));
          expect(
            (await must<{ jointPlan: { training: boolean } }>(hub(), `{ jointPlan(id: "${planId}") { training } }`))
              .jointPlan.training,
          ).toBe(false);
        },
      );
    },
    400,
    undefined,
    // Given the clock a training hub would get: startHub hands it to no service outside training.
    {
      training: realClock,
      env: {
        JOINTCHECK_MODE: mode,
        ...(mode === 'production' ? { JOINTCHECK_REGISTRY_ALLOWED_HOSTS: '127.0.0.1' } : {}),
      },
    },
  );
}
