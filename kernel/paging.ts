import { Directive, Field, Int, type MiddlewareFn, ObjectType, UseMiddleware } from 'type-graphql';
import { badInput } from './errors';
import { pageSize } from './validation';

/*
 * One paging convention for every list of the unified schema that can grow (H1 point 5):
 *
 *   field(first: Int! = <default>, after: String, ...filters): <Thing>Page   (nullable when it can be refused)
 *   type <Thing>Page { nodes: [<Thing>!]!  pageInfo: PageInfo!  totalCount: Int! }
 *   type PageInfo { endCursor: String  hasNextPage: Boolean! }
 *
 * `first` is 1 to the field's largest page, which its description states ("1 to 500"); `after` is
 * a previous page's `pageInfo.endCursor`, opaque to the caller; `totalCount` is every entry that
 * matches the filters, computed only when it is asked for. Paging is forward only (a list is read
 * from its start, as every page and export of the hub does). `test/repo/schema-conventions.test.ts`
 * keeps every field of the supergraph to it.
 */

/** Where a page ends and whether another follows: the same type in every subgraph (shareable). */
@Directive('@shareable')
@ObjectType('PageInfo', {
  description: 'Where a page ends: pass `endCursor` as `after` for the next page, while `hasNextPage`.',
})
export class PageInfo {
  @Field(() => String, { nullable: true, description: "The last entry's cursor; null on an empty page." })
  endCursor!: string | null;

  @Field({ description: 'Whether entries follow this page.' })
  hasNextPage!: boolean;
}

/**
 * A page as resolvers return it: `totalCount` may be a function, called only when a query selects
 * the field (`countWhenAsked` calls it: type-graphql's resolver of a plain field returns the
 * property as it is, unlike graphql-js's default resolver).
 */
export interface PageOf<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | (() => Promise<number> | number);
}

type ClassType<T = unknown> = new (...args: never[]) => T;

/** The middleware of a `totalCount` field: calls a function-valued count (lazy: only when the field is selected). */
export const countWhenAsked: MiddlewareFn = async (_, next) => {
  const value: unknown = await next();
  return typeof value === 'function' ? (value as () => unknown)() : value;
};

/**
 * The fields every page has (`nodes`, `pageInfo`, `totalCount`), as an abstract type-graphql class
 * to extend: `@ObjectType('XPage') class XPage extends pageFields(X) {}`.
 */
export function pageFields<T>(node: ClassType<T> | StringConstructor) {
  @ObjectType()
  abstract class PageFields {
    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many entries match, over every page (counted only when asked for).' })
    @UseMiddleware(countWhenAsked)
    totalCount!: number;
  }
  return PageFields;
}

/** What the deprecated cursor fields of the previous pages say instead. */
export const END_CURSOR_DEPRECATION = 'Use pageInfo.endCursor.';
export const HAS_MORE_DEPRECATION = 'Use pageInfo.hasNextPage.';

/**
 * A page as it was before `pageInfo` (the rosters of the previous contract, the abnormal-operation list): its
 * `endCursor` and `hasMore` too.
 */
export interface PageWithCursorFields<T> extends PageOf<T> {
  endCursor: string | null;
  hasMore: boolean;
}

/**
 * The fields of a page that had `endCursor` and `hasMore` before `pageInfo` (H1 point 5): every
 * page's, plus those two, deprecated, for the callers written against them.
 */
export function pageFieldsWithCursorFields<T>(node: ClassType<T> | StringConstructor) {
  @ObjectType()
  abstract class PageWithCursors extends pageFields(node) {
    @Field(() => String, {
      nullable: true,
      description: 'Pass as `after` for the next page.',
      deprecationReason: END_CURSOR_DEPRECATION,
    })
    endCursor!: string | null;

    @Field({ deprecationReason: HAS_MORE_DEPRECATION })
    hasMore!: boolean;
  }
  return PageWithCursors;
}

/** A page whose store pages by its own cursor, answering the deprecated cursor fields too. */
export function pageWithCursorFields<T>(
  nodes: T[],
  endCursor: string | null,
  hasMore: boolean,
  count: () => Promise<number>,
): PageWithCursorFields<T> {
  return { nodes, pageInfo: { endCursor, hasNextPage: hasMore }, totalCount: count, endCursor, hasMore };
}

/**
 * The GraphQL page type of a node type: `<name>` with `nodes`, `pageInfo` and `totalCount`. Call it
 * once per name (type-graphql registers each class it decorates).
 */
export function pageType<T>(name: string, node: ClassType<T>, description: string): ClassType<PageOf<T>> {
  @ObjectType(name, { description })
  class Page extends pageFields(node) {}
  return Page as unknown as ClassType<PageOf<T>>;
}

/** The field description's sentence stating the largest page, e.g. "first: 1 to 500 (default 100)". */
export const firstDescription = (max: number, fallback: number, what = 'entries'): string =>
  `How many ${what} a page holds: 1 to ${max.toLocaleString('en')} (the largest page), ` +
  `${fallback.toLocaleString('en')} by default.`;

export const AFTER_DESCRIPTION = "The previous page's `pageInfo.endCursor`; leave it out for the first page.";

const OFFSET_CURSOR = /^o:(\d{1,9})$/;

/** The cursor of a list paged by position: opaque to callers, `o:<entries before the next page>` inside. */
export function offsetCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

/** Reads an `after` made by `offsetCursor`; a cursor it did not make is BAD_USER_INPUT. */
export function readOffsetCursor(after: string | null | undefined, field = 'after'): number {
  if (after === null || after === undefined || after === '') return 0;
  const match = OFFSET_CURSOR.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match)
    throw badInput(
      `${field}: '${after.slice(0, 80)}' is not a cursor of this list; pass a pageInfo.endCursor this field ` +
        `returned, or leave it out for the first page.`,
      { field },
    );
  return Number(match[1]);
}

/**
 * A page of a list held in memory (or already bounded by a query): `first` checked against `max`,
 * `after` read as an offset cursor, `totalCount` the list's length.
 */
export function pageOfList<T>(
  all: readonly T[],
  first: number,
  after: string | null | undefined,
  max: number,
): PageOf<T> {
  const size = pageSize(first, max);
  const start = Math.min(readOffsetCursor(after), all.length);
  const nodes = all.slice(start, start + size);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: { endCursor: nodes.length ? offsetCursor(end) : null, hasNextPage: end < all.length },
    totalCount: all.length,
  };
}

/**
 * A page read from a store by offset: `fetch(offset, limit)` reads at most `limit` rows from
 * `offset` (one more than the page is read to know whether another follows), `count` counts them
 * all, called only when `totalCount` is selected.
 */
export async function pageByOffset<T>(
  first: number,
  after: string | null | undefined,
  max: number,
  fetch: (offset: number, limit: number) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<PageOf<T>> {
  const size = pageSize(first, max);
  const start = readOffsetCursor(after);
  const rows = await fetch(start, size + 1);
  const nodes = rows.slice(0, size);
  return {
    nodes,
    pageInfo: { endCursor: nodes.length ? offsetCursor(start + nodes.length) : null, hasNextPage: rows.length > size },
    totalCount: count,
  };
}

/** A page from a store paged by its own cursor (keyset paging: rosters, the audit trail). */
export function pageFromCursor<T>(
  nodes: T[],
  endCursor: string | null,
  hasMore: boolean,
  count: () => Promise<number>,
): PageOf<T> {
  return { nodes, pageInfo: { endCursor, hasNextPage: hasMore }, totalCount: count };
}
