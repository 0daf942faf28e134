import fs from 'node:fs';
import path from 'node:path';
import { generateSchemaFiles } from '../../scripts/schema-files';

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schema');

describe('schema/ is what the code produces (run `npm run schema` after a schema change)', () => {
  let generated: Record<string, string>;
  beforeAll(async () => {
    generated = await generateSchemaFiles();
  });

  it('has exactly the generated files', () => {
    const checkedIn = fs
      .readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.graphql'))
      .sort();
    expect(checkedIn).toEqual(Object.keys(generated).sort());
  });

  it.each([
    'contract.graphql',
    'market.graphql',
    'tax.graphql',
    'environment.graphql',
    'housing.graphql',
    'fire.graphql',
    'joint.graphql',
    'supergraph.graphql',
  ])('%s matches the code', (file) => {
    const onDisk = fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8');
    // A readable failure: the first differing line, not two 1,000-line strings.
    const a = onDisk.split('\n');
    const b = generated[file]!.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    expect({
      file,
      firstDifferentLine: line === -1 && a.length === b.length ? null : line + 1,
      onDisk: a[line],
      generated: b[line],
    }).toEqual({
      file,
      firstDifferentLine: null,
      onDisk: undefined,
      generated: undefined,
    });
  });

  it('the contract defines the shared interfaces every department implements', () => {
    const contract = generated['contract.graphql']!;
    for (const name of [
      'interface ChecklistItem',
      'interface Inspector',
      'interface RosterTarget',
      'interface DepartmentView',
      'enum RiskLevel',
      'input ChecklistItemInput',
    ]) {
      expect(contract).toContain(name);
    }
    for (const code of ['market', 'tax', 'environment', 'housing', 'fire']) {
      const p = code[0]!.toUpperCase() + code.slice(1);
      expect(generated[`${code}.graphql`]).toContain(`type ${p}View implements DepartmentView`);
      expect(generated['supergraph.graphql']).toContain(`${code}: ${p}View`);
    }
  });
});
