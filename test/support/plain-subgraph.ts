import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse } from 'graphql';

/**
 * A Federation 2 subgraph served from an SDL alone over real HTTP (port 0), with resolvers when
 * given: what a registry test needs to offer it a variant schema (a field removed, a type
 * changed) the way a department system would.
 */
export async function servePlainSubgraph(
  sdl: string,
  resolvers: GraphQLResolverMap<unknown> = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  let stopped: Promise<void> | undefined;
  return { url: `${url}graphql`, stop: () => (stopped ??= server.stop()) };
}

/** The federation link line plain subgraphs start with. */
export const FED2 =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';
