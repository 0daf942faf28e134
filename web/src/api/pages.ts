import { HubError, run, type Answer } from './client';

/** A page of a paged field of the hub's schema (`nodes`, `pageInfo`, and `totalCount` when asked for). */
export interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount?: number;
}

/**
 * The page a field answered. A paged field the caller may not read answers null with an error,
 * not a refused request: it throws that error as a HubError, as a refused request does.
 */
export function pageOf<T>(answer: Answer<Record<string, unknown>>, field: string): Page<T> {
  const page = answer.data?.[field] as Page<T> | null | undefined;
  if (page) return page;
  const error = answer.errors.find((e) => e.path?.[0] === field) ?? answer.errors[0];
  throw new HubError(String(error?.extensions?.code ?? 'ERROR'), error?.message ?? `${field} was not answered.`, answer.errors);
}

/**
 * Every entry of a paged field: the stored operation's first page, then the next (its `after`
 * variable) while there are more. `data` is the first answer's, for the operation's other fields.
 */
export async function everyPage<T, D = Record<string, unknown>>(name: string, field: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<{ nodes: T[]; data: D }> {
  const first = await run<Record<string, unknown>>(name, variables, { signal });
  const nodes: T[] = [];
  let page = pageOf<T>(first, field);
  for (;;) {
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return { nodes, data: first.data as D };
    page = pageOf<T>(await run<Record<string, unknown>>(name, { ...variables, after: page.pageInfo.endCursor }, { signal }), field);
  }
}
