import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import {
  prettyFormatQueryPlan,
  QueryPlanner,
  type FetchNode,
  type PlanNode,
  type QueryPlan,
  type QueryPlanSelectionNode,
} from '@apollo/query-planner';
import { parse } from 'graphql';

/**
 * The reference federated query of the gateway benchmark (issue F): 20 targets with their market
 * data and the five native departments' views.
 */
export const REFERENCE_QUERY = `query Reference($usccs: [String!]!) {
  marketEntities(usccs: $usccs) {
    uscc name kind status onAbnormalList
    market { onRoster creditLevel riskLevel penaltiesLast3Years }
    tax { onRoster creditLevel riskLevel creditRating { rating year } }
    environment { onRoster riskLevel dischargePermits { permitNo managementClass } }
    housing { onRoster riskLevel qualifications { category grade } }
    fire { onRoster riskLevel keyUnit { isKeyUnit category } }
  }
}`;

/**
 * The query plan the Apollo gateway makes for a query on a supergraph (the same planner it runs), and the subgraphs'
 * URLs.
 */
export function planOf(
  supergraphSdl: string,
  query: string,
): { plan: QueryPlan; text: string; urls: Record<string, string> } {
  const supergraph = Supergraph.build(supergraphSdl);
  const plan = new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)));
  return {
    plan,
    text: prettyFormatQueryPlan(plan),
    urls: Object.fromEntries(supergraph.subgraphsMetadata().map((s) => [s.name, s.url])),
  };
}

type Json = Record<string, unknown>;
export type SubgraphFetch = (service: string, query: string, variables: Json) => Promise<Json>;

/** The objects at a plan path (`marketEntities`, `@` for each element of a list). */
function objectsAt(data: unknown, path: ReadonlyArray<string | number>): Json[] {
  if (path.length === 0)
    return data && typeof data === 'object' ? (Array.isArray(data) ? (data as Json[]) : [data as Json]) : [];
  const [head, ...rest] = path;
  if (head === '@') return Array.isArray(data) ? data.flatMap((d) => objectsAt(d, rest)) : [];
  return data && typeof data === 'object' ? objectsAt((data as Json)[String(head)], rest) : [];
}

/** A representation of an object for `_entities`: its typename and the key fields the plan requires. */
function representation(object: Json, requires: readonly QueryPlanSelectionNode[]): Json {
  const out: Json = {};
  for (const selection of requires) {
    if (selection.kind === 'InlineFragment') Object.assign(out, representation(object, selection.selections));
    else
      out[selection.name] = selection.selections
        ? representation(object[selection.name] as Json, selection.selections)
        : object[selection.name];
  }
  return out;
}

function merge(target: Json, source: Json): void {
  for (const [k, v] of Object.entries(source)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object')
      merge(target[k] as Json, v as Json);
    else if (Array.isArray(v) && Array.isArray(target[k]))
      (v as Json[]).forEach((item, i) =>
        item && typeof item === 'object'
          ? merge(((target[k] as Json[])[i] ??= {}) as Json, item)
          : ((target[k] as unknown[])[i] = item),
      );
    else target[k] = v;
  }
}

/**
 * Runs a query plan's fetches straight against the subgraphs, in its order (sequence, parallel,
 * flatten), with nothing else: no parsing, validation, planning or result shaping. The floor of
 * the gateway benchmark: the same subgraph requests the gateway sends, at the least cost.
 */
export async function runPlan(
  node: PlanNode,
  data: Json,
  variables: Json,
  fetchFrom: SubgraphFetch,
  path: ReadonlyArray<string | number> = [],
): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runPlan(child, data, variables, fetchFrom, path);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runPlan(child, data, variables, fetchFrom, path)));
      return;
    case 'Flatten':
      return runPlan(node.node, data, variables, fetchFrom, [...path, ...node.path]);
    case 'Fetch':
      return runFetch(node, data, variables, fetchFrom, path);
    default:
      throw new Error(`The floor runs Sequence, Parallel, Flatten and Fetch plan nodes, not ${node.kind}`);
  }
}

async function runFetch(
  node: FetchNode,
  data: Json,
  variables: Json,
  fetchFrom: SubgraphFetch,
  path: ReadonlyArray<string | number>,
): Promise<void> {
  const own = Object.fromEntries((node.variableUsages ?? []).map((v) => [v, variables[v]]));
  if (!node.requires) {
    merge(data, await fetchFrom(node.serviceName, node.operation, own));
    return;
  }
  const objects = objectsAt(data, path);
  const answer = await fetchFrom(node.serviceName, node.operation, {
    ...own,
    representations: objects.map((o) => representation(o, node.requires!)),
  });
  const entities = answer._entities as Json[];
  objects.forEach((o, i) => merge(o, entities[i] ?? {}));
}
