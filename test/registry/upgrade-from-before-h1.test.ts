import fs from 'node:fs';
import path from 'node:path';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { forDepartment, isDepartmentTemplate, loadStoredOperations, type StoredOperation } from '../../operations';
import { apiSchemaOf, subgraphSchemaOf } from '../../subgraphs/registry/compose';
import { breakages, checkOperations, type SchemaSet } from '../../subgraphs/registry/operations-check';

/*
 * Deprecation first (H1 point 5), measured against what integrators and the registry hold: the
 * schemas and stored operations of before the unified schema changed (fixtures/before-h1, commit
 * c6e057a) against today's committed schemas (schema/, kept equal to the code by schema-drift).
 */
const BEFORE = path.join(__dirname, 'fixtures', 'before-h1');
const SCHEMA = path.join(__dirname, '..', '..', 'schema');
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

const before = {
  api: apiSchemaOf(read(BEFORE, 'supergraph.graphql')),
  tax: subgraphSchemaOf(read(BEFORE, 'tax.graphql')),
  market: subgraphSchemaOf(read(BEFORE, 'market.graphql')),
};
const now = {
  api: apiSchemaOf(read(SCHEMA, 'supergraph.graphql')),
  tax: subgraphSchemaOf(read(SCHEMA, 'tax.graphql')),
  market: subgraphSchemaOf(read(SCHEMA, 'market.graphql')),
};
const DEPARTMENTS = ['market', 'tax', 'environment', 'housing', 'fire', 'health'];

/** Every `Type.field` of the object and interface types of a schema (introspection and federation types left out). */
function coordinates(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isInterfaceType(t)))
    .flatMap((t) => Object.keys((t as { getFields: () => object }).getFields()).map((f) => `${t.name}.${f}`));
}

/** What an operation of before would meet on today's schema: the same checks the registry runs. */
function breaksOf(operation: StoredOperation): string[] {
  if (operation.target === 'departments')
    return breakages(before.tax, now.tax, forDepartment(operation.document, 'tax'));
  if (operation.target === 'market') return breakages(before.market, now.market, operation.document);
  if (isDepartmentTemplate(operation.document))
    return DEPARTMENTS.flatMap((code) =>
      breakages(before.api, now.api, forDepartment(operation.document, code)).map((b) => `${code}: ${b}`),
    );
  return breakages(before.api, now.api, operation.document);
}

describe('H1 point 5: the unified schema changed by deprecation first', () => {
  const operationsBefore = loadStoredOperations(path.join(BEFORE, 'operations'));

  it('no field of the API of before is gone: each is still there, deprecated where it has a replacement', () => {
    const today = new Set(coordinates(now.api));
    expect(coordinates(before.api).filter((c) => !today.has(c))).toEqual([]);
    // The replacements exist and the old fields say so (the check above would pass with no change at all).
    const query = now.api.getQueryType()!.getFields();
    expect(query.marketSearch!.deprecationReason).toBe('Use marketSearchPage.');
    expect(query.jointAuditTrail!.deprecationReason).toMatch(/^Use jointAuditTrailPage/);
  });

  it(
    'every stored operation of before (page, gateway, the joint service to departments, market) still works on ' +
      "today's schema",
    () => {
      expect(operationsBefore.length).toBeGreaterThan(20);
      const broken = operationsBefore
        .map((o) => ({ name: o.name, breaks: breaksOf(o) }))
        .filter((o) => o.breaks.length > 0);
      expect(broken).toEqual([]);
    },
  );

  it(
    'the registry accepts the upgrade: a hub restarted on a data dir holding the version of before ' +
      "re-registers its subgraphs with today's operations",
    () => {
      const set = (s: typeof before): SchemaSet => ({
        api: s.api,
        subgraphs: new Map([
          ['tax', { code: 'tax', schema: s.tax }],
          ['market', { code: 'market', schema: s.market }],
        ]),
      });
      expect(checkOperations(loadStoredOperations(), set(before), set(now))).toEqual([]);
    },
  );

  it(
    'the changes it lets through are the two the registry notes, not breaks: a namespace made nullable and a ' +
      'status made an enum',
    () => {
      const query = (s: GraphQLSchema) => s.getQueryType()!.getFields();
      expect(String(query(before.api).tax!.type)).toBe('TaxQuery!');
      expect(String(query(now.api).tax!.type)).toBe('TaxQuery');
      const status = (s: GraphQLSchema) =>
        String(
          (s.getType('TaxResult') as { getFields: () => Record<string, { type: unknown }> }).getFields().status!.type,
        );
      expect([status(before.api), status(now.api)]).toEqual(['String!', 'ResultStatus!']);
      // A removal is still a break: the same check refuses an operation reading a field taken away.
      const stripped = mapSchema(now.api, {
        [MapperKind.ROOT_FIELD]: (config, fieldName) => (fieldName === 'marketSearch' ? null : config),
      });
      const search = operationsBefore.find((o) => o.name === 'SearchEntities')!;
      expect(breakages(before.api, stripped, search.document)).toContain('Query.marketSearch is removed');
    },
  );
});
