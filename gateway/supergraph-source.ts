import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { HubConfig } from '../subgraphs/kernel/config';
import { openServiceDatabase, type ServiceDatabase } from '../subgraphs/kernel/datasource';
import type { Logger } from '../subgraphs/kernel/log';
import { HeadRow, REGISTRY_ENTITIES, VersionRow } from '../subgraphs/registry/entities';

/** A supergraph the gateway serves: the registry's version number (null for a file) and its SDL. */
export interface SupergraphRevision {
  number: number | null;
  hash: string | null;
  supergraphSdl: string;
}

/** Where the gateway takes its supergraph from. */
export type SupergraphSourceOptions =
  | {
      kind: 'registry';
      /** The database the registry stores versions in (read only here). */
      db: HubConfig['db'];
      /** The last good version on local disk (served when the registry is unreachable, and at a restart before it is). */
      cacheFile: string;
      pollMs: number;
      /** How long to wait at start for a first version when neither the registry nor the disk has one. */
      startupWaitMs: number;
    }
  | { kind: 'file'; file: string; pollMs: number };

/** The current revision, as the gateway's handle shows it. */
export interface SupergraphState {
  current: SupergraphRevision | null;
  /** Where the current revision came from. */
  origin: 'registry' | 'disk' | 'file' | null;
  /** The last problem reaching the registry, until it answers again. */
  lastError: string | null;
}

const REGISTRY_SERVICE = 'registry';

/**
 * Reads the registry's store: the head row, then the version row when it moved. Opens the
 * database lazily and again after a failure (the registry's database may be down or not yet
 * migrated when the gateway starts). Never runs migrations: the registry owns its schema.
 */
class RegistryStoreReader {
  private database: ServiceDatabase | null = null;

  constructor(private readonly db: HubConfig['db']) {}

  async latest(knownNumber: number | null): Promise<SupergraphRevision | null> {
    try {
      this.database ??= await openServiceDatabase(this.db, REGISTRY_SERVICE, { entities: REGISTRY_ENTITIES, migrations: [], runMigrations: false });
      const head = await this.database.dataSource.manager.findOneBy(HeadRow, { id: 1 });
      if (!head || head.current === 0) return null;
      if (head.current === knownNumber) return { number: knownNumber, hash: null, supergraphSdl: '' };
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

function readCache(file: string): SupergraphRevision | null {
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SupergraphRevision;
    return typeof saved.supergraphSdl === 'string' && saved.supergraphSdl ? saved : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed: a crash never leaves half a supergraph on disk. */
function writeCache(file: string, revision: SupergraphRevision, logger: Logger): void {
  try {
    writeCacheFile(file, revision);
  } catch (error) {
    logger.error({ err: error, file }, 'gateway: could not keep the supergraph on disk (check the cache file setting and its folder permissions); serving it anyway');
  }
}

function writeCacheFile(file: string, revision: SupergraphRevision): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...revision, savedAt: new Date().toISOString() }));
  fs.renameSync(temporary, file);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The gateway's supergraph manager (the `supergraphSdl` hook of @apollo/gateway). From the
 * registry: the latest accepted version at start (else the last good one on disk), then a poll
 * of the registry's head; a new version is handed to the gateway's `update`, which swaps the
 * schema for new requests while requests in flight finish on the one they started with. From a
 * file: the file at start, and again whenever its content changes (as production routers do).
 * A version the gateway cannot load is logged and skipped; the current one keeps serving.
 */
export function supergraphSource(options: SupergraphSourceOptions, logger: Logger, state: SupergraphState): SupergraphSdlHook {
  return async ({ update }) => {
    let timer: NodeJS.Timeout | undefined;
    let polling = false;
    let rejected: string | null = null;
    const apply = (revision: SupergraphRevision, origin: SupergraphState['origin']) => {
      const key = `${revision.number}:${revision.hash ?? revision.supergraphSdl.length}`;
      if (key === rejected) return;
      try {
        update(revision.supergraphSdl);
      } catch (error) {
        rejected = key;
        logger.error({ err: error, version: revision.number }, 'gateway: could not load a new supergraph; still serving the current one');
        return;
      }
      state.current = revision;
      state.origin = origin;
      logger.info({ version: revision.number, origin }, 'gateway: switched supergraph');
    };

    if (options.kind === 'file') {
      const read = () => fs.readFileSync(options.file, 'utf8');
      let last = read();
      state.current = { number: null, hash: null, supergraphSdl: last };
      state.origin = 'file';
      timer = setInterval(() => {
        let now: string;
        try {
          now = read();
        } catch (error) {
          state.lastError = (error as Error).message;
          return;
        }
        if (now !== last && now.trim()) {
          last = now;
          apply({ number: null, hash: null, supergraphSdl: now }, 'file');
        }
      }, options.pollMs);
      timer.unref();
      return { supergraphSdl: last, cleanup: async () => clearInterval(timer) };
    }

    const reader = new RegistryStoreReader(options.db);
    const deadline = Date.now() + options.startupWaitMs;
    let initial: SupergraphRevision | null = null;
    for (;;) {
      try {
        initial = await reader.latest(null);
        if (initial) state.origin = 'registry';
      } catch (error) {
        state.lastError = (error as Error).message;
        logger.warn({ err: error }, 'gateway: the registry store is not reachable');
      }
      if (!initial) {
        initial = readCache(options.cacheFile);
        if (initial) {
          state.origin = 'disk';
          logger.warn({ version: initial.number, file: options.cacheFile }, 'gateway: serving the last good supergraph from disk until the registry answers');
        }
      }
      if (initial || Date.now() >= deadline) break;
      await sleep(Math.min(1000, options.pollMs));
    }
    if (!initial) {
      await reader.close();
      throw new Error(`The gateway has no supergraph: the registry has accepted no version yet and ${options.cacheFile} holds none. Start the registry (and register subgraphs) first.`);
    }
    if (state.origin === 'registry') writeCache(options.cacheFile, initial, logger);
    state.current = initial;

    const poll = async () => {
      if (polling) return;
      polling = true;
      try {
        const latest = await reader.latest(state.current?.number ?? null);
        state.lastError = null;
        if (latest && latest.number !== state.current?.number) {
          apply(latest, 'registry');
          if (state.current === latest) writeCache(options.cacheFile, latest, logger);
        } else if (latest && state.origin === 'disk') {
          state.origin = 'registry';
        }
      } catch (error) {
        if (state.lastError === null) logger.warn({ err: error, version: state.current?.number }, 'gateway: the registry store is not reachable; serving the current supergraph');
        state.lastError = (error as Error).message;
      } finally {
        polling = false;
      }
    };
    timer = setInterval(() => void poll(), options.pollMs);
    timer.unref();
    return {
      supergraphSdl: initial.supergraphSdl,
      cleanup: async () => {
        clearInterval(timer);
        while (polling) await sleep(10);
        await reader.close();
      },
    };
  };
}
