import { Kind, parse, type GraphQLSchema } from 'graphql';
import { LessThan, type DataSource, type EntityManager } from 'typeorm';
import type { StoredOperation } from '../../operations';
import { DEPARTMENT_CODE } from '../../kernel/codes';
import { RESERVED_CODES } from '../department-kernel/define';
import { badInput, conflict, ErrorCode, forbidden, HubError, notFound, unauthenticated } from '../../kernel/errors';
import { Role, type Identity } from '../../kernel/identity';
import type { Logger } from '../../kernel/log';
import { apiSchemaOf, composeSupergraph, fetchSubgraphSdl, sha256, subgraphSchemaOf } from './compose';
import { checkBoundaries, checkContract } from './contract-check';
import { HeadRow, SdlRow, SubgraphRow, VersionRow, type VersionSubgraph } from './entities';
import { checkOperations, type SchemaSet } from './operations-check';
import { ProblemKind, type Problem } from './problems';
import { diffSchemas, type SchemaDiff } from './schema-diff';

/** A subgraph with its SDL, as a proposed or current version holds it. */
export interface SubgraphEntry extends VersionSubgraph {
  sdl: string;
  /** Who last changed it (current entries only). */
  updatedBy?: string;
}

export interface RegistrationInput {
  name: string;
  /** The department code; null or absent for a hub service (hub admins only). */
  code?: string | null;
  departmentName?: string | null;
  url: string;
}

export const VersionAction = {
  BOOTSTRAP: 'BOOTSTRAP',
  REGISTER: 'REGISTER',
  UPDATE: 'UPDATE',
  REMOVE: 'REMOVE',
  ROLLBACK: 'ROLLBACK',
} as const;
export type VersionAction = (typeof VersionAction)[keyof typeof VersionAction];

/** The outcome of a check: the problems (none when it would be accepted) and what would change. */
export interface CheckResult {
  problems: Problem[];
  diff: SchemaDiff | null;
  /** The proposal changes nothing (same subgraphs at the same SDLs and URLs). */
  unchanged: boolean;
}

export interface RegistryDeps {
  dataSource: DataSource;
  logger: Logger;
  clock: () => Date;
  /** The contract template SDL (code `example`). */
  contractTemplate: () => Promise<string>;
  /** The stored operations (operations/). */
  operations: readonly StoredOperation[];
  /** Reads a subgraph's SDL (`_service { sdl }`); injectable for tests. */
  fetchSdl?: (url: string) => Promise<string>;
  /**
   * Hosts subgraphs may be registered at (`.suffix` matches below it); null: any. Hub admins are held to it in
   * production only.
   */
  allowedHosts?: readonly string[] | null;
  /** Production: the allowed hosts bind hub admins too (H2). */
  production?: boolean;
}

const SUBGRAPH_NAME = /^[a-z][a-z0-9_]{1,39}$/;
const MAX_URL = 500;

/** Who did it, as stored with a version. */
const who = (identity: Identity) => identity.subject.slice(0, 64);

/**
 * The subgraph registry (issue C): a department system registers its subgraph; the registry
 * fetches its SDL, composes it with every current subgraph, checks the department contract and
 * the stored operations, and either refuses with every problem (nothing changes) or stores a new
 * supergraph version that gateways pick up. Versions are never edited: a rollback is a new
 * version with an earlier one's content.
 */
export class RegistryService {
  private readonly subgraphSchemas = new Map<string, GraphQLSchema>();
  private readonly apiSchemas = new Map<string, GraphQLSchema>();
  /** Changes run one at a time in this process (SQLite has one connection; MySQL also locks the head row). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Called after a new version is stored (the registry refreshes what it serves the joint service). */
  onChange: (() => void) | null = null;

  constructor(private readonly deps: RegistryDeps) {}

  // ---- reading -------------------------------------------------------------------------------

  /** The current version number (0 before the first). */
  async head(manager: EntityManager = this.deps.dataSource.manager): Promise<number> {
    return (await manager.findOneByOrFail(HeadRow, { id: 1 })).current;
  }

