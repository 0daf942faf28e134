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

/** Every entry from a first page on: the next page (`next(endCursor)`) while there are more. */
export async function followPages<T>(first: Page<T>, next: (after: string) => Promise<Page<T>>): Promise<T[]> {
  const nodes: T[] = [];
  for (let page = first; ; page = await next(page.pageInfo.endCursor!)) {
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return nodes;
  }
}

/**
 * Every entry of a paged field: the stored operation's first page, then the next (its `after`
 * variable) while there are more. `data` is the first answer's, for the operation's other fields.
 */
export async function everyPage<T, D = Record<string, unknown>>(name: string, field: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<{ nodes: T[]; data: D }> {
  const first = await run<Record<string, unknown>>(name, variables, { signal });
  const nodes = await followPages(pageOf<T>(first, field), async (after) => pageOf<T>(await run<Record<string, unknown>>(name, { ...variables, after }, { signal }), field));
  return { nodes, data: first.data as D };
}
