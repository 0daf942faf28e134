import { createHash } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

/** Hex SHA-256 of a text (SDL hashes, supergraph hashes). */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Composes subgraph SDLs into a Federation 2 supergraph (@apollo/composition), or lists every
 * composition error. Composition messages already name the subgraphs, types and fields at fault
 * (`[customs] Type "RiskLevel" ...`).
 */
export function composeSupergraph(
  subgraphs: readonly SubgraphSource[],
): { supergraphSdl: string } | { errors: string[] } {
  let typeDefs: Array<{ name: string; url: string; typeDefs: ReturnType<typeof parse> }>;
  try {
    typeDefs = subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) }));
  } catch (error) {
    return { errors: [`An SDL does not parse: ${(error as Error).message}`] };
  }
  const result = composeServices(typeDefs);
  if (result.errors?.length) return { errors: result.errors.map((e) => e.message) };
  return { supergraphSdl: result.supergraphSdl! };
}

/** The schema clients see through a gateway serving a supergraph (no join directives, no inaccessible parts). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** A subgraph's own executable shape (with `_entities` and `_service`), from its SDL. */
export function subgraphSchemaOf(sdl: string): GraphQLSchema {
  return buildSubgraphSchema(parse(sdl));
}

/** Reads a subgraph's SDL through the federation `_service` field. */
export async function fetchSubgraphSdl(url: string, timeoutMs = 10_000, authorization?: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new Error(`${url} could not be reached (${cause})`, { cause: error });
  }
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  let body: { data?: { _service?: { sdl?: string } }; errors?: Array<{ message: string }> };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new Error(`${url} did not answer with GraphQL JSON`);
  }
  const sdl = body.data?._service?.sdl;
  if (!sdl)
    throw new Error(
      `${url} returned no SDL for { _service { sdl } }: ` +
        `${body.errors?.map((e) => e.message).join('; ') ?? 'empty answer'} (is it a Federation 2 subgraph?)`,
    );
  return sdl;
}
