import { generateSigningKeys, Role, TokenIssuer } from '../../kernel/identity';
import { DEPARTMENT_CODES, describeWithHub, TEST_SETTINGS, type GraphQLResponse } from '../support/hub';
import { databaseStates } from './matrix/database-state';
import { DEPARTMENT_EXTRAS, departmentEntries } from './matrix/department-entries';
import { buildFixtures, capitalised, f, time } from './matrix/fixtures';
import { JOINT } from './matrix/joint-entries';
import {
  callsOf,
  codesOf,
  describeCall,
  firstError,
  inChunks,
  nobody,
  refusalExpected,
  type Call,
  type Caller,
  type Entry,
} from './matrix/model';
import { REGISTRY } from './matrix/registry-entries';

/*
 * The role matrix of issue D (R30): every Mutation and Query field of the gateway, and the
 * protected fields reached through `Task` and `MarketEntity`, called by every role: the hub roles,
 * the public, each department role of the department the operation concerns and of another one,
 * an expired token and a token signed with a key the hub does not know. Only the allowed
 * combinations get through; every other one is FORBIDDEN or UNAUTHENTICATED, and the refused calls,
 * all sent first, change no row of any service database.
 *
 * The fields are read from the gateway's schema at run time: a field without an entry fails the
 * test, so a field added later has to be placed in the matrix (or listed as public, with why). The
 * allowed callers are the code's rules, checked against R30, DESIGN.md "Identity" and the README's
 * access rules; department fields are written once for the template and expanded per code
 * (matrix/department-entries.ts).
 */

/**
 * The matrix sends some two thousand calls per database: on a loaded 2-core machine that took over
 * a minute (it failed the default 60 s once). No test may depend on how fast a loaded machine
 * answers, so these get ten minutes; their speed is not what they check.
 */
jest.setTimeout(600_000);

const MATRIX: Entry[] = [...DEPARTMENT_CODES.flatMap(departmentEntries), ...DEPARTMENT_EXTRAS, ...JOINT, ...REGISTRY];

interface IntrospectedField {
  name: string;
  type: { kind: string; name: string | null; ofType: { kind: string; name: string | null } | null };
}

