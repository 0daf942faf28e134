import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import QRCode from 'qrcode';
import {
  renderNotice,
  renderRecordForm,
  type FormItem,
  type FormPerson,
  type NoticeData,
  type RecordFormData,
} from '../../subgraphs/joint/papers/pdf';

/*
 * The two papers the rules require (seed 004 art. 17), checked the way a person would see them:
 * rendered by pdfkit, then read back with poppler (pdftotext, pdffonts, pdfinfo, pdfimages,
 * pdftoppm). The first pages are copied to test-artifacts/papers/ to be looked at; KEEP_PAPERS=1
 * keeps the temp dir with all four PDFs (its path is logged).
 */

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'papers');
const POPPLER = ['pdftoppm', 'pdftotext', 'pdffonts', 'pdfinfo', 'pdfimages'];

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** A small grayscale PNG of a hand-written-looking stroke (a real PNG, written with zlib). */
function signaturePng(seed: number): Buffer {
  const width = 240;
  const height = 80;
  const pixels = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) pixels[y * (width + 1)] = 0; // filter byte: none
  for (let x = 20; x < 220; x++) {
    const cy = Math.round(40 + 18 * Math.sin(x / (9 + seed) + seed) * Math.cos(x / 31));
    for (let dy = -2; dy <= 2; dy++) for (let dx = 0; dx < 2; dx++) pixels[(cy + dy) * (width + 1) + 1 + x + dx] = 20;
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const item = (code: string, title: string, basis: string, more: Partial<FormItem> = {}): FormItem => ({
  code,
  title,
  basis,
  methodLabel: '实地检查',
  outcome: 'NO_PROBLEM',
  outcomeLabel: '未发现问题',
  notes: null,
  measures: [],
  evidence: [],
  penaltyUnderGeneralProcedure: false,
  statutoryCheckFailed: false,
  leadFor: null,
  leadNote: null,
  ...more,
});

const evidence = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

const DEPARTMENTS: RecordFormData['departments'] = [
  {
    code: 'market',
    name: '市场监督管理局',
    items: [
      item('MKT-01', '营业执照及登记事项公示情况的检查', '《中华人民共和国市场主体登记管理条例》第三十六条', {
        notes: '营业执照悬挂于经营场所醒目位置，登记事项与实际一致。',
        evidence: [evidence('mkt-1')],
      }),
      item('MKT-02', '食品经营许可及从业人员健康证明情况的检查', '《中华人民共和国食品安全法》第三十五条、第四十五条', {
        methodLabel: '书面检查',
        outcome: 'PROBLEM_FIXED',
        outcomeLabel: '发现问题已责令改正',
        notes: '两名从业人员健康证明过期，现场责令其暂停接触直接入口食品的工作。',
        measures: ['责令改正', '督促整改'],
        evidence: [evidence('mkt-2a'), evidence('mkt-2b')],
      }),
      item('MKT-03', '明码标价及价格公示情况的检查', '《中华人民共和国价格法》第十三条'),
    ],
  },
  {
    code: 'tax',
    name: '税务局',
    items: [
      item('TAX-01', '发票开具、使用和保管情况的检查', '《中华人民共和国发票管理办法》第十八条、第十九条', {
        notes: '抽查近三个月发票存根联，开具规范。',
      }),
      item('TAX-02', '纳税申报及税款缴纳情况的检查', '《中华人民共和国税收征收管理法》第二十五条', {
        methodLabel: '网络监测',
      }),
    ],
  },
  {
    code: 'fire',
    name: '消防救援支队',
    items: [
      item('FIRE-01', '安全出口、疏散通道畅通情况的检查', '《中华人民共和国消防法》第二十八条', {
        outcome: 'PENALTY',
        outcomeLabel: '发现问题，立案查处',
        notes: '二层东侧疏散通道堆放纸箱等杂物，占用疏散通道，依法立案。',
        measures: ['责令改正', '制作现场笔录'],
        evidence: [evidence('fire-1a'), evidence('fire-1b'), evidence('fire-1c')],
        penaltyUnderGeneralProcedure: true,
      }),
      item('FIRE-02', '建筑消防设施、器材维护保养情况的检查', '《中华人民共和国消防法》第十六条', {
        outcome: 'FAILED',
        outcomeLabel: '不合格',
        notes: '自动喷水灭火系统末端试水装置压力不足，年度检测不合格。',
        measures: ['责令限期改正'],
        statutoryCheckFailed: true,
      }),
    ],
  },
  {
    code: 'environment',
    name: '生态环境局',
    items: [
      item('ENV-01', '排污许可证执行情况的检查', '《排污许可管理条例》第十七条、第十九条', {
        methodLabel: '第三方验证',
        notes: '委托检测机构采样，废水排放浓度符合许可限值。',
      }),
      item(
        'ENV-02',
        '危险废物贮存、转移管理情况的检查',
        '《中华人民共和国固体废物污染环境防治法》第七十七条、第八十一条',
        {
          outcome: 'PROBLEM_FOUND',
          outcomeLabel: '发现问题',
          notes: '危险废物贮存间未设置识别标志。',
          leadFor: '应急管理局',
          leadNote: '仓库内疑似存放未登记的危险化学品，移交核查',
        },
      ),
    ],
  },
];

const person = (
  name: string,
  department: string,
  departmentName: string,
  certificateNo: string | null,
  more: Partial<FormPerson> = {},
): FormPerson => ({
  name,
  department,
  departmentName,
  certificateNo,
  kind: 'INSPECTOR',
  leader: false,
  signaturePng: null,
  ...more,
});

const TEAM: FormPerson[] = [
  person('张明', 'market', '市场监督管理局', '31010020260001', { leader: true, signaturePng: signaturePng(1) }),
  person('李华', 'tax', '税务局', '31010020260002', { signaturePng: signaturePng(2) }),
  person('王强', 'fire', '消防救援支队', '31010020260003', { signaturePng: signaturePng(3) }),
  person('赵敏', 'environment', '生态环境局', '31010020260004', { signaturePng: signaturePng(4) }),
];

const DIGEST = createHash('sha256').update('the results the team signed').digest('hex');
const CODE = 'JC-7K3M-9QXZ-2B4T-HHW8';
const CHECK_URL = `http://localhost:4000/code?code=${CODE}`;

const FORM: RecordFormData = {
  formNo: 'JF-2026-000123-1',
  version: 1,
  taskName: '2026年第二季度餐饮行业部门联合抽查',
  leadDepartmentName: '市场监督管理局',
  target: {
    key: 'T-0001',
    uscc: '91310115MA1K4ABC2X',
    name: '上海浦江味道餐饮管理有限公司',
    address: '上海市浦东新区张杨路1234号2层',
    legalRepresentative: '陈立新',
  },
  inspectedOn: '2026-05-12',
  departments: DEPARTMENTS,
  team: TEAM,
  business: { kind: 'SIGNED', signerName: '陈立新', signaturePng: signaturePng(5) },
  inspectionCode: CODE,
  checkUrl: CHECK_URL,
  contentDigest: DIGEST,
  madeAt: new Date('2026-05-12T08:30:00Z'),
  training: false,
};

const REFUSAL_NOTE =
  '检查结束后，被检查对象负责人陈立新拒绝在记录表上签字，也拒绝加盖公章，检查小组已现场告知相关规定。';
const REFUSED: RecordFormData = {
  ...FORM,
  formNo: 'JF-2026-000123-2',
  version: 2,
  business: { kind: 'REFUSED', note: REFUSAL_NOTE },
  team: TEAM.map((p, i) => (i === 3 ? { ...p, signaturePng: null } : p)),
  training: true,
};

/** 2,000 characters of notes, different for each item, ending in a mark that says whose they are. */
const longNote = (n: number) => {
  const end = `（第${n}项情况记录完）`;
  const body =
    '现场检查发现该单位后厨操作间地面有积水，排水沟清理不及时，生熟食品加工用具未明确区分，冷藏设备温度记录缺失，部分原料未按规定索证索票，进货查验记录不完整，检查人员已逐项告知整改要求。'.repeat(
      25,
    );
  return `${body.slice(0, 2000 - end.length)}${end}`;
};
const LONG_CODES = Array.from({ length: 30 }, (_, i) => `LNG-${String(i + 1).padStart(3, '0')}`);
const LONG: RecordFormData = {
  ...FORM,
  formNo: 'JF-2026-000124-1',
  departments: [
    {
      code: 'market',
      name: '市场监督管理局',
      items: LONG_CODES.map((code, i) =>
        item(
          code,
          `食品安全管理制度落实情况的检查（第 ${i + 1} 项）`,
          '《中华人民共和国食品安全法》第四十四条、第五十三条、第五十四条',
          {
            notes: i % 3 === 0 ? longNote(i + 1) : '经查未发现问题。',
            measures: i % 3 === 0 ? ['责令改正'] : [],
            evidence: i % 3 === 0 ? [evidence(`long-${i}`)] : [],
          },
        ),
      ),
    },
    DEPARTMENTS[1]!,
  ],
  team: [...TEAM, person('孙教授', 'market', '市场监督管理局', null, { kind: 'EXPERT' })],
};

const NOTICE: NoticeData = {
  noticeNo: 'JT-2026-000123',
  taskName: FORM.taskName,
  leadDepartmentName: '市场监督管理局',
  target: FORM.target,
  visitOn: '2026-05-12',
  departments: DEPARTMENTS.map((d) => ({
    name: d.name,
    items: d.items.map((i) => ({ title: i.title, basis: i.basis })),
  })),
  contact: '市场监督管理局执法大队 王科长 021-5081 2345',
  requirements:
    '请准备营业执照、食品经营许可证、从业人员健康证明、近三个月发票存根、消防设施维护保养记录、排污许可证及危险废物管理台账，并安排负责人在场。',
  issuedOn: '2026-05-06',
  madeAt: new Date('2026-05-06T02:00:00Z'),
  training: false,
};

interface Paper {
  file: string;
  /** `pdftotext -layout`, pages separated by form feeds: what a reader sees, columns side by side. */
  text: string;
  /** `pdftotext -raw` (drawing order, so a table cell's lines stay together) without any white space. */
  flat: string;
  /** The same, one string a page. */
  flatPages: string[];
  pages: number;
}

const strip = (s: string) => s.replace(/\s/g, '');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papers-'));
// Filled by the first tests, read by the later ones.
const papers = {} as Record<'form' | 'refused' | 'long' | 'notice', Paper>;

async function write(name: string, pdf: Buffer): Promise<Paper> {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = run('pdfinfo', [file]);
  const text = run('pdftotext', ['-layout', file, '-']);
  const raw = run('pdftotext', ['-raw', file, '-']);
  const flatPages = raw
    .split('\f')
    .map(strip)
    .filter((p) => p !== '');
  return { file, text, flat: strip(raw), flatPages, pages: Number(/^Pages:\s+(\d+)/m.exec(info)![1]) };
}

/** Renders page 1 as PNG (copied to test-artifacts when named) and counts its dark pixels (PGM). */
function pageOne(paper: Paper, artifact: string | null): { png: number; dark: number; total: number } {
  const base = paper.file.replace(/\.pdf$/, '');
  run('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', paper.file, base]);
  run('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', paper.file, base]);
  if (artifact) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.copyFileSync(`${base}.png`, path.join(ARTIFACTS, artifact));
  }
  const pgm = fs.readFileSync(`${base}.pgm`);
  // P5 <width> <height> <max>\n<bytes>
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'))!;
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const v of pixels) if (v < 128) dark++;
  return { png: fs.statSync(`${base}.png`).size, dark, total: Number(header[1]) * Number(header[2]) };
}

