import type { ClassType } from '../../../kernel/class-type';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadRoster, assertDepartmentWriter, seesPrivateData } from '../access';
import { ResultReceipt } from '../contract/interfaces';
import { ResultInput } from '../contract/inputs';
import { badInput, forbidden, unauthenticated } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import { assertUscc } from '../../../kernel/uscc';
import { ResultStatus } from '../contract/enums';
import { AFTER_DESCRIPTION, firstDescription, type PageOf } from '../../../kernel/paging';
import { pageSize, requireText } from '../../../kernel/validation';
import type { DepartmentContext } from '../scope';
import type { DepartmentTypes } from '../types';
import type { ResultRow } from './entities';
import { ResultService } from './result-service';

/** Rows to results; confidential notes only for those who may see the department's private data. */
export function toResult(row: ResultRow, department: string, showPrivate: boolean) {
  return { ...row, department, confidentialNotes: showPrivate ? row.confidentialNotes : null };
}

/** R24: results are written back by the hub's joint service (a SERVICE identity), nobody else. */
function assertWriteBack(identity: Identity, department: string): void {
  if (identity.role === Role.PUBLIC) throw unauthenticated('Sign in to write results back.');
  if (identity.role !== Role.SERVICE)
    throw forbidden(
      `Results reach ${department} through the joint service's write-back (R24); a team submits them there.`,
      { rule: 'R24' },
    );
}

const MAX_BATCH = 1000;

/** Results a page holds: at most, and by default. */
export const RESULTS_MAX = 1000;
export const RESULTS_DEFAULT = 100;

/**
 * The deprecated `results(status:)` takes a string (as callers of the previous contract send it): one of
 * ResultStatus's values.
 */
function knownStatus(status: string | null | undefined): ResultStatus | null {
  if (status === null || status === undefined || status === '') return null;
  if (!(Object.values(ResultStatus) as string[]).includes(status))
    throw badInput(
      `status '${status.slice(0, 40)}': one of ${Object.values(ResultStatus).join(', ')} (R25), or leave it ` +
        `out for every status.`,
      { field: 'status' },
    );
  return status as ResultStatus;
}

