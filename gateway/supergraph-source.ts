import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { HubConfig } from '../kernel/config';
import type { Logger } from '../kernel/log';
import type { HealthProbe } from '../kernel/server';
import { RegistryVersionReader } from '../subgraphs/registry/version-store';

/**
 * A supergraph the gateway serves: the registry's version number (null for a file), its hash (the registry's, or
 * SHA-256 of the file) and its SDL.
 */
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
      /**
       * The last good version on local disk (served when the registry is unreachable, and at a restart before it is).
       */
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
  /**
   * H2: the newest supergraph the gateway refused to serve (a registry version, or the file's new
   * content: number null) and why; cleared when it serves a newer one, or when the registry's
   * latest is again the one it serves. Shown by `/health`.
   */
  rejected: { number: number | null; hash: string | null; reason: string } | null;
  /** The supergraph file served, for a gateway on a file. */
  file: string | null;
}

/**
 * H2: whether the gateway can serve a supergraph, checked as the gateway loads one (the supergraph
 * parses and validates, every subgraph has a URL, the API schema and the query planner build)
 * before it replaces anything: the last good copy on disk is never overwritten by a broken one.
 * Returns the problem in words, or null.
 */
export function supergraphProblem(supergraphSdl: string): string | null {
  try {
    const supergraph = Supergraph.build(supergraphSdl, { validateSupergraph: true });
    const missing = supergraph
      .subgraphsMetadata()
      .filter((s) => !s.url)
      .map((s) => s.name);
    if (missing.length) return `subgraph(s) without a URL: ${missing.join(', ')}`;
    supergraph.apiSchema().toGraphQLJSSchema();
    new QueryPlanner(supergraph);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The last good copy on disk, when there is one the gateway can serve (H2: checked too). */
function readCache(file: string, logger: Logger): SupergraphRevision | null {
  let saved: SupergraphRevision;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SupergraphRevision;
  } catch {
    return null;
  }
  if (typeof saved.supergraphSdl !== 'string' || !saved.supergraphSdl) return null;
  const problem = supergraphProblem(saved.supergraphSdl);
  if (problem) {
    logger.error(
      { file, version: saved.number, problem },
      'gateway: the supergraph kept on disk cannot be served; ignoring it',
    );
    return null;
  }
  return saved;
}

/** Written to a temporary file and renamed: a crash never leaves half a supergraph on disk. */
function writeCache(file: string, revision: SupergraphRevision, logger: Logger): void {
  try {
    writeCacheFile(file, revision);
  } catch (error) {
    logger.error(
      { err: error, file },
      'gateway: could not keep the supergraph on disk (check the cache file setting and its folder ' +
        'permissions); serving it anyway',
    );
  }
}

function writeCacheFile(file: string, revision: SupergraphRevision): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ ...revision, savedAt: new Date().toISOString() }));
  fs.renameSync(temporary, file);
}

/**
 * H2: the gateway's `/health`: which supergraph it serves (the registry's version number and hash,
 * or the file; `origin` says whether it came from the registry, the disk or the file), a version it
 * refused and why, and the last problem reaching the registry. While it serves none: 503,
 * `unavailable`.
 */
export function supergraphHealth(state: SupergraphState): HealthProbe {
  return async () => {
    const extra = {
      ...(state.rejected ? { rejected: state.rejected } : {}),
      ...(state.lastError ? { registryError: state.lastError } : {}),
    };
    if (!state.current) return { ok: false, status: 'unavailable', detail: { supergraph: null, ...extra } };
    const { number, hash } = state.current;
    return {
      ok: true,
      detail: {
        supergraph: {
          origin: state.origin,
          version: number,
          hash,
          ...(state.file ? { file: state.file } : {}),
          ...extra,
        },
      },
    };
  };
}

const fileHash = (sdl: string) => createHash('sha256').update(sdl).digest('hex');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The gateway's supergraph manager (the `supergraphSdl` hook of @apollo/gateway). From the
 * registry: the latest accepted version at start (else the last good one on disk), then a poll
 * of the registry's head; a new version is handed to the gateway's `update`, which swaps the
 * schema for new requests while requests in flight finish on the one they started with. From a
 * file: the file at start, and again whenever its content changes (as production routers do).
 * A version the gateway cannot load is logged and skipped; the current one keeps serving.
 */
