import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadRoster, assertDepartmentWriter, seesPrivateData } from '../../access';
import { ResultReceipt } from '../../contract/interfaces';
import { ResultInput } from '../../contract/inputs';
import { badInput, forbidden, unauthenticated } from '../../errors';
import { type Identity, Role } from '../../identity';
import { assertUscc } from '../../uscc';
import { pageSize, requireText } from '../../validation';
import type { DepartmentContext } from '../scope';
import type { DepartmentTypes } from '../types';
import type { ResultRow } from './entities';
import { ResultService, ResultStatus } from './result-service';

/** Rows to results; confidential notes only for those who may see the department's private data. */
export function toResult(row: ResultRow, department: string, showPrivate: boolean) {
  return { ...row, department, confidentialNotes: showPrivate ? row.confidentialNotes : null };
}

/** R24: results are written back by the hub's joint service (a SERVICE identity), nobody else. */
function assertWriteBack(identity: Identity, department: string): void {
  if (identity.role === Role.PUBLIC) throw unauthenticated('Sign in to write results back.');
  if (identity.role !== Role.SERVICE) throw forbidden(`Results reach ${department} through the joint service's write-back (R24); a team submits them there.`, { rule: 'R24' });
}

const MAX_BATCH = 1000;

/** The results part of the department contract (DESIGN.md contract 3). */
export function createResultResolvers(code: string, types: DepartmentTypes): Function[] {
  const service = (ctx: DepartmentContext) => new ResultService(ctx.dept.repo.manager, code, ctx.dept.repo);
  const hubSees = (identity: Identity) => seesPrivateData(identity, code) || identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE;

  @Resolver(() => types.Query)
  class DeptResultQueries {
    @FieldResolver(() => [types.Result], { description: `The ${code} results, every status (R24, R30): ${code} staff and hub roles.` })
    async results(
      @Arg('taskId', () => ID, { nullable: true }) taskId: string | null,
      @Arg('uscc', () => String, { nullable: true }) uscc: string | null,
      @Arg('status', () => String, { nullable: true }) status: string | null,
      @Arg('first', () => Int, { defaultValue: 100, description: 'How many results, 1 to 1,000 (the largest page).' }) first: number,
      @Arg('after', () => String, { nullable: true }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertCanReadRoster(ctx.identity, code); // R30
      pageSize(first, 1000);
      const rows = await service(ctx).list({ taskId, uscc: uscc ? assertUscc(uscc, 'uscc') : null, status }, first, after);
      return rows.map((r) => toResult(r, code, hubSees(ctx.identity)));
    }

    @FieldResolver(() => [types.Result], { description: `Published ${code} results of a target, corrections included (R25, R28). Public; nothing confidential.` })
    async publishedResults(@Arg('uscc', () => String) uscc: string, @Ctx() ctx: DepartmentContext) {
      const rows = await service(ctx).list({ uscc: assertUscc(uscc, 'uscc'), status: ResultStatus.PUBLISHED }, 1000, null);
      return rows.map((r) => toResult(r, code, false));
    }

    @FieldResolver(() => [types.Outcome], { description: `The ${code} outcome dictionary, every version (public).` })
    outcomes(@Ctx() ctx: DepartmentContext) {
      return service(ctx).outcomes();
    }
  }

  @Resolver()
  class DeptResultMutations {
    @Mutation(() => [ResultReceipt], { name: `${code}RecordResults`, description: 'Idempotent write-back of results (R24), by the joint service: all or none.' })
    async record(@Arg('input', () => [ResultInput]) input: ResultInput[], @Ctx() ctx: DepartmentContext) {
      assertWriteBack(ctx.identity, code); // R24
      if (input.length === 0 || input.length > MAX_BATCH) throw badInput(`input: 1 to ${MAX_BATCH} results per call.`, { field: 'input' });
      return service(ctx).record(input, ctx.identity.subject, ctx.dept.clock());
    }

    @Mutation(() => [types.Result], { name: `${code}ApproveResults`, description: 'Approves recorded results (R25). Department admin.' })
    async approve(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: DepartmentContext) {
      assertDepartmentWriter(ctx.identity, code); // R25
      return (await service(ctx).approve(ids, ctx.identity.subject, ctx.dept.clock())).map((r) => toResult(r, code, true));
    }

    @Mutation(() => [types.Result], { name: `${code}PublishResults`, description: 'Publishes approved results (R25); they never change again (R28). Department admin.' })
    async publish(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: DepartmentContext) {
      assertDepartmentWriter(ctx.identity, code); // R25
      return (await service(ctx).publish(ids, ctx.dept.clock())).map((r) => toResult(r, code, true));
    }

    @Mutation(() => types.Outcome, { name: `${code}DefineOutcome`, description: 'Adds an outcome to the department\'s dictionary, or a new version of one. Department admin.' })
    async defineOutcome(
      @Arg('code', () => String) outcomeCode: string,
      @Arg('label', () => String) label: string,
      @Arg('dishonesty', () => Boolean, { defaultValue: false }) dishonesty: boolean,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code);
      return service(ctx).defineOutcome(outcomeCode, label, dishonesty);
    }

    @Mutation(() => types.Result, { name: `${code}CorrectResult`, description: "Corrects a published result with a new, published record pointing at it (R28). The department's principal head." })
    async correct(
      @Arg('id', () => ID) id: string,
      @Arg('outcome', () => String) outcome: string,
      @Arg('notes', () => String, { nullable: true }) notes: string | null,
      @Arg('reason', () => String) reason: string,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code, [Role.PRINCIPAL_HEAD]); // R28
      const why = requireText(reason, 'reason', 2000, 'say what error was proven', 'R28');
      return toResult(await service(ctx).correct(id, { outcome, notes }, why, ctx.identity.subject, ctx.dept.clock()), code, true);
    }
  }

  @Resolver(() => types.View)
  class DeptViewDishonesty {
    @FieldResolver(() => [types.Result], { description: 'Published dishonesty (失信) records of this target (R27): refusal, general-procedure penalty, failed statutory check.' })
    async dishonestyRecords(@Root() view: { uscc: string }, @Ctx() ctx: DepartmentContext) {
      return (await ctx.dept.dishonestyByUscc.load(view.uscc)).map((r) => toResult(r, code, false));
    }
  }

  return [DeptResultQueries, DeptResultMutations, DeptViewDishonesty];
}
