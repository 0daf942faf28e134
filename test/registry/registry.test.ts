import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role, serviceAudience } from '../../kernel/identity';
import { sha256 } from '../../subgraphs/registry/compose';
import { startCustomsSubgraph, type CustomsSubgraph } from '../support/customs/customs-subgraph';
import { BUILTIN_DEPARTMENTS } from '../../subgraphs';
import { describeWithHub, TEST_SETTINGS, untilGatewayServes, type TestHub } from '../support/hub';
import { FED2, servePlainSubgraph } from '../support/plain-subgraph';
import { jointPlanInput, publishedPlan, runTaskTo, testClock } from '../joint/fixtures';

const ROOT = path.join(__dirname, '..', '..');
const time = testClock('2026-03-02T02:00:00Z');

const VERSION =
  'number action subject author authorRole forced note subgraphs { name code url sdlHash } supergraphHash';
const REGISTER =
  `mutation($input: SubgraphRegistrationInput!, $force: Boolean! = false) { registryRegisterSubgraph(input: ` +
  `$input, force: $force) { changed version { ${VERSION} } } }`;

interface Version {
  number: number;
  action: string;
  subject: string;
  author: string;
  forced: boolean;
  note: string | null;
  subgraphs: Array<{ name: string; code: string | null; url: string; sdlHash: string }>;
}
interface Problem {
  kind: string;
  message: string;
  subgraph: string | null;
  type: string | null;
  operation: string | null;
}

