import { HubError, run, type Answer, type ResultOf, type VariablesOf } from './client';
import type { WebOperationName } from './generated';

/** A page of a paged field of the hub's schema (`nodes`, `pageInfo`, and `totalCount` when asked for). */
export interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount?: number;
}

/** The fields of an answer that are pages. */
export type PageField<D> = { [F in keyof D]-?: NonNullable<D[F]> extends Page<unknown> ? F : never }[keyof D];

/** The entries of a page field of an answer. */
export type NodeOf<D, F extends keyof D> = NonNullable<D[F]> extends Page<infer T> ? T : never;

/**
 * The page a field answered. A paged field the caller may not read answers null with an error,
 * not a refused request: it throws that error as a HubError, as a refused request does.
 */
export function pageOf<D, F extends PageField<D>>(answer: Answer<D>, field: F): Page<NodeOf<D, F>> {
  const page = answer.data?.[field] as Page<NodeOf<D, F>> | null | undefined;
  if (page) return page;
  const error = answer.errors.find((e) => e.path?.[0] === field) ?? answer.errors[0];
  throw new HubError(
    String(error?.extensions?.code ?? 'ERROR'),
    error?.message ?? `${String(field)} was not answered.`,
    answer.errors,
  );
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
export async function everyPage<N extends WebOperationName, F extends PageField<ResultOf<N>>>(
  name: N,
  field: F,
  variables: VariablesOf<N>,
  signal?: AbortSignal,
): Promise<{ nodes: Array<NodeOf<ResultOf<N>, F>>; data: ResultOf<N> }> {
  const send = run as unknown as (
    name: N,
    variables: VariablesOf<N>,
    options: { signal?: AbortSignal },
  ) => Promise<Answer<ResultOf<N>>>;
  const first = await send(name, variables, { signal });
  const nodes = await followPages(pageOf(first, field), async (after) =>
    pageOf(await send(name, { ...variables, after } as VariablesOf<N>, { signal }), field),
  );
  return { nodes, data: first.data! };
}