  /** The current subgraphs, with their SDLs. */
  async currentEntries(manager: EntityManager = this.deps.dataSource.manager): Promise<SubgraphEntry[]> {
    const rows = await manager.find(SubgraphRow, { order: { name: 'ASC' } });
    const entries = await this.withSdl(manager, rows);
    return entries.map((e, i) => ({ ...e, updatedBy: rows[i]!.updatedBy }));
  }

  private async withSdl(manager: EntityManager, rows: readonly VersionSubgraph[]): Promise<SubgraphEntry[]> {
    if (rows.length === 0) return [];
    const sdls = await manager.findBy(
      SdlRow,
      rows.map((r) => ({ hash: r.sdlHash })),
    );
    const byHash = new Map(sdls.map((s) => [s.hash, s.sdl]));
    return rows.map((r) => {
      const sdl = byHash.get(r.sdlHash);
      if (sdl === undefined) throw new Error(`Registry store: the SDL ${r.sdlHash} of ${r.name} is missing`);
      return { name: r.name, code: r.code, departmentName: r.departmentName, url: r.url, sdlHash: r.sdlHash, sdl };
    });
  }

  async subgraphs(): Promise<SubgraphRow[]> {
    return this.deps.dataSource.manager.find(SubgraphRow, { order: { name: 'ASC' } });
  }

  async versions(first: number): Promise<VersionRow[]> {
    return this.deps.dataSource.manager.find(VersionRow, {
      order: { number: 'DESC' },
      take: Math.min(Math.max(first, 1), 500),
    });
  }

  /** Up to `limit` versions older than `before` (all when null), newest first: a page of `registryVersionPage`. */
  async versionsBefore(before: number | null, limit: number): Promise<VersionRow[]> {
    return this.deps.dataSource.manager.find(VersionRow, {
      where: before === null ? {} : { number: LessThan(before) },
      order: { number: 'DESC' },
      take: limit,
    });
  }

  /** How many versions there are. */
  async versionCount(): Promise<number> {
    return this.deps.dataSource.manager.count(VersionRow);
  }

  async version(number: number): Promise<VersionRow | null> {
    return this.deps.dataSource.manager.findOneBy(VersionRow, { number });
  }

  /** Which types and fields of the API were added, removed or changed from one version to another. */
  async diff(from: number, to: number): Promise<SchemaDiff> {
    const [a, b] = await Promise.all([this.version(from), this.version(to)]);
    if (!a) throw notFound(`There is no supergraph version ${from}.`, { field: 'from' });
    if (!b) throw notFound(`There is no supergraph version ${to}.`, { field: 'to' });
    return diffSchemas(this.apiSchema(a.supergraphSdl), this.apiSchema(b.supergraphSdl));
  }

  // ---- changing ------------------------------------------------------------------------------

  /** What registering (or updating) a subgraph would do, without doing it. */
  async check(input: RegistrationInput, actor: Identity): Promise<CheckResult> {
    // A check changes nothing: a department admin may check its next schema at a staging address.
    const entry = await this.prepare(input, actor, false, 'check');
    const manager = this.deps.dataSource.manager;
    const current = await this.currentEntries(manager);
    this.assertMayTake(current, { ...entry, url: undefined }, actor);
    const head = await this.head(manager);
    const currentVersion = head ? await manager.findOneByOrFail(VersionRow, { number: head }) : null;
    const { problems, diff, unchanged } = await this.evaluate(current, this.replace(current, entry), {
      force: false,
      currentSupergraph: currentVersion?.supergraphSdl ?? null,
    });
    return { problems, diff, unchanged };
  }

  /** Registers or updates a subgraph; refuses with every problem, or stores a new version. */
  async register(
    input: RegistrationInput,
    actor: Identity,
    options: { force?: boolean; note?: string | null } = {},
  ): Promise<{ version: VersionRow; changed: boolean }> {
    const entry = await this.prepare(input, actor, options.force ?? false);
    return this.commit(actor, options, async (current) => {
      this.assertMayTake(current, entry, actor);
      const exists = current.some((e) => e.name === entry.name);
      return {
        next: this.replace(current, entry),
        action: exists ? VersionAction.UPDATE : VersionAction.REGISTER,
        subject: entry.name,
      };
    });
  }

