import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { MoreThan } from 'typeorm';
import { assertAuditReader } from './access';
import { auditHash, GENESIS_HASH } from './audit';
import type { JointContext } from './context';
import { AuditEventRow, AuditHeadRow } from './entities';

@ObjectType('AuditEvent', { description: 'One step in the audit trail (R29): who did what, when; chained to the step before by hash.' })
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

@ObjectType('AuditChainCheck', { description: 'Whether the audit trail is unbroken: every entry hashes to its stored hash and names the one before.' })
class AuditChainCheckType {
  @Field()
  ok!: boolean;
  @Field(() => Int)
  entries!: number;
  @Field(() => Int, { nullable: true, description: 'The first entry that does not fit, if any.' })
  brokenAt!: number | null;
}

@Resolver()
export class AuditResolver {
  @Query(() => [AuditEventType], { description: 'The audit trail (R29), optionally of one plan or task; auditors and hub admins.' })
  async jointAuditTrail(
    @Arg('entityId', () => String, { nullable: true }) entityId: string | null,
    @Arg('afterSeq', () => Int, { defaultValue: 0 }) afterSeq: number,
    @Arg('first', () => Int, { defaultValue: 500 }) first: number,
    @Ctx() ctx: JointContext,
  ) {
    assertAuditReader(ctx.identity, 'read the audit trail');
    return ctx.joint.dataSource.manager.find(AuditEventRow, {
      where: { seq: MoreThan(afterSeq), ...(entityId ? { entityId } : {}) },
      order: { seq: 'ASC' },
      take: Math.min(Math.max(first, 1), 5000),
    });
  }

  @Query(() => AuditChainCheckType, { description: 'Re-computes the whole hash chain of the audit trail (R29).' })
  async jointVerifyAuditTrail(@Ctx() ctx: JointContext) {
    assertAuditReader(ctx.identity, 'verify the audit trail');
    let prev = GENESIS_HASH;
    let seq = 0;
    for (;;) {
      const rows = await ctx.joint.dataSource.manager.find(AuditEventRow, { where: { seq: MoreThan(seq) }, order: { seq: 'ASC' }, take: 5000 });
      if (rows.length === 0) {
        // The head row holds the last entry's number and hash: entries cut off the end are found too.
        const head = await ctx.joint.dataSource.manager.findOneByOrFail(AuditHeadRow, { id: 1 });
        if (head.seq !== seq || head.hash !== prev) return { ok: false, entries: seq, brokenAt: seq + 1 };
        return { ok: true, entries: seq, brokenAt: null };
      }
      for (const row of rows) {
        if (row.seq !== seq + 1 || row.prevHash !== prev || auditHash(prev, row) !== row.hash) return { ok: false, entries: seq, brokenAt: row.seq };
        prev = row.hash;
        seq = row.seq;
      }
    }
  }
}
