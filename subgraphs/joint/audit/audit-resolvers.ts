import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { badInput } from '../../../kernel/errors';
import { AFTER_DESCRIPTION, firstDescription, pageFromCursor, pageType, type PageOf } from '../../../kernel/paging';
import { pageOffset, pageSize } from '../../../kernel/validation';
import { assertAuditReader } from '../access';
import { AuditService } from './audit-service';
import type { JointContext } from '../context';
import type { AuditEventRow } from './entities';

@ObjectType('AuditEvent', {
  description: 'One step in the audit trail (R29): who did what, when; chained to the step before by hash.',
})
class AuditEventType {
  @Field(() => Int)
  seq!: number;
  @Field()
  at!: Date;
  @Field()
  actor!: string;
  @Field()
  role!: string;
  @Field(() => String, { nullable: true })
  department!: string | null;
  @Field()
  action!: string;
  @Field()
  entityId!: string;
  @Field(() => GraphQLJSONObject)
  details!: Record<string, unknown>;
  @Field()
  prevHash!: string;
  @Field()
  hash!: string;
}

@ObjectType('AuditChainCheck', {
  description: 'Whether the audit trail is unbroken: every entry hashes to its stored hash and names the one before.',
})
class AuditChainCheckType {
  @Field()
  ok!: boolean;
  @Field(() => Int)
  entries!: number;
  @Field(() => Int, { nullable: true, description: 'The first entry that does not fit, if any.' })
  brokenAt!: number | null;
}

const AuditEventPage = pageType(
  'AuditEventPage',
  AuditEventType,
  'A page of the audit trail (R29), in the order of its entries.',
);

/** The largest page of the audit trail, and the default one. */
const AUDIT_PAGE_MAX = 5000;
const AUDIT_PAGE_DEFAULT = 500;

const SEQ_CURSOR = /^s:(\d{1,12})$/;

/**
 * The cursor after an audit entry: opaque to callers, `s:<seq>` inside (keyset paging: entries are only ever appended).
 */
function seqCursor(seq: number): string {
  return Buffer.from(`s:${seq}`).toString('base64url');
}

/** Reads an `after` made by `seqCursor`; a cursor it did not make is BAD_USER_INPUT. */
function readSeqCursor(after: string | null | undefined): number {
  if (after === null || after === undefined || after === '') return 0;
  const match = SEQ_CURSOR.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match)
    throw badInput(
      `after: '${after.slice(0, 80)}' is not a cursor of the audit trail; pass a pageInfo.endCursor ` +
        `jointAuditTrailPage returned, or leave it out for the first page.`,
      { field: 'after' },
    );
  return Number(match[1]);
}

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventPage, {
    nullable: true,
    description:
      'The audit trail (R29), optionally of one plan or task, in the order of its entries, a page of them: ' +
      'auditors and hub admins; null, with an error, for others.',
  })
  async jointAuditTrailPage(
    @Arg('entityId', () => String, { nullable: true, description: 'Only the entries of this plan or task.' })
    entityId: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: AUDIT_PAGE_DEFAULT,
      description: firstDescription(AUDIT_PAGE_MAX, AUDIT_PAGE_DEFAULT),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<AuditEventRow>> {
    assertAuditReader(ctx.identity, 'read the audit trail');
    const size = pageSize(first, AUDIT_PAGE_MAX);
    const afterSeq = readSeqCursor(after);
    const audit = new AuditService(ctx.joint);
    const rows = await audit.entriesAfter(afterSeq, size + 1, entityId);
    const nodes = rows.slice(0, size);
    const last = nodes.at(-1);
    return pageFromCursor(nodes, last ? seqCursor(last.seq) : null, rows.length > size, () => audit.count(entityId));
  }

  @Query(() => [AuditEventType], {
    deprecationReason: 'Use jointAuditTrailPage.',
    description: 'The audit trail (R29), optionally of one plan or task; auditors and hub admins.',
  })
  async jointAuditTrail(
    @Arg('entityId', () => String, { nullable: true }) entityId: string | null,
    @Arg('afterSeq', () => Int, { defaultValue: 0 }) afterSeq: number,
    @Arg('first', () => Int, { defaultValue: 500 }) first: number,
    @Ctx() ctx: JointContext,
  ) {
    assertAuditReader(ctx.identity, 'read the audit trail');
    // A page beyond the largest is cut to it (as this field always did); a negative one is refused.
    const size = pageSize(Math.min(first, 5000), 5000);
    pageOffset(afterSeq, 'afterSeq');
    return new AuditService(ctx.joint).entriesAfter(afterSeq, size, entityId);
  }

  @Query(() => AuditChainCheckType, { description: 'Re-computes the whole hash chain of the audit trail (R29).' })
  async jointVerifyAuditTrail(@Ctx() ctx: JointContext) {
    assertAuditReader(ctx.identity, 'verify the audit trail');
    return new AuditService(ctx.joint).verifyChain();
  }
}
