import path from 'node:path';
import { connectorStore } from '../../connectors/core/connector-store';
import { loadRestMapping } from '../../connectors/rest/mapping';
import { RestConnector } from '../../connectors/rest/rest-connector';
import { startHealthSystem, type HealthSystem } from '../../connectors/upstream/health-system/server';
import { health } from '../../subgraphs/health';
import { loadConfig } from '../../kernel/config';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { tax } from '../../subgraphs/tax';
import { usccCheckCharacter } from '../../kernel/uscc';
import { testDatabases, type TestDatabase } from '../support/databases';
import { emergency, emergencyLegacySchema } from '../support/emergency-legacy';
import { postGraphQL, testKeys } from '../support/hub';

/** A valid USCC no roster holds. */
const NOT_ON_ROSTER = `91310000MA1FL0000${usccCheckCharacter('91310000MA1FL0000')}`;
const COLUMNS = [
  'id',
  'kind',
  'uscc',
  'regionCode',
  'industryCode',
  'creditLevel',
  'riskLevel',
  'penaltiesLast3Years',
  'verifiedComplaints',
];

interface Subject {
  code: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * A native department (tax, its own tables with demo data) and a connector-backed one (health over its REST system).
 */
const SUBJECTS: ReadonlyArray<
  readonly [
    string,
    (database: TestDatabase, verifier: Awaited<ReturnType<typeof testKeys>>['verifier']) => Promise<Subject>,
  ]
> = [
  [
    'native (tax, its own tables)',
    async (database, verifier) => {
      const config = loadConfig({
        ...database.env,
        JOINTCHECK_PORT: '0',
        JOINTCHECK_LOG_LEVEL: 'silent',
        JOINTCHECK_DEV_KEYS: 'false',
        JOINTCHECK_DEMO_TARGETS: '2000',
        JOINTCHECK_DEMO_SEED: 'test-seed',
      });
      const d: RunningDepartment = await startDepartment(tax, config, {
        verifier,
        logger: createLogger('silent', 'tax'),
        port: 0,
      });
      return { code: 'tax', url: d.url, stop: async () => d.stop() };
    },
  ],
  [
    'on the REST connector (health, its existing system)',
    async (database, verifier) => {
      const system: HealthSystem = await startHealthSystem({
        registerSeed: 'test-seed',
        registerSize: 2000,
        apiKey: 'k',
      });
      const connector = new RestConnector(
        loadRestMapping(path.join(__dirname, '..', '..', 'connectors', 'health', 'mapping.yaml')),
        { baseUrl: system.url, apiKey: 'k' },
      );
      const config = loadConfig({
        ...database.env,
        JOINTCHECK_PORT: '0',
        JOINTCHECK_LOG_LEVEL: 'silent',
        JOINTCHECK_DEV_KEYS: 'false',
      });
      const d = await startDepartment(health, config, {
        verifier,
        logger: createLogger('silent', 'health'),
        port: 0,
        store: connectorStore(connector),
      });
      return {
        code: 'health',
        url: d.url,
        stop: async () => {
          await d.stop();
          await system.stop();
        },
      };
    },
  ],
  // The MySQL connector needs MySQL for the existing schema (its subgraph's own database follows the suite's).
  ...(process.env.JOINTCHECK_MYSQL_URL
    ? ([
        [
          'on the MySQL connector (emergency, its own schema)',
          async (
            database: TestDatabase,
            verifier: Awaited<ReturnType<typeof testKeys>>['verifier'],
          ): Promise<Subject> => {
            const legacy = await emergencyLegacySchema(process.env.JOINTCHECK_MYSQL_URL!.replace(/\/$/, ''));
            const config = loadConfig({
              ...database.env,
              JOINTCHECK_PORT: '0',
              JOINTCHECK_LOG_LEVEL: 'silent',
              JOINTCHECK_DEV_KEYS: 'false',
            });
            const d = await startDepartment(emergency, config, {
              verifier,
              logger: createLogger('silent', 'emergency'),
              port: 0,
              store: connectorStore(legacy.connector),
            });
            return {
              code: 'emergency',
              url: d.url,
              stop: async () => {
                await d.stop();
                await legacy.drop();
              },
            };
          },
        ],
      ] as const)
    : []),
];

/**
 * The department contract suite (issue E): the same checks of what the hub relies on, run
 * against a native department and connector-backed ones (REST; MySQL when it is configured). A connector passes when
 * the joint
 * service could not tell the difference.
 */
describe.each(testDatabases())('the department contract suite ($label)', (database) => {
  describe.each(SUBJECTS)('a department %s', (_label, start) => {
    let subject: Subject;
    let keys: Awaited<ReturnType<typeof testKeys>>;
    const ask = async <T>(
      query: string,
      variables: Record<string, unknown> = {},
      role: Role = Role.SERVICE,
      dept: string | null = null,
    ) =>
      postGraphQL<T>(
        subject.url,
        query,
        variables,
        await keys.issuer.issueFor(subject.code, { subject: 'contract-suite', role, department: dept }),
      );
    const data = async <T>(query: string, variables: Record<string, unknown> = {}) => {
      const r = await ask<Record<string, T>>(query, variables);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!;
    };
    const exported: string[][] = [];

    beforeAll(async () => {
      keys = await testKeys();
      subject = await start(database, keys.verifier);
    });
    afterAll(async () => {
      await subject?.stop();
      await database.drop([subject?.code ?? '']);
    });

    it(
      'its checklist: every version with a legal basis, KEY items uncapped and GENERAL items capped below 100% ' +
        '(R1, R2)',
      async () => {
        const items = (
          await data<{
            checklist: Array<{
              code: string;
              version: number;
              title: string;
              basis: string;
              category: string;
              ratioCapPercent: number | null;
              status: string;
            }>;
          }>(
            `{ ${subject.code} { checklist(includeHistory: true) { code version title basis category ` +
              `ratioCapPercent status } } }`,
          )
        )[subject.code]!.checklist;
        expect(items.length).toBeGreaterThan(0);
        for (const i of items) {
          expect(i.basis.length).toBeGreaterThan(0);
          if (i.category === 'KEY') expect(i.ratioCapPercent).toBeNull();
          else expect(i.ratioCapPercent! > 0 && i.ratioCapPercent! < 100).toBe(true);
        }
      },
    );

    it(
      'its bulk export: the contract columns, pages in id order without gaps or repeats, cursors that follow ' + '(R9)',
      async () => {
        let after: string | null = null;
        const pages: Array<{ count: number; lines: number }> = [];
        for (;;) {
          const page: { columns: string[]; tsv: string; count: number; endCursor: string | null; hasMore: boolean } = (
            await data<{
              exportTargetRows: {
                columns: string[];
                tsv: string;
                count: number;
                endCursor: string | null;
                hasMore: boolean;
              };
            }>(
              `query($after: String) { ${subject.code} { exportTargetRows(first: 37, after: $after) { columns ` +
                `tsv count endCursor hasMore } } }`,
              { after },
            )
          )[subject.code]!.exportTargetRows;
          expect(page.columns).toEqual(COLUMNS);
          const rows = page.tsv
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split('\t'));
          pages.push({ count: page.count, lines: rows.length });
          exported.push(...rows);
          expect(page.endCursor).toBe(rows.length ? rows[rows.length - 1]![0] : null);
          if (!page.hasMore) break;
          after = page.endCursor;
        }
        for (const p of pages) expect(p.lines).toBe(p.count);
        const ids = exported.map((r) => r[0]!);
        expect(ids.length).toBeGreaterThan(37);
        expect(ids).toEqual([...ids].sort());
        expect(new Set(ids).size).toBe(ids.length);
        for (const r of exported) {
          expect(r).toHaveLength(COLUMNS.length);
          expect(['A', 'B', 'C', 'D']).toContain(r[5]);
          expect(['LOW', 'GENERAL', 'ELEVATED', 'HIGH']).toContain(r[6]);
        }
      },
    );

    it('its roster pages and its inspectors page in id order', async () => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: { nodes: Array<{ id: string }>; endCursor: string | null; hasMore: boolean } = (
          await data<{ targets: { nodes: Array<{ id: string }>; endCursor: string | null; hasMore: boolean } }>(
            `query($after: String) { ${subject.code} { targets(first: 100, after: $after) { nodes { id } ` +
              `endCursor hasMore } } }`,
            { after },
          )
        )[subject.code]!.targets;
        ids.push(...page.nodes.map((n) => n.id));
        if (!page.hasMore) break;
        after = page.endCursor;
      }
      expect(ids).toEqual(exported.map((r) => r[0]));
      const inspectors = (
        await data<{ inspectors: { nodes: Array<{ id: string; certificateNo: string; domains: string[] }> } }>(
          `{ ${subject.code} { inspectors(first: 500) { nodes { id certificateNo domains } } } }`,
        )
      )[subject.code]!.inspectors.nodes;
      expect(inspectors.length).toBeGreaterThan(1);
      expect(inspectors.map((i) => i.id)).toEqual([...inspectors.map((i) => i.id)].sort());
      for (const i of inspectors) expect(i.certificateNo.length).toBeGreaterThan(0);
    });

    it("its views of many targets at once: on the roster or not, with the export's classes", async () => {
      const sample = exported.filter((r) => r[2]).slice(0, 150);
      const r = await ask<{
        _entities: Array<
          Record<string, { onRoster: boolean; creditLevel: string | null; riskLevel: string | null } | string>
        >;
      }>(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc ${subject.code} { ` +
          `onRoster creditLevel riskLevel } } } }`,
        {
          r: [
            ...sample.map((x) => ({ __typename: 'MarketEntity', uscc: x[2] })),
            { __typename: 'MarketEntity', uscc: NOT_ON_ROSTER },
          ],
        },
      );
      expect(r.errors).toBeUndefined();
      const views = r.data!._entities;
      sample.forEach((x, i) =>
        expect(views[i]![subject.code]).toEqual({ onRoster: true, creditLevel: x[5], riskLevel: x[6] }),
      );
      expect(views[sample.length]![subject.code]).toMatchObject({ onRoster: false });
    });

    it(
      "R24: results written back are kept once per idempotency key, only from the hub's service, and listed " +
        'with their status',
      async () => {
        const items = (
          await data<{ checklist: Array<{ code: string; version: number }> }>(
            `{ ${subject.code} { checklist { code version } } }`,
          )
        )[subject.code]!.checklist;
        const target = exported.find((r) => r[2])!;
        const input = [
          {
            idempotencyKey: `suite:${subject.code}:1`,
            taskId: 'suite-task',
            targetKey: target[0],
            uscc: target[2],
            itemCode: items[0]!.code,
            itemVersion: items[0]!.version,
            outcome: 'NO_PROBLEM',
            method: 'ON_SITE',
            notes: null,
            confidentialNotes: null,
            evidence: [],
            inspectors: ['CERT-1'],
            inspectedOn: '2026-03-04',
          },
        ];
        const RECORD = `mutation($input: [ResultInput!]!) { ${subject.code}RecordResults(input: $input) { created } }`;
        const outcomes = (
          await data<{ outcomes: Array<{ code: string; status: string }> }>(
            `{ ${subject.code} { outcomes { code status } } }`,
          )
        )[subject.code]!.outcomes;
        expect(outcomes).toEqual(expect.arrayContaining([{ code: 'NO_PROBLEM', status: 'CURRENT' }]));
        expect((await ask(RECORD, { input }, Role.DEPT_ADMIN, subject.code)).errors?.[0]?.extensions?.code).toBe(
          'FORBIDDEN',
        );
        expect((await data<Array<{ created: boolean }>>(RECORD, { input }))[`${subject.code}RecordResults`]).toEqual([
          { created: true },
        ]);
        expect((await data<Array<{ created: boolean }>>(RECORD, { input }))[`${subject.code}RecordResults`]).toEqual([
          { created: false },
        ]);
        const another = outcomes.find((o) => o.code !== 'NO_PROBLEM' && o.status === 'CURRENT')!.code;
        const other = await ask(RECORD, { input: [{ ...input[0], outcome: another }] });
        expect(other.errors?.[0]?.extensions?.code).toBe('CONFLICT');
        const listed = (
          await data<{ results: Array<{ idempotencyKey: string; status: string }> }>(
            `{ ${subject.code} { results(taskId: "suite-task", first: 10) { idempotencyKey status } } }`,
          )
        )[subject.code]!.results;
        expect(listed).toEqual([{ idempotencyKey: `suite:${subject.code}:1`, status: 'RECORDED' }]);
      },
    );
  });
});
