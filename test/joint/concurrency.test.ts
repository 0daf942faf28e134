import { startJoint, type RunningJoint } from '../../subgraphs/joint';
import { verifyDrawRecord, type FullDrawRecord } from '../../subgraphs/joint/draw/record';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { describeWithHub, postGraphQL } from '../support/hub';
import { jointPlanInput, publishedPlan, runTaskTo, testClock } from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');

/**
 * R17 with two joint service instances on the same database (two connection pools, as two
 * processes would have): coordinators drawing or locking through both at once produce exactly
 * one draw and one lock.
 */
describeWithHub(
  'two joint service instances on one database',
  (hub) => {
    let second: RunningJoint;
    beforeAll(async () => {
      second = await startJoint(hub().config, {
        verifier: hub().verifier,
        issuer: hub().issuer,
        logger: createLogger('silent', 'joint-2'),
        port: 0,
        departments: () => hub().departments.map((d) => ({ code: d.name, name: d.name, url: d.url })),
        clock: time.clock,
      });
    });
    afterAll(async () => {
      await second?.stop();
    });

    it(
      'R17: drawing through both instances at once gives one draw; locking, snapshotting or drawing inspectors ' +
        'through both, one each',
      async () => {
        const planId = await publishedPlan(
          hub(),
          jointPlanInput({ ratios: { high: 50, elevated: 20, general: 10, low: 5 } }),
        );
        for (let round = 0; round < 3; round++) {
          const taskId = await runTaskTo(hub(), time, planId, 'SNAPSHOT_TAKEN');
          time.set('2026-03-04T02:00:00Z');
          // Both joint services are called directly: a token for the joint service's audience (H2).
          const token = await hub().tokenFor('joint', Role.COORDINATOR, 'market');
          const draw = (url: string, witness: string) =>
            postGraphQL<{ jointDrawTargets: { status: string } }>(
              url,
              `mutation { jointDrawTargets(taskId: "${taskId}", witnessValue: "${witness}") { status } }`,
              undefined,
              token,
            );
          const draws = await Promise.all([
            draw(hub().joint.url, `0${round} 11 22 33 12 13 14`),
            draw(second.url, `0${round} 44 55 66 15 16 17`),
          ]);
          expect(draws.filter((d) => !d.errors).length).toBe(1);
          expect(draws.filter((d) => d.errors).map((d) => d.errors![0]!.extensions!.code)).toEqual(['CONFLICT']);
          const lock = (url: string) =>
            postGraphQL(url, `mutation { jointLockTask(taskId: "${taskId}") { status } }`, undefined, token);
          const locks = await Promise.all([lock(hub().joint.url), lock(second.url)]);
          expect(locks.filter((d) => !d.errors).length).toBe(1);
          const record = await postGraphQL<{ jointTask: { fullRecord: FullDrawRecord } }>(
            second.url,
            `{ jointTask(id: "${taskId}") { fullRecord } }`,
            undefined,
            await hub().tokenFor('joint', Role.AUDITOR),
          );
          expect(verifyDrawRecord(record.data!.jointTask.fullRecord).ok).toBe(true);
        }
        // Snapshots and inspector draws through both instances at once: one each.
        time.set('2026-03-02T02:00:00Z');
        const token = await hub().tokenFor('joint', Role.COORDINATOR, 'market');
        const task = await runTaskTo(hub(), time, planId, 'COMMITTED');
        const snap = (url: string) =>
          postGraphQL(url, `mutation { jointTakeSnapshot(taskId: "${task}") { status } }`, undefined, token);
        const snaps = await Promise.all([snap(hub().joint.url), snap(second.url)]);
        expect(snaps.filter((r) => !r.errors).length).toBe(1);
        expect(snaps.filter((r) => r.errors).map((r) => r.errors![0]!.extensions!.code)).toEqual(['CONFLICT']);
        time.set('2026-03-04T02:00:00Z');
        await postGraphQL(
          hub().joint.url,
          `mutation { jointDrawTargets(taskId: "${task}", witnessValue: "1 2 3 4 5 6 7") { status } }`,
          undefined,
          token,
        );
        await postGraphQL(
          hub().joint.url,
          `mutation { jointLockTask(taskId: "${task}") { status } }`,
          undefined,
          token,
        );
        const taxToken = await hub().tokenFor('joint', Role.COORDINATOR, 'tax');
        const drawTax = (url: string) =>
          postGraphQL(
            url,
            `mutation { jointDrawInspectors(taskId: "${task}", department: "tax") { id } }`,
            undefined,
            taxToken,
          );
        const teamDraws = await Promise.all([drawTax(hub().joint.url), drawTax(second.url)]);
        expect(teamDraws.filter((r) => !r.errors).length).toBe(1);
        expect(teamDraws.filter((r) => r.errors).map((r) => r.errors![0]!.extensions!.code)).toEqual(['CONFLICT']);
        const chain = await postGraphQL<{ jointVerifyAuditTrail: { ok: boolean } }>(
          hub().joint.url,
          '{ jointVerifyAuditTrail { ok brokenAt } }',
          undefined,
          await hub().tokenFor('joint', Role.AUDITOR),
        );
        expect(chain.data!.jointVerifyAuditTrail.ok).toBe(true);
      },
    );
  },
  300,
  time.clock,
);
