import type { ClassType } from '../../kernel/class-type';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertCanReadRoster, assertCanReadViews, assertDepartmentWriter, seesPrivateData } from './access';
import { ROSTER_ROW_COLUMNS, RosterRows, type DepartmentView } from './contract/interfaces';
import { CHECKLIST_TEXT_CAPS, ChecklistItemInput, RosterFilter, RosterTargetInput } from './contract/inputs';
import { INDUSTRY_CODE, ITEM_CODE, MAX_SCOPE_CODES, REGION_PREFIX } from '../../kernel/codes';
import { badInput } from '../../kernel/errors';
import { AFTER_DESCRIPTION, firstDescription } from '../../kernel/paging';
import { pageSize, requireCodes, requireText } from '../../kernel/validation';
import { validateChecklistItem } from './checklist-rules';
import { itemAppliesTo, toChecklistItem, toExpert, toInspector, toTarget, toView } from './mapping';
import { toRosterRows } from './roster-rules';
import type { DepartmentContext } from './scope';
import { type DepartmentTypes } from './types';
import { pageWithCursorFields, type PageWithCursorFields } from '../../kernel/paging';

/** Page size limits: interactive lists, and the bulk export that draws read (DESIGN.md contract 2). */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 1000;
export const EXPORT_MAX = 10_000;
export const EXPORT_DEFAULT = 5000;
export const ROWS_MAX = 50_000;

/** Rows one import call may carry. */
export const IMPORT_MAX = 5000;

/** A roster filter as plans give it: region prefixes and industry codes, few enough for any database. */
function checkedFilter(filter: RosterFilter | null): RosterFilter | null {
  for (const [key, format, what] of [
    ['regions', REGION_PREFIX, 'a region code or prefix (2 to 6 digits)'],
    ['industries', INDUSTRY_CODE, 'a GB/T 4754 code or section letter'],
  ] as const) {
    const values = filter?.[key] ?? [];
    if (values.length > MAX_SCOPE_CODES)
      throw badInput(
        `filter.${key}: at most ${MAX_SCOPE_CODES} codes, got ${values.length}; name prefixes (3101) or ` +
          `sections (C) instead.`,
        { field: `filter.${key}` },
      );
    requireCodes(values, `filter.${key}`, format, what);
  }
  return filter;
}

/** A page of the roster: the same for interactive lists and the bulk export, but for the size limit. */
async function targetPage(
  ctx: DepartmentContext,
  filter: RosterFilter | null,
  first: number,
  after: string | null,
): Promise<PageWithCursorFields<unknown>> {
  const code = ctx.dept.repo.department;
  assertCanReadRoster(ctx.identity, code); // R30
  const page = await ctx.dept.repo.listTargets(checkedFilter(filter), { first, after });
  return pageWithCursorFields(
    page.rows.map((r) => toTarget(r, code)),
    page.endCursor,
    page.hasMore,
    () => ctx.dept.repo.countTargets(filter),
  );
}

/*
 * Nullability (H1 point 5): the namespace `Query.<code>` and every field of it that access rules
 * can refuse (R30) are nullable, so a refusal, or a department that is down, nulls only its own
 * part of an answer, with an error naming it; the rest of the answer stands. Public reads
 * (checklist, outcomes, published results) cannot be refused and stay non-null.
 */

/**
 * The resolvers of the department contract for one department. Thin: authorise, load through
 * the request's loaders, map (STYLE.md habit 5).
 */
