import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  isNonNullType,
  type GraphQLField,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { Role } from '../../kernel/identity';
import { describeWithHub, type TestHub } from '../support/hub';
import { jointPlanInput, publishedPlan, runTaskTo, testClock } from '../joint/fixtures';

const time = testClock('2026-03-02T02:00:00Z');
const SECRET_NOTE = 'CONFIDENTIAL-SENTINEL-举报人身份证号-310101199001011234';
/**
 * Field names whose values must never reach an anonymous caller (R25, R30); `url`: the registry's internal addresses.
 */
const PRIVATE_FIELDS = [
  'phone',
  'confidentialNotes',
  'creditLevel',
  'riskLevel',
  'penaltiesLast3Years',
  'verifiedComplaints',
  'stratum',
  'secret',
  'url',
];

/** Arguments an anonymous caller could plausibly give, by name. */
function argumentValue(name: string, known: Record<string, string>): string | null {
  switch (name) {
    case 'uscc':
      return JSON.stringify(known.uscc);
    case 'usccs':
      return JSON.stringify([known.uscc]);
    case 'year':
      return '2026';
    case 'id':
    case 'taskId':
      return JSON.stringify(known.taskId);
    case 'planId':
      return JSON.stringify(known.planId);
    case 'code':
      return JSON.stringify(known.code);
    case 'department':
      return JSON.stringify('tax');
    case 'name':
      return JSON.stringify(known.name);
    default:
      return null;
  }
}

/** One field with the arguments we can fill and everything below it, to a depth; null when it cannot be asked. */
function fieldSelection(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
  depth: number,
  known: Record<string, string>,
): string | null {
  const args: string[] = [];
  for (const arg of field.args) {
    const value = argumentValue(arg.name, known);
    if (value !== null) args.push(`${arg.name}: ${value}`);
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) return null;
  }
  const head = `${field.name}${args.length ? `(${args.join(', ')})` : ''}`;
  const named = getNamedType(field.type);
  if (isLeafType(named)) return head;
  if (depth <= 0) return null;
  const inner = selection(schema, named.name, depth - 1, known);
  return inner ? `${head} { ${inner} }` : null;
}

/** Every field reachable from a type, to a depth. */
function selection(schema: GraphQLSchema, typeName: string, depth: number, known: Record<string, string>): string {
  const type = schema.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) return '';
  return (Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>)
    .map((f) => fieldSelection(schema, f, depth, known))
    .filter((x): x is string => x !== null)
    .join(' ');
}

/**
 * One query per root field, and per field of a department namespace (`tax { ... }`): a refused
 * non-null field would otherwise null the whole answer and hide everything else from the walk.
 */
function queries(schema: GraphQLSchema, known: Record<string, string>): string[] {
  const out: string[] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name.startsWith('_')) continue;
    const named = getNamedType(field.type);
    if (isObjectType(named) && named.name.endsWith('Query')) {
      for (const sub of Object.values(named.getFields())) {
        const inner = fieldSelection(schema, sub, 4, known);
        if (inner) out.push(`{ ${field.name} { ${inner} } }`);
      }
    } else {
      const one = fieldSelection(schema, field, 4, known);
      if (one) out.push(`{ ${one} }`);
    }
  }
  return out;
}