interface VersionPage {
  nodes: Version[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

/** Every version, newest first, read page by page (3 a page: most tests make several). */
async function versions(hub: TestHub): Promise<Version[]> {
  const token = await hub.token(Role.HUB_ADMIN);
  const out: Version[] = [];
  for (let after: string | null = null; ;) {
    const r: { data?: { registryVersionPage: VersionPage } | null; errors?: unknown[] } = await hub.query<{
      registryVersionPage: VersionPage;
    }>(
      `query($after: String) { registryVersionPage(first: 3, after: $after) { nodes { ${VERSION} } pageInfo { ` +
        `endCursor hasNextPage } totalCount } }`,
      { variables: { after }, token },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const page: VersionPage = r.data!.registryVersionPage;
    out.push(...page.nodes);
    expect(page.totalCount).toBeGreaterThanOrEqual(out.length);
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

async function register(hub: TestHub, input: Record<string, unknown>, token: string, force = false) {
  return hub.query<{ registryRegisterSubgraph: { changed: boolean; version: Version } }>(REGISTER, {
    variables: { input, force },
    token,
  });
}

function refusal(response: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }): {
  message: string;
  problems: Problem[];
  breaksOperations?: string[];
} {
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  return {
    message: error.message,
    problems: error.extensions!.problems as Problem[],
    breaksOperations: error.extensions!.breaksOperations as string[] | undefined,
  };
}

const CUSTOMS = (url: string) => ({ name: 'customs', code: 'customs', departmentName: '海关', url });

describeWithHub(
  'the subgraph registry: department systems join the hub',
  (hub) => {
    let customs: CustomsSubgraph;
    let customsVersion: number;

    beforeAll(async () => {
      customs = await startCustomsSubgraph({
        jwks: hub().jwks,
        issuer: TEST_SETTINGS.issuer,
        audience: serviceAudience(TEST_SETTINGS.audience, 'customs'),
      });
    });
    afterAll(async () => {
      await customs?.stop();
    });

    it(
      'the hub starts from one version holding its own subgraphs, registered by the hub; the public may not ' +
        'read the registry',
      async () => {
        const list = await versions(hub());
        expect(list).toHaveLength(1);
        expect(list[0]).toMatchObject({ number: 1, action: 'BOOTSTRAP', author: 'hub-bootstrap', forced: false });
        expect(list[0]!.subgraphs.map((s) => s.name)).toEqual([
          'environment',
          'fire',
          'health',
          'housing',
          'joint',
          'market',
          'registry',
          'tax',
        ]);
        expect(list[0]!.subgraphs.find((s) => s.name === 'joint')!.code).toBeNull();
        expect(hub().gateway.supergraph.current?.number).toBe(1);
        const anonymous = await hub().query(`{ registryVersions { number } }`);
        expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        const anonymousRegistration = await register(hub(), CUSTOMS(customs.url), '');
        expect(anonymousRegistration.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      },
    );

    it(
      'R30: a department admin registers only its own ' + 'department, never a hub service, and may not force',
      async () => {
        const taxAdmin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const other = await register(hub(), CUSTOMS(customs.url), taxAdmin);
        expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(other.errors?.[0]?.message).toContain('department tax');
        const customsAdmin = await hub().token(Role.DEPT_ADMIN, 'customs');
        const service = await register(hub(), { name: 'dashboard', url: customs.url }, customsAdmin);
        expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const forced = await register(hub(), CUSTOMS(customs.url), customsAdmin, true);
        expect(forced.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        const inspector = await register(hub(), CUSTOMS(customs.url), await hub().token(Role.INSPECTOR, 'customs'));
        expect(inspector.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(await versions(hub())).toHaveLength(1);
      },
    );

    it('bad input is refused with the field named and nothing stored', async () => {
      const admin = await hub().token(Role.DEPT_ADMIN, 'customs');
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...CUSTOMS(customs.url), name: 'Customs!' }, 'name'],
        [{ ...CUSTOMS(customs.url), url: 'customs.internal:4000' }, 'url'],
        [{ ...CUSTOMS(customs.url), departmentName: '海关'.repeat(60) }, 'departmentName'],
        [{ ...CUSTOMS('http://127.0.0.1:1/graphql') }, 'url'],
      ];
      for (const [input, field] of cases) {
        const r = await register(hub(), input, admin);
        expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      expect(await versions(hub())).toHaveLength(1);
    });

    it(
      'customs, written only against the contract with plain @apollo/subgraph, registers through the API; the ' +
        'running gateway serves its fields',
      async () => {
        const gatewayUrl = hub().gateway.url;
        const r = await register(
          hub(),
          CUSTOMS(customs.url),
          await hub().token(Role.DEPT_ADMIN, 'customs', 'customs-it'),
        );
        expect(r.errors).toBeUndefined();
        const version = r.data!.registryRegisterSubgraph.version;
        customsVersion = version.number;
        expect(r.data!.registryRegisterSubgraph.changed).toBe(true);
        expect(version).toMatchObject({
          number: 2,
          action: 'REGISTER',
          subject: 'customs',
          author: 'customs-it',
          authorRole: 'DEPT_ADMIN',
        });
        const entry = version.subgraphs.find((s) => s.name === 'customs')!;
        expect(entry).toMatchObject({ code: 'customs', url: customs.url });
        // The hash is of the SDL the subgraph serves.
        const served = (await (
          await fetch(customs.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ _service { sdl } }' }),
          })
        ).json()) as { data: { _service: { sdl: string } } };
        expect(entry.sdlHash).toBe(sha256(served.data._service.sdl));

        await untilGatewayServes(hub().gateway, 2);
        expect(hub().gateway.url).toBe(gatewayUrl);
        const checklist = await hub().query<{ customs: { checklist: Array<{ code: string }> } }>(
          `{ customs { checklist { code title } } }`,
        );
        expect(checklist.errors).toBeUndefined();
        expect(checklist.data!.customs.checklist.map((i) => i.code)).toEqual([
          'CUS-01',
          'CUS-02',
          'CUS-03',
          'CUS-04',
          'CUS-05',
          'CUS-06',
          'CUS-07',
          'CUS-08',
        ]);

        const diff = await hub().query<{
          registryDiff: { addedTypes: string[]; addedFields: string[]; removedFields: string[] };
        }>(`{ registryDiff(from: 1, to: 2) { addedTypes addedFields removedFields } }`, {
          token: await hub().token(Role.AUDITOR),
        });
        expect(diff.data!.registryDiff.addedTypes).toEqual(expect.arrayContaining(['CustomsQuery', 'CustomsView']));
        expect(diff.data!.registryDiff.addedFields).toEqual(
          expect.arrayContaining(['Query.customs', 'MarketEntity.customs', 'Mutation.customsRecordResults']),
        );
        expect(diff.data!.registryDiff.removedFields).toEqual([]);

        // The same registration again changes nothing.
        const again = await register(hub(), CUSTOMS(customs.url), await hub().token(Role.DEPT_ADMIN, 'customs'));
        expect(again.data!.registryRegisterSubgraph).toMatchObject({ changed: false, version: { number: 2 } });
      },
    );

    it(
      'R25, R30: registryDepartments tells anyone, without a token, each department of the current version by ' +
        'code with its name, and nothing internal',
      async () => {
        const expected = (
          await hub().query<{ registrySubgraphs: Array<{ code: string | null; departmentName: string | null }> }>(
            '{ registrySubgraphs { code departmentName } }',
            { token: await hub().token(Role.HUB_ADMIN) },
          )
        )
          .data!.registrySubgraphs.filter((s) => s.code !== null)
          .map((s) => ({ code: s.code!, name: s.departmentName }))
          .sort((a, b) => (a.code < b.code ? -1 : 1));
        // The hub's own departments with the names they were defined with, and customs as it registered (海关).
        const names = Object.fromEntries([
          ...BUILTIN_DEPARTMENTS.map((d) => [d.definition.code, d.definition.name]),
          ['customs', '海关'],
        ]);
        expect(expected).toEqual(
          Object.keys(names)
            .sort()
            .map((code) => ({ code, name: names[code] })),
        );
        expect(names.tax).toBe('税务局');
        const anonymous = await hub().query<{ registryDepartments: Array<{ code: string; name: string | null }> }>(
          '{ registryDepartments { code name } }',
        );
        expect(anonymous).toEqual({ data: { registryDepartments: expected } });
        // The same from the registry subgraph itself, without a token: no address reaches the public.
        const direct = await hub().query('{ registryDepartments { __typename code name } }', {
          url: hub().registry.url,
        });
        expect(direct.errors).toBeUndefined();
        expect(JSON.stringify(direct.data)).not.toMatch(/https?:|127\.0\.0\.1|graphql/);
        const url = await hub().query('{ registryDepartments { code url } }');
        expect(url.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        // The rest of the registry stays with signed-in staff.
        expect((await hub().query('{ registrySubgraphs { url } }')).errors?.[0]?.extensions?.code).toBe(
          'UNAUTHENTICATED',
        );
      },
    );

    it(
      'the joint service plans a task with customs items, draws customs inspectors and writes results back to ' +
        'customs',
      async () => {
        const planId = await publishedPlan(
          hub(),
          jointPlanInput({
            partners: ['customs'],
            items: [
              { department: 'market', code: 'MKT-09', version: 1 },
              { department: 'customs', code: 'CUS-03', version: 1 },
            ],
            ratios: { high: 20, elevated: 10, general: 5, low: 5 },
          }),
        );
        const task = await runTaskTo(hub(), time, planId, 'LOCKED');
        for (const d of ['market', 'customs']) {
          const drawn = await hub().query(
            `mutation { jointDrawInspectors(taskId: "${task}", department: "${d}") { id } }`,
            { token: await hub().token(Role.COORDINATOR, d) },
          );
          expect(drawn.errors).toBeUndefined();
        }
        const listed = await hub().query<{
          jointTask: {
            visits: Array<{
              key: string;
              team: Array<{ department: string; personId: string; kind: string }>;
              checklist: Array<{ department: string; itemCode: string }>;
            }>;
          };
        }>(
          `{ jointTask(id: "${task}") { visits(first: 5) { key team { department personId kind } checklist { ` +
            `department itemCode } } } }`,
          { token: await hub().token(Role.AUDITOR) },
        );
        expect(listed.errors).toBeUndefined();
        const visit = listed.data!.jointTask.visits[0]!;
        expect(visit.team.filter((m) => m.department === 'customs').length).toBeGreaterThan(0);
        expect(visit.team.find((m) => m.department === 'customs')!.personId).toMatch(/^customs-i/);
        expect(visit.checklist).toEqual(expect.arrayContaining([{ department: 'customs', itemCode: 'CUS-03' }]));
        const member = visit.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'market')!;
        const submitted = await hub().query(
          `mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }`,
          {
            variables: {
              input: {
                taskId: task,
                targetKey: visit.key,
                inspectedOn: '2026-03-04',
                results: visit.checklist.map((c) => ({
                  department: c.department,
                  itemCode: c.itemCode,
                  outcome: 'NO_PROBLEM',
                  method: 'ON_SITE',
                  notes: '现场检查',
                  confidentialNotes: null,
                  evidence: [],
                })),
              },
            },
            token: await hub().token(Role.INSPECTOR, 'market', member.personId),
          },
        );
        expect(submitted.errors).toBeUndefined();
        while ((await hub().joint.deliverer.deliverDue()) > 0) {
          /* deliver everything */
        }
        const written = customs.results().filter((r) => r.taskId === task);
        expect(written).toHaveLength(1);
        expect(written[0]).toMatchObject({ targetKey: visit.key, itemCode: 'CUS-03', outcome: 'NO_PROBLEM' });
      },
    );

    it(
      'a second registration that breaks composition is refused ' + 'with every problem, and the first keeps working',
      async () => {
        const broken = await startCustomsSubgraph({
          jwks: hub().jwks,
          issuer: TEST_SETTINGS.issuer,
          audience: serviceAudience(TEST_SETTINGS.audience, 'customs'),
          // A shared object changed: composition fails (RosterRows.count is Int! in every other subgraph).
          sdlTransform: (sdl) => sdl.replace(/(type RosterRows[^{]*\{[\s\S]*?)count: Int!/, '$1count: String!'),
        });
        try {
          // At another address: a move, which is a hub admin's change (H2).
          const r = await register(hub(), CUSTOMS(broken.url), await hub().token(Role.HUB_ADMIN));
          const { message, problems } = refusal(r);
          expect(message).toMatch(/^The registry refused the change; nothing was changed\./);
          const composition = problems.filter((p) => p.kind === 'COMPOSITION');
          expect(composition.length).toBeGreaterThan(0);
          expect(composition.some((p) => /RosterRows\.count/.test(p.message) && p.message.includes('customs'))).toBe(
            true,
          );
          expect(problems.some((p) => p.kind === 'CONTRACT' && p.type === 'RosterRows')).toBe(true);
          // The same, only checked: the problems as data, nothing changed.
          const checked = await hub().query<{
            registryCheckSubgraph: { ok: boolean; unchanged: boolean; problems: Problem[]; diff: unknown };
          }>(
            `mutation($input: SubgraphRegistrationInput!) { registryCheckSubgraph(input: $input) { ok unchanged ` +
              `problems { kind message subgraph type field operation } diff { addedFields } } }`,
            { variables: { input: CUSTOMS(broken.url) }, token: await hub().token(Role.HUB_ADMIN) },
          );
          expect(checked.data!.registryCheckSubgraph).toMatchObject({ ok: false, unchanged: false, diff: null });
          expect(checked.data!.registryCheckSubgraph.problems.some((p) => p.kind === 'COMPOSITION')).toBe(true);
          const fine = await hub().query<{
            registryCheckSubgraph: { ok: boolean; unchanged: boolean; problems: Problem[] };
          }>(
            `mutation($input: SubgraphRegistrationInput!) { registryCheckSubgraph(input: $input) { ok unchanged ` +
              `problems { kind message } } }`,
            { variables: { input: CUSTOMS(customs.url) }, token: await hub().token(Role.DEPT_ADMIN, 'customs') },
          );
          expect(fine.data!.registryCheckSubgraph).toEqual({ ok: true, unchanged: true, problems: [] });
        } finally {
          await broken.stop();
        }
        expect((await versions(hub()))[0]!.number).toBe(customsVersion);
        const subgraphs = await hub().query<{ registrySubgraphs: Array<{ name: string; url: string }> }>(
          `{ registrySubgraphs { name url } }`,
          { token: await hub().token(Role.DEPT_ADMIN, 'customs') },
        );
        expect(subgraphs.data!.registrySubgraphs.find((s) => s.name === 'customs')!.url).toBe(customs.url);
        const still = await hub().query<{ customs: { checklist: unknown[] } }>(`{ customs { checklist { code } } }`);
        expect(still.errors).toBeUndefined();
        expect(still.data!.customs.checklist.length).toBeGreaterThan(0);
      },
    );

    it(
      'an update that breaks a stored operation is refused naming it, unless a hub admin forces it; a rollback ' +
        'restores the earlier version',
      async () => {
        // tax's system without creditRating, which the stored operation EntityOverview reads.
        const taxSdl = fs.readFileSync(path.join(ROOT, 'schema', 'tax.graphql'), 'utf8');
        const variant = await servePlainSubgraph(
          taxSdl.replace(/\n\s*"""[^"]*"""\n\s*creditRating: TaxCreditRatingRecord\n/, '\n'),
        );
        try {
          const input = { name: 'tax', code: 'tax', departmentName: '税务局', url: variant.url };
          // Checked first: the same problem and the diff, as data, nothing changed.
          const checked = await hub().query<{
            registryCheckSubgraph: { ok: boolean; problems: Problem[]; diff: { removedFields: string[] } };
          }>(
            `mutation($input: SubgraphRegistrationInput!) { registryCheckSubgraph(input: $input) { ok problems ` +
              `{ kind message subgraph type field operation } diff { removedFields } } }`,
            { variables: { input }, token: await hub().token(Role.DEPT_ADMIN, 'tax') },
          );
          expect(checked.data!.registryCheckSubgraph.ok).toBe(false);
          expect(checked.data!.registryCheckSubgraph.problems.map((p) => p.operation)).toEqual(['EntityOverview']);
          expect(checked.data!.registryCheckSubgraph.diff.removedFields).toEqual(['TaxView.creditRating']);
          // The variant answers at another address: registering it there is a move, a hub admin's change (H2).
          const refused = refusal(await register(hub(), input, await hub().token(Role.HUB_ADMIN)));
          expect(refused.breaksOperations).toEqual(['EntityOverview']);
          expect(refused.problems).toEqual([
            expect.objectContaining({ kind: 'OPERATION', operation: 'EntityOverview' }),
          ]);
          expect(refused.problems[0]!.message).toContain('TaxView.creditRating is removed');
          expect(refused.message).toContain('a hub admin may force it');
          expect((await versions(hub()))[0]!.number).toBe(customsVersion);

          const forced = await register(hub(), input, await hub().token(Role.HUB_ADMIN, null, 'hub-admin-1'), true);
          expect(forced.errors).toBeUndefined();
          const version = forced.data!.registryRegisterSubgraph.version;
          expect(version).toMatchObject({ number: customsVersion + 1, action: 'UPDATE', subject: 'tax', forced: true });
          expect(version.note).toContain('EntityOverview');
          await untilGatewayServes(hub().gateway, version.number);

          const rolledBack = await hub().query<{ registryRollback: { changed: boolean; version: Version } }>(
            `mutation { registryRollback(version: ${customsVersion}) { changed version { ${VERSION} } } }`,
            {
              token: await hub().token(Role.HUB_ADMIN),
            },
          );
          expect(rolledBack.errors).toBeUndefined();
          const restored = rolledBack.data!.registryRollback.version;
          expect(restored).toMatchObject({
            number: customsVersion + 2,
            action: 'ROLLBACK',
            subject: `v${customsVersion}`,
          });
          expect(restored.subgraphs).toEqual(
            (await versions(hub())).find((v) => v.number === customsVersion)!.subgraphs,
          );
          await untilGatewayServes(hub().gateway, restored.number);
          customsVersion = restored.number;
          const uscc = (
            await hub().query<{ marketSearch: Array<{ uscc: string }> }>(
              `{ marketSearch(name: "有限公司", first: 1) { uscc } }`,
            )
          ).data!.marketSearch[0]!.uscc;
          const overview = await hub().query<{ marketEntity: { tax: { creditRating: unknown } } }>(
            `{ marketEntity(uscc: "${uscc}") { uscc tax { onRoster creditRating { rating } } } }`,
            {
              token: await hub().token(Role.AUDITOR),
            },
          );
          expect(overview.errors).toBeUndefined();
          // Rolling back is for hub admins.
          const denied = await hub().query(`mutation { registryRollback(version: 1) { changed } }`, {
            token: await hub().token(Role.DEPT_ADMIN, 'tax'),
          });
          expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        } finally {
          await variant.stop();
        }
      },
    );

    it(
      'an update that drops what the joint service sends a department is refused by the contract and names the ' +
        'joint operation',
      async () => {
        const taxSdl = fs.readFileSync(path.join(ROOT, 'schema', 'tax.graphql'), 'utf8');
        const withoutExport = taxSdl.replace(
          /\n\s*("""[^"]*"""\n\s*)?exportTargetRows\([\s\S]*?\): RosterRows!?\n/,
          '\n',
        );
        expect(withoutExport).not.toContain('exportTargetRows');
        const variant = await servePlainSubgraph(withoutExport);
        try {
          const { problems, message } = refusal(
            await register(
              hub(),
              { name: 'tax', code: 'tax', departmentName: '税务局', url: variant.url },
              await hub().token(Role.HUB_ADMIN),
              true,
            ),
          );
          // Forcing passes stored operations only: the contract still refuses it.
          expect(problems).toEqual([
            expect.objectContaining({ kind: 'CONTRACT', subgraph: 'tax', type: 'TaxQuery', field: 'exportTargetRows' }),
          ]);
          expect(message).not.toContain('may force');
          const unforced = refusal(
            await register(
              hub(),
              { name: 'tax', code: 'tax', departmentName: '税务局', url: variant.url },
              await hub().token(Role.HUB_ADMIN),
            ),
          );
          expect(unforced.breaksOperations).toEqual(['DepartmentExportTargetRows']);
          expect(unforced.problems.find((p) => p.kind === 'OPERATION')!.message).toContain('as sent to tax');
        } finally {
          await variant.stop();
        }
        expect((await versions(hub()))[0]!.number).toBe(customsVersion);
      },
    );

    it(
      "R30: a department may not take another subgraph's " + 'name, nor register its code under a second name',
      async () => {
        const taken = await register(
          hub(),
          { ...CUSTOMS(customs.url), name: 'tax' },
          await hub().token(Role.DEPT_ADMIN, 'customs'),
        );
        expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'name' });
        expect(taken.errors?.[0]?.message).toBe('The subgraph tax belongs to department tax; you may not change it.');
        const twice = await register(
          hub(),
          { ...CUSTOMS(customs.url), name: 'customs2' },
          await hub().token(Role.HUB_ADMIN),
        );
        expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
        expect(twice.errors?.[0]?.message).toContain('already served by the subgraph customs');
        expect((await versions(hub()))[0]!.number).toBe(customsVersion);
      },
    );

    it(
      "H2: a hub admin's plain subgraph overriding MarketEntity.name from market is refused naming the rule, " +
        "and the public still reads the register's name",
      async () => {
        const read = `{ marketSearch(name: "有限公司", first: 1) { uscc name } }`;
        const before = (await hub().query<{ marketSearch: Array<{ uscc: string; name: string }> }>(read)).data!
          .marketSearch[0]!;
        const head = (await versions(hub()))[0]!.number;
        const forger = await servePlainSubgraph(
          'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", ' +
            '"@override"])\ntype Query { namesPing: Int }\ntype MarketEntity @key(fields: "uscc") { uscc: String! ' +
            'name: String! @override(from: "market") }',
          {
            Query: { namesPing: () => 1 },
            MarketEntity: { __resolveReference: (ref: { uscc: string }) => ({ uscc: ref.uscc, name: '伪造的名称' }) },
          },
        );
        try {
          const r = await register(hub(), { name: 'names', url: forger.url }, await hub().token(Role.HUB_ADMIN));
          const { message, problems } = refusal(r);
          expect(message).toContain(
            'subgraph names: @override on MarketEntity.name is not allowed for any subgraph: it takes over ' +
              'what another subgraph serves.',
          );
          expect(problems).toEqual(
            expect.arrayContaining([
              expect.objectContaining({
                kind: 'CONTRACT',
                subgraph: 'names',
                type: 'MarketEntity',
                message:
                  'subgraph names: MarketEntity.name: a hub service adds only fields named with its name ' +
                  "(MarketEntity.names...) to the shared entity; the register's fields are market's.",
              }),
            ]),
          );
        } finally {
          await forger.stop();
        }
        expect((await versions(hub()))[0]!.number).toBe(head);
        const after = (
          await hub().query<{ marketEntity: { name: string } }>(`{ marketEntity(uscc: "${before.uscc}") { name } }`)
        ).data!.marketEntity;
        expect(after.name).toBe(before.name);
      },
    );

    it('health: a subgraph that is down is reported, and the gateway still serves the others', async () => {
      await hub().registry.health.checkNow();
      const token = await hub().token(Role.HUB_ADMIN);
      const before = await hub().query<{ registryHealth: Array<{ name: string; status: string }> }>(
        `{ registryHealth { name status } }`,
        { token },
      );
      expect(before.data!.registryHealth.every((h) => h.status === 'UP')).toBe(true);
      await customs.stop();
      await hub().registry.health.checkNow();
      const after = await hub().query<{
        registryHealth: Array<{ name: string; status: string; error: string | null; consecutiveFailures: number }>;
      }>(`{ registryHealth { name status error consecutiveFailures } }`, { token });
      const down = after.data!.registryHealth.filter((h) => h.status === 'DOWN');
      expect(down.map((h) => h.name)).toEqual(['customs']);
      expect(down[0]!.error).toMatch(/unreachable|ECONNREFUSED/);
      expect(down[0]!.consecutiveFailures).toBe(1);
      const uscc = (
        await hub().query<{ marketSearch: Array<{ uscc: string }> }>(
          `{ marketSearch(name: "有限公司", first: 1) { uscc } }`,
        )
      ).data!.marketSearch[0]!.uscc;
      const mixed = await hub().query<{
        marketEntity: { uscc: string; tax: { onRoster: boolean } | null; customs: unknown };
      }>(`{ marketEntity(uscc: "${uscc}") { uscc tax { onRoster } customs { onRoster } } }`, {
        token: await hub().token(Role.AUDITOR),
      });
      expect(mixed.data?.marketEntity).toMatchObject({ uscc, tax: { onRoster: expect.any(Boolean) }, customs: null });
      expect(
        mixed.errors?.some(
          (e) => e.extensions?.code === 'DOWNSTREAM_SERVICE_ERROR' && e.extensions?.serviceName === 'customs',
        ),
      ).toBe(true);
    });

    it(
      'removing a subgraph others depend on is refused with ' + 'the reason; removing one nobody needs is accepted',
      async () => {
        const admin = await hub().token(Role.HUB_ADMIN);
        const market = await hub().query(`mutation { registryRemoveSubgraph(name: "market") { changed } }`, {
          token: admin,
        });
        const refusedMarket = refusal(market);
        expect(refusedMarket.breaksOperations).toEqual(
          expect.arrayContaining(['MarketAbnormalOperationList', 'EntityOverview']),
        );

        // A hub service that owns an entity another one refers to without resolving it.
        const owner = await servePlainSubgraph(
          `${FED2} type Query { widgetsAll: [Widget] } type Widget @key(fields: "id") { id: ID! title: String }`,
        );
        const user = await servePlainSubgraph(
          `${FED2} type Query { widgetOfTheDay: Widget } type Widget @key(fields: "id", resolvable: false) { id: ID! }`,
        );
        try {
          for (const [name, url] of [
            ['widgets', owner.url],
            ['reports', user.url],
          ] as const) {
            const r = await register(hub(), { name, url }, admin);
            expect(r.errors).toBeUndefined();
          }
          const { problems } = refusal(
            await hub().query(`mutation { registryRemoveSubgraph(name: "widgets") { changed } }`, { token: admin }),
          );
          expect(problems).toEqual(
            expect.arrayContaining([
              expect.objectContaining({
                kind: 'DEPENDENCY',
                subgraph: 'reports',
                type: 'Widget',
                message:
                  'subgraph reports refers to Widget, which only widgets resolves; remove or change reports first.',
              }),
            ]),
          );
          for (const name of ['reports', 'widgets', 'customs']) {
            const removed = await hub().query<{ registryRemoveSubgraph: { version: Version } }>(
              `mutation { registryRemoveSubgraph(name: "${name}") { version { ${VERSION} } } }`,
              { token: admin },
            );
            expect(removed.errors).toBeUndefined();
            expect(removed.data!.registryRemoveSubgraph.version).toMatchObject({ action: 'REMOVE', subject: name });
          }
        } finally {
          await owner.stop();
          await user.stop();
        }
        const last = (await versions(hub()))[0]!;
        expect(last.subgraphs.map((s) => s.name)).toEqual([
          'environment',
          'fire',
          'health',
          'housing',
          'joint',
          'market',
          'registry',
          'tax',
        ]);
        await untilGatewayServes(hub().gateway, last.number);
        const gone = await hub().query(`{ customs { checklist { code } } }`);
        expect(gone.errors?.[0]?.message).toContain('Cannot query field "customs" on type "Query"');
      },
    );

    it('npm run register prints the new version, or every problem with exit code 1', async () => {
      const token = await hub().token(Role.HUB_ADMIN);
      // Asynchronously: the hub answering the command runs in this process.
      const run = (args: string[], auth: string[] = ['--token', token], env: Record<string, string> = {}) =>
        promisify(execFile)(
          process.execPath,
          [
            '-r',
            '@swc-node/register',
            path.join(ROOT, 'scripts', 'register.ts'),
            '--registry',
            hub().gateway.url,
            ...auth,
            ...args,
          ],
          {
            cwd: ROOT,
            encoding: 'utf8',
            timeout: 60_000,
            env: { PATH: process.env.PATH, ...env },
          },
        ).then(
          ({ stdout, stderr }) => ({ status: 0, stdout, stderr }),
          (error: { code: number; stdout: string; stderr: string }) => ({
            status: error.code,
            stdout: error.stdout,
            stderr: error.stderr,
          }),
        );
      const widgets = await servePlainSubgraph(`${FED2} type Query { widgetCount: Int! }`, {
        Query: { widgetCount: () => 7 },
      });
      const clash = await servePlainSubgraph(`${FED2} type Query { widgetCount: String }`);
      try {
        const checked = await run(['--check', '--name', 'widgets', '--url', widgets.url]);
        expect(checked).toMatchObject({
          status: 0,
          stdout: expect.stringMatching(/^OK: it would be accepted\.\n {2}addedFields: Query\.widgetCount/),
        });
        const accepted = await run(['--name', 'widgets', '--url', widgets.url]);
        expect(accepted.stderr).toBe('');
        expect(accepted.status).toBe(0);
        expect(accepted.stdout).toMatch(/^Accepted: supergraph version \d+ \(REGISTER widgets, by test-hub_admin at /);
        expect(accepted.stdout).toContain(widgets.url);
        const refused = await run(['--name', 'clash', '--url', clash.url]);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain('Refused (BAD_USER_INPUT); nothing was changed:');
        expect(refused.stderr).toMatch(/\[COMPOSITION\] .*Query\.widgetCount/);
        // A field made nullable is accepted, with the diff's note saying why it breaks no operation (H1 point 5).
        const loosened = await servePlainSubgraph(`${FED2} type Query { widgetCount: Int }`, {
          Query: { widgetCount: () => 7 },
        });
        try {
          const noted = await run(['--check', '--name', 'widgets', '--url', loosened.url]);
          expect(noted).toMatchObject({
            status: 0,
            stdout: expect.stringMatching(
              /^OK: it would be accepted\.\n[\s\S]* {2}notes: Query\.widgetCount: Int! -> Int: now nullable/,
            ),
          });
        } finally {
          await loosened.stop();
        }
        // No token and no signing key at hand: it says what to do.
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-cli-'));
        const keyless = await run(['--name', 'widgets', '--url', widgets.url], [], {
          JOINTCHECK_DATA_DIR: empty,
          JOINTCHECK_DEV_KEYS: 'false',
        });
        expect(keyless.status).toBe(2);
        expect(keyless.stderr).toContain('No --token given and no signing key here to make one');
      } finally {
        await widgets.stop();
        await clash.stop();
      }
    });

    it(
      'registryVersionPage pages the versions newest first, as the deprecated registryVersions lists them; a ' +
        'cursor not its own is BAD_USER_INPUT',
      async () => {
        const token = await hub().token(Role.HUB_ADMIN);
        const paged = await versions(hub());
        expect(paged.length).toBeGreaterThan(0);
        expect(paged.map((v) => v.number)).toEqual([...paged.map((v) => v.number)].sort((a, b) => b - a));
        const listed = await hub().query<{ registryVersions: Array<{ number: number }> }>(
          `{ registryVersions(first: 500) { number } }`,
          { token },
        );
        expect(listed.data!.registryVersions.map((v) => v.number)).toEqual(paged.map((v) => v.number));
        const counted = await hub().query<{ registryVersionPage: VersionPage }>(
          `{ registryVersionPage(first: 1) { nodes { number } pageInfo { hasNextPage } totalCount } }`,
          { token },
        );
        expect(counted.errors).toBeUndefined();
        expect(counted.data!.registryVersionPage).toMatchObject({
          nodes: [{ number: paged[0]!.number }],
          pageInfo: { hasNextPage: paged.length > 1 },
          totalCount: paged.length,
        });
        const badCursor = await hub().query(`{ registryVersionPage(after: "not-a-cursor") { totalCount } }`, { token });
        expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
        const tooMany = await hub().query(`{ registryVersionPage(first: 501) { totalCount } }`, { token });
        expect(tooMany.errors?.[0]?.message).toMatch(/first must be between 1 and 500/);
        const anonymous = await hub().query<{ registryVersionPage: unknown }>(`{ registryVersionPage { totalCount } }`);
        expect([anonymous.data?.registryVersionPage ?? null, anonymous.errors?.[0]?.extensions?.code]).toEqual([
          null,
          'UNAUTHENTICATED',
        ]);
        // A subgraph's health is an enum (SubgraphHealthStatus), with the values it had as a String.
        const health = await hub().query<{ registryHealth: Array<{ name: string; status: string }> }>(
          `{ registryHealth { name status } }`,
          { token },
        );
        expect(
          health
            .data!.registryHealth.map((h) => h.status)
            .every((s) => ['UP', 'DEGRADED', 'DOWN', 'UNKNOWN'].includes(s)),
        ).toBe(true);
      },
    );
  },
  400,
  time.clock,
);
