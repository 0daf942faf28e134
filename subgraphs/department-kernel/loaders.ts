import DataLoader from 'dataloader';
import { In, type EntityManager, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';

/**
 * A per-request loader of rows by key: all keys asked for in one tick become one `fetch` call
 * (one SQL statement), answered in key order, null where no row exists.
 */
export function keyedLoader<K, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
  maxBatchSize = 1000,
): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(
    async (keys) => {
      const byKey = new Map<K, R>();
      for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize },
  );
}

/** A per-request loader of rows grouped by key (one-to-many): one `fetch` for all keys of a tick. */
export function groupedLoader<K, R>(
  fetch: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
  maxBatchSize = 1000,
): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(
    async (keys) => {
      const byKey = new Map<K, R[]>();
      for (const row of await fetch(keys)) {
        const k = keyOf(row);
        const list = byKey.get(k);
        if (list) list.push(row);
        else byKey.set(k, [row]);
      }
      return keys.map((k) => byKey.get(k) ?? []);
    },
    { maxBatchSize },
  );
}

/** A value computed at most once per request (a whole small table, say). */
export function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= compute());
}

/** A per-request loader of one row per key, where the key is a column: one `IN (...)` statement per batch. */
export function rowByColumn<R extends ObjectLiteral, K extends keyof R & string>(
  manager: EntityManager,
  entity: EntityTarget<R>,
  column: K,
): DataLoader<R[K], R | null> {
  return keyedLoader<R[K], R>(
    (keys) => manager.find(entity, { where: { [column]: In([...keys]) } as FindOptionsWhere<R> }),
    (row) => row[column],
  );
}

/** A per-request loader of all rows per key column (one-to-many): one `IN (...)` statement per batch. */
export function rowsByColumn<R extends ObjectLiteral, K extends keyof R & string>(
  manager: EntityManager,
  entity: EntityTarget<R>,
  column: K,
): DataLoader<R[K], R[]> {
  return groupedLoader<R[K], R>(
    (keys) => manager.find(entity, { where: { [column]: In([...keys]) } as FindOptionsWhere<R> }),
    (row) => row[column],
  );
}
