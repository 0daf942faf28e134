import { CHECKLIST_TEXT_CAPS } from '../../subgraphs/department-kernel/contract/inputs';
import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';

const ITEM = {
  title: '涉税专业服务机构执业情况检查',
  content: '检查涉税专业服务机构是否按规定报送业务信息、执业是否规范。',
  basis: '《中华人民共和国税收征收管理法》第五十四条',
  inspectingBody: '区税务局',
  targetKinds: ['ENTERPRISE'],
  method: 'ON_SITE',
  category: 'GENERAL',
  ratioCapPercent: 5,
  frequency: '每年不少于1次',
  domain: '涉税专业服务',
  industries: ['L'],
};

const ADD =
  `mutation Add($code: String!, $input: ChecklistItemInput!) { taxAddChecklistItem(code: $code, input: $input) ` +
  `{ code version status ratioCapPercent } }`;
const REVISE = `mutation Revise($code: String!, $input: ChecklistItemInput!, $reason: String!) {
  taxReviseChecklistItem(code: $code, input: $input, reason: $reason) { code version status basis changeReason } }`;
const FIELDS =
  'code version title content basis inspectingBody targetKinds method category ratioCapPercent frequency ' +
  'domain industries status validFrom validUntil changeReason closeReason';
const HISTORY = `{ tax { checklist(includeHistory: true) { ${FIELDS} } } }`;
type Version = {
  code: string;
  version: number;
  status: string;
  validFrom: string;
  validUntil: string | null;
  basis: string;
  changeReason: string | null;
  closeReason: string | null;
};

async function versions(hub: TestHub, code: string) {
  const r = await hub.query<{ tax: { checklist: Version[] } }>(HISTORY);
  return r.data!.tax.checklist.filter((i) => i.code === code);
}

