import { insertRows, updateRows } from '../../kernel/rows';
import { auditHash } from '../../subgraphs/joint/audit/audit-trail';
import { AuditEventRow, AuditHeadRow } from '../../subgraphs/joint/audit/entities';
import { Role } from '../../kernel/identity';
import { describeWithHub, type TestHub } from '../support/hub';
import { createPlan, jointPlanInput, publishPlan } from './fixtures';

interface Check {
  ok: boolean;
  entries: number;
  brokenAt: number | null;
}

async function verify(hub: TestHub): Promise<Check> {
  const r = await hub.query<{ jointVerifyAuditTrail: Check }>('{ jointVerifyAuditTrail { ok entries brokenAt } }', {
    token: await hub.token(Role.AUDITOR),
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointVerifyAuditTrail;
}

describeWithHub('the audit trail is hash-chained (R29)', (hub) => {
  let entries: number;
  const rows = () => hub().joint.database.dataSource.getRepository(AuditEventRow);

  beforeAll(async () => {
    // Three plans created and published: six entries.
    for (let i = 0; i < 3; i++) {
      const created = await createPlan(hub(), jointPlanInput({ name: `2026年度联合抽查计划（审计链测试 ${i + 1}）` }));
      if (created.errors) throw new Error(JSON.stringify(created.errors));
      const published = await publishPlan(hub(), created.data!.jointCreatePlan.id);
      if ((published as { errors?: unknown }).errors)
        throw new Error(JSON.stringify((published as { errors?: unknown }).errors));
    }
    const check = await verify(hub());
    expect(check).toMatchObject({ ok: true, brokenAt: null });
    entries = check.entries;
    expect(entries).toBeGreaterThanOrEqual(6);
  });

  it('R29: each entry holds the hash of the one before; the verify query re-computes the chain', async () => {
    const all = await rows().find({ order: { seq: 'ASC' } });
    expect(all[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    for (const [i, row] of all.entries())
      expect(row.hash).toBe(auditHash(i === 0 ? '0'.repeat(64) : all[i - 1]!.hash, row));
  });

  it('R29: a row edited in the database is found: the verify query names the first broken entry', async () => {
    const target = await rows().findOneByOrFail({ seq: 3 });
    const original = target.details;
    await rows().update({ seq: 3 }, { details: { ...(target.details as object), note: 'changed afterwards' } });
    try {
      expect(await verify(hub())).toEqual({ ok: false, entries: 2, brokenAt: 3 });
    } finally {
      await updateRows(rows().manager, AuditEventRow, { seq: 3 }, { details: original });
    }
    expect(await verify(hub())).toEqual({ ok: true, entries, brokenAt: null });
  });

  it(
    'R29: an edit whose hash was re-computed breaks the link to the next entry; a removed last entry is found ' +
      'by the head',
    async () => {
      const target = await rows().findOneByOrFail({ seq: 2 });
      const before = await rows().findOneByOrFail({ seq: 1 });
      const forged = { ...target, actor: 'someone-else' };
      await rows().update({ seq: 2 }, { actor: forged.actor, hash: auditHash(before.hash, forged) });
      try {
        expect(await verify(hub())).toEqual({ ok: false, entries: 2, brokenAt: 3 });
      } finally {
        await rows().update({ seq: 2 }, { actor: target.actor, hash: target.hash });
      }
      const last = await rows().findOneByOrFail({ seq: entries });
      await rows().delete({ seq: entries });
      try {
        expect(await verify(hub())).toEqual({ ok: false, entries: entries - 1, brokenAt: entries });
      } finally {
        await insertRows(rows().manager, AuditEventRow, last);
      }
      expect(await verify(hub())).toEqual({ ok: true, entries, brokenAt: null });
      const head = await hub().joint.database.dataSource.getRepository(AuditHeadRow).findOneByOrFail({ id: 1 });
      expect(head.seq).toBe(entries);
    },
  );
});
