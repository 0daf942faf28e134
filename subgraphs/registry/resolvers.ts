import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import type { RequestContext } from '../../kernel/context';
import { badInput, notFound, unauthenticated } from '../../kernel/errors';
import { AFTER_DESCRIPTION, firstDescription, pageFromCursor, pageType, type PageOf } from '../../kernel/paging';
import { pageSize } from '../../kernel/validation';
import { Role, type Identity } from '../../kernel/identity';
import type { SubgraphRow, VersionRow } from './entities';
import { HealthStatus, type HealthMonitor } from './health';
import type { RegistryService } from './service';

export interface RegistryContext extends RequestContext {
  registry: { service: RegistryService; health: HealthMonitor };
}

/**
 * Reading the registry (versions, URLs, health) is for signed-in hub and department staff and services, not the public.
 */
function assertReader(identity: Identity): void {
  if (identity.role === Role.PUBLIC)
    throw unauthenticated('The registry is for signed-in staff and services; sign in (npm run token).');
}

/** The largest page of `registryVersionPage` (each version holds its whole supergraph SDL). */
export const VERSION_PAGE_MAX = 500;

/** A version page's cursor: the last version number of the page, opaque to callers (`v:<number>` inside). */
const versionCursor = (number: number) => Buffer.from(`v:${number}`).toString('base64url');

function readVersionCursor(after: string | null | undefined): number | null {
  if (after == null || after === '') return null; // left out: undefined; sent as null: null
  const match = /^v:(\d{1,9})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match)
    throw badInput(
      `after: '${after.slice(0, 80)}' is not a cursor of registryVersionPage; pass a pageInfo.endCursor it ` +
        `returned, or leave it out for the first page.`,
      { field: 'after' },
    );
  return Number(match[1]);
}

/** Bounded lists: the registry holds one row per subgraph, and the hub has a few dozen at most. */
const BOUNDED_BY_SUBGRAPHS =
  'One entry per subgraph of the current version (bounded by the number of subgraphs, so not paged).';

registerEnumType(HealthStatus, {
  name: 'SubgraphHealthStatus',
  description:
    "UP; DEGRADED when it answers but a system it depends on (a connector's existing system) does not; DOWN; " +
    'or UNKNOWN before the first check.',
});

@InputType('SubgraphRegistrationInput', {
  description:
    'A subgraph to register or update: its name, its department (none for a hub service) and where it answers.',
})
class SubgraphRegistrationInput {
  @Field({ description: 'The subgraph name (lowercase letters, digits, _), usually the department code.' })
  name!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The department code (e.g. customs); null for a hub service (hub admins only).',
  })
  code!: string | null;
  @Field(() => String, { nullable: true, description: 'The department name, e.g. 海关.' })
  departmentName!: string | null;
  @Field({ description: 'Its GraphQL endpoint, e.g. http://customs.internal:4000/graphql.' })
  url!: string;
}

@ObjectType('RegisteredSubgraph', { description: 'A subgraph of the current supergraph version.' })
class RegisteredSubgraphType {
  @Field()
  name!: string;
  @Field(() => String, { nullable: true })
  code!: string | null;
  @Field(() => String, { nullable: true })
  departmentName!: string | null;
  @Field()
  url!: string;
  @Field({ description: 'SHA-256 of its SDL as accepted.' })
  sdlHash!: string;
  @Field(() => Int, { description: 'The version that last changed it.' })
  sinceVersion!: number;
  @Field()
  updatedAt!: Date;
  @Field()
  updatedBy!: string;
}

@ObjectType('PublicDepartment', {
  description: 'A department of the hub, as the public may know it: its code and name, nothing internal.',
})
class PublicDepartmentType {
  @Field({ description: 'The department code (e.g. tax): its fields in the supergraph are named with it.' })
  code!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The name it registered with (e.g. 税务局); null when it registered none.',
  })
  name!: string | null;
}

/** R25, R30: a registered subgraph as the public sees it; the URL and everything else internal stay out. */
function toPublicDepartment(row: SubgraphRow): PublicDepartmentType {
  return { code: row.code!, name: row.departmentName };
}

@ObjectType('VersionSubgraph', { description: 'A subgraph as a version holds it.' })
class VersionSubgraphType {
  @Field()
  name!: string;
  @Field(() => String, { nullable: true })
  code!: string | null;
  @Field()
  url!: string;
  @Field()
  sdlHash!: string;
}

