import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { forbidden, unauthenticated } from '../../../kernel/errors';
import { DEPARTMENT_ROLES, Role, type Identity } from '../../../kernel/identity';
import { AFTER_DESCRIPTION, firstDescription, pageByOffset, pageType, type PageOf } from '../../../kernel/paging';
import { datetime, table, text, varchar } from '../../../kernel/table-helpers';
import type { JointContext } from '../context';

/** A problem found on a visit that is another department's to handle: a lead recorded for it (R27). */
@Entity('lead')
@Index('idx_lead_to', ['toDepartment'])
export class LeadRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc!: string | null;

  @Column({ name: 'from_department', type: 'varchar', length: 20 })
  fromDepartment!: string;

  @Column({ name: 'to_department', type: 'varchar', length: 20 })
  toDepartment!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;
}

export class Leads1763960000000 implements MigrationInterface {
  name = 'Leads1763960000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'lead',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('task_id', 36),
          varchar('target_key', 64),
          varchar('uscc', 18, { isNullable: true }),
          varchar('from_department', 20),
          varchar('to_department', 20),
          text('note'),
          datetime('created_at'),
          varchar('created_by', 64),
        ],
        [{ name: 'idx_lead_to', columns: ['to_department'] }],
      ),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('lead');
  }
}

@ObjectType('Lead', { description: 'A problem found on a visit for another department to handle (R27, 线索移交).' })
class LeadType {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field(() => String, { nullable: true })
  uscc!: string | null;
  @Field()
  fromDepartment!: string;
  @Field()
  toDepartment!: string;
  @Field()
  note!: string;
  @Field()
  createdAt!: Date;
}

const LeadPage = pageType('LeadPage', LeadType, 'A page of the leads handed to a department (R27), oldest first.');

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
