import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import { type BuildSchemaOptions, buildSchema, createResolversMap } from 'type-graphql';

/** The one place that knows the Federation version and the directives subgraphs may use. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", ' +
  '"@external", "@requires", "@provides", "@inaccessible", "@tag"])';

export type ReferenceResolvers = Record<string, (reference: Record<string, unknown>, context: unknown) => unknown>;

export interface FederatedSchemaOptions extends Omit<BuildSchemaOptions, 'skipCheck'> {
  /** `__resolveReference` per entity type name; each must go through a DataLoader. */
  referenceResolvers?: ReferenceResolvers;
}

/**
 * Builds a Federation 2 subgraph schema from type-graphql classes (STACK.md): type-graphql
 * builds the schema, its SDL is printed with the directives kept, the federation link is
 * prefixed, and the resolvers plus the reference resolvers go to `buildSubgraphSchema`.
 */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const { referenceResolvers = {}, ...buildOptions } = options;
  const schema = await buildSchema({ ...buildOptions, skipCheck: true });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolveReference] of Object.entries(referenceResolvers)) {
    // Apollo's `__resolveReference` sits beside an object type's field resolvers (its own signature).
    const fields = resolvers[typeName] as Record<string, unknown> | undefined;
    resolvers[typeName] = { ...fields, __resolveReference: resolveReference } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema({ typeDefs, resolvers });
}
