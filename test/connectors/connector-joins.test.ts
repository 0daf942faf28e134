import { startConnectedDepartment } from '../../connectors/department';
import { loadConfig } from '../../kernel/config';
import type { RunningDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { testDatabases } from '../support/databases';
import { EMERGENCY_MAPPING, emergencyLegacySchema } from '../support/emergency-legacy';
import { HUB_SERVICES, startTestHub, untilGatewayServes, type TestHub } from '../support/hub';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit,
  teamVisits,
  testClock,
} from '../joint/fixtures';

const MYSQL = process.env.JOINTCHECK_MYSQL_URL?.replace(/\/$/, '');
const time = testClock('2026-03-02T02:00:00Z');

const REGISTER =
  `mutation($input: SubgraphRegistrationInput!) { registryRegisterSubgraph(input: $input) { changed version { ` +
  `number } } }`;

/**
 * Issue E, done when: a department whose system is a MySQL schema of its own joins the running hub
 * with no code of its own (its mapping file and its database's address, `connectors/main.ts`),
 * through the registry as its admin registers it, and receives the results the joint service
 * writes back, in the table its mapping names. Needs MySQL (CI sets JOINTCHECK_MYSQL_URL).
 */
(MYSQL ? describe : describe.skip)('a department on the MySQL connector joins the running hub', () => {
  const database = testDatabases().find((d) => d.label === 'mysql')!;
  let hub: TestHub;
  let legacy: Awaited<ReturnType<typeof emergencyLegacySchema>>;
  let department: RunningDepartment & { code: string };

  beforeAll(async () => {
    hub = await startTestHub(database, 400, time.clock);
    legacy = await emergencyLegacySchema(MYSQL!);
    // Its subgraph, as `node dist/connectors/main.js` starts it from the JOINTCHECK_CONNECTOR_* settings.
    const config = loadConfig({
      ...database.env,
      JOINTCHECK_PORT: '0',
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_CONNECTOR_KIND: 'mysql',
      JOINTCHECK_CONNECTOR_MAPPING: EMERGENCY_MAPPING,
      JOINTCHECK_CONNECTOR_UPSTREAM_URL: `${MYSQL}/${legacy.name}`,
    });
    department = await startConnectedDepartment(config.connector!, config, {
      verifier: hub.verifier,
      logger: createLogger('silent', 'emergency'),
      port: 0,
      clock: time.clock,
    });
  }, 60_000);
  afterAll(async () => {
    await department?.stop();
    await hub?.stop();
    await legacy?.drop();
    await database.drop([...HUB_SERVICES, 'emergency']);
  });

  it(
    'its admin registers it; the registry checks the contract and the gateway serves it; its /health reports ' +
      'the database',
    async () => {
      expect(department.code).toBe('emergency');
      const r = await hub.query<{ registryRegisterSubgraph: { changed: boolean; version: { number: number } } }>(
        REGISTER,
        {
          variables: {
            input: { name: 'emergency', code: 'emergency', departmentName: '应急管理局', url: department.url },
          },
          token: await hub.token(Role.DEPT_ADMIN, 'emergency'),
        },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.registryRegisterSubgraph.changed).toBe(true);
      await untilGatewayServes(hub.gateway, r.data!.registryRegisterSubgraph.version.number);
      const checklist = await hub.query<{ emergency: { checklist: Array<{ code: string; category: string }> } }>(
        '{ emergency { checklist { code category } } }',
      );
      expect(checklist.errors).toBeUndefined();
      expect(checklist.data!.emergency.checklist.map((i) => i.code)).toEqual(['YJ-01', 'YJ-02']);
      const health = await fetch(department.url.replace(/\/graphql$/, '/health'));
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', upstream: { ok: true } });
      await hub.registry.health.checkNow();
      const states = await hub.query<{ registryHealth: Array<{ name: string; status: string }> }>(
        '{ registryHealth { name status } }',
        { token: await hub.token(Role.HUB_ADMIN) },
      );
      expect(states.data!.registryHealth.find((s) => s.name === 'emergency')).toEqual({
        name: 'emergency',
        status: 'UP',
      });
    },
  );

  it(
    'R22, R24: a joint plan takes its checklist items; the visit results for it are written back into its own ' +
      'results table, once',
    async () => {
      const plan = await publishedPlan(
        hub,
        jointPlanInput({
          name: '2026年度安全生产领域部门联合抽查计划',
          partners: ['emergency'],
          items: [
            { department: 'market', code: 'MKT-09', version: 1 },
            { department: 'emergency', code: 'YJ-01', version: 1 },
          ],
          // The districts its one active inspector has jurisdiction over (R21): every team is complete.
          scope: { targetKinds: ['ENTERPRISE'], regions: ['310104', '310105'], industries: [] },
        }),
      );
      const taskId = await runTaskTo(hub, time, plan, 'LOCKED');
      await drawAllInspectors(hub, taskId, ['market', 'emergency']);
      const visits = await teamVisits(hub, taskId);
      expect(visits.length).toBeGreaterThan(0);
      // Each team has its inspector (YJ-001's certificate number; YJ-002 is suspended) and its item.
      expect(
        visits.every(
          (v) =>
            v.team.some((m) => m.department === 'emergency') &&
            v.checklist.some((c) => c.department === 'emergency' && c.itemCode === 'YJ-01'),
        ),
      ).toBe(true);
      const visit = visits[0]!;
      const submitted = await submitVisit(hub, taskId, visit);
      expect(submitted.errors).toBeUndefined();
      await deliverEverything(hub.joint.deliverer);
      const [rows] = (await legacy.admin.query(
        `SELECT rwbh, tyshxydm, sxbm, jcjl FROM \`${legacy.name}\`.jcjg WHERE rwbh = ? ORDER BY sxbm`,
        [taskId],
      )) as unknown as [Array<Record<string, unknown>>];
      expect(rows).toEqual([{ rwbh: taskId, tyshxydm: visit.uscc, sxbm: 'YJ-01', jcjl: 'NO_PROBLEM' }]);
      // Recorded in its subgraph too, and a repeated round writes nothing twice.
      const stored = await hub.query<{ emergency: { results: Array<{ itemCode: string }> } }>(
        `{ emergency { results(taskId: "${taskId}", first: 10) { itemCode } } }`,
        { token: await hub.token(Role.AUDITOR) },
      );
      expect(stored.data!.emergency.results).toEqual([{ itemCode: 'YJ-01' }]);
      await deliverEverything(hub.joint.deliverer);
      const [again] = (await legacy.admin.query(`SELECT COUNT(*) AS n FROM \`${legacy.name}\`.jcjg WHERE rwbh = ?`, [
        taskId,
      ])) as unknown as [Array<{ n: number }>];
      expect(Number(again[0]!.n)).toBe(1);
    },
  );
});