export function createDepartmentResolvers(code: string, types: DepartmentTypes): ClassType[] {
  @Resolver(() => types.Query)
  class DeptQueryResolver {
    @Query(() => types.Query, {
      name: code,
      nullable: true,
      description:
        `The ${code} department: rosters, checklist and results (null, with an error, when the department ` +
        `cannot answer).`,
    })
    namespace() {
      return { contractVersion: 1 };
    }

    @FieldResolver(() => [types.ChecklistItem], {
      description:
        'The checklist in force; with includeHistory, every version (R5). Public. Read whole, not paged: a ' +
        "department's checklist is published in full (R1).",
    })
    async checklist(
      @Arg('includeHistory', () => Boolean, { defaultValue: false }) includeHistory: boolean,
      @Ctx() ctx: DepartmentContext,
    ) {
      const rows = includeHistory ? await ctx.dept.repo.allChecklistVersions() : await ctx.dept.currentChecklist();
      return rows.map((r) => toChecklistItem(r, code));
    }

    @FieldResolver(() => types.ChecklistItem, {
      nullable: true,
      description: 'One item: a given version, or the newest.',
    })
    async checklistItem(
      @Arg('code', () => String) itemCode: string,
      @Arg('version', () => Int, { nullable: true }) version: number | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      const row = await ctx.dept.repo.checklistItem(itemCode, version);
      return row ? toChecklistItem(row, code) : null;
    }

    @FieldResolver(() => types.TargetPage, {
      nullable: true,
      description:
        'The target roster, filtered and paged (R6). Its staff and hub roles (R30): null, with an error, for others.',
    })
    targets(
      @Arg('filter', () => RosterFilter, { nullable: true }) filter: RosterFilter | null,
      @Arg('first', () => Int, {
        defaultValue: PAGE_DEFAULT,
        description: firstDescription(PAGE_MAX, PAGE_DEFAULT, 'targets'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      return targetPage(ctx, filter, pageSize(first, PAGE_MAX), after);
    }

    @FieldResolver(() => types.TargetPage, {
      nullable: true,
      description: `Bulk export of in-scope targets in large pages (up to ${EXPORT_MAX}), for draws (R9, R30).`,
    })
    exportTargets(
      @Arg('filter', () => RosterFilter, { nullable: true }) filter: RosterFilter | null,
      @Arg('first', () => Int, {
        defaultValue: EXPORT_DEFAULT,
        description: firstDescription(EXPORT_MAX, EXPORT_DEFAULT, 'targets'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      return targetPage(ctx, filter, pageSize(first, EXPORT_MAX), after);
    }

    @FieldResolver(() => RosterRows, {
      nullable: true,
      description:
        `The roster in scope as tab-separated lines, up to ${ROWS_MAX} a page: the bulk export draws read (R9, ` +
        `R30).`,
    })
    async exportTargetRows(
      @Arg('filter', () => RosterFilter, { nullable: true }) filter: RosterFilter | null,
      @Arg('first', () => Int, { defaultValue: ROWS_MAX, description: firstDescription(ROWS_MAX, ROWS_MAX, 'lines') })
      first: number,
      @Arg('after', () => String, {
        nullable: true,
        description: "The previous page's `endCursor`; leave it out for the first page.",
      })
      after: string | null,
      @Ctx() ctx: DepartmentContext,
    ): Promise<RosterRows> {
      assertCanReadRoster(ctx.identity, code); // R30
      // RosterRows keeps endCursor/hasMore: see its doc comment (a shared type every department serves).
      const page = await ctx.dept.repo.exportRows(checkedFilter(filter), { first: pageSize(first, ROWS_MAX), after });
      return { columns: [...ROSTER_ROW_COLUMNS], ...page };
    }

    @FieldResolver(() => types.Target, { nullable: true })
    async target(@Arg('id', () => ID) id: string, @Ctx() ctx: DepartmentContext) {
      assertCanReadRoster(ctx.identity, code); // R30
      const row = await ctx.dept.targetById.load(id);
      return row ? toTarget(row, code) : null;
    }

    @FieldResolver(() => types.InspectorPage, {
      nullable: true,
      description: 'The inspector roster (R7, R30): optionally only those holding a domain, or only the qualified.',
    })
    async inspectors(
      @Arg('domain', () => String, { nullable: true }) domain: string | null,
      @Arg('qualifiedOnly', () => Boolean, { defaultValue: false }) qualifiedOnly: boolean,
      @Arg('first', () => Int, {
        defaultValue: PAGE_DEFAULT,
        description: firstDescription(PAGE_MAX, PAGE_DEFAULT, 'inspectors'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertCanReadRoster(ctx.identity, code); // R30
      const filter = {
        domain: domain
          ? requireText(domain, 'domain', CHECKLIST_TEXT_CAPS.domain, 'a supervision domain, as the checklist names it')
          : null,
        qualifiedOnly,
      };
      const page = await ctx.dept.repo.listInspectors({ first: pageSize(first, PAGE_MAX), after }, filter);
      const show = seesPrivateData(ctx.identity, code);
      return pageWithCursorFields(
        page.rows.map((r) => toInspector(r, code, show)),
        page.endCursor,
        page.hasMore,
        () => ctx.dept.repo.countInspectors(filter),
      );
    }

    @FieldResolver(() => types.ExpertPage, {
      nullable: true,
      description: 'The expert roster (R8, R30): optionally only those with an expertise.',
    })
    async experts(
      @Arg('expertise', () => String, { nullable: true }) expertise: string | null,
      @Arg('first', () => Int, {
        defaultValue: PAGE_DEFAULT,
        description: firstDescription(PAGE_MAX, PAGE_DEFAULT, 'experts'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertCanReadRoster(ctx.identity, code); // R30
      const wanted = expertise
        ? requireText(expertise, 'expertise', 100, 'an expertise, as the roster names it')
        : null;
      const page = await ctx.dept.repo.listExperts({ first: pageSize(first, PAGE_MAX), after }, wanted);
      const show = seesPrivateData(ctx.identity, code);
      return pageWithCursorFields(
        page.rows.map((r) => toExpert(r, code, show)),
        page.endCursor,
        page.hasMore,
        () => ctx.dept.repo.countExperts(wanted),
      );
    }
  }

  @Resolver(() => types.MarketEntity)
  class DeptEntityResolver {
    @FieldResolver(() => types.View, {
      name: code,
      nullable: true,
      description: `The ${code} view of this entity (signed-in users; null with an error for others).`,
    })
    async view(@Root() entity: { uscc: string }, @Ctx() ctx: DepartmentContext) {
      assertCanReadViews(ctx.identity, code); // R30
      return toView(entity.uscc, await ctx.dept.targetById.load(entity.uscc), code);
    }
  }

  @Resolver(() => types.View)
  class DeptViewResolver {
    @FieldResolver(() => [types.ChecklistItem], {
      description: 'The items in force that apply to this target (its kind and industry).',
    })
    async applicableItems(@Root() view: DepartmentView, @Ctx() ctx: DepartmentContext) {
      const [row, items] = await Promise.all([ctx.dept.targetById.load(view.uscc), ctx.dept.currentChecklist()]);
      if (!row) return [];
      return items.filter((item) => itemAppliesTo(item, row)).map((item) => toChecklistItem(item, code));
    }
  }

  @Resolver()
  class DeptMutationResolver {
    @Mutation(() => types.ChecklistItem, {
      name: `${code}AddChecklistItem`,
      description: 'Adds a new item (version 1). Department admin.',
    })
    async add(
      @Arg('code', () => String) itemCode: string,
      @Arg('input', () => ChecklistItemInput) input: ChecklistItemInput,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code); // R30
      if (!ITEM_CODE.test(itemCode))
        throw badInput(
          `code '${itemCode}': use uppercase letters, digits and dashes, starting with a letter (e.g. TAX-21).`,
          { field: 'code' },
        );
      const row = await ctx.dept.repo.addChecklistItem(
        itemCode,
        validateChecklistItem(input),
        ctx.identity.subject,
        ctx.dept.clock(),
      );
      return toChecklistItem(row, code);
    }

    @Mutation(() => types.ChecklistItem, {
      name: `${code}ReviseChecklistItem`,
      description: 'A change of law: makes a new version, the old one stays readable (R5). Department admin.',
    })
    async revise(
      @Arg('code', () => String) itemCode: string,
      @Arg('input', () => ChecklistItemInput) input: ChecklistItemInput,
      @Arg('reason', () => String) reason: string,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code); // R30
      const why = requireText(
        reason,
        'reason',
        10_000,
        'say which change of law (立改废释) makes the new version',
        'R5',
      );
      const row = await ctx.dept.repo.changeChecklistItem(
        itemCode,
        validateChecklistItem(input),
        why,
        ctx.identity.subject,
        ctx.dept.clock(),
      );
      return toChecklistItem(row, code);
    }

    @Mutation(() => types.ChecklistItem, {
      name: `${code}RepealChecklistItem`,
      description:
        'Repeals an item (废止): returns its closed last version, which stays readable (R5). Department admin.',
    })
    async repeal(
      @Arg('code', () => String) itemCode: string,
      @Arg('reason', () => String) reason: string,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code); // R30
      const why = requireText(reason, 'reason', 10_000, 'say which change of law repeals the item', 'R5');
      return toChecklistItem(
        await ctx.dept.repo.changeChecklistItem(itemCode, null, why, ctx.identity.subject, ctx.dept.clock()),
        code,
      );
    }

    @Mutation(() => Int, {
      name: `${code}ImportTargets`,
      description:
        'Bulk roster import (R6): every row is checked first; one bad row rejects the batch. Returns rows stored.',
    })
    async importTargets(
      @Arg('targets', () => [RosterTargetInput]) targets: RosterTargetInput[],
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code); // R30
      if (targets.length > IMPORT_MAX)
        throw badInput(
          `targets: at most ${IMPORT_MAX} rows per call, got ${targets.length}; split the file (or use npm ` +
            `run import).`,
          { field: 'targets' },
        );
      return ctx.dept.repo.upsertTargets(toRosterRows(targets, ctx.dept.clock()));
    }
  }

  return [DeptQueryResolver, DeptEntityResolver, DeptViewResolver, DeptMutationResolver];
}
