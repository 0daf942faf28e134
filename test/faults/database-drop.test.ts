import mysql from 'mysql2/promise';
import { OutboxRow, SubmissionRow } from '../../subgraphs/joint/visits/entities';
import { databaseName } from '../../kernel/datasource';
import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit as submit,
  teamVisits,
  testClock,
  type TeamVisit as Visit,
} from '../joint/fixtures';

const time = testClock('2026-03-02T02:00:00Z');

/**
 * The database connection drops in the middle of a submission's transaction (issue D). On MySQL
 * the connection is really killed (KILL CONNECTION) while the transaction waits inside its outbox
 * insert; on SQLite, which has no connection to drop, the same insert fails. Either way the
 * submission is wholly refused, with an error that says to send it again, and sending it again
 * stores it once.
 */
describeWithHub(
  'a database fault in the middle of a submission',
  (hub) => {
    let task: string;
    let visits: Visit[];
    const joint = () => hub().joint.database.dataSource;
    const stored = async (targetKey: string) => ({
      submissions: await joint().getRepository(SubmissionRow).countBy({ taskId: task, targetKey }),
      outbox: (await joint().getRepository(OutboxRow).find()).filter((o) =>
        (o.payload as Array<{ targetKey: string }>).some((p) => p.targetKey === targetKey),
      ).length,
    });

    beforeAll(async () => {
      const planId = await publishedPlan(
        hub(),
        jointPlanInput({ ratios: { high: 20, elevated: 10, general: 5, low: 5 } }),
      );
      task = await runTaskTo(hub(), time, planId, 'LOCKED');
      await drawAllInspectors(hub(), task, ['market', 'tax', 'fire']);
      visits = await teamVisits(hub(), task, 5);
    });

    it(
      'R24: the submission is either wholly stored or wholly refused with an error the client can retry; sent ' +
        'again, it is stored once',
      async () => {
        const visit = visits[0]!;
        const db = hub().config.db;
        let answer: Awaited<ReturnType<typeof submit>>;
        if (db.kind === 'mysql') {
          const schema = databaseName(db, 'joint');
          const admin = await mysql.createConnection(db.url);
          try {
            await admin.query(
              `CREATE TRIGGER \`${schema}\`.outbox_stall BEFORE INSERT ON \`${schema}\`.outbox FOR EACH ROW SET ` +
                `@stalled = SLEEP(5)`,
            );
            const pending = submit(hub(), task, visit);
            // Find the connection waiting inside the outbox insert, and kill it.
            let killed = false;
            for (let i = 0; i < 100 && !killed; i++) {
              const [rows] = await admin.query(
                `SELECT ID, INFO FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO IS NOT NULL`,
                [schema],
              );
              const id = (rows as Array<{ ID: number; INFO: string }>).find((r) => /outbox|SLEEP/i.test(r.INFO))?.ID;
              if (id) {
                await admin.query(`KILL CONNECTION ${Number(id)}`);
                killed = true;
              } else await new Promise((resolve) => setTimeout(resolve, 50));
            }
            expect(killed).toBe(true);
            answer = await pending;
          } finally {
            await admin.query(`DROP TRIGGER IF EXISTS \`${schema}\`.outbox_stall`);
            await admin.end();
          }
          expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
          expect(answer.errors?.[0]?.message).toContain('nothing of it was stored. Send it again.');
        } else {
          await joint().query(
            `CREATE TRIGGER outbox_fail BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
          );
          try {
            answer = await submit(hub(), task, visit);
          } finally {
            await joint().query('DROP TRIGGER outbox_fail');
          }
          expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
          expect(answer.errors?.[0]?.message).toMatch(/nothing was changed by the failed part\. Try again/);
        }
        expect(answer.data?.jointSubmitVisitResults ?? null).toBeNull();
        // Wholly refused: no submission, no outbox entry, nothing delivered.
        expect(await stored(visit.key)).toEqual({ submissions: 0, outbox: 0 });

        // Sent again: stored once, and each department gets its share once.
        const again = await submit(hub(), task, visit);
        expect(again.errors).toBeUndefined();
        const departments = new Set(visit.checklist.map((c) => c.department));
        expect(await stored(visit.key)).toEqual({ submissions: 1, outbox: departments.size });
        await deliverEverything(hub().joint.deliverer);
        for (const department of departments) {
          const results = await hub().query<Record<string, { results: Array<{ targetKey: string }> }>>(
            `{ ${department} { results(taskId: "${task}", first: 1000) { targetKey } } }`,
            { token: await hub().token(Role.AUDITOR) },
          );
          expect(results.data![department]!.results.filter((r) => r.targetKey === visit.key)).toHaveLength(
            visit.checklist.filter((c) => c.department === department).length,
          );
        }
        // The service goes on working on fresh connections.
        const next = await submit(hub(), task, visits[1]!);
        expect(next.errors).toBeUndefined();
      },
    );
  },
  400,
  time.clock,
);
