import type { HubConfig } from '../../kernel/config';
import { openServiceDatabase, type ServiceDatabase } from '../../kernel/datasource';
import { HeadRow, REGISTRY_ENTITIES, VersionRow } from './entities';

/** The registry's service name (its database is `<prefix>registry`). */
const REGISTRY_SERVICE = 'registry';

/** A supergraph version as the registry stores it: its number, hash and SDL. */
export interface StoredVersion {
  number: number;
  hash: string | null;
  supergraphSdl: string;
}

/**
 * The registry's store, read by others (the gateway): the head row, then the version row when it
 * moved. The only code outside the registry that knows its tables. Opens the database lazily and
 * again after a failure (the registry's database may be down or not yet migrated when a reader
 * starts); never runs migrations: the registry owns its schema.
 */
export class RegistryVersionReader {
  private database: ServiceDatabase | null = null;

  constructor(private readonly db: HubConfig['db']) {}

  /**
   * The head's version, or null before the first; for a number in `known` (one the reader has, or
   * refused already) only the number, with an empty SDL, so the SDL is read only when it moved.
   */
  async latest(known: ReadonlyArray<number | null>): Promise<StoredVersion | null> {
    try {
      this.database ??= await openServiceDatabase(this.db, REGISTRY_SERVICE, {
        entities: REGISTRY_ENTITIES,
        migrations: [],
        runMigrations: false,
      });
      const head = await this.database.dataSource.manager.findOneBy(HeadRow, { id: 1 });
      if (!head || head.current === 0) return null;
      if (known.includes(head.current)) return { number: head.current, hash: null, supergraphSdl: '' };
      const version = await this.database.dataSource.manager.findOneByOrFail(VersionRow, { number: head.current });
      return { number: version.number, hash: version.supergraphHash, supergraphSdl: version.supergraphSdl };
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const database = this.database;
    this.database = null;
    if (database?.dataSource.isInitialized) await database.dataSource.destroy().catch(() => undefined);
  }
}
