import { isEnumType, isListType, isNonNullType, isScalarType, type GraphQLOutputType } from 'graphql';

/**
 * How an output field's type changes for an operation that reads it, from one schema to the next:
 *
 * - `same`: the same type, or one that is non-null where it was nullable (the reader gets fewer nulls);
 * - `nullable`: nullable where it was non-null, at the field or inside a list (`TaxQuery!` →
 *   `TaxQuery`, `[X!]!` → `[X]!`). The operation still validates and runs; a null now appears only
 *   where the old schema had an error of the same field, which it propagated to the nearest nullable
 *   parent instead: a reader never gets a null where the old schema gave a value;
 * - `enum`: a `String` leaf that is now an enum: its values are serialized as the same strings;
 * - `break`: anything else (another scalar, another object type, a list where there was none).
 *
 * `nullable` and `enum` may combine (`String!` → `SomeStatus` is `nullable`).
 */
export type OutputChange = 'same' | 'nullable' | 'enum' | 'break';

const RANK: Record<OutputChange, number> = { same: 0, enum: 1, nullable: 2, break: 3 };
const worst = (a: OutputChange, b: OutputChange): OutputChange => (RANK[a] >= RANK[b] ? a : b);

export function outputChange(before: GraphQLOutputType, after: GraphQLOutputType): OutputChange {
  if (isNonNullType(before)) {
    return isNonNullType(after)
      ? outputChange(before.ofType, after.ofType)
      : worst('nullable', outputChange(before.ofType, after));
  }
  if (isNonNullType(after)) return outputChange(before, after.ofType);
  if (isListType(before) || isListType(after))
    return isListType(before) && isListType(after) ? outputChange(before.ofType, after.ofType) : 'break';
  if (before.name === after.name) return 'same';
  if (isScalarType(before) && before.name === 'String' && isEnumType(after)) return 'enum';
  return 'break';
}

/** A note on a change that stored operations survive; null when it is the same or a break. */
export function outputChangeNote(change: OutputChange): string | null {
  if (change === 'nullable')
    return (
      'now nullable: operations still run; a null appears only where the old schema propagated the same error ' +
      'further up'
    );
  if (change === 'enum') return 'a String now an enum: the same values, serialized as the same strings';
  return null;
}