describeWithHub(
  'the role matrix (R30)',
  (hub) => {
    const tokens = new Map<string, Promise<string>>();
    let forger: TokenIssuer;

    function tokenOf(c: Caller): Promise<string> | undefined {
      if (c.credential === 'none') return undefined;
      const key = `${c.credential}|${c.role}|${c.department}|${c.subject}`;
      if (!tokens.has(key)) {
        const identity = { subject: c.subject, role: c.role, department: c.department };
        tokens.set(
          key,
          c.credential === 'forged'
            ? forger.issue(identity)
            : hub().issuer.issue(identity, c.credential === 'expired' ? '-1h' : '8h'),
        );
      }
      return tokens.get(key);
    }

    /**
     * Sends a call. The gateway reuses kept-alive sockets that a subgraph server may have closed
     * meanwhile (ECONNRESET, answered as DOWNSTREAM_SERVICE_ERROR "could not be reached", before
     * the subgraph saw the request): such an answer is about transport, not identity, and is sent again.
     */
    async function send(call: Call): Promise<GraphQLResponse<unknown>> {
      for (let attempt = 1; ; attempt++) {
        const r = await hub().query(call.entry.operation, {
          variables: call.entry.variables?.(call.caller),
          token: await tokenOf(call.caller),
        });
        const unreachable = r.errors?.some(
          (e) => e.extensions?.code === 'DOWNSTREAM_SERVICE_ERROR' && e.extensions.upstreamStatus === undefined,
        );
        if (!unreachable || attempt === 3) return r;
      }
    }

    async function must<T>(query: string, token?: string): Promise<T> {
      const r = await hub().query<T>(query, { token });
      if (r.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
      return r.data!;
    }
    const as = (role: Role, department: string | null = null, subject?: string) =>
      hub().token(role, department, subject);

    beforeAll(async () => {
      tokens.clear();
      const rogue = await generateSigningKeys('test'); // the hub's key id, another key
      forger = await TokenIssuer.fromJwk(rogue.privateJwk, TEST_SETTINGS);
      await buildFixtures(hub());
    }, 120_000);

    it(
      'R30: every Mutation and Query field of the gateway, and every field of Task and MarketEntity, has an ' +
        'entry in the matrix',
      async () => {
        const admin = await as(Role.HUB_ADMIN);
        const fieldsOf = async (type: string) =>
          (
            await must<{ __type: { fields: IntrospectedField[] } | null }>(
              `{ __type(name: "${type}") { fields(includeDeprecated: true) { name type { kind name ofType { ` +
                `kind name } } } } }`,
              admin,
            )
          ).__type!.fields;
        const query = await fieldsOf('Query');
        // A department's namespace (Query.tax: TaxQuery!) is a surface of its own: its fields are in the matrix too.
        const namespaces = query
          .map((q) => (q.type.kind === 'NON_NULL' ? q.type.ofType! : q.type))
          .filter((t) => t.kind === 'OBJECT' && /^[A-Z][a-z0-9]*Query$/.test(t.name ?? ''))
          .map((t) => t.name!);
        expect(namespaces.sort()).toEqual(DEPARTMENT_CODES.map((c) => `${capitalised(c)}Query`).sort());
        const surfaces = ['Query', 'Mutation', ...namespaces, 'Task', 'MarketEntity'];
        const served: string[] = [];
        for (const type of surfaces) for (const field of await fieldsOf(type)) served.push(`${type}.${field.name}`);
        const covered = MATRIX.flatMap((e) => e.fields);
        const twice = covered.filter((c, i) => covered.indexOf(c) !== i);
        expect({
          withoutEntry: served.filter((c) => !covered.includes(c)),
          notServed: covered.filter((c) => !served.includes(c)),
          twice,
        }).toEqual({ withoutEntry: [], notServed: [], twice: [] });
        for (const e of MATRIX)
          expect([e.fields[0], Boolean(e.public) !== Boolean(e.allow)]).toEqual([e.fields[0], true]);
      },
    );

    it(
      'R30: every refused (field, caller) combination is FORBIDDEN or UNAUTHENTICATED, and no refused call ' +
        'writes a row in any service database',
      async () => {
        const refused = MATRIX.flatMap(callsOf).filter((c) => !c.allowed);
        const before = await databaseStates(hub());
        const problems: string[] = [];
        await inChunks(refused, 16, async (call) => {
          const r = await send(call);
          const expected = refusalExpected(call);
          const codes = codesOf(r);
          if (codes.length === 0) problems.push(`${describeCall(call)}: answered, expected ${expected}`);
          else if (codes.some((code) => code !== expected))
            problems.push(`${describeCall(call)}: expected ${expected}, got ${firstError(r)}`);
        });
        expect(problems).toEqual([]);
        expect(await databaseStates(hub())).toEqual(before);
        // Not public means somebody with a valid token, or the public, is refused.
        for (const e of MATRIX.filter((x) => !x.public))
          expect([
            e.fields[0],
            refused.some((c) => c.entry === e && (c.caller.credential === 'token' || c.caller.credential === 'none')),
          ]).toEqual([e.fields[0], true]);
      },
    );

    it(
      'R30: an expired or forged token is refused by every subgraph called directly, even for public data; ' +
        'without a token a subgraph serves only public data',
      async () => {
        const h = hub();
        const urls = [...h.departments.map((d) => d.url), h.joint.url, h.registry.url];
        const identity = { subject: 'test-hub_admin', role: Role.HUB_ADMIN, department: null };
        const expired = await h.issuer.issue(identity, '-1h');
        const forged = await forger.issue(identity);
        for (const url of urls) {
          for (const token of [expired, forged]) {
            const r = await h.query('{ __typename }', { url, token });
            expect([url, codesOf(r)]).toEqual([url, ['UNAUTHENTICATED']]);
          }
          expect([url, (await h.query('{ __typename }', { url })).errors]).toEqual([url, undefined]);
        }
        const taxUrl = h.departments[DEPARTMENT_CODES.indexOf('tax')]!.url;
        expect(codesOf(await h.query('{ tax { inspectors(first: 1) { nodes { id } } } }', { url: taxUrl }))).toEqual([
          'UNAUTHENTICATED',
        ]);
        expect(codesOf(await h.query('{ jointAuditTrail(first: 1) { seq } }', { url: h.joint.url }))).toEqual([
          'UNAUTHENTICATED',
        ]);
      },
    );

    it(
      'R30: plan drafts are shown to the participating departments and hub roles only (others see nothing, ' +
        'without an error)',
      async () => {
        const read = async (token?: string) =>
          (
            await hub().query<{ jointPlan: { id: string } | null }>(`{ jointPlan(id: "${f.draftToRevise}") { id } }`, {
              token,
            })
          ).data?.jointPlan ?? null;
        expect(await read()).toBeNull();
        expect(await read(await as(Role.COORDINATOR, 'environment'))).toBeNull();
        expect(await read(await as(Role.INSPECTOR, 'tax'))).not.toBeNull();
        expect(await read(await as(Role.AUDITOR))).not.toBeNull();
      },
    );

    it(
      'R30: every allowed (field, caller) combination gets ' + 'through, and succeeds where the entry says so',
      async () => {
        const problems: string[] = [];
        const check = (call: Call, r: GraphQLResponse<unknown>, mustSucceed: boolean) => {
          const codes = codesOf(r);
          if (codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED'))
            problems.push(`${describeCall(call)}: refused, ${firstError(r)}`);
          else if (mustSucceed && r.errors) problems.push(`${describeCall(call)}: should succeed, ${firstError(r)}`);
        };
        const runEntry = async (entry: Entry) => {
          const allowed = callsOf(entry).filter((c) => c.allowed);
          // Only a change made elsewhere (a connector department's roster) is refused to everybody.
          expect([entry.fields[0], allowed.length > 0 || entry.allow === nobody]).toEqual([entry.fields[0], true]);
          for (const [i, call] of allowed.entries())
            check(call, await send(call), entry.outcome !== 'first' || i === 0);
        };
        await inChunks(
          MATRIX.filter((e) => !e.last),
          8,
          runEntry,
        );
        for (const entry of MATRIX.filter((e) => e.last)) await runEntry(entry);
        expect(problems).toEqual([]);
      },
    );
  },
  400,
  time.clock,
);
