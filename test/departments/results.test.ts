import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';

const RECORD =
  'mutation($input: [ResultInput!]!) { taxRecordResults(input: $input) { idempotencyKey resultId created } }';
const RESULTS =
  '{ tax { results(first: 1000) { id idempotencyKey status outcome notes confidentialNotes correctsId } } }';

interface Receipt {
  idempotencyKey: string;
  resultId: string;
  created: boolean;
}
interface Result {
  id: string;
  status: string;
  outcome: string;
  notes: string | null;
  confidentialNotes: string | null;
  correctsId: string | null;
}

const result = (key: string, extra: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  taskId: 'task-1',
  targetKey: '914403001922038216',
  uscc: '914403001922038216',
  itemCode: 'TAX-08',
  itemVersion: 1,
  outcome: 'NO_PROBLEM',
  method: 'ON_SITE',
  notes: '发票领用存情况正常',
  confidentialNotes: '举报人：王某，电话 13900000000',
  evidence: ['photo-001'],
  inspectors: ['310115SW201900001', '310115SW202000002'],
  inspectedOn: '2026-03-10',
  ...extra,
});

async function write(hub: TestHub, input: unknown[], role: Role = Role.SERVICE, dept: string | null = null) {
  return hub.query<{ taxRecordResults: Receipt[] }>(RECORD, {
    variables: { input },
    token: await hub.token(role, dept, 'joint'),
  });
}
async function all(hub: TestHub): Promise<Result[]> {
  return (await hub.query<{ tax: { results: Result[] } }>(RESULTS, { token: await hub.token(Role.DEPT_ADMIN, 'tax') }))
    .data!.tax.results;
}

