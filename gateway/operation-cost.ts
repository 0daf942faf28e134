import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Arguments that bound how many elements a list field (or a page's list) returns. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

/** What a list field with no size argument (and no list argument) is assumed to hold. */
export const UNBOUNDED_LIST_SIZE = 10;

/**
 * The estimated cost of an operation (H2): every field selected costs 1, times how many times it
 * is resolved. A field with a size argument (`first`, `last`, `limit`) multiplies what is under it
 * by that number (on a page object such as `marketSearchPage`, its first list, `nodes`, is the one
 * multiplied); a field taking a list argument (`marketEntities(usccs: [...])`) multiplies by the
 * list's length; any other list field by UNBOUNDED_LIST_SIZE. So 1,000 entities with six
 * department views cost about a thousand times one entity, and `{__typename}` costs 1. Unlike
 * graphql-armor's cost limit (which grows with depth, not with how much is asked for), this is a
 * measure of the work an operation asks of the subgraphs.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 1;

  const argumentValue = (value: Parameters<typeof valueFromASTUntyped>[0]): unknown =>
    valueFromASTUntyped(value, variables);

  /** The cost of a selection set on `parent`; `pending` is a page's size, waiting for the page's list. */
  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    pending: number | null,
    depth: number,
  ): number => {
    if (depth > 64) return 0; // validation (max depth) refuses deeper documents before this runs
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && on && (isObjectType(on) || isInterfaceType(on) || isAbstractType(on)))
          total += selectionCost(fragment.selectionSet, on as GraphQLCompositeType, pending, depth + 1);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += selectionCost(
          selection.selectionSet,
          (on as GraphQLCompositeType | undefined) ?? parent,
          pending,
          depth + 1,
        );
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) {
        total += 1;
        continue;
      }
      const field: GraphQLField<unknown, unknown> | undefined =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!field) {
        total += 1;
        continue;
      }
      const isList = isListType(getNullableType(field.type));
      // How many elements: a size argument (given, or its default), else a list argument's length.
      let size: number | null = null;
      for (const arg of field.args) {
        if (!SIZE_ARGUMENTS.includes(arg.name)) continue;
        const given = selection.arguments?.find((a) => a.name.value === arg.name);
        const value = given ? argumentValue(given.value) : arg.defaultValue;
        if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, value);
      }
      if (size === null) {
        for (const given of selection.arguments ?? []) {
          const value = argumentValue(given.value);
          if (Array.isArray(value)) size = Math.max(size ?? 0, value.length);
        }
      }
      let multiplier = 1;
      let passOn: number | null = null;
      if (isList) {
        multiplier = size ?? pending ?? UNBOUNDED_LIST_SIZE;
      } else if (size !== null) {
        passOn = size; // a page: its list is what holds `first` elements
      } else {
        passOn = pending;
      }
      const named = getNamedType(field.type);
      const children =
        selection.selectionSet && (isObjectType(named) || isAbstractType(named))
          ? selectionCost(selection.selectionSet, named, passOn, depth + 1)
          : 0;
      total += Math.max(0, multiplier) * (1 + children);
    }
    return total;
  };
  return Math.max(1, selectionCost(operation.selectionSet, root, null, 0));
}
