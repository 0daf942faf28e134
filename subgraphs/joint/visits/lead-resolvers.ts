import type { LeadRow } from './entities';
import { LEAD_PAGE_DEFAULT, LEAD_PAGE_MAX, LeadService } from './lead-service';
import { LeadPage, LeadType } from './types';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { forbidden, unauthenticated } from '../../../kernel/errors';
import { DEPARTMENT_ROLES, Role, type Identity } from '../../../kernel/identity';
import { AFTER_DESCRIPTION, firstDescription, type PageOf } from '../../../kernel/paging';
import type { JointContext } from '../context';

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
    return new LeadService(ctx.joint).leadsTo(department);
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
    return new LeadService(ctx.joint).pageTo(department, first, after);
  }
}