/** pdffonts' rows: name, type, emb. */
function fonts(file: string): Array<{ name: string; emb: string }> {
  return run('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name type [encoding...] emb sub uni object ID: emb is the 5th column from the end.
      return { name: cols[0]!, emb: cols[cols.length - 5]! };
    });
}

/** Word boxes per page from `pdftotext -bbox`, to prove no text is drawn over other text. */
function overlaps(file: string): string[] {
  const xhtml = run('pdftotext', ['-bbox', file, '-']);
  const found: string[] = [];
  xhtml
    .split('<page ')
    .slice(1)
    .forEach((page, p) => {
      const words = [
        ...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
      ].map((m) => ({ x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, w: m[5]! }));
      for (let i = 0; i < words.length; i++)
        for (let j = i + 1; j < words.length; j++) {
          const a = words[i]!;
          const b = words[j]!;
          const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
          const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
          if (ox > 1 && oy > 2) found.push(`page ${p + 1}: "${a.w}" over "${b.w}"`);
        }
    });
  return found;
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(async () => {
  const missing = POPPLER.filter((tool) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0)
    throw new Error(
      `papers-pdf: poppler's ${missing.join(', ')} missing: apt-get install poppler-utils (npm test's pretest ` +
        `installs it).`,
    );
  papers.form = await write('form', await renderRecordForm(FORM));
  papers.refused = await write('refused', await renderRecordForm(REFUSED));
  papers.long = await write('long', await renderRecordForm(LONG));
  papers.notice = await write('notice', await renderNotice(NOTICE));
}, 120000);

afterAll(() => (process.env.KEEP_PAPERS ? console.log(dir) : fs.rmSync(dir, { recursive: true, force: true })));

describe('《部门联合抽查情况记录表（汇总表）》 (seed 004 art. 17)', () => {
  it(
    'R22, R24: one form for the visit lists the target, the date, the task and every department with its own ' +
      'items',
    () => {
      const { flat } = papers.form;
      for (const needle of [
        '部门联合抽查情况记录表',
        FORM.target.name,
        FORM.target.uscc!,
        FORM.target.address!,
        FORM.target.legalRepresentative!,
        '2026年5月12日',
        FORM.taskName,
        FORM.formNo,
      ])
        expect(flat).toContain(strip(needle));
      for (const dept of DEPARTMENTS) {
        expect(flat).toContain(dept.name);
        for (const i of dept.items) {
          expect(flat).toContain(i.code);
          expect(flat).toContain(strip(i.title));
          expect(flat).toContain(strip(i.basis));
          expect(flat).toContain(strip(i.methodLabel));
          expect(flat).toContain(strip(i.outcomeLabel));
        }
      }
      expect(flat).toContain('处置措施：责令改正、督促整改');
      expect(flat).toContain('证据3项');
    },
  );

  it(
    'R22, R32: as laid out for a reader (pdftotext -layout), every form shows the title, the target, each ' +
      'department, an item, every certificate number, the code and the digest',
    () => {
      for (const paper of [papers.form, papers.refused, papers.long]) {
        const { text } = paper;
        expect(text).toContain('部门联合抽查情况记录表');
        expect(text).toContain(FORM.target.name);
        for (const p of TEAM) expect(text).toContain(p.certificateNo!);
        expect(text).toContain(CODE);
        expect(text).toContain(DIGEST.slice(0, 16));
      }
      for (const dept of DEPARTMENTS) expect(papers.form.text).toContain(dept.name);
      expect(papers.form.text).toContain('明码标价及价格公示情况的检查');
    },
  );

  it(
    'art. 17 (三): the whole team is on the form with every certificate number, the leader marked, and ' +
      'signature images drawn',
    () => {
      const { flat, file } = papers.form;
      for (const p of TEAM) {
        expect(flat).toContain(p.name);
        expect(flat).toContain(p.certificateNo!);
      }
      expect(flat).toContain('组长');
      expect(flat).toContain('签字人陈立新');
      // QR + 4 team signatures + the business's signature.
      const images = run('pdfimages', ['-list', file])
        .split('\n')
        .slice(2)
        .filter((l) => l.trim() !== '');
      expect(images.length).toBeGreaterThanOrEqual(6);
    },
  );

  it(
    'R27: a penalty under the general procedure, a failed statutory check and a lead handed to another ' +
      'department are printed',
    () => {
      const { flat } = papers.form;
      expect(flat).toContain('失信情形：一般程序处罚');
      expect(flat).toContain('失信情形：法定检查不合格');
      expect(flat).toContain('线索移交：应急管理局（仓库内疑似存放未登记的危险化学品，移交核查）');
    },
  );

  it('R29: every page carries the SHA-256 of the signed content in its footer', () => {
    for (const paper of [papers.form, papers.long]) {
      expect(paper.flatPages).toHaveLength(paper.pages);
      for (const page of paper.flatPages) expect(page).toContain(`记录内容摘要SHA-256:${DIGEST}`);
    }
    expect(papers.form.text).toContain(DIGEST.slice(0, 16));
  });

  it('R32: the inspection code is printed and its QR code (the public check of the code) is an image on page 1', () => {
    const { text, flat, file } = papers.form;
    expect(text).toContain(CODE);
    expect(flat).toContain('扫码核验本次检查');
    const page1 = run('pdfimages', ['-list', '-f', '1', '-l', '1', file])
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(page1.length).toBeGreaterThanOrEqual(1);
    // The QR image is exactly what qrcode makes of the check URL: (modules + 2 × margin) × scale pixels square.
    const side = (QRCode.create(CHECK_URL, { errorCorrectionLevel: 'M' }).modules.size + 2) * 4;
    expect(
      page1.some((l) => {
        const c = l.trim().split(/\s+/);
        return c[3] === String(side) && c[4] === String(side);
      }),
    ).toBe(true);
  });

  it(
    "R26: a refusal prints the inspectors' note instead of the business's signature; the team's signatures " +
      'attest it, an unsigned member gets an empty line',
    () => {
      const { flat, text } = papers.refused;
      expect(flat).toContain('被检查对象拒绝签字或盖章。');
      expect(flat).toContain(`执法检查人员说明：${REFUSAL_NOTE}`);
      expect(flat).not.toContain('签字人');
      expect(papers.form.flat).toContain('签字人');
      expect(papers.form.flat).not.toContain('执法检查人员说明');
      // 赵敏 has not signed: an empty line where the signature goes.
      expect(text).toContain('______________');
    },
  );

  it('R28: a form made after a result changed says which version it replaces', () => {
    expect(papers.refused.flat).toContain('第2版，取代第1版');
    expect(papers.form.flat).toContain('第1版');
    expect(papers.form.flat).not.toContain('取代');
  });

  it('training: every page of a training exercise says 培训演练 — 非正式执法文书', () => {
    expect(papers.refused.flatPages).toHaveLength(papers.refused.pages);
    for (const page of papers.refused.flatPages) expect(page).toContain('培训演练—非正式执法文书');
    expect(papers.form.flat).not.toContain('培训演练');
  });

  it(
    'long content flows over pages: 30 items with 2,000-character notes, every item code exactly once, a page ' +
      'header with x / y on each page',
    () => {
      const { text, flat, flatPages, pages } = papers.long;
      expect(pages).toBeGreaterThan(1);
      for (const code of LONG_CODES) {
        expect(count(text, code)).toBe(1);
        expect(count(flat, code)).toBe(1);
      }
      expect(flatPages).toHaveLength(pages);
      flatPages.forEach((page, p) => {
        expect(page).toContain(`第${p + 1}/${pages}页`);
        expect(page).toContain(LONG.formNo);
      });
      // The notes are not cut: each long note is printed whole (10 of them), across pages where it must be.
      expect(longNote(1)).toHaveLength(2000);
      for (let n = 1; n <= 30; n += 3) expect(count(flat, `（第${n}项情况记录完）`)).toBe(1);
      expect(flat).toContain('（续）');
    },
  );

  it('no text is drawn over other text on any page (pdftotext -bbox)', () => {
    expect(overlaps(papers.form.file)).toEqual([]);
    expect(overlaps(papers.long.file)).toEqual([]);
    expect(overlaps(papers.notice.file)).toEqual([]);
  });

  it(
    'page 1 renders and is not blank; the four-department form is copied to ' +
      'test-artifacts/papers/record-form-page1.png',
    () => {
      const page = pageOne(papers.form, 'record-form-page1.png');
      expect(page.png).toBeGreaterThan(20000);
      expect(page.dark / page.total).toBeGreaterThan(0.02);
      expect(fs.existsSync(path.join(ARTIFACTS, 'record-form-page1.png'))).toBe(true);
    },
  );

  it('the same data gives the same bytes', async () => {
    expect((await renderRecordForm(FORM)).equals(fs.readFileSync(papers.form.file))).toBe(true);
  });
});

describe('《部门联合检查通知书》 (seed 004 art. 17 (二))', () => {
  it(
    'R22: addressed to the target, it names the day, the task, every department with its items and legal ' +
      'basis, what to prepare, whom to call and the issuer',
    () => {
      const { flat, pages } = papers.notice;
      for (const needle of [
        '部门联合检查通知书',
        `${NOTICE.target.name}：`,
        '定于2026年5月12日对你单位开展部门联合抽查',
        NOTICE.taskName,
        NOTICE.noticeNo,
        NOTICE.contact!,
        NOTICE.requirements!,
        '市场监督管理局（盖章）2026年5月6日',
      ])
        expect(flat).toContain(strip(needle));
      for (const dept of NOTICE.departments) {
        expect(flat).toContain(dept.name);
        for (const i of dept.items) {
          expect(flat).toContain(strip(i.title));
          expect(flat).toContain(strip(i.basis));
        }
      }
      expect(pages).toBe(1);
    },
  );

  it('page 1 renders and is not blank; copied to test-artifacts/papers/notice-page1.png', () => {
    const page = pageOne(papers.notice, 'notice-page1.png');
    expect(page.png).toBeGreaterThan(20000);
    expect(page.dark / page.total).toBeGreaterThan(0.01);
  });
});

describe('fonts', () => {
  it('every font in every paper is an embedded Noto Sans SC subset (no system font, no unembedded Helvetica)', () => {
    for (const paper of Object.values(papers)) {
      const list = fonts(paper.file);
      expect(list.length).toBeGreaterThan(0);
      for (const f of list) {
        expect(f.name).toMatch(/^[A-Z]{6}\+NotoSansSC/);
        expect(f.emb).toBe('yes');
      }
    }
  });
});