@ObjectType('SupergraphVersion', {
  description: 'An accepted supergraph version: never changed once written (a rollback is a new version).',
})
class SupergraphVersionType {
  @Field(() => Int)
  number!: number;
  @Field()
  createdAt!: Date;
  @Field({ description: 'Who made it (the token subject).' })
  author!: string;
  @Field()
  authorRole!: string;
  @Field({ description: 'BOOTSTRAP, REGISTER, UPDATE, REMOVE or ROLLBACK.' })
  action!: string;
  @Field({ description: 'The subgraph concerned, or vN for a rollback.' })
  subject!: string;
  @Field(() => String, { nullable: true })
  note!: string | null;
  @Field({ description: 'Accepted by a hub admin although it breaks stored operations (named in the note).' })
  forced!: boolean;
  @Field(() => [VersionSubgraphType])
  subgraphs!: VersionSubgraphType[];
  @Field()
  supergraphHash!: string;
  @Field({ description: 'The composed Federation 2 supergraph SDL.' })
  supergraphSdl!: string;
}

const SupergraphVersionPage = pageType(
  'SupergraphVersionPage',
  SupergraphVersionType,
  'A page of accepted supergraph versions, newest first.',
);

@ObjectType('SchemaProblem', { description: 'One reason the registry refuses a change, with what it is about.' })
class SchemaProblemType {
  @Field({ description: 'FETCH, COMPOSITION, CONTRACT, OPERATION or DEPENDENCY.' })
  kind!: string;
  @Field()
  message!: string;
  @Field(() => String, { nullable: true })
  subgraph!: string | null;
  @Field(() => String, { nullable: true })
  type!: string | null;
  @Field(() => String, { nullable: true })
  field!: string | null;
  @Field(() => String, { nullable: true, description: 'The stored operation that would break.' })
  operation!: string | null;
}

@ObjectType('SchemaDiff', { description: "What changed in the supergraph's API, as schema coordinates." })
class SchemaDiffType {
  @Field(() => [String])
  addedTypes!: string[];
  @Field(() => [String])
  removedTypes!: string[];
  @Field(() => [String])
  addedFields!: string[];
  @Field(() => [String])
  removedFields!: string[];
  @Field(() => [String], { description: 'Type.field: Old -> New.' })
  changedFields!: string[];
  @Field(() => [String], {
    description:
      'Changed fields that stored operations survive (a field now nullable, a String now an enum of the same ' +
      'values): Type.field: Old -> New: why.',
  })
  notes!: string[];
}

@ObjectType('SchemaCheck', { description: 'What registering a subgraph would do, without doing it.' })
class SchemaCheckType {
  @Field({ description: 'It would be accepted.' })
  ok!: boolean;
  @Field({ description: 'It changes nothing (same SDL, URL and department).' })
  unchanged!: boolean;
  @Field(() => [SchemaProblemType])
  problems!: SchemaProblemType[];
  @Field(() => SchemaDiffType, { nullable: true })
  diff!: SchemaDiffType | null;
}

@ObjectType('RegistryChange', { description: 'The version a change produced (the current one when nothing changed).' })
class RegistryChangeType {
  @Field({ description: 'False when the change was already in effect.' })
  changed!: boolean;
  @Field(() => SupergraphVersionType)
  version!: VersionRow;
}

@ObjectType('SubgraphHealth', { description: "A subgraph's health as the registry last checked it." })
class SubgraphHealthType {
  @Field()
  name!: string;
  @Field()
  url!: string;
  @Field(() => HealthStatus, { description: 'UP, DEGRADED, DOWN or UNKNOWN (before the first check).' })
  status!: HealthStatus;
  @Field({ description: 'When the status last changed.' })
  since!: Date;
  @Field(() => Date, { nullable: true })
  checkedAt!: Date | null;
  @Field(() => Int, { nullable: true })
  latencyMs!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it is down or degraded.' })
  error!: string | null;
  @Field(() => Int)
  consecutiveFailures!: number;
}