export function supergraphSource(
  options: SupergraphSourceOptions,
  logger: Logger,
  state: SupergraphState,
): SupergraphSdlHook {
  return async ({ update }) => {
    let timer: NodeJS.Timeout | undefined;
    let polling = false;
    /**
     * H2: a supergraph the gateway will not serve is reported (logged once, and in the state), never served nor kept.
     */
    const reject = (revision: SupergraphRevision, reason: string) => {
      const same =
        state.rejected &&
        state.rejected.number === revision.number &&
        state.rejected.hash === revision.hash &&
        state.rejected.reason === reason;
      state.rejected = { number: revision.number, hash: revision.hash, reason };
      if (!same)
        logger.error(
          { version: revision.number, hash: revision.hash, reason, serving: state.current?.number ?? null },
          'gateway: refused a supergraph it cannot serve; still serving the last good one',
        );
    };
    /** Checks a revision; null (and reported) when broken. */
    const checked = (revision: SupergraphRevision): SupergraphRevision | null => {
      const problem = supergraphProblem(revision.supergraphSdl);
      if (problem) reject(revision, problem);
      return problem ? null : revision;
    };
    const apply = (revision: SupergraphRevision, origin: SupergraphState['origin']): boolean => {
      if (!checked(revision)) return false;
      try {
        update(revision.supergraphSdl);
      } catch (error) {
        reject(revision, (error as Error).message);
        return false;
      }
      state.current = revision;
      state.origin = origin;
      state.rejected = null;
      logger.info({ version: revision.number, origin }, 'gateway: switched supergraph');
      return true;
    };

    if (options.kind === 'file') {
      const read = () => fs.readFileSync(options.file, 'utf8');
      let last = read();
      state.file = options.file;
      // A file has no last good copy but the one being served: a broken file stops the start, saying why.
      const problem = supergraphProblem(last);
      if (problem) throw new Error(`The supergraph file ${options.file} cannot be served: ${problem}`);
      state.current = { number: null, hash: fileHash(last), supergraphSdl: last };
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
          apply({ number: null, hash: fileHash(now), supergraphSdl: now }, 'file');
        }
      }, options.pollMs);
      timer.unref();
      return { supergraphSdl: last, cleanup: async () => clearInterval(timer) };
    }

    const reader = new RegistryVersionReader(options.db);
    const deadline = Date.now() + options.startupWaitMs;
    let initial: SupergraphRevision | null = null;
    for (;;) {
      try {
        // H2: the registry's latest is checked before it is served or kept; a broken one is reported and the disk's
        // copy served.
        const latest = await reader.latest([state.rejected?.number ?? null].filter((n) => n !== null));
        initial = latest && latest.supergraphSdl ? checked(latest) : null;
        if (initial) state.origin = 'registry';
      } catch (error) {
        state.lastError = (error as Error).message;
        logger.warn({ err: error }, 'gateway: the registry store is not reachable');
      }
      if (!initial) {
        initial = readCache(options.cacheFile, logger);
        if (initial) {
          state.origin = 'disk';
          logger.warn(
            { version: initial.number, file: options.cacheFile },
            'gateway: serving the last good supergraph from disk until the registry answers',
          );
        }
      }
      if (initial || Date.now() >= deadline) break;
      await sleep(Math.min(1000, options.pollMs));
    }
    if (!initial) {
      await reader.close();
      if (state.rejected)
        throw new Error(
          `The gateway has no supergraph: it cannot serve the registry's latest version ` +
            `(${state.rejected.number}: ${state.rejected.reason}) and ${options.cacheFile} holds no good one. ` +
            `Roll the registry back to a good version (registryRollback).`,
        );
      throw new Error(
        `The gateway has no supergraph: the registry has accepted no version yet and ${options.cacheFile} ` +
          `holds none. Start the registry (and register subgraphs) first.`,
      );
    }
    if (state.origin === 'registry') writeCache(options.cacheFile, initial, logger);
    state.current = initial;

    const poll = async () => {
      if (polling) return;
      polling = true;
      try {
        const latest = await reader.latest([state.current?.number ?? null, state.rejected?.number ?? null]);
        state.lastError = null;
        if (!latest) return;
        if (latest.number === state.current?.number) {
          // The registry's latest is the one served (again: a broken version rolled back): nothing refused is pending.
          state.rejected = null;
          if (state.origin === 'disk') state.origin = 'registry';
        } else if (latest.number !== state.rejected?.number && apply(latest, 'registry')) {
          writeCache(options.cacheFile, latest, logger);
        }
      } catch (error) {
        if (state.lastError === null)
          logger.warn(
            { err: error, version: state.current?.number },
            'gateway: the registry store is not reachable; serving the current supergraph',
          );
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
