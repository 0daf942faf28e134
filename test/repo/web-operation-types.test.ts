import fs from 'node:fs';
import path from 'node:path';
import { GENERATED_FILE, generateWebOperationTypes } from '../../scripts/web-operation-types';

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schema');
const read = (file: string) => fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8');

/** The supergraph with one field of one type removed (the line `  field...` inside `type Type`). */
function withoutField(supergraph: string, type: string, field: string): string {
  const start = supergraph.search(new RegExp(`\\ntype ${type}\\b`));
  expect(start).toBeGreaterThan(-1);
  const end = supergraph.indexOf('\n}', start);
  const body = supergraph.slice(start, end);
  const cut = body.replace(new RegExp(`\\n  ${field}(\\(|:)[^\\n]*`), '');
  expect(cut).not.toBe(body);
  return supergraph.slice(0, start) + cut + supergraph.slice(end);
}

describe('the web page types (web/src/api/generated.ts) are generated from the schema (`npm run codegen`)', () => {
  const supergraph = read('supergraph.graphql');
  const contract = read('contract.graphql');

  it('the checked-in file is what the schema and operations/web/ produce', async () => {
    const generated = await generateWebOperationTypes(supergraph, contract);
    // A readable failure: the first differing line.
    const a = fs.readFileSync(GENERATED_FILE, 'utf8').split('\n');
    const b = generated.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    expect({
      firstDifferentLine: line === -1 && a.length === b.length ? null : line + 1,
      onDisk: a[line],
      generated: b[line],
    }).toEqual({
      firstDifferentLine: null,
      onDisk: undefined,
      generated: undefined,
    });
  });

  it('types every stored web operation, by name, for run()', async () => {
    const generated = await generateWebOperationTypes(supergraph, contract);
    for (const name of ['HubMode', 'SearchEntities', 'PlanDetail', 'DashboardStatistics', 'RateVisit'])
      expect(generated).toMatch(new RegExp(`\\n  ${name}: \\{ result: ${name}(Query|Mutation);`));
    expect(generated).toContain(
      'DepartmentPublishedResults: { result: ForDepartment<DepartmentPublishedResultsQuery>;',
    );
  });

  it('fails, naming the operation and the field, when the schema loses a field a web operation reads', async () => {
    const broken = withoutField(supergraph, 'Plan', 'windowEnd');
    await expect(generateWebOperationTypes(broken, contract)).rejects.toThrow(
      /PublicPlans: Cannot query field "windowEnd" on type "Plan"/,
    );
  });

  it('fails when a department loses a field a department template reads, naming the department', async () => {
    const broken = withoutField(supergraph, 'FireResult', 'correctionReason');
    await expect(generateWebOperationTypes(broken, contract)).rejects.toThrow(
      /DepartmentPublishedResults, as sent for fire: Cannot query field "correctionReason" on type "FireResult"/,
    );
  });

  it('fails when the contract loses a field a department template reads', async () => {
    const broken = contract.replace(/(\ntype ExampleOutcome\b[^}]*?)\n {2}label: [^\n]*/, '$1');
    expect(broken).not.toBe(contract);
    await expect(generateWebOperationTypes(supergraph, broken)).rejects.toThrow(
      /Cannot query field "label" on type "ExampleOutcome"/,
    );
  });
});
