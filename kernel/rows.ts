import type {
  EntityManager,
  EntityTarget,
  FindOptionsWhere,
  InsertResult,
  ObjectLiteral,
  QueryDeepPartialEntity,
  UpdateResult,
} from 'typeorm';

/*
 * Typed writes for repositories. TypeORM's `insert` and `update` take `QueryDeepPartialEntity<T>`,
 * which maps every property through itself again: a json column typed as an interface (a plan's
 * content, a submission's results, an outbox entry's receipts) does not fit it, and the tree used
 * `as never` to get past that, which hid any real mismatch too. These take the entity's own type,
 * so a row is checked against its class; the one conversion TypeORM needs is here.
 */

/** Inserts whole rows of an entity (one statement for an array). */
export function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: T | readonly T[],
): Promise<InsertResult> {
  return manager.insert(entity, rows as unknown as QueryDeepPartialEntity<T> | QueryDeepPartialEntity<T>[]);
}

/** Sets some columns of the rows matching `where`; `affected` says how many. */
export function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  set: Partial<T>,
): Promise<UpdateResult> {
  return manager.update(entity, where, set as unknown as QueryDeepPartialEntity<T>);
}