  /**
   * Registers several subgraphs as one version (the hub's own subgraphs at start, which only
   * compose together). A subgraph not registered yet, or last registered by the hub itself, takes
   * the configured URL and its current SDL; one that a department or hub admin changed since is
   * left as they made it (the hub's start must not undo their change). Nothing changes when all is
   * as configured.
   */
  async bootstrap(
    inputs: readonly RegistrationInput[],
    actor: Identity,
  ): Promise<{ version: VersionRow | null; changed: boolean; kept: string[] }> {
    const rows = await this.deps.dataSource.manager.find(SubgraphRow);
    const kept = inputs
      .filter((i) => rows.some((r) => r.name === i.name && r.updatedBy !== who(actor)))
      .map((i) => i.name);
    const entries = await Promise.all(
      inputs.filter((i) => !kept.includes(i.name)).map((input) => this.prepare(input, actor, false)),
    );
    const result = await this.commit(actor, { note: 'the hub started with these subgraphs' }, async (current) => ({
      next: entries
        .filter((e) => !current.some((c) => c.name === e.name && c.updatedBy !== who(actor)))
        .reduce((list, entry) => this.replace(list, entry), current),
      action: VersionAction.BOOTSTRAP,
      subject: entries.map((e) => e.name).join(','),
    }));
    return { ...result, kept };
  }

  /** Removes a subgraph; refused when other subgraphs or stored operations depend on it. */
  async remove(
    name: string,
    actor: Identity,
    options: { force?: boolean; note?: string | null } = {},
  ): Promise<{ version: VersionRow; changed: boolean }> {
    this.assertHubAdmin(actor, 'remove a subgraph');
    if (name === 'registry')
      throw badInput('The registry subgraph serves the registry API itself and cannot be removed.', { field: 'name' });
    return this.commit(actor, options, async (current) => {
      if (!current.some((e) => e.name === name))
        throw notFound(`No subgraph named ${name} is registered.`, { field: 'name' });
      return {
        next: current.filter((e) => e.name !== name),
        action: VersionAction.REMOVE,
        subject: name,
        removed: name,
      };
    });
  }

  /** Makes an earlier version's subgraphs current again, as a new version. */
  async rollback(
    number: number,
    actor: Identity,
    options: { force?: boolean; note?: string | null } = {},
  ): Promise<{ version: VersionRow; changed: boolean }> {
    this.assertHubAdmin(actor, 'roll back the supergraph');
    return this.commit(actor, options, async (_current, manager) => {
      const target = await manager.findOneBy(VersionRow, { number });
      if (!target) throw notFound(`There is no supergraph version ${number}.`, { field: 'version' });
      return {
        next: await this.withSdl(manager, target.subgraphs),
        action: VersionAction.ROLLBACK,
        subject: `v${number}`,
      };
    });
  }

  // ---- the pipeline --------------------------------------------------------------------------