/** Every value in an answer, with its path. */
function* walk(value: unknown, path: string[] = []): Generator<[string[], unknown]> {
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* walk(v, [...path, String(i)]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* walk(v, [...path, k]);
  else yield [path, value];
}

async function seed(hub: TestHub) {
  const planId = await publishedPlan(hub, jointPlanInput({ ratios: { high: 20, elevated: 10, general: 5, low: 5 } }));
  const taskId = await runTaskTo(hub, time, planId, 'LOCKED');
  for (const d of ['market', 'tax', 'fire'])
    await hub.query(`mutation { jointDrawInspectors(taskId: "${taskId}", department: "${d}") { id } }`, {
      token: await hub.token(Role.COORDINATOR, d),
    });
  const visits = await hub.query<{ jointTask: { visits: Array<{ key: string; uscc: string }> } }>(
    `{ jointTask(id: "${taskId}") { visits { key uscc } } }`,
    { token: await hub.token(Role.AUDITOR) },
  );
  const visit = visits.data!.jointTask.visits[0]!;
  const code = (
    await hub.query<{ jointIssueInspectionCode: string }>(
      `mutation { jointIssueInspectionCode(taskId: "${taskId}", targetKey: "${visit.key}") }`,
      { token: await hub.token(Role.COORDINATOR, 'market') },
    )
  ).data!.jointIssueInspectionCode;
  // A published tax result of that target with a confidential note.
  const written = await hub.query<{ taxRecordResults: Array<{ resultId: string }> }>(
    'mutation($input: [ResultInput!]!) { taxRecordResults(input: $input) { resultId } }',
    {
      variables: {
        input: [
          {
            idempotencyKey: 'public-view-1',
            taskId,
            targetKey: visit.key,
            uscc: visit.uscc,
            itemCode: 'TAX-08',
            itemVersion: 1,
            outcome: 'NO_PROBLEM',
            method: 'ON_SITE',
            notes: '未发现问题',
            confidentialNotes: SECRET_NOTE,
            inspectors: ['X'],
            inspectedOn: '2026-03-04',
          },
        ],
      },
      token: await hub.token(Role.SERVICE),
    },
  );
  const id = written.data!.taxRecordResults[0]!.resultId;
  const admin = await hub.token(Role.DEPT_ADMIN, 'tax');
  await hub.query(`mutation { taxApproveResults(ids: ["${id}"]) { id } }`, { token: admin });
  await hub.query(`mutation { taxPublishResults(ids: ["${id}"]) { id } }`, { token: admin });
  // Every inspector phone of the departments taking part.
  const phones: string[] = [];
  for (const d of ['market', 'tax', 'fire']) {
    const r = await hub.query<Record<string, { inspectors: { nodes: Array<{ phone: string }> } }>>(
      `{ ${d} { inspectors(first: 1000) { nodes { phone } } } }`,
      { token: await hub.token(Role.INSPECTOR, d) },
    );
    phones.push(...r.data![d]!.inspectors.nodes.map((n) => n.phone));
  }
  const entity = await hub.query<{ marketEntity: { name: string } }>(
    `{ marketEntity(uscc: "${visit.uscc}") { name } }`,
  );
  // A part of the name, as a person would type it: the public finds results by name too.
  const name = entity.data!.marketEntity.name.slice(2, 6);
  return { known: { uscc: visit.uscc, taskId, planId, code, name }, phones };
}

describeWithHub(
  'the public view',
  (hub) => {
    it(
      'R25, R30: walking every field an anonymous caller can reach finds no phone, confidential note, internal ' +
        'class or secret',
      async () => {
        const { known, phones } = await seed(hub());
        const introspection = await hub().query<IntrospectionQuery>(getIntrospectionQuery());
        const schema = buildClientSchema(introspection.data!);
        const answers = await Promise.all(queries(schema, known).map((q) => hub().query(q)));
        const data = answers.map((a) => a.data);
        const leaves = [...walk(data)];
        // The walk reached real data: published plans, the task, the code's check, the published result.
        const text = JSON.stringify(data);
        for (const expected of [known.taskId, known.planId, '未发现问题', 'genuine']) expect(text).toContain(expected);
        // Found by name too: marketSearch reaches the entity (and so its published results, by its USCC).
        const byName = answers.find((a) => a.data && 'marketSearch' in (a.data as object))!.data as {
          marketSearch: Array<{ uscc: string }>;
        };
        expect(byName.marketSearch.map((e) => e.uscc)).toContain(known.uscc);
        // The departments to ask for published results are listed to anyone, and walked like the rest (`url` is private
        // above).
        const listed = answers.find((a) => a.data && 'registryDepartments' in (a.data as object))!.data as {
          registryDepartments: Array<{ code: string }>;
        };
        expect(listed.registryDepartments.map((d) => d.code)).toContain('tax');
        expect(leaves.length).toBeGreaterThan(200);
        // Nothing private in any value ...
        expect(text).not.toContain(SECRET_NOTE);
        expect(text).not.toContain('310101199001011234');
        for (const phone of phones) expect(text).not.toContain(phone);
        // ... and no private field answered with a value: it is null, or refused with an error.
        const leaked = leaves.filter(
          ([path, value]) => PRIVATE_FIELDS.includes(path[path.length - 1]!) && value !== null,
        );
        expect(leaked.map(([path]) => path.join('.'))).toEqual([]);
        // Refusals were coded, so a person knows to sign in.
        for (const error of answers.flatMap((a) => a.errors ?? []))
          expect([
            error.message,
            ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT'].includes(String(error.extensions?.code)),
          ]).toEqual([error.message, true]);
        expect(answers.length).toBeGreaterThan(20);
      },
    );
  },
  200,
  time.clock,
);
