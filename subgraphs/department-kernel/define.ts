import type { ClassType } from '../../kernel/class-type';
import { createCsvImportResolver } from './csv-import-resolver';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { DEPARTMENT_CODE } from '../../kernel/codes';
import './contract/enums';
import { ChecklistItem, DepartmentView, Inspector, RosterTarget } from './contract/interfaces';
import { buildFederatedSchema, type ReferenceResolvers } from '../../kernel/federation';
import { assertUscc } from '../../kernel/uscc';
import { DepartmentKernel1763900000000 } from './migrations/1763900000000-DepartmentKernel';
import type { DemoDepartment } from './demo/department-demo';
import type { RequestContext } from '../../kernel/context';
import { DEPARTMENT_ENTITIES } from './entities';
import { RESULT_ENTITIES } from './results/entities';
import { createResultResolvers } from './results/result-resolvers';
import { DepartmentResults1763920000000 } from './migrations/1763920000000-DepartmentResults';
import { ResultDishonesty1763950000000 } from './migrations/1763950000000-ResultDishonesty';
import { ChecklistLongTexts1764200000000 } from './migrations/1764200000000-ChecklistLongTexts';
import { createDepartmentResolvers } from './resolvers';
import { createDepartmentScope, type DepartmentContext } from './scope';
import type { DepartmentStoreFactory } from './store';
import { createDepartmentTypes, marketEntityStub, type Ctor, type DepartmentTypes } from './types';

/** Codes the hub's own services use; no department may take them. */
export const RESERVED_CODES: readonly string[] = ['gateway', 'registry', 'joint', 'hub', 'public', 'admin'];

/** What a department adds to the kernel: mostly configuration, plus what is its own. */
export interface DepartmentDefinition<Own = unknown> {
  /** Department code, lowercase `[a-z][a-z0-9]{1,19}`; type names use its PascalCase. */
  code: string;
  /** The department's name (Chinese), for people. */
  name: string;
  /** Market passes its own `MarketEntity`; other departments get a key-only stub. */
  marketEntity?: Ctor<{ uscc: string }>;
  /** The department's own tables and their migrations. */
  entities?: ClassType[];
  migrations?: ClassType[];
  /** The department's own resolvers (extra fields on its view, its own queries), given its types. */
  resolvers?: (types: DepartmentTypes) => ClassType[];
  /** Object types reachable only through interfaces or unions. */
  orphanedTypes?: ClassType[];
  /** Extra reference resolvers (entities the department owns besides the kernel's). */
  referenceResolvers?: ReferenceResolvers;
  /** Per-request loaders of the department's own data. */
  createOwnScope?: (dataSource: DataSource) => Own;
  /** Demo data: checklist, inspector domains, who is on the roster, the department's own rows. */
  demo: DemoDepartment;
  /**
   * Set when the department's rosters, inspectors and checklist stay in its existing system, read
   * through a connector (issue E): what that system is, for messages. The hub then generates no
   * demo data for them and imports none (they are changed in that system).
   */
  existingSystem?: string;
  /**
   * Whether the department's admin may import CSV files from the workspace (`<code>ImportCsv`,
   * issue I): the hub's own departments do (default); a department joined by a connector never
   * does (its data changes in its own system), nor the contract template (it is not part of the
   * department contract).
   */
  csvImport?: boolean;
}

/** The context of a department subgraph, with the department's own per-request scope. */
export interface OwnContext<Own> extends DepartmentContext {
  own: Own;
}

/** A department assembled from the kernel: its types, schema, tables and context. */
export interface DepartmentModule<Own = unknown> {
  definition: DepartmentDefinition<Own>;
  types: DepartmentTypes;
  entities: ClassType[];
  migrations: ClassType[];
  buildSchema(): Promise<GraphQLSchema>;
  /** The per-request context; `store` replaces the department's own tables for rosters and checklist (a connector). */
  createContext(
    dataSource: DataSource,
    clock?: () => Date,
    store?: DepartmentStoreFactory,
  ): Omit<OwnContext<Own>, keyof RequestContext>;
}

/**
 * Builds a department from its definition. Types are created once per code (type-graphql keeps
 * every class in one global store), so a department is defined once per process.
 */
export function defineDepartment<Own>(definition: DepartmentDefinition<Own>): DepartmentModule<Own> {
  if (!DEPARTMENT_CODE.test(definition.code) || RESERVED_CODES.includes(definition.code)) {
    throw new Error(
      `Department code '${definition.code}' must be [a-z][a-z0-9]{1,19} and not one of ${RESERVED_CODES.join(', ')}`,
    );
  }
  const types = createDepartmentTypes(definition.code, definition.marketEntity ?? marketEntityStub());
  const csvImport = definition.csvImport !== false && !definition.existingSystem;
  const resolvers = [
    ...createDepartmentResolvers(definition.code, types),
    ...createResultResolvers(definition.code, types),
    ...(csvImport ? [createCsvImportResolver(definition.code)] : []),
    ...(definition.resolvers?.(types) ?? []),
  ];
  const stubReference: ReferenceResolvers = definition.marketEntity
    ? {}
    : {
        // Through the loader: the view field then reads the same, already batched, row.
        MarketEntity: async (ref, context) => {
          const uscc = assertUscc(String(ref.uscc), 'representations.uscc');
          await (context as DepartmentContext).dept.targetById.load(uscc);
          return { uscc };
        },
      };
  return {
    definition,
    types,
    entities: [...DEPARTMENT_ENTITIES, ...RESULT_ENTITIES, ...(definition.entities ?? [])],
    migrations: [
      DepartmentKernel1763900000000,
      DepartmentResults1763920000000,
      ResultDishonesty1763950000000,
      ChecklistLongTexts1764200000000,
      ...(definition.migrations ?? []),
    ],
    buildSchema: () =>
      buildFederatedSchema({
        resolvers: resolvers as [ClassType, ...ClassType[]],
        orphanedTypes: [
          ChecklistItem,
          Inspector,
          RosterTarget,
          DepartmentView,
          types.MarketEntity,
          types.ChecklistItem,
          types.Inspector,
          types.Target,
          types.View,
          ...(definition.orphanedTypes ?? []),
        ],
        referenceResolvers: { ...stubReference, ...definition.referenceResolvers },
      }),
    createContext: (dataSource, clock, store) => ({
      dept: createDepartmentScope(dataSource, definition.code, clock, store),
      own: (definition.createOwnScope?.(dataSource) ?? undefined) as Own,
    }),
  };
}