@Resolver()
export class RegistryResolver {
  @Query(() => [PublicDepartmentType], {
    description:
      'The departments of the current supergraph version, by code (bounded by the number of subgraphs, so ' +
      'not paged): public, without a token, because the public page must know which departments to ask for ' +
      'published results (R25) and their codes and names are published anyway. Only the code and name: the ' +
      'rest of the registry (URLs, versions, health) stays with signed-in staff, as it holds internal ' +
      'addresses (R30).',
  })
  async registryDepartments(@Ctx() ctx: RegistryContext): Promise<PublicDepartmentType[]> {
    const departments = (await ctx.registry.service.subgraphs()).filter((s) => s.code !== null).map(toPublicDepartment);
    return departments.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  @Query(() => [RegisteredSubgraphType], {
    description: `The subgraphs of the current supergraph version. ${BOUNDED_BY_SUBGRAPHS}`,
  })
  async registrySubgraphs(@Ctx() ctx: RegistryContext) {
    assertReader(ctx.identity);
    return ctx.registry.service.subgraphs();
  }

  @Query(() => [SupergraphVersionType], {
    deprecationReason: 'Use registryVersionPage.',
    description: 'Accepted supergraph versions, newest first.',
  })
  async registryVersions(
    @Arg('first', () => Int, { defaultValue: 20, description: `How many versions: 1 to ${VERSION_PAGE_MAX}.` })
    first: number,
    @Ctx() ctx: RegistryContext,
  ) {
    assertReader(ctx.identity);
    // A page beyond the largest is cut to it (as this field always did); one under 1 is refused.
    return ctx.registry.service.versions(pageSize(Math.min(first, VERSION_PAGE_MAX), VERSION_PAGE_MAX));
  }

  @Query(() => SupergraphVersionPage, {
    nullable: true,
    description: 'Accepted supergraph versions, newest first, paged (signed-in staff and services).',
  })
  async registryVersionPage(
    @Arg('first', () => Int, { defaultValue: 20, description: firstDescription(VERSION_PAGE_MAX, 20, 'versions') })
    first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Ctx() ctx: RegistryContext,
  ): Promise<PageOf<VersionRow>> {
    assertReader(ctx.identity);
    const size = pageSize(first, VERSION_PAGE_MAX);
    const before = readVersionCursor(after);
    const rows = await ctx.registry.service.versionsBefore(before, size + 1);
    const nodes = rows.slice(0, size);
    return pageFromCursor(nodes, nodes.length ? versionCursor(nodes.at(-1)!.number) : null, rows.length > size, () =>
      ctx.registry.service.versionCount(),
    );
  }

  @Query(() => SupergraphVersionType, {
    nullable: true,
    description: 'One version; the current one when no number is given.',
  })
  async registryVersion(
    @Arg('number', () => Int, { nullable: true }) number: number | null,
    @Ctx() ctx: RegistryContext,
  ) {
    assertReader(ctx.identity);
    return ctx.registry.service.version(number ?? (await ctx.registry.service.head()));
  }

  @Query(() => SchemaDiffType, {
    description: 'Which types and fields were added, removed or changed from one version to another.',
  })
  async registryDiff(
    @Arg('from', () => Int) from: number,
    @Arg('to', () => Int) to: number,
    @Ctx() ctx: RegistryContext,
  ) {
    assertReader(ctx.identity);
    return ctx.registry.service.diff(from, to);
  }

  @Query(() => [SubgraphHealthType], {
    description: `Each subgraph's health, checked on an interval. ${BOUNDED_BY_SUBGRAPHS}`,
  })
  async registryHealth(@Ctx() ctx: RegistryContext) {
    assertReader(ctx.identity);
    return ctx.registry.health.list();
  }

  @Mutation(() => SchemaCheckType, {
    description: 'Checks a registration (fetch, composition, contract, stored operations) without changing anything.',
  })
  async registryCheckSubgraph(
    @Arg('input', () => SubgraphRegistrationInput) input: SubgraphRegistrationInput,
    @Ctx() ctx: RegistryContext,
  ) {
    const result = await ctx.registry.service.check(input, ctx.identity);
    return {
      ok: result.problems.length === 0,
      unchanged: result.unchanged,
      problems: result.problems,
      diff: result.diff,
    };
  }

  @Mutation(() => RegistryChangeType, {
    description:
      "Registers or updates a subgraph (department admins: their own department's; hub admins: any). Refused " +
      'with every problem (BAD_USER_INPUT, extensions.problems) and nothing changed, or a new supergraph ' +
      'version the gateways switch to.',
  })
  async registryRegisterSubgraph(
    @Arg('input', () => SubgraphRegistrationInput) input: SubgraphRegistrationInput,
    @Arg('force', { defaultValue: false, description: 'Hub admins: accept although stored operations break.' })
    force: boolean,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: RegistryContext,
  ) {
    return ctx.registry.service.register(input, ctx.identity, { force, note });
  }

  @Mutation(() => RegistryChangeType, {
    description: 'Removes a subgraph (hub admins); refused when others or stored operations depend on it.',
  })
  async registryRemoveSubgraph(
    @Arg('name') name: string,
    @Arg('force', { defaultValue: false }) force: boolean,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: RegistryContext,
  ) {
    return ctx.registry.service.remove(name, ctx.identity, { force, note });
  }

  @Mutation(() => RegistryChangeType, {
    description: "Makes an earlier version's subgraphs current again, as a new version (hub admins).",
  })
  async registryRollback(
    @Arg('version', () => Int) version: number,
    @Arg('force', { defaultValue: false }) force: boolean,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: RegistryContext,
  ) {
    if (version < 1) throw notFound(`There is no supergraph version ${version}.`, { field: 'version' });
    return ctx.registry.service.rollback(version, ctx.identity, { force, note });
  }
}