  /** Validates a registration, checks the caller may make it, and fetches the subgraph's SDL. */
  private async prepare(
    input: RegistrationInput,
    actor: Identity,
    force: boolean,
    purpose: 'check' | 'change' = 'change',
  ): Promise<SubgraphEntry> {
    const code = input.code ?? null;
    const departmentName = input.departmentName?.trim() || null;
    if (!SUBGRAPH_NAME.test(input.name))
      throw badInput(
        `The subgraph name '${input.name}' must be 2-40 lowercase letters, digits or _, starting with a letter.`,
        { field: 'name' },
      );
    if (code !== null && (!DEPARTMENT_CODE.test(code) || RESERVED_CODES.includes(code))) {
      throw badInput(
        `The department code '${code}' must be [a-z][a-z0-9]{1,19} and not one of ${RESERVED_CODES.join(', ')}.`,
        { field: 'code' },
      );
    }
    if (departmentName && departmentName.length > 100)
      throw badInput('The department name is longer than 100 characters.', { field: 'departmentName' });
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw badInput(
        `The URL '${input.url}' is not a URL; give the subgraph's GraphQL endpoint, e.g. ` +
          `http://customs.example.gov.cn:4000/graphql.`,
        { field: 'url' },
      );
    }
    if (!/^https?:$/.test(url.protocol) || input.url.length > MAX_URL)
      throw badInput(`The URL must be http(s) and at most ${MAX_URL} characters.`, { field: 'url' });
    const allowed = this.deps.allowedHosts;
    const host = url.hostname.toLowerCase();
    const boundByList = actor.role !== Role.HUB_ADMIN || this.deps.production === true;
    if (allowed && boundByList && !allowed.some((h) => (h.startsWith('.') ? host.endsWith(h) : host === h))) {
      // H2: the gateway sends callers' requests to registered URLs: only hosts the operator trusts (in production, for
      // hub admins too).
      throw forbidden(
        `The host ${host} is not one the hub accepts subgraphs at (${allowed.join(', ')}, ` +
          `JOINTCHECK_REGISTRY_ALLOWED_HOSTS); ask the hub's operator to add it.`,
        { field: 'url' },
      );
    }
    if (force && actor.role !== Role.HUB_ADMIN)
      throw forbidden('Only a hub admin may force a change that breaks stored operations.', { field: 'force' });
    // R30: a department registers only its own subgraph; hub services are the hub admin's.
    if (actor.role === Role.PUBLIC)
      throw unauthenticated(
        'Sign in to register a subgraph: a department admin token of its department, or a hub admin token.',
      );
    if (actor.role !== Role.HUB_ADMIN) {
      if (actor.role !== Role.DEPT_ADMIN)
        throw forbidden(`Registering a subgraph needs a hub admin or department admin token (yours is ${actor.role}).`);
      if (code === null)
        throw forbidden('Only a hub admin registers a subgraph that is not a department (give your department code).', {
          field: 'code',
        });
      if (code !== actor.department)
        throw forbidden(
          `Your token is for department ${actor.department}; you may register only its subgraph, not ${code}'s.`,
          { field: 'code' },
        );
    }
    // Checked before the SDL is fetched (a clear answer fast) and again under the lock.
    this.assertMayTake(
      await this.currentRows(),
      { name: input.name, code, url: purpose === 'change' ? input.url : undefined },
      actor,
    );
    // H2: a department's subgraph is named by its code: the gateway signs each subgraph's tokens for its
    // name, and the department verifies its code, so another name would let one subgraph receive tokens
    // another department's service accepts.
    if (code !== null && input.name !== code) {
      throw badInput(
        `A department's subgraph is named by its code: register ${code}'s subgraph as '${code}', not ` +
          `'${input.name}' (tokens are made for that name).`,
        { field: 'name' },
      );
    }
    let sdl: string;
    try {
      sdl = await (this.deps.fetchSdl ?? ((u: string) => fetchSubgraphSdl(u)))(input.url);
    } catch (error) {
      throw new HubError(
        ErrorCode.BAD_USER_INPUT,
        `The registry could not read the SDL of ${input.name}: ${(error as Error).message}. Nothing was changed.`,
        {
          field: 'url',
          problems: [{ kind: ProblemKind.FETCH, subgraph: input.name, message: (error as Error).message }],
        },
      );
    }
    return { name: input.name, code, departmentName, url: input.url, sdl, sdlHash: sha256(sdl) };
  }

  private async currentRows(): Promise<Array<{ name: string; code: string | null; url: string }>> {
    return this.deps.dataSource.manager.find(SubgraphRow, { select: { name: true, code: true, url: true } });
  }

  /**
   * R30: a department admin changes only its own department's subgraph; one department, one
   * subgraph. H2: moving a registered subgraph to another address is a hub admin's change: the
   * gateway sends every caller's requests there, so a department admin may change its schema at
   * the address the hub knows, not the address.
   */
  private assertMayTake(
    current: ReadonlyArray<{ name: string; code: string | null; url?: string }>,
    entry: { name: string; code: string | null; url?: string },
    actor: Identity,
  ): void {
    const existing = current.find((e) => e.name === entry.name);
    if (existing && existing.code !== entry.code && actor.role !== Role.HUB_ADMIN) {
      throw forbidden(
        `The subgraph ${entry.name} belongs to ${existing.code ? `department ${existing.code}` : 'the hub'}; ` +
          `you may not change it.`,
        { field: 'name' },
      );
    }
    if (
      existing &&
      entry.url !== undefined &&
      existing.url !== undefined &&
      existing.url !== entry.url &&
      actor.role !== Role.HUB_ADMIN
    ) {
      throw forbidden(
        `The subgraph ${entry.name} is registered at ${existing.url}; moving it to ${entry.url} is a change a ` +
          `hub admin approves: ask one to register it at the new address (npm run register with a hub admin's ` +
          `token). Nothing was changed.`,
        { field: 'url' },
      );
    }
    const sameCode =
      entry.code === null ? undefined : current.find((e) => e.code === entry.code && e.name !== entry.name);
    if (sameCode)
      throw badInput(
        `Department ${entry.code} is already served by the subgraph ${sameCode.name}; update that one (a ` +
          `department has one subgraph).`,
        { field: 'code' },
      );
  }

  private replace(list: readonly SubgraphEntry[], entry: SubgraphEntry): SubgraphEntry[] {
    return [...list.filter((e) => e.name !== entry.name), entry].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  private schemaOfSubgraph(entry: SubgraphEntry): GraphQLSchema {
    let schema = this.subgraphSchemas.get(entry.sdlHash);
    if (!schema) {
      schema = subgraphSchemaOf(entry.sdl);
      this.subgraphSchemas.set(entry.sdlHash, schema);
    }
    return schema;
  }

  private apiSchema(supergraphSdl: string): GraphQLSchema {
    const key = sha256(supergraphSdl);
    let schema = this.apiSchemas.get(key);
    if (!schema) {
      schema = apiSchemaOf(supergraphSdl);
      if (this.apiSchemas.size > 20) this.apiSchemas.clear();
      this.apiSchemas.set(key, schema);
    }
    return schema;
  }

  /** Composes, checks the contract, dependencies and stored operations; returns every problem. */
  private async evaluate(
    current: readonly SubgraphEntry[],
    next: readonly SubgraphEntry[],
    options: { force: boolean; removed?: string; currentSupergraph?: string | null },
  ): Promise<CheckResult & { supergraphSdl: string | null; forcedPast: Problem[] }> {
    const unchanged =
      current.length === next.length &&
      next.every((n) =>
        current.some(
          (c) =>
            c.name === n.name &&
            c.sdlHash === n.sdlHash &&
            c.url === n.url &&
            c.code === n.code &&
            c.departmentName === n.departmentName,
        ),
      );
    const problems: Problem[] = [];
    if (options.removed) problems.push(...this.dependents(current, options.removed));
    const composed = next.length ? composeSupergraph(next) : { errors: ['A supergraph needs at least one subgraph.'] };
    if ('errors' in composed) {
      problems.push(
        ...composed.errors.map((message) => ({
          kind: ProblemKind.COMPOSITION,
          message,
          subgraph: subgraphNamed(message, next),
        })),
      );
    }
    // Every subgraph that is new or changed keeps to its own (R30, H2: hub services too); a department also to the
    // contract.
    const template = await this.deps.contractTemplate();
    for (const entry of next) {
      if (current.some((c) => c.name === entry.name && c.sdlHash === entry.sdlHash && c.code === entry.code)) continue;
      if (entry.code !== null) problems.push(...checkContract(entry.name, entry.code, entry.sdl, template));
      problems.push(
        ...checkBoundaries(
          entry,
          next.filter((e) => e.name !== entry.name),
          template,
        ),
      );
    }
    let diff: SchemaDiff | null = null;
    const forcedPast: Problem[] = [];
    if (!('errors' in composed)) {
      let schemas: { before: SchemaSet; after: SchemaSet } | null = null;
      const built = (entries: readonly SubgraphEntry[]) => {
        const map = new Map<string, { code: string | null; schema: GraphQLSchema }>();
        for (const e of entries) {
          try {
            map.set(e.name, { code: e.code, schema: this.schemaOfSubgraph(e) });
          } catch (error) {
            problems.push({
              kind: ProblemKind.FETCH,
              subgraph: e.name,
              message: `subgraph ${e.name}: its SDL does not build: ${(error as Error).message}`,
            });
            return null;
          }
        }
        return map;
      };
      const beforeSubgraphs = built(current);
      const afterSubgraphs = built(next);
      if (beforeSubgraphs && afterSubgraphs) {
        const beforeSdl = options.currentSupergraph ?? null;
        schemas = {
          before: { api: beforeSdl ? this.apiSchema(beforeSdl) : null, subgraphs: beforeSubgraphs },
          after: { api: this.apiSchema(composed.supergraphSdl), subgraphs: afterSubgraphs },
        };
      }
      if (schemas) {
        if (schemas.before.api) diff = diffSchemas(schemas.before.api, schemas.after.api!);
        const broken = checkOperations(this.deps.operations, schemas.before, schemas.after);
        if (options.force) forcedPast.push(...broken);
        else problems.push(...broken);
      }
    }
    return {
      problems,
      diff,
      unchanged,
      supergraphSdl: 'errors' in composed ? null : composed.supergraphSdl,
      forcedPast,
    };
  }

  /**
   * What depends on a subgraph about to be removed: an entity another subgraph references that
   * no remaining subgraph resolves.
   */
  private dependents(current: readonly SubgraphEntry[], removed: string): Problem[] {
    const problems: Problem[] = [];
    const gone = current.find((e) => e.name === removed);
    if (!gone) return problems;
    const rest = current.filter((e) => e.name !== removed);
    for (const entity of entityKeys(gone.sdl)
      .filter((k) => k.resolvable)
      .map((k) => k.type)) {
      const users = rest.filter((e) => entityKeys(e.sdl).some((k) => k.type === entity));
      const resolvers = rest.filter((e) => entityKeys(e.sdl).some((k) => k.type === entity && k.resolvable));
      if (users.length && resolvers.length === 0) {
        for (const user of users) {
          problems.push({
            kind: ProblemKind.DEPENDENCY,
            subgraph: user.name,
            type: entity,
            message:
              `subgraph ${user.name} refers to ${entity}, which only ${removed} resolves; remove or change ` +
              `${user.name} first.`,
          });
        }
      }
    }
    return problems;
  }

  /**
   * Runs a change: under the head row's lock, reads the current subgraphs, builds the proposal,
   * evaluates it, and stores the new version, or throws with every problem (nothing written).
   */
  private async commit(
    actor: Identity,
    options: { force?: boolean; note?: string | null },
    propose: (
      current: SubgraphEntry[],
      manager: EntityManager,
    ) => Promise<{ next: SubgraphEntry[]; action: VersionAction; subject: string; removed?: string }>,
  ): Promise<{ version: VersionRow; changed: boolean }> {
    const run = this.queue.then(() => this.commitNow(actor, options, propose));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commitNow(
    actor: Identity,
    options: { force?: boolean; note?: string | null },
    propose: (
      current: SubgraphEntry[],
      manager: EntityManager,
    ) => Promise<{ next: SubgraphEntry[]; action: VersionAction; subject: string; removed?: string }>,
  ): Promise<{ version: VersionRow; changed: boolean }> {
    const mysql = this.deps.dataSource.options.type === 'mysql';
    const outcome = await this.deps.dataSource.transaction(async (manager) => {
      const head = await manager.findOneOrFail(HeadRow, {
        where: { id: 1 },
        ...(mysql ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
      const current = await this.currentEntries(manager);
      const currentVersion = head.current ? await manager.findOneByOrFail(VersionRow, { number: head.current }) : null;
      const proposal = await propose(current, manager);
      const result = await this.evaluate(current, proposal.next, {
        force: options.force ?? false,
        removed: proposal.removed,
        currentSupergraph: currentVersion?.supergraphSdl ?? null,
      });
      if (result.problems.length) return { refused: result };
      if (result.unchanged && currentVersion) return { version: currentVersion, changed: false };
      const now = this.deps.clock();
      const forcedNote = result.forcedPast.length
        ? `Forced by ${who(actor)} past: ${result.forcedPast.map((p) => p.operation).join(', ')}.`
        : null;
      const version = Object.assign(new VersionRow(), {
        number: head.current + 1,
        createdAt: now,
        author: who(actor),
        authorRole: actor.role,
        action: proposal.action,
        subject: proposal.subject.slice(0, 200),
        note: [options.note?.trim() || null, forcedNote].filter(Boolean).join(' ') || null,
        forced: result.forcedPast.length > 0,
        subgraphs: proposal.next.map(({ name, code, departmentName, url, sdlHash }) => ({
          name,
          code,
          departmentName,
          url,
          sdlHash,
        })),
        supergraphSdl: result.supergraphSdl!,
        supergraphHash: sha256(result.supergraphSdl!),
      });
      for (const entry of proposal.next) {
        if (!(await manager.existsBy(SdlRow, { hash: entry.sdlHash })))
          await manager.insert(SdlRow, { hash: entry.sdlHash, sdl: entry.sdl, createdAt: now });
      }
      await manager.insert(VersionRow, version);
      const keep = new Set(proposal.next.map((e) => e.name));
      for (const row of current) if (!keep.has(row.name)) await manager.delete(SubgraphRow, { name: row.name });
      for (const entry of proposal.next) {
        const before = current.find((c) => c.name === entry.name);
        if (
          before &&
          before.sdlHash === entry.sdlHash &&
          before.url === entry.url &&
          before.code === entry.code &&
          before.departmentName === entry.departmentName
        )
          continue;
        if (before) await manager.delete(SubgraphRow, { name: entry.name });
        await manager.insert(SubgraphRow, {
          name: entry.name,
          code: entry.code,
          departmentName: entry.departmentName,
          url: entry.url,
          sdlHash: entry.sdlHash,
          sinceVersion: version.number,
          updatedAt: now,
          updatedBy: who(actor),
        });
      }
      const moved = await manager.update(HeadRow, { id: 1, current: head.current }, { current: version.number });
      if (moved.affected !== 1)
        throw conflict(
          'Another change to the supergraph was accepted at the same moment; nothing was changed. Send yours again.',
        );
      return { version, changed: true };
    });
    if ('refused' in outcome) throw refusal(outcome.refused!.problems);
    this.deps.logger.info(
      {
        version: outcome.version.number,
        action: outcome.version.action,
        subject: outcome.version.subject,
        changed: outcome.changed,
      },
      'registry: supergraph version',
    );
    if (outcome.changed) this.onChange?.();
    return { version: outcome.version!, changed: outcome.changed! };
  }

  private assertHubAdmin(actor: Identity, what: string): void {
    if (actor.role === Role.PUBLIC) throw unauthenticated(`Sign in as a hub admin to ${what}.`);
    if (actor.role !== Role.HUB_ADMIN) throw forbidden(`Only a hub admin may ${what} (your token is ${actor.role}).`);
  }
}

/** The error a refused change answers with: every problem in the message and in `extensions.problems`. */
export function refusal(problems: readonly Problem[]): HubError {
  const lines = problems.map((p) => `- [${p.kind}] ${p.message}`).join('\n');
  const operations = problems.filter((p) => p.kind === ProblemKind.OPERATION).map((p) => p.operation);
  return new HubError(
    ErrorCode.BAD_USER_INPUT,
    `The registry refused the change; nothing was changed. ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines}${
      operations.length
        ? `\nIt would break stored operations ` +
          `(${operations.join(', ')})${problems.every((p) => p.kind === ProblemKind.OPERATION) ? '; a hub admin may force it' : ''}.`
        : ''
    }`,
    { problems, ...(operations.length ? { breaksOperations: operations } : {}) },
  );
}

/** The subgraph a composition message names (`[customs] ...` or `subgraph "customs"`), if any. */
function subgraphNamed(message: string, entries: readonly SubgraphEntry[]): string | null {
  for (const e of entries) if (message.includes(`[${e.name}]`) || message.includes(`"${e.name}"`)) return e.name;
  return null;
}

/**
 * The entity types a subgraph SDL declares with `@key`, and whether it resolves them (a key not marked `resolvable:
 * false`).
 */
function entityKeys(sdl: string): Array<{ type: string; resolvable: boolean }> {
  const out: Array<{ type: string; resolvable: boolean }> = [];
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const keys = (definition.directives ?? []).filter((d) => d.name.value === 'key');
    if (keys.length === 0) continue;
    const resolvable = keys.some(
      (k) =>
        !k.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && !a.value.value),
    );
    out.push({ type: definition.name.value, resolvable });
  }
  return out;
}
