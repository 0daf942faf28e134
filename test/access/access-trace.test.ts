import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../kernel/config';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { tax } from '../../subgraphs/tax';
import { testDatabases } from '../support/databases';
import { postGraphQL, testKeys } from '../support/hub';

interface TraceLine {
  trace?: string;
  service: string;
  requestId: string;
  subject: string;
  role: string;
  department: string | null;
  operation: string | null;
  type: string;
  fields: string[];
  refused: boolean;
  errors: string[];
}

describe.each(testDatabases().slice(0, 1))('R30: every read and write is traced ($label)', (database) => {
  const lines: TraceLine[] = [];
  let department: RunningDepartment;
  let keys: Awaited<ReturnType<typeof testKeys>>;

  beforeAll(async () => {
    keys = await testKeys();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as TraceLine);
        done();
      },
    });
    const config = loadConfig({
      ...database.env,
      JOINTCHECK_PORT: '0',
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_DEMO_TARGETS: '50',
    });
    department = await startDepartment(tax, config, {
      verifier: keys.verifier,
      logger: pino({ level: 'info', base: { service: 'tax' } }, sink),
      port: 0,
    });
  });
  afterAll(async () => {
    await department?.stop();
    await database.drop(['tax']);
  });

  it(
    'R30: a roster read, a refused read and a write each leave a trace line naming who, what and the request, ' +
      'never the values',
    async () => {
      const admin = await keys.issuer.issueFor('tax', { subject: 'li.na', role: Role.DEPT_ADMIN, department: 'tax' });
      const other = await keys.issuer.issueFor('tax', {
        subject: 'wang.fang',
        role: Role.DEPT_ADMIN,
        department: 'fire',
      });
      await fetch(department.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${admin}`,
          'x-request-id': 'req-roster-1',
        },
        body: JSON.stringify({ query: 'query Roster { tax { targets(first: 2) { nodes { id } } } }' }),
      });
      await postGraphQL(department.url, 'query Peek { tax { inspectors(first: 1) { nodes { phone } } } }', {}, other);
      await postGraphQL(
        department.url,
        'mutation Repeal($code: String!) { taxRepealChecklistItem(code: $code, reason: "法规废止") { code } }',
        { code: 'TAX-01' },
        admin,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const traces = lines.filter((l) => l.trace === 'access');
      expect(traces.find((t) => t.operation === 'Roster')).toMatchObject({
        service: 'tax',
        requestId: 'req-roster-1',
        subject: 'li.na',
        role: 'DEPT_ADMIN',
        department: 'tax',
        type: 'query',
        fields: ['tax'],
        refused: false,
      });
      expect(traces.find((t) => t.operation === 'Peek')).toMatchObject({
        subject: 'wang.fang',
        department: 'fire',
        refused: true,
        errors: ['FORBIDDEN'],
      });
      expect(traces.find((t) => t.operation === 'Repeal')).toMatchObject({
        subject: 'li.na',
        type: 'mutation',
        fields: ['taxRepealChecklistItem'],
        refused: false,
      });
      // Values are never in the trace.
      expect(JSON.stringify(traces)).not.toContain('法规废止');
    },
  );
});
