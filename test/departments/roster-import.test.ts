import { Role } from '../../kernel/identity';
import { usccCheckCharacter } from '../../kernel/uscc';
import { describeWithHub, onlyError, postGraphQL } from '../support/hub';

const IMPORT = 'mutation($targets: [RosterTargetInput!]!) { fireImportTargets(targets: $targets) }';
const COUNT = '{ fire { targets(first: 1) { totalCount } } }';
const row = (uscc: string, extra: Record<string, unknown> = {}) => ({
  kind: 'ENTERPRISE',
  uscc,
  name: '上海测试商贸有限公司',
  regionCode: '310115',
  industryCode: 'F52',
  creditLevel: 'B',
  riskLevel: 'GENERAL',
  ...extra,
});

describeWithHub('roster import validates every USCC and row before writing (R6)', (hub) => {
  let admin: string;
  let count: () => Promise<number>;
  beforeAll(async () => {
    admin = await hub().token(Role.DEPT_ADMIN, 'fire');
    count = async () =>
      (await hub().query<{ fire: { targets: { totalCount: number } } }>(COUNT, { token: admin })).data!.fire.targets
        .totalCount;
  });

  it(
    'R6: one row with a wrong check character rejects the ' + 'batch, naming the row and field; nothing is written',
    async () => {
      const before = await count();
      // Huawei's published code, and the standard's example with its last character changed.
      const error = onlyError(
        await hub().query(IMPORT, {
          variables: { targets: [row('914403001922038216'), row('91350100M000100Y44')] },
          token: admin,
        }),
      );
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.extensions.field).toBe('targets[1].uscc');
      expect(error.message).toMatch(/targets\[1\]\.uscc.*check character/);
      expect(await count()).toBe(before);
    },
  );

  it('R6: valid rows are stored, and importing them again updates instead of duplicating', async () => {
    const before = await count();
    const first = await hub().query(IMPORT, {
      variables: { targets: [row('914403001922038216'), row('91350100m000100y43')] },
      token: admin,
    });
    expect(first).toEqual({ data: { fireImportTargets: 2 } });
    expect(await count()).toBe(before + 2);
    const again = await hub().query(IMPORT, {
      variables: { targets: [row('914403001922038216', { riskLevel: 'HIGH' })] },
      token: admin,
    });
    expect(again.errors).toBeUndefined();
    expect(await count()).toBe(before + 2);
    const stored = await hub().query<{ fire: { target: { riskLevel: string; uscc: string } } }>(
      '{ fire { target(id: "914403001922038216") { uscc riskLevel } } }',
      { token: admin },
    );
    expect(stored.data!.fire.target).toEqual({ uscc: '914403001922038216', riskLevel: 'HIGH' });
  });

  it('R6: a project is a target of its own, keyed by its id with the responsible entity USCC', async () => {
    const noId = onlyError(
      await hub().query(IMPORT, {
        variables: { targets: [row('914403001922038216', { kind: 'PROJECT' })] },
        token: admin,
      }),
    );
    expect(noId.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'targets[0].id', rule: 'R6' });
    const ok = await hub().query(IMPORT, {
      variables: {
        targets: [row('914403001922038216', { kind: 'PROJECT', id: 'P-2026-0001', name: '某商场改造工程' })],
      },
      token: admin,
    });
    expect(ok.errors).toBeUndefined();
    const stored = await hub().query<{ fire: { target: { kind: string; uscc: string } } }>(
      '{ fire { target(id: "P-2026-0001") { kind uscc } } }',
      { token: admin },
    );
    expect(stored.data!.fire.target).toEqual({ kind: 'PROJECT', uscc: '914403001922038216' });
  });

  it('R6: ids differing only in case are two targets on every database; an over-long name is refused', async () => {
    const before = await count();
    const project = (id: string) => row('914403001922038216', { kind: 'PROJECT', id, name: `工程${id}` });
    const stored = await hub().query(IMPORT, {
      variables: { targets: [project('P-abc'), project('P-ABC')] },
      token: admin,
    });
    expect(stored.errors).toBeUndefined();
    expect(await count()).toBe(before + 2);
    const both = await hub().query<{ fire: { a: { name: string }; b: { name: string } } }>(
      '{ fire { a: target(id: "P-abc") { name } b: target(id: "P-ABC") { name } } }',
      { token: admin },
    );
    expect(both.data!.fire).toEqual({ a: { name: '工程P-abc' }, b: { name: '工程P-ABC' } });
    const long = onlyError(
      await hub().query(IMPORT, {
        variables: { targets: [row('91350100M000100Y43', { name: '名'.repeat(201) })] },
        token: admin,
      }),
    );
    expect(long.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'targets[0].name' });
    expect(await count()).toBe(before + 2);
  });

  it('a bad USCC is refused wherever it enters: the market queries name the argument', async () => {
    const single = onlyError(await hub().query('{ marketEntity(uscc: "91350100M000100Y4") { name } }'));
    expect(single.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'uscc' });
    const list = onlyError(
      await hub().query('{ marketEntities(usccs: ["914403001922038216", "9144030019220382I6"]) { name } }'),
    );
    expect(list.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'usccs[1]' });
    // Entity references sent straight to a subgraph are checked too.
    const taxUrl = hub().departments.find((d) => d.name === 'tax')!.url;
    const token = await hub().tokenFor('tax', Role.AUDITOR);
    const reference = await postGraphQL<{ _entities: Array<{ tax: { onRoster: boolean } } | null> }>(
      taxUrl,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { tax { onRoster } } } }',
      {
        r: [
          { __typename: 'MarketEntity', uscc: '914403001922038216' },
          { __typename: 'MarketEntity', uscc: '914403001922038217' },
        ],
      },
      token,
    );
    expect(reference.data!._entities[0]).toEqual({ tax: { onRoster: false } }); // valid, not on the tax demo roster
    expect(reference.data!._entities[1]).toBeNull();
    expect(reference.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'representations.uscc' });
  });

  describe("I: the workspace's CSV import (<code>ImportCsv), a report row by row (R6)", () => {
    const CSV_IMPORT =
      'mutation($kind: String!, $csv: String!, $lineOffset: Int! = 0) { fireImportCsv(kind: $kind, csv: ' +
      '$csv, lineOffset: $lineOffset) { kind read imported unchanged rejectedCount rejected { line key { ' +
      'column value } reason } } }';
    const header =
      'kind,uscc,name,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints';
    const good = (uscc: string) => `ENTERPRISE,${uscc},"上海测试商贸有限公司, 浦东",310115,F52,B,GENERAL,0,0`;

    it(
      'R6: good rows are stored, a bad one is reported with its line in the whole file, its key and the ' +
        'reason, and does not stop the others',
      async () => {
        const before = await count();
        // A part of a larger file: its first row is line 101 of the file (lineOffset 99).
        const fresh = (n: number) =>
          `913101157${String(n).padStart(8, '0')}` + usccCheckCharacter(`913101157${String(n).padStart(8, '0')}`);
        const csv = [
          header,
          good(fresh(7001)),
          'ENTERPRISE,91350100M000100Y44,坏的代码,310115,F52,B,GENERAL,0,0',
          good(fresh(7002)),
        ].join('\n');
        const answer = await hub().query<{
          fireImportCsv: {
            read: number;
            imported: number;
            rejectedCount: number;
            rejected: Array<{ line: number; key: Array<{ column: string; value: string }>; reason: string }>;
          };
        }>(CSV_IMPORT, {
          variables: { kind: 'targets', csv, lineOffset: 99 },
          token: admin,
        });
        expect(answer.errors).toBeUndefined();
        const report = answer.data!.fireImportCsv;
        const stored = (await count()) - before;
        expect(stored).toBe(2);
        expect(report.read).toBe(3);
        expect(report.imported).toBe(stored);
        expect(report.rejectedCount).toBe(1);
        expect(report.rejected).toHaveLength(1);
        const wrong = report.rejected.find((r) => r.key.some((k) => k.value === '91350100M000100Y44'))!;
        expect(wrong.line).toBe(102);
        expect(wrong.key).toEqual([
          { column: 'id', value: '' },
          { column: 'uscc', value: '91350100M000100Y44' },
          { column: 'name', value: '坏的代码' },
        ]);
        expect(wrong.reason).toMatch(/check character/);
      },
    );

    it('R6: the same part sent again stores nothing twice', async () => {
      const csv = [header, good('914403001922038216')].join('\n');
      await hub().query(CSV_IMPORT, { variables: { kind: 'targets', csv }, token: admin });
      const before = await count();
      const again = await hub().query<{ fireImportCsv: { imported: number } }>(CSV_IMPORT, {
        variables: { kind: 'targets', csv },
        token: admin,
      });
      expect(again.errors).toBeUndefined();
      expect(await count()).toBe(before);
    });

    it(
      'R6: a header that does not fit, an unknown kind or a part over the row limit is refused with ' +
        'BAD_USER_INPUT, nothing written',
      async () => {
        const before = await count();
        const header1 = onlyError(
          await hub().query(CSV_IMPORT, {
            variables: { kind: 'targets', csv: 'kind,name,colour\nENTERPRISE,x,red' },
            token: admin,
          }),
        );
        expect(header1).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'csv', rule: 'R6' } });
        expect(header1.message).toMatch(/missing regionCode.*unknown colour/);
        expect(
          onlyError(await hub().query(CSV_IMPORT, { variables: { kind: 'invoices', csv: header }, token: admin }))
            .message,
        ).toMatch(/kind 'invoices': one of targets, inspectors, checklist/);
        const many = [header, ...Array.from({ length: 2001 }, () => good('914403001922038216'))].join('\n');
        expect(
          onlyError(await hub().query(CSV_IMPORT, { variables: { kind: 'targets', csv: many }, token: admin })).message,
        ).toMatch(/at most 2000 rows a call, got 2001/);
        expect(await count()).toBe(before);
      },
    );

    it(
      'R6, R7: an inspectors file whose certificate number another inspector holds (stored, or an earlier row) ' +
        'rejects that row alone; the stored inspector is untouched',
      async () => {
        const INSPECTORS = '{ fire { inspectors(first: 1000) { nodes { id name certificateNo } } } }';
        const roster = async () =>
          (
            await hub().query<{
              fire: { inspectors: { nodes: Array<{ id: string; name: string; certificateNo: string }> } };
            }>(INSPECTORS, { token: admin })
          ).data!.fire.inspectors.nodes;
        const before = await roster();
        const held = before[0]!;
        const head = 'id,name,certificateNo,unit,position,domains,jurisdiction,qualified';
        const row = (id: string, cert: string) =>
          `${id},测试人员,${cert},上海市消防救援支队,科员,消防安全管理,3101,true`;
        const csv = [
          head,
          row('fire-csv-0001', 'CSV-CERT-0001'),
          row('fire-csv-0002', held.certificateNo),
          row('fire-csv-0003', 'CSV-CERT-0001'),
          row('fire-csv-0004', 'CSV-CERT-0004'),
        ].join('\n');
        const answer = await hub().query<{
          fireImportCsv: { imported: number; rejected: Array<{ line: number; reason: string }> };
        }>(CSV_IMPORT, { variables: { kind: 'inspectors', csv }, token: admin });
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.fireImportCsv.imported).toBe(2);
        expect(answer.data!.fireImportCsv.rejected.map((r) => r.line)).toEqual([3, 4]);
        expect(answer.data!.fireImportCsv.rejected[0]!.reason).toMatch(/held by another inspector already stored.*R7/);
        expect(answer.data!.fireImportCsv.rejected[1]!.reason).toMatch(/held by an earlier row of this file.*R7/);
        const after = await roster();
        expect(after.find((p) => p.id === held.id)).toEqual(held);
        expect(
          after
            .filter((p) => p.id.startsWith('fire-csv-'))
            .map((p) => p.id)
            .sort(),
        ).toEqual(['fire-csv-0001', 'fire-csv-0004']);
        expect(after.length).toBe(before.length + 2);
      },
    );

    it(
      'R6: lines are counted as in the file when a quoted ' + 'cell spans lines, with the offset of a later part',
      async () => {
        const csv = [
          header,
          good(`913101157${'7'.repeat(8)}` + usccCheckCharacter(`913101157${'7'.repeat(8)}`)).replace(
            '"上海测试商贸有限公司, 浦东"',
            '"上海测试商贸有限公司\n（两行的名称）"',
          ),
          'ENTERPRISE,91350100M000100Y44,坏的代码,310115,F52,B,GENERAL,0,0',
        ].join('\n');
        const answer = await hub().query<{ fireImportCsv: { rejected: Array<{ line: number }> } }>(CSV_IMPORT, {
          variables: { kind: 'targets', csv, lineOffset: 2000 },
          token: admin,
        });
        expect(answer.errors).toBeUndefined();
        // Header line 1, the two-line row lines 2-3, the bad row line 4: 2,004 in the whole file.
        expect(answer.data!.fireImportCsv.rejected.map((r) => r.line)).toEqual([2004]);
      },
    );

    it("R30: only the department's own admin imports; another department's admin is refused", async () => {
      const csv = [header, good('914403001922038216')].join('\n');
      const refused = onlyError(
        await hub().query(CSV_IMPORT, {
          variables: { kind: 'targets', csv },
          token: await hub().token(Role.DEPT_ADMIN, 'tax'),
        }),
      );
      expect(refused).toMatchObject({ code: 'FORBIDDEN', extensions: { rule: 'R30' } });
    });

    it(
      "I: the import is the hub's own departments': the contract does not ask it of outside departments, and a " +
        'department joined by a connector has none',
      async () => {
        const fs = await import('node:fs');
        const path = await import('node:path');
        const schemaDir = path.join(__dirname, '..', '..', 'schema');
        expect(fs.readFileSync(path.join(schemaDir, 'contract.graphql'), 'utf8')).not.toMatch(/ImportCsv/);
        expect(fs.readFileSync(path.join(schemaDir, 'health.graphql'), 'utf8')).not.toMatch(/ImportCsv/);
        expect(fs.readFileSync(path.join(schemaDir, 'fire.graphql'), 'utf8')).toMatch(/fireImportCsv\(/);
      },
    );
  });
});