describeWithHub('checklists: valid items only, versioned, never edited', (hub) => {
  let admin: string;
  beforeAll(async () => {
    admin = await hub().token(Role.DEPT_ADMIN, 'tax');
  });

  it(
    'R2: a GENERAL item with a 100% ratio cap is refused, ' + 'naming the field and the rule, and nothing is written',
    async () => {
      const before = (await hub().query<{ tax: { checklist: unknown[] } }>(HISTORY)).data!.tax.checklist.length;
      const error = onlyError(
        await hub().query(ADD, {
          variables: { code: 'TAX-90', input: { ...ITEM, ratioCapPercent: 100 } },
          token: admin,
        }),
      );
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.extensions).toMatchObject({ field: 'input.ratioCapPercent', rule: 'R2' });
      expect(error.message).toMatch(/GENERAL.*below 100%/);
      expect((await hub().query<{ tax: { checklist: unknown[] } }>(HISTORY)).data!.tax.checklist.length).toBe(before);
    },
  );

  it('R2: a GENERAL item needs a cap, and a KEY item may not have one', async () => {
    const noCap = onlyError(
      await hub().query(ADD, {
        variables: { code: 'TAX-91', input: { ...ITEM, ratioCapPercent: null } },
        token: admin,
      }),
    );
    expect(noCap.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R2' });
    const keyWithCap = onlyError(
      await hub().query(ADD, {
        variables: { code: 'TAX-92', input: { ...ITEM, category: 'KEY', ratioCapPercent: 10 } },
        token: admin,
      }),
    );
    expect(keyWithCap.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.ratioCapPercent', rule: 'R2' });
    expect(await versions(hub(), 'TAX-91')).toEqual([]);
    expect(await versions(hub(), 'TAX-92')).toEqual([]);
  });

  it('R1: an item without its legal basis or target kinds is refused', async () => {
    const noBasis = onlyError(
      await hub().query(ADD, { variables: { code: 'TAX-93', input: { ...ITEM, basis: '  ' } }, token: admin }),
    );
    expect(noBasis.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.basis', rule: 'R1' });
    const noKinds = onlyError(
      await hub().query(ADD, { variables: { code: 'TAX-93', input: { ...ITEM, targetKinds: [] } }, token: admin }),
    );
    expect(noKinds.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.targetKinds', rule: 'R1' });
    expect(await versions(hub(), 'TAX-93')).toEqual([]);
  });

  it('R5: a change makes a new version; the old one stays readable, closed, and otherwise unchanged', async () => {
    const added = await hub().query(ADD, { variables: { code: 'TAX-94', input: ITEM }, token: admin });
    expect(added.errors).toBeUndefined();
    expect(added.data).toEqual({
      taxAddChecklistItem: { code: 'TAX-94', version: 1, status: 'CURRENT', ratioCapPercent: 5 },
    });
    const [v1Before] = await versions(hub(), 'TAX-94');

    const newBasis = '《中华人民共和国税收征收管理法》第五十四条；《涉税专业服务管理办法（试行）》';
    const revised = await hub().query(REVISE, {
      variables: { code: 'TAX-94', input: { ...ITEM, basis: newBasis }, reason: '新规施行' },
      token: admin,
    });
    expect(revised.errors).toBeUndefined();
    expect(revised.data).toEqual({
      taxReviseChecklistItem: {
        code: 'TAX-94',
        version: 2,
        status: 'CURRENT',
        basis: newBasis,
        changeReason: '新规施行',
      },
    });

    const [v1, v2] = await versions(hub(), 'TAX-94');
    // Version 1: only its closing is recorded; every field of its content is as it was.
    expect(v1).toEqual({ ...v1Before, status: 'SUPERSEDED', validUntil: v2!.validFrom, closeReason: '新规施行' });
    expect(v2).toMatchObject({
      version: 2,
      status: 'CURRENT',
      basis: newBasis,
      changeReason: '新规施行',
      closeReason: null,
      validUntil: null,
    });
    const v1Read = await hub().query<{ tax: { checklistItem: { version: number; basis: string } } }>(
      '{ tax { checklistItem(code: "TAX-94", version: 1) { version basis } } }',
    );
    expect(v1Read.data!.tax.checklistItem).toEqual({ version: 1, basis: ITEM.basis });
    const current = await hub().query<{ tax: { checklist: Array<{ code: string; version: number }> } }>(
      '{ tax { checklist { code version } } }',
    );
    expect(current.data!.tax.checklist.filter((i) => i.code === 'TAX-94')).toEqual([{ code: 'TAX-94', version: 2 }]);
  });

  it('R5: what a mutation answers is what is stored (to the millisecond, on every database)', async () => {
    const added = await hub().query<{ taxAddChecklistItem: Version }>(
      `mutation($input: ChecklistItemInput!) { taxAddChecklistItem(code: "TAX-97", input: $input) { ${FIELDS} } }`,
      {
        variables: { input: ITEM },
        token: admin,
      },
    );
    expect(added.errors).toBeUndefined();
    expect(await versions(hub(), 'TAX-97')).toEqual([added.data!.taxAddChecklistItem]);
    expect(added.data!.taxAddChecklistItem.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it(
    'R1: a text longer than its cap is refused on every database, naming the field and the cap; a published ' +
      "item's long texts fit",
    async () => {
      const error = onlyError(
        await hub().query(ADD, {
          variables: { code: 'TAX-98', input: { ...ITEM, title: '长'.repeat(CHECKLIST_TEXT_CAPS.title + 1) } },
          token: admin,
        }),
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
      expect(error.message).toBe(
        `input.title is ${CHECKLIST_TEXT_CAPS.title + 1} characters long; at most ${CHECKLIST_TEXT_CAPS.title} fit.`,
      );
      expect(await versions(hub(), 'TAX-98')).toEqual([]);
      // A province publishes titles of 1,300 characters and domains of 68; every text at its cap is taken and read back
      // whole.
      const atCaps = Object.fromEntries(
        Object.entries(CHECKLIST_TEXT_CAPS).map(([field, cap]) => [field, '长'.repeat(cap)]),
      );
      expect(
        (await hub().query(ADD, { variables: { code: 'TAX-98', input: { ...ITEM, ...atCaps } }, token: admin })).errors,
      ).toBeUndefined();
      expect(await versions(hub(), 'TAX-98')).toEqual([expect.objectContaining(atCaps)]);
    },
  );

  it('R5: adding an existing code is a CONFLICT, and a revision needs a reason', async () => {
    const again = onlyError(await hub().query(ADD, { variables: { code: 'TAX-94', input: ITEM }, token: admin }));
    expect(again.code).toBe('CONFLICT');
    const noReason = onlyError(
      await hub().query(REVISE, { variables: { code: 'TAX-94', input: ITEM, reason: ' ' }, token: admin }),
    );
    expect(noReason.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason', rule: 'R5' });
    expect((await versions(hub(), 'TAX-94')).length).toBe(2);
  });

  it(
    'R5: revisions sent at once never fork or lose a version: one CURRENT, contiguous versions, each refusal a ' +
      'CONFLICT',
    async () => {
      await hub().query(ADD, { variables: { code: 'TAX-95', input: ITEM }, token: admin });
      const results = await Promise.all(
        ['甲', '乙', '丙'].map((who) =>
          hub().query(REVISE, {
            variables: { code: 'TAX-95', input: { ...ITEM, title: `${ITEM.title}${who}` }, reason: `修订${who}` },
            token: admin,
          }),
        ),
      );
      const ok = results.filter((r) => !r.errors);
      expect(ok.length).toBeGreaterThanOrEqual(1);
      for (const r of results.filter((x) => x.errors)) expect(r.errors![0]!.extensions!.code).toBe('CONFLICT');
      const history = await versions(hub(), 'TAX-95');
      expect(history.filter((v) => v.status === 'CURRENT')).toHaveLength(1);
      expect(history.map((v) => v.version)).toEqual(Array.from({ length: history.length }, (_, i) => i + 1));
      expect(history.length).toBe(1 + ok.length);
    },
  );

  it('R5: a repealed item leaves the checklist in force but stays readable', async () => {
    await hub().query(ADD, { variables: { code: 'TAX-96', input: ITEM }, token: admin });
    await hub().query(REVISE, { variables: { code: 'TAX-96', input: ITEM, reason: '修订' }, token: admin });
    const repealed = await hub().query<{ taxRepealChecklistItem: { version: number; status: string } }>(
      'mutation { taxRepealChecklistItem(code: "TAX-96", reason: "依据废止") { version status } }',
      {
        token: admin,
      },
    );
    expect(repealed.data).toEqual({ taxRepealChecklistItem: { version: 2, status: 'REPEALED' } });
    const current = await hub().query<{ tax: { checklist: Array<{ code: string }> } }>(
      '{ tax { checklist { code } } }',
    );
    expect(current.data!.tax.checklist.map((i) => i.code)).not.toContain('TAX-96');
    // The repeal closes the last version with its own reason; why each version was made is kept.
    expect((await versions(hub(), 'TAX-96')).map((v) => [v.version, v.status, v.changeReason, v.closeReason])).toEqual([
      [1, 'SUPERSEDED', null, '修订'],
      [2, 'REPEALED', '修订', '依据废止'],
    ]);
    const again = onlyError(
      await hub().query('mutation { taxRepealChecklistItem(code: "TAX-96", reason: "再次") { status } }', {
        token: admin,
      }),
    );
    expect(again.code).toBe('NOT_FOUND');
  });
});
