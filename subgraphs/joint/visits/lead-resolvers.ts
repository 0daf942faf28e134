import { LeadRow } from './entities';
import { LeadPage, LeadType } from './types';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { forbidden, unauthenticated } from '../../../kernel/errors';
import { DEPARTMENT_ROLES, Role, type Identity } from '../../../kernel/identity';
import { AFTER_DESCRIPTION, firstDescription, pageByOffset, type PageOf } from '../../../kernel/paging';
import type { JointContext } from '../context';

/** The largest page of leads, and the default one. */
const LEAD_PAGE_MAX = 500;
const LEAD_PAGE_DEFAULT = 100;

/** R30: leads handed to a department are for its staff, hub admins and auditors. */
function assertLeadReader(id: Identity, department: string): void {
  if (id.role === Role.PUBLIC) throw unauthenticated('Sign in to read leads.');
  const own = id.department === department && DEPARTMENT_ROLES.includes(id.role);
  if (!own && id.role !== Role.HUB_ADMIN && id.role !== Role.AUDITOR)
    throw forbidden(`Leads for ${department} are for its staff.`, { rule: 'R30' });
}

@Resolver()
export class LeadResolver {
  @Query(() => [LeadType], {
    deprecationReason: 'Use jointLeadPage.',
    description: "Leads handed to a department (R27): that department's staff, hub admins and auditors.",
  })
  async jointLeads(@Arg('department', () => String) department: string, @Ctx() ctx: JointContext) {
    assertLeadReader(ctx.identity, department);
    return ctx.joint.dataSource.manager.find(LeadRow, {
      where: { toDepartment: department },
      order: { createdAt: 'ASC' },
    });
  }

  @Query(() => LeadPage, {
    nullable: true,
    description:
      "Leads handed to a department (R27), oldest first, a page of them: that department's staff, hub admins " +
      'and auditors (R30); null, with an error, for others.',
  })
  async jointLeadPage(
    @Arg('department', () => String) department: string,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: LEAD_PAGE_DEFAULT,
      description: firstDescription(LEAD_PAGE_MAX, LEAD_PAGE_DEFAULT, 'leads'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<LeadRow>> {
    assertLeadReader(ctx.identity, department);
    const m = ctx.joint.dataSource.manager;
    // Leads are only ever added: by time, then id, a stable order to page by position.
    return pageByOffset(
      first,
      after,
      LEAD_PAGE_MAX,
      (offset, limit) =>
        m.find(LeadRow, {
          where: { toDepartment: department },
          order: { createdAt: 'ASC', id: 'ASC' },
          skip: offset,
          take: limit,
        }),
      () => m.countBy(LeadRow, { toDepartment: department }),
    );
  }
}