/** The results part of the department contract (DESIGN.md contract 3). */
export function createResultResolvers(code: string, types: DepartmentTypes): ClassType[] {
  const service = (ctx: DepartmentContext) => new ResultService(ctx.dept.repo.manager, code, ctx.dept.repo);
  const hubSees = (identity: Identity) =>
    seesPrivateData(identity, code) ||
    identity.role === Role.HUB_ADMIN ||
    identity.role === Role.AUDITOR ||
    identity.role === Role.SERVICE;

  /** R30: results of every status are read by the department's staff and hub roles. */
  const listed = async (
    ctx: DepartmentContext,
    filter: { taskId: string | null; uscc: string | null; status: string | null },
    first: number,
    after: string | null,
  ): Promise<PageOf<ReturnType<typeof toResult>>> => {
    const size = pageSize(first, RESULTS_MAX);
    const checked = { ...filter, uscc: filter.uscc ? assertUscc(filter.uscc, 'uscc') : null };
    const rows = await service(ctx).list(checked, size + 1, after);
    const nodes = rows.slice(0, size).map((r) => toResult(r, code, hubSees(ctx.identity)));
    // Keyset paging on the result id (stable while results are added): the cursor is the last id.
    return {
      nodes,
      pageInfo: { endCursor: nodes.at(-1)?.id ?? null, hasNextPage: rows.length > size },
      totalCount: () => service(ctx).count(checked),
    };
  };

  @Resolver(() => types.Query)
  class DeptResultQueries {
    @FieldResolver(() => [types.Result], {
      nullable: true,
      deprecationReason: 'Use resultPage.',
      description:
        `The ${code} results, every status (R24, R30): ${code} staff and hub roles. A list of one page; ` +
        `resultPage gives the same with pageInfo and totalCount.`,
    })
    async results(
      @Arg('taskId', () => ID, { nullable: true }) taskId: string | null,
      @Arg('uscc', () => String, { nullable: true }) uscc: string | null,
      // A string, as the previous contract had it (callers pass one); resultPage takes a ResultStatus.
      @Arg('status', () => String, { nullable: true, description: 'RECORDED, APPROVED or PUBLISHED.' })
      status: string | null,
      @Arg('first', () => Int, {
        defaultValue: RESULTS_DEFAULT,
        description: firstDescription(RESULTS_MAX, RESULTS_DEFAULT, 'results'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: "The last result's id of the previous page." })
      after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertCanReadRoster(ctx.identity, code); // R30
      return (await listed(ctx, { taskId, uscc, status: knownStatus(status) }, first, after)).nodes;
    }

    @FieldResolver(() => types.ResultPage, {
      nullable: true,
      description:
        `The ${code} results, every status, in id order (R24): ${code} staff and hub roles (R30); null, with an ` +
        `error, for others.`,
    })
    async resultPage(
      @Arg('taskId', () => ID, { nullable: true }) taskId: string | null,
      @Arg('uscc', () => String, { nullable: true }) uscc: string | null,
      @Arg('status', () => ResultStatus, { nullable: true }) status: ResultStatus | null,
      @Arg('first', () => Int, {
        defaultValue: RESULTS_DEFAULT,
        description: firstDescription(RESULTS_MAX, RESULTS_DEFAULT, 'results'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertCanReadRoster(ctx.identity, code); // R30
      return listed(ctx, { taskId, uscc, status }, first, after);
    }

    @FieldResolver(() => [types.Result], {
      deprecationReason: 'Use publishedResultPage.',
      description:
        `Published ${code} results of a target, corrections included (R25, R28), up to ${RESULTS_MAX}. Public; ` +
        `nothing confidential.`,
    })
    async publishedResults(@Arg('uscc', () => String) uscc: string, @Ctx() ctx: DepartmentContext) {
      const rows = await service(ctx).list(
        { uscc: assertUscc(uscc, 'uscc'), status: ResultStatus.PUBLISHED },
        RESULTS_MAX,
        null,
      );
      return rows.map((r) => toResult(r, code, false));
    }

    @FieldResolver(() => types.ResultPage, {
      description:
        `Published ${code} results of a target, corrections included (R25, R28), in id order. Public; nothing ` +
        `confidential.`,
    })
    async publishedResultPage(
      @Arg('uscc', () => String) uscc: string,
      @Arg('first', () => Int, {
        defaultValue: RESULTS_DEFAULT,
        description: firstDescription(RESULTS_MAX, RESULTS_DEFAULT, 'results'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      const size = pageSize(first, RESULTS_MAX);
      const filter = { uscc: assertUscc(uscc, 'uscc'), status: ResultStatus.PUBLISHED };
      const rows = await service(ctx).list(filter, size + 1, after);
      // R25: the public sees published results only, never confidential notes.
      const nodes = rows.slice(0, size).map((r) => toResult(r, code, false));
      return {
        nodes,
        pageInfo: { endCursor: nodes.at(-1)?.id ?? null, hasNextPage: rows.length > size },
        totalCount: () => service(ctx).count(filter),
      };
    }

    @FieldResolver(() => [types.Outcome], {
      description:
        `The ${code} outcome dictionary, every version (public). Read whole, not paged: a dictionary of a few ` +
        `dozen entries a page names results with.`,
    })
    outcomes(@Ctx() ctx: DepartmentContext) {
      return service(ctx).outcomes();
    }
  }

  @Resolver()
  class DeptResultMutations {
    @Mutation(() => [ResultReceipt], {
      name: `${code}RecordResults`,
      description: 'Idempotent write-back of results (R24), by the joint service: all or none.',
    })
    async record(@Arg('input', () => [ResultInput]) input: ResultInput[], @Ctx() ctx: DepartmentContext) {
      assertWriteBack(ctx.identity, code); // R24
      if (input.length === 0 || input.length > MAX_BATCH)
        throw badInput(`input: 1 to ${MAX_BATCH} results per call.`, { field: 'input' });
      return service(ctx).record(input, ctx.identity.subject, ctx.dept.clock());
    }

    @Mutation(() => [types.Result], {
      name: `${code}ApproveResults`,
      description: 'Approves recorded results (R25). Department admin.',
    })
    async approve(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: DepartmentContext) {
      assertDepartmentWriter(ctx.identity, code); // R25
      return (await service(ctx).approve(ids, ctx.identity.subject, ctx.dept.clock())).map((r) =>
        toResult(r, code, true),
      );
    }

    @Mutation(() => [types.Result], {
      name: `${code}PublishResults`,
      description: 'Publishes approved results (R25); they never change again (R28). Department admin.',
    })
    async publish(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: DepartmentContext) {
      assertDepartmentWriter(ctx.identity, code); // R25
      return (await service(ctx).publish(ids, ctx.dept.clock())).map((r) => toResult(r, code, true));
    }

    @Mutation(() => types.Outcome, {
      name: `${code}DefineOutcome`,
      description: "Adds an outcome to the department's dictionary, or a new version of one. Department admin.",
    })
    async defineOutcome(
      @Arg('code', () => String) outcomeCode: string,
      @Arg('label', () => String) label: string,
      @Arg('dishonesty', () => Boolean, { defaultValue: false }) dishonesty: boolean,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code);
      return service(ctx).defineOutcome(outcomeCode, label, dishonesty);
    }

    @Mutation(() => types.Result, {
      name: `${code}CorrectResult`,
      description:
        "Corrects a published result with a new, published record pointing at it (R28). The department's " +
        'principal head.',
    })
    async correct(
      @Arg('id', () => ID) id: string,
      @Arg('outcome', () => String) outcome: string,
      @Arg('notes', () => String, { nullable: true }) notes: string | null,
      @Arg('reason', () => String) reason: string,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code, [Role.PRINCIPAL_HEAD]); // R28
      const why = requireText(reason, 'reason', 2000, 'say what error was proven', 'R28');
      return toResult(
        await service(ctx).correct(id, { outcome, notes }, why, ctx.identity.subject, ctx.dept.clock()),
        code,
        true,
      );
    }
  }

  @Resolver(() => types.View)
  class DeptViewDishonesty {
    @FieldResolver(() => [types.Result], {
      description:
        'Published dishonesty (失信) records of this target (R27): refusal, general-procedure penalty, failed ' +
        'statutory check.',
    })
    async dishonestyRecords(@Root() view: { uscc: string }, @Ctx() ctx: DepartmentContext) {
      return (await ctx.dept.dishonestyByUscc.load(view.uscc)).map((r) => toResult(r, code, false));
    }
  }

  return [DeptResultQueries, DeptResultMutations, DeptViewDishonesty];
}
