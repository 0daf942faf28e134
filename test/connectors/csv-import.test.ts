import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { CsvHeaderError, importCsv, rejectReport } from '../../subgraphs/department-kernel/csv-import';
import { CHECKLIST_TEXT_CAPS } from '../../subgraphs/department-kernel/contract/inputs';
import { DepartmentRepository } from '../../subgraphs/department-kernel/repository';
import { openServiceDatabase, type ServiceDatabase } from '../../kernel/datasource';
import { ChecklistItemRow, InspectorRow, RosterTargetRow } from '../../subgraphs/department-kernel/entities';
import { usccCheckCharacter } from '../../kernel/uscc';
import { tax } from '../../subgraphs/tax';
import { testDatabases } from '../support/databases';

const uscc = (n: number) => {
  const first17 = `9131010${String(n).padStart(9, '0')}X`.slice(0, 17);
  return first17 + usccCheckCharacter(first17);
};
const csv = (lines: string[]) => Readable.from([lines.join('\n') + '\n']);

/** `npm run import` (issue E, R6): a CSV export with bad rows, imported into a department's own database. */
describe.each(testDatabases())('CSV import ($label)', (database) => {
  let db: ServiceDatabase;
  beforeAll(async () => {
    db = await openServiceDatabase(database.db, 'tax', { entities: tax.entities, migrations: tax.migrations });
  });
  afterAll(async () => {
    await db?.dataSource.destroy();
    await database.drop(['tax']);
  });

  it(
    'R6: valid target rows are stored, each bad row is reported with its line and reason, and a re-run stores ' +
      'nothing twice',
    async () => {
      const good = uscc(1);
      const badCheck = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
      const file = [
        'kind,uscc,name,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints',
        `ENTERPRISE,${good},上海甲有限公司,310104,C13,A,LOW,0,0`,
        `ENTERPRISE,${badCheck},上海乙有限公司,310104,C13,A,LOW,0,0`,
        `ENTERPRISE,${uscc(3)},上海丙有限公司,310104,C13,Z,LOW,0,0`,
        `ENTERPRISE,${uscc(4)},,310104,C13,A,LOW,0,0`,
        `ENTERPRISE,${uscc(5)},上海戊有限公司,3101,C13,A,LOW,0,0`,
        `ENTERPRISE,${uscc(6)},上海己有限公司,310104,C13,A,HIGH,-1,0`,
        `PROJECT,,某项目,310104,E47,B,GENERAL,0,0`,
        `ENTERPRISE,${uscc(8)},上海庚有限公司,310105,F52,B,ELEVATED,1,2`,
      ];
      const first = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'targets',
        input: csv(file),
        batchSize: 2,
      });
      expect(first).toMatchObject({ read: 8, imported: 2 });
      expect(first.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
      expect(first.rejected[0]!.reason).toMatch(/check character/);
      expect(first.rejected[1]!.reason).toMatch(/creditLevel 'Z' is not one of A, B, C, D/);
      expect(first.rejected[2]!.reason).toMatch(/name/);
      expect(first.rejected[3]!.reason).toMatch(/regionCode '3101'/);
      expect(first.rejected[4]!.reason).toMatch(/penaltiesLast3Years '-1' is not a whole number/);
      expect(first.rejected[5]!.reason).toMatch(/needs an id of its own/);
      // The report names each row by its key as far as it has one, so a person finds it.
      const report = rejectReport('targets', first.rejected);
      expect(report.split('\n')[0]).toBe('line,id,uscc,name,reason');
      expect(parseCsv(report, { columns: true }).slice(0, 2)).toEqual([
        { line: '3', id: '', uscc: badCheck, name: '上海乙有限公司', reason: first.rejected[0]!.reason },
        {
          line: '4',
          id: '',
          uscc: uscc(3),
          name: '上海丙有限公司',
          reason: "creditLevel 'Z' is not one of A, B, C, D",
        },
      ]);
      expect(first.rejected[2]!.key).toEqual({ id: '', uscc: uscc(4), name: '' });
      expect(first.rejected[5]!.key).toEqual({ id: '', uscc: '', name: '某项目' });
      const count = await db.dataSource.manager.count(RosterTargetRow);
      const again = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'targets',
        input: csv(file),
        batchSize: 2,
      });
      expect(again.imported).toBe(2);
      expect(await db.dataSource.manager.count(RosterTargetRow)).toBe(count);
      expect(await db.dataSource.manager.findOneByOrFail(RosterTargetRow, { id: uscc(8) })).toMatchObject({
        name: '上海庚有限公司',
        riskLevel: 'ELEVATED',
        verifiedComplaints: 2,
      });
    },
  );

  it(
    'inspectors: lists split on ;, booleans, certificate ' + 'numbers and phones checked; a re-run replaces by id',
    async () => {
      const file = [
        'id,name,certificateNo,unit,position,domains,jurisdiction,qualified,phone',
        'TX-001,王芳,31000020190001,上海市税务局,稽查员,发票管理;纳税申报,310104;310105,true,13900000001',
        'TX-002,李强,,上海市税务局,稽查员,发票管理,310104,true,',
        'TX-003,赵敏,31000020190003,上海市税务局,稽查员,,310104,true,',
        'TX-004,钱进,31000020190004,上海市税务局,稽查员,发票管理,310104,maybe,',
        'TX-005,孙丽,31000020190005,上海市税务局,稽查员,发票管理,310104,true,021-12345678 转 8001 或 8002',
      ];
      const report = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'inspectors',
        input: csv(file),
      });
      expect(report).toMatchObject({ read: 5, imported: 1 });
      expect(parseCsv(rejectReport('inspectors', report.rejected), { columns: true })[0]).toEqual({
        line: '3',
        id: 'TX-002',
        name: '李强',
        reason: report.rejected[0]!.reason,
      });
      expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
        [3, expect.stringMatching(/certificateNo/)],
        [4, expect.stringMatching(/^domains is empty/)],
        [5, expect.stringMatching(/qualified 'maybe'/)],
        [6, 'phone is 26 characters long; at most 20 fit.'],
      ]);
      expect(await db.dataSource.manager.findOneByOrFail(InspectorRow, { id: 'TX-001' })).toMatchObject({
        domains: ['发票管理', '纳税申报'],
        jurisdiction: ['310104', '310105'],
        qualified: true,
      });
      await importCsv({ manager: db.dataSource.manager, department: 'tax', kind: 'inspectors', input: csv(file) });
      expect(await db.dataSource.manager.countBy(InspectorRow, { id: 'TX-001' })).toBe(1);
    },
  );

  it(
    'R1, R2, R5: checklist rows are checked like the API; a re-run leaves current items alone and a changed ' +
      'row makes a new version',
    async () => {
      const header =
        'code,title,content,basis,inspectingBody,targetKinds,' +
        'method,category,ratioCapPercent,frequency,domain,industries';
      const item = (code: string, title: string, category = 'KEY', cap = '') =>
        `${code},${title},检查${title},《中华人民共和国税收征收管理法》第五十四条,税务局,ENTERPRISE,ON_SITE,${category},${cap},每年,发票管理,`;
      const file = [
        header,
        item('CSV-01', '发票开具'),
        item('CSV-02', '纳税申报', 'GENERAL', ''),
        item('CSV-03', '账簿设置', 'GENERAL', '150'),
        `CSV-04,无依据,内容,,税务局,ENTERPRISE,ON_SITE,KEY,,每年,发票管理,`,
      ];
      const first = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'checklist',
        input: csv(file),
      });
      expect(first).toMatchObject({ read: 4, imported: 1 });
      expect(first.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
      expect(first.rejected[0]!.reason).toMatch(/R2/);
      expect(first.rejected[2]!.reason).toMatch(/basis/);
      const again = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'checklist',
        input: csv([header, item('CSV-01', '发票开具')]),
      });
      expect(again).toMatchObject({ imported: 0, unchanged: 1 });
      const changed = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'checklist',
        input: csv([header, item('CSV-01', '发票开具与保管')]),
      });
      expect(changed.imported).toBe(1);
      const versions = await db.dataSource.manager.find(ChecklistItemRow, {
        where: { code: 'CSV-01' },
        order: { version: 'ASC' },
      });
      expect(versions.map((v) => [v.version, v.status, v.title])).toEqual([
        [1, 'SUPERSEDED', '发票开具'],
        [2, 'CURRENT', '发票开具与保管'],
      ]);
    },
  );

  it(
    'a code twice in one checklist file, a short row, a bad number and a cell spanning lines are each named by ' +
      'the line they start on',
    async () => {
      const header =
        'code,title,content,basis,inspectingBody,targetKinds,' +
        'method,category,ratioCapPercent,frequency,domain,industries';
      const rows = [
        header,
        'DUP-01,甲,内容,《安全生产法》,税务局,ENTERPRISE,ON_SITE,KEY,,每年,发票管理,',
        'DUP-01,乙,内容,《安全生产法》,税务局,ENTERPRISE,ON_SITE,KEY,,每年,发票管理,',
        'DUP-02,丙,内容',
        'DUP-03,丁,内容,《安全生产法》,税务局,ENTERPRISE,ON_SITE,GENERAL,abc,每年,发票管理,',
        'DUP-04,戊,"第一行\n第二行",《安全生产法》,税务局,ENTERPRISE,ON_SITE,GENERAL,abc,每年,发票管理,',
      ];
      const seen: number[] = [];
      const report = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'checklist',
        input: csv(rows),
        onReject: (r) => seen.push(r.line),
      });
      expect(report).toMatchObject({ read: 5, imported: 1, rejectedCount: 4 });
      expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
        [3, 'item DUP-01 is already on line 2 of this file'],
        [
          4,
          expect.stringMatching(/^basis, inspectingBody, targetKinds, method, category, frequency, domain are empty/),
        ],
        [5, "ratioCapPercent 'abc' is not a number (a percentage such as 10 or 2.5)"],
        [6, "ratioCapPercent 'abc' is not a number (a percentage such as 10 or 2.5)"],
      ]);
      expect(seen).toEqual([3, 4, 5, 6]);
      // The key of a row rejected when it is stored (a code twice) and of a row cut short.
      expect(parseCsv(rejectReport('checklist', report.rejected), { columns: true }).slice(0, 2)).toEqual([
        { line: '3', code: 'DUP-01', title: '乙', reason: 'item DUP-01 is already on line 2 of this file' },
        { line: '4', code: 'DUP-02', title: '丙', reason: expect.stringMatching(/^basis, inspectingBody/) },
      ]);
    },
  );

  it(
    "R1: a province's published checklist imports whole: a 1,300-character title, a 68-character domain and " +
      'long basis, content, body and frequency read back unchanged; a text over its cap is refused naming the ' +
      'field and the cap',
    async () => {
      const header =
        'code,title,content,basis,inspectingBody,targetKinds,' +
        'method,category,ratioCapPercent,frequency,domain,industries';
      const published = {
        title: '对食品生产经营者的监督检查，'.repeat(100).slice(0, 1300),
        content: '检查许可证件、从业人员健康管理、进货查验记录、生产过程控制、出厂检验记录，"随机抽取"样品。\n'
          .repeat(60)
          .trim(),
        basis: Array.from(
          { length: 40 },
          (_, i) => `《中华人民共和国食品安全法》第${i + 1}条，《食品生产经营监督检查管理办法》第${i + 10}条`,
        ).join('；'),
        inspectingBody: '省、市、县（区）市场监督管理部门及其派出机构，综合行政执法机构，'.repeat(14),
        frequency: '信用风险分类为A类的企业抽查比例不低于3%，B类不低于5%，C类不低于10%，D类不低于20%；'.repeat(18),
        domain: `食品安全监管（${'食品生产、食品销售、餐饮服务、'.repeat(4)}）`,
      };
      expect([...published.title].length).toBe(1300);
      expect([...published.domain].length).toBe(68);
      for (const field of ['content', 'basis', 'inspectingBody', 'frequency'] as const)
        expect([...published[field]].length).toBeGreaterThan(
          { content: 2000, basis: 1000, inspectingBody: 400, frequency: 800 }[field],
        );
      const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
      const row = (code: string, item: typeof published) =>
        [
          code,
          quote(item.title),
          quote(item.content),
          quote(item.basis),
          quote(item.inspectingBody),
          'ENTERPRISE',
          'ON_SITE',
          'KEY',
          '',
          quote(item.frequency),
          quote(item.domain),
          'C13',
        ].join(',');
      const tooLong = { ...published, title: '长'.repeat(CHECKLIST_TEXT_CAPS.title + 1) };
      const report = await importCsv({
        manager: db.dataSource.manager,
        department: 'tax',
        kind: 'checklist',
        input: csv([header, row('PROV-01', published), row('PROV-02', tooLong)]),
      });
      expect(report).toMatchObject({ read: 2, imported: 1, rejectedCount: 1 });
      expect(report.rejected[0]).toMatchObject({
        key: { code: 'PROV-02' },
        reason: `title is ${CHECKLIST_TEXT_CAPS.title + 1} characters long; at most ${CHECKLIST_TEXT_CAPS.title} fit.`,
      });
      const stored = await new DepartmentRepository(db.dataSource.manager, 'tax').checklistItem('PROV-01');
      expect(stored).toMatchObject({ ...published, version: 1, status: 'CURRENT', industries: ['C13'] });
      for (const [field, cap] of Object.entries(CHECKLIST_TEXT_CAPS)) {
        const over = await importCsv({
          manager: db.dataSource.manager,
          department: 'tax',
          kind: 'checklist',
          input: csv([header, row('PROV-03', { ...published, [field]: '超'.repeat(cap + 1) })]),
        });
        expect(over.rejected.map((r) => r.reason)).toEqual([
          `${field} is ${cap + 1} characters long; at most ${cap} fit.`,
        ]);
      }
    },
  );

  it('a file that cannot be parsed past some row says so, with how many rows were stored before', async () => {
    const file = [
      'kind,uscc,name,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints',
      `ENTERPRISE,${uscc(20)},上海辛有限公司,310104,C13,A,LOW,0,0`,
      'ENTERPRISE,"bad"quote,x,310104,C13,A,LOW,0,0',
    ];
    await expect(
      importCsv({ manager: db.dataSource.manager, department: 'tax', kind: 'targets', input: csv(file), batchSize: 1 }),
    ).rejects.toThrow(/^The file cannot be read: Invalid Closing Quote: .* at line 3 .*rows were stored before it/);
  });

  it('a file whose header does not fit is refused before any row, naming the columns', async () => {
    const refused = importCsv({
      manager: db.dataSource.manager,
      department: 'tax',
      kind: 'targets',
      input: csv(['kind,name,colour', 'ENTERPRISE,x,red']),
    });
    await expect(refused).rejects.toThrow(CsvHeaderError);
    await expect(refused).rejects.toThrow(
      /missing regionCode.*unknown colour\. A targets file has the columns kind, name, regionCode, .* \(required\) and id, uscc \(optional\)/,
    );
  });
});