describeWithHub(
  'results written back to the department that owns them',
  (hub) => {
    it(
      'R24: the joint service writes results back once: a ' + 'retry with the same key answers the same record',
      async () => {
        const first = await write(hub(), [result('sub-1:tax:TAX-08')]);
        expect(first.errors).toBeUndefined();
        expect(first.data!.taxRecordResults[0]).toMatchObject({ idempotencyKey: 'sub-1:tax:TAX-08', created: true });
        const retry = await write(hub(), [result('sub-1:tax:TAX-08')]);
        expect(retry.data!.taxRecordResults[0]).toEqual({ ...first.data!.taxRecordResults[0], created: false });
        expect((await all(hub())).filter((r) => r.id === first.data!.taxRecordResults[0]!.resultId)).toHaveLength(1);
      },
    );

    it(
      "R24: the same key for other content, another department's item, or an unknown outcome is refused, and " +
        'nothing of the batch is written',
      async () => {
        const before = (await all(hub())).length;
        const changed = onlyError(
          await write(hub(), [
            result('sub-2:tax:TAX-01', { itemCode: 'TAX-01' }),
            result('sub-1:tax:TAX-08', { outcome: 'FOLLOW_UP_PENDING' }),
          ]),
        );
        expect(changed.code).toBe('CONFLICT');
        const foreign = onlyError(await write(hub(), [result('sub-3:tax:MKT-09', { itemCode: 'MKT-09' })]));
        expect(foreign.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R24', field: 'input[0].itemCode' });
        const outcome = onlyError(await write(hub(), [result('sub-4:tax:TAX-08', { outcome: 'LOOKS_FINE' })]));
        expect(outcome.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].outcome' });
        const uscc = onlyError(await write(hub(), [result('sub-5:tax:TAX-08', { uscc: '914403001922038217' })]));
        expect(uscc.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].uscc' });
        expect((await all(hub())).length).toBe(before);
      },
    );

    it(
      'R23: each result records the method used: on-site, ' + 'written, online monitoring or third party; no other',
      async () => {
        const methods = ['ON_SITE', 'WRITTEN', 'ONLINE_MONITORING', 'THIRD_PARTY'];
        const receipts = (
          await write(
            hub(),
            methods.map((method, i) =>
              result(`sub-12:${i}`, { method, itemCode: i % 2 ? 'TAX-01' : 'TAX-08', targetKey: `P-sub12-${i}` }),
            ),
          )
        ).data!.taxRecordResults;
        const rows = (
          await hub().query<{ tax: { results: Array<{ id: string; method: string }> } }>(
            '{ tax { results(first: 1000) { id method } } }',
            { token: await hub().token(Role.DEPT_ADMIN, 'tax') },
          )
        ).data!.tax.results;
        expect(receipts.map((r) => rows.find((x) => x.id === r.resultId)!.method)).toEqual(methods);
        const other = await write(hub(), [result('sub-12:x', { method: 'BY_PHONE' })]);
        expect(other.errors![0]!.message).toMatch(/BY_PHONE/);
      },
    );

    it("R24, R30: only the hub's service identity writes results back", async () => {
      for (const [role, dept] of [
        [Role.DEPT_ADMIN, 'tax'],
        [Role.INSPECTOR, 'tax'],
        [Role.HUB_ADMIN, null],
      ] as const) {
        expect(onlyError(await write(hub(), [result(`x-${role}`)], role, dept)).code).toBe('FORBIDDEN');
      }
    });

    it(
      'R26: being unreachable or a serious refusal is a result of the dictionary, and a refusal is a ' +
        'dishonesty record (R27)',
      async () => {
        const dictionary = await hub().query<{
          tax: { outcomes: Array<{ code: string; label: string; dishonesty: boolean }> };
        }>('{ tax { outcomes { code label dishonesty } } }');
        const byCode = Object.fromEntries(dictionary.data!.tax.outcomes.map((o) => [o.code, o]));
        expect(byCode.UNREACHABLE).toMatchObject({ label: '通过登记的住所（经营场所）无法联系', dishonesty: false });
        expect(byCode.REFUSED_SERIOUS).toMatchObject({ label: '不配合检查情节严重', dishonesty: true });
        expect(dictionary.data!.tax.outcomes).toHaveLength(9);
        const stored = await write(hub(), [
          result('sub-6:tax:TAX-08', {
            outcome: 'UNREACHABLE',
            targetKey: '91350100M000100Y43',
            uscc: '91350100M000100Y43',
          }),
        ]);
        expect(stored.errors).toBeUndefined();
      },
    );

    it(
      'R25, R28: the department approves and publishes; the public reads published results without ' +
        'confidential notes; a correction is a new record signed by the principal head',
      async () => {
        const receipt = (
          await write(hub(), [
            result('sub-7:tax:TAX-08', { targetKey: '91110108551385082Q', uscc: '91110108551385082Q' }),
          ])
        ).data!.taxRecordResults[0]!;
        const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const publishEarly = onlyError(
          await hub().query(`mutation { taxPublishResults(ids: ["${receipt.resultId}"]) { id } }`, { token: admin }),
        );
        expect(publishEarly.code).toBe('CONFLICT');
        expect(
          (
            await hub().query(`mutation { taxApproveResults(ids: ["${receipt.resultId}"]) { status } }`, {
              token: admin,
            })
          ).data,
        ).toEqual({ taxApproveResults: [{ status: 'APPROVED' }] });
        expect(
          (
            await hub().query(`mutation { taxPublishResults(ids: ["${receipt.resultId}"]) { status } }`, {
              token: admin,
            })
          ).data,
        ).toEqual({ taxPublishResults: [{ status: 'PUBLISHED' }] });

        const published = await hub().query<{ tax: { publishedResults: Result[] } }>(
          '{ tax { publishedResults(uscc: "91110108551385082Q") { id status notes confidentialNotes correctsId } } }',
        );
        expect(published.data!.tax.publishedResults).toEqual([
          {
            id: receipt.resultId,
            status: 'PUBLISHED',
            notes: '发票领用存情况正常',
            confidentialNotes: null,
            correctsId: null,
          },
        ]);
        const staff = (await all(hub())).find((r) => r.id === receipt.resultId)!;
        expect(staff.confidentialNotes).toContain('举报人');

        const byAdmin = await hub().query(
          `mutation { taxCorrectResult(id: "${receipt.resultId}", outcome: "CORRECTED_ON_ORDER", reason: "x") { id } }`,
          { token: admin },
        );
        expect(onlyError(byAdmin).code).toBe('FORBIDDEN');
        const principal = await hub().token(Role.PRINCIPAL_HEAD, 'tax');
        const corrected = await hub().query<{ taxCorrectResult: Result }>(
          `mutation { taxCorrectResult(id: "${receipt.resultId}", outcome: "CORRECTED_ON_ORDER", notes: ` +
            `"复核发现问题，已责令改正", reason: "原结果录入错误，经复核更正") { id status outcome correctsId } }`,
          { token: principal },
        );
        expect(corrected.data!.taxCorrectResult).toMatchObject({
          status: 'PUBLISHED',
          outcome: 'CORRECTED_ON_ORDER',
          correctsId: receipt.resultId,
        });
        const both = await hub().query<{ tax: { publishedResults: Result[] } }>(
          '{ tax { publishedResults(uscc: "91110108551385082Q") { id outcome correctsId } } }',
        );
        expect(both.data!.tax.publishedResults.map((r) => [r.outcome, r.correctsId]).sort()).toEqual(
          [
            ['CORRECTED_ON_ORDER', receipt.resultId],
            ['NO_PROBLEM', null],
          ].sort(),
        );
        const unpublished = (await write(hub(), [result('sub-8:tax:TAX-08')])).data!.taxRecordResults[0]!;
        expect(
          onlyError(
            await hub().query(
              `mutation { taxCorrectResult(id: "${unpublished.resultId}", outcome: "NO_PROBLEM", reason: "x") { id } }`,
              { token: principal },
            ),
          ).extensions,
        ).toMatchObject({ code: 'CONFLICT', rule: 'R28' });
      },
    );

    it(
      "R27, R28: a penalty or a failed statutory check makes a dishonesty record; a correction's outcome " +
        'decides whether it stays one',
      async () => {
        const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const principal = await hub().token(Role.PRINCIPAL_HEAD, 'tax');
        const flagged = (
          await write(hub(), [
            result('sub-11:tax:TAX-08', { statutoryCheckFailed: true }),
            result('sub-11:tax:TAX-01', { itemCode: 'TAX-01', outcome: 'REFUSED_SERIOUS' }),
          ])
        ).data!.taxRecordResults;
        const rows = (
          await hub().query<{ tax: { results: Array<{ id: string; dishonesty: boolean }> } }>(
            '{ tax { results(first: 1000) { id dishonesty } } }',
            { token: admin },
          )
        ).data!.tax.results;
        expect(flagged.map((f) => rows.find((r) => r.id === f.resultId)!.dishonesty)).toEqual([true, true]);
        const refusal = flagged[1]!.resultId;
        await hub().query(`mutation { taxApproveResults(ids: ["${refusal}"]) { id } }`, { token: admin });
        await hub().query(`mutation { taxPublishResults(ids: ["${refusal}"]) { id } }`, { token: admin });
        const corrected = await hub().query<{ taxCorrectResult: { dishonesty: boolean; outcome: string } }>(
          `mutation { taxCorrectResult(id: "${refusal}", outcome: "NO_PROBLEM", reason: "经复核，当事人已配合检查") { ` +
            `dishonesty outcome } }`,
          { token: principal },
        );
        expect(corrected.data!.taxCorrectResult).toEqual({ dishonesty: false, outcome: 'NO_PROBLEM' });
      },
    );

    it('the outcome dictionary is versioned and each department may extend it', async () => {
      const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
      const define = (label: string) =>
        hub().query<{ taxDefineOutcome: { code: string; version: number } }>(
          `mutation { taxDefineOutcome(code: "INVOICE_IRREGULAR", label: "${label}") { code version } }`,
          { token: admin },
        );
      expect((await define('发现发票使用不规范')).data).toEqual({
        taxDefineOutcome: { code: 'INVOICE_IRREGULAR', version: 1 },
      });
      expect((await define('发现发票开具、使用不规范')).data).toEqual({
        taxDefineOutcome: { code: 'INVOICE_IRREGULAR', version: 2 },
      });
      const dictionary = await hub().query<{
        tax: { outcomes: Array<{ code: string; version: number; status: string }> };
      }>('{ tax { outcomes { code version status } } }');
      expect(dictionary.data!.tax.outcomes.filter((o) => o.code === 'INVOICE_IRREGULAR')).toEqual([
        { code: 'INVOICE_IRREGULAR', version: 1, status: 'SUPERSEDED' },
        { code: 'INVOICE_IRREGULAR', version: 2, status: 'CURRENT' },
      ]);
      expect(
        (await write(hub(), [result('sub-10:tax:TAX-08', { outcome: 'INVOICE_IRREGULAR' })])).errors,
      ).toBeUndefined();
      // Fire's dictionary is its own.
      expect(
        onlyError(
          await hub().query('mutation { fireDefineOutcome(code: "X_Y", label: "x") { code } }', { token: admin }),
        ).code,
      ).toBe('FORBIDDEN');
    });

    it('R24: two deliveries of the same results at once leave one record', async () => {
      const input = [result('sub-9:tax:TAX-08'), result('sub-9:tax:TAX-01', { itemCode: 'TAX-01' })];
      const answers = await Promise.all([write(hub(), input), write(hub(), input), write(hub(), input)]);
      expect(answers.some((a) => !a.errors)).toBe(true);
      for (const a of answers.filter((x) => x.errors)) expect(a.errors![0]!.extensions!.code).toBe('CONFLICT');
      const rows = (await all(hub())).filter((r) =>
        (r as unknown as { idempotencyKey: string }).idempotencyKey.startsWith('sub-9:'),
      );
      expect(rows).toHaveLength(2);
    });
  },
  100,
);
