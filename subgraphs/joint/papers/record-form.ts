/**
 * 《部门联合抽查情况记录表（汇总表）》 (seed 004 art. 17): one form for one visit, all departments'
 * items on it (R22, "enter once, check many"), each department's results in its own table (R24),
 * R27's flags and leads, the business's signature or the inspectors' note of its refusal (R26,
 * art. 17 (二)), the whole team's signatures (art. 17 (三)), the inspection code as text and QR
 * (R32), and the digest of the signed content in every page's footer (R29).
 */
import { toBuffer } from 'qrcode';
import {
  ALERT,
  BOLD,
  chineseDate,
  collect,
  CONTENT_WIDTH,
  ensureRoom,
  INK,
  MUTED,
  newDocument,
  PAGE,
  REGULAR,
  stampPages,
} from './document';
import { cell, drawTable, type Cell, type Row, type Run } from './table';
import type { FormItem, FormPerson, RecordFormData } from './paper-data';

const TITLE = '部门联合抽查情况记录表（汇总表）';
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
const QR_SIZE = 104;

/** 'sha256:<hex>' → its first 12 hex digits, enough to find it among a visit's evidence. */
function shortHash(ref: string): string {
  const hex = ref.replace(/^sha256:/, '');
  return hex.slice(0, 12);
}

/** The 情况记录 cell: notes, measures, R27 flags, the lead handed over, evidence. */
function recordCell(item: FormItem, notesBelow: boolean): Cell {
  const runs: Run[] = [];
  if (notesBelow) runs.push({ text: '情况记录较长，见下行。', color: MUTED });
  else if (item.notes) runs.push({ text: item.notes });
  if (item.measures.length > 0) runs.push({ text: `处置措施：${item.measures.join('、')}` });
  const flags = [
    item.penaltyUnderGeneralProcedure && '一般程序处罚',
    item.statutoryCheckFailed && '法定检查不合格',
  ].filter(Boolean);
  if (flags.length > 0) runs.push({ text: `失信情形：${flags.join('、')}`, bold: true, color: ALERT });
  if (item.leadFor)
    runs.push({ text: `线索移交：${item.leadFor}${item.leadNote ? `（${item.leadNote}）` : ''}`, bold: true });
  if (item.evidence.length > 0)
    runs.push({
      text: `证据 ${item.evidence.length} 项：${item.evidence.map(shortHash).join('、')}`,
      size: 8,
      color: MUTED,
    });
  if (runs.length === 0) runs.push({ text: '—', color: MUTED });
  return { runs };
}

/** Notes longer than this are printed in a full-width row under the item, not in its narrow column. */
const LONG_NOTES = 240;

/** An item's row, and for long notes a full-width row under it, so they flow at full width. */
function itemRows(item: FormItem): Row[] {
  const notesBelow = item.notes !== null && Array.from(item.notes).length > LONG_NOTES;
  const row: Row = [
    cell(item.code, { size: 8.5 }),
    {
      runs: [
        { text: item.title, bold: true },
        { text: `依据：${item.basis}`, size: 8.5, color: MUTED },
      ],
    },
    cell(item.methodLabel),
    cell(item.outcomeLabel, { bold: true }),
    recordCell(item, notesBelow),
  ];
  return notesBelow
    ? [row, [{ runs: [{ text: `情况记录：${item.title}`, bold: true, size: 9 }, { text: item.notes! }] }]]
    : [row];
}

function heading(doc: PDFKit.PDFDocument, text: string, keepWith = 90): void {
  ensureRoom(doc, keepWith);
  doc.font(BOLD).fontSize(11.5).fillColor(INK).text(text, PAGE.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
}

/** Target, date, task and departments at left; the QR code of the inspection code at right (R32). */
async function drawOverview(doc: PDFKit.PDFDocument, data: RecordFormData): Promise<void> {
  const top = doc.y;
  const qr = await toBuffer(data.checkUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 4 });
  const right = QR_SIZE + 26;
  const keyWidth = 112;
  const valueWidth = CONTENT_WIDTH - right - keyWidth - 8;
  const t = data.target;
  const rows: Array<[string, string]> = [
    ['被检查对象', t.name],
    ['统一社会信用代码', t.uscc ?? '—'],
    ['住所（经营场所）', t.address ?? '—'],
    ['法定代表人（负责人）', t.legalRepresentative ?? '—'],
    ['检查日期', chineseDate(data.inspectedOn)],
    ['抽查任务', data.taskName],
    ['牵头部门', data.leadDepartmentName],
    ['参与部门', data.departments.map((d) => d.name).join('、')],
    ['检查码', data.inspectionCode],
  ];
  drawTable(
    doc,
    {
      columns: [
        { header: '', width: keyWidth },
        { header: '', width: valueWidth },
      ],
    },
    rows.map(([k, v]): Row => [
      { runs: [{ text: k, bold: true, size: 9 }], fill: '#f3f3f3' },
      cell(v, { bold: k === '被检查对象' || k === '检查码' }),
    ]),
  );
  const tableBottom = doc.y;
  const qrX = PAGE.left + CONTENT_WIDTH - right + 8 + (right - 8 - QR_SIZE) / 2;
  doc.image(qr, qrX, top, { width: QR_SIZE, height: QR_SIZE });
  doc
    .font(BOLD)
    .fontSize(8.5)
    .fillColor(INK)
    .text('扫码核验本次检查', PAGE.left + CONTENT_WIDTH - right + 8, top + QR_SIZE + 4, {
      width: right - 8,
      align: 'center',
    });
  doc
    .font(REGULAR)
    .fontSize(7.5)
    .fillColor(MUTED)
    .text(`（检查码 R32）\n${data.inspectionCode}`, { width: right - 8, align: 'center' });
  doc.x = PAGE.left;
  doc.y = Math.max(tableBottom, doc.y + 8);
}

function teamRow(p: FormPerson): Row {
  const certificate =
    p.kind === 'EXPERT' ? `专家${p.certificateNo ? `（${p.certificateNo}）` : ''}` : (p.certificateNo ?? '—');
  return [
    cell(p.name, { bold: true }),
    cell(p.departmentName),
    cell(certificate),
    cell(p.leader ? '组长' : '', { bold: true }),
    p.signaturePng
      ? { runs: [], image: { data: p.signaturePng, height: 30 } }
      : { runs: [{ text: '\n______________', color: MUTED }] },
  ];
}

/**
 * Renders 《部门联合抽查情况记录表（汇总表）》 (seed 004 art. 17) as an A4 PDF: all departments'
 * items of one visit (R22), per department (R24), with R27's flags and leads; signed by the
 * business, or the inspectors' note of its refusal (R26); signed by the whole team; the
 * inspection code as text and QR (R32); the signed content's SHA-256 in every footer (R29).
 */
export async function renderRecordForm(data: RecordFormData): Promise<Buffer> {
  const doc = newDocument(`${TITLE} ${data.formNo}`, data.madeAt);
  const done = collect(doc);

  doc
    .font(BOLD)
    .fontSize(17)
    .fillColor(INK)
    .text(TITLE, PAGE.left, PAGE.top, { width: CONTENT_WIDTH, align: 'center' });
  const version = data.version > 1 ? `第 ${data.version} 版，取代第 ${data.version - 1} 版` : '第 1 版';
  doc
    .font(REGULAR)
    .fontSize(9)
    .fillColor(MUTED)
    .text(`编号：${data.formNo}　　${version}`, { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(0.6);
  await drawOverview(doc, data);

  data.departments.forEach((dept, n) => {
    const caption = `${NUMERALS[n] ?? String(n + 1)}、${dept.name}（${dept.items.length} 项）`;
    heading(doc, caption);
    drawTable(
      doc,
      {
        caption,
        columns: [
          { header: '编码', width: 56 },
          { header: '检查事项及依据', width: 146 },
          { header: '检查方式', width: 58 },
          { header: '检查结果', width: 62 },
          { header: '情况记录、处置措施与证据', width: CONTENT_WIDTH - 56 - 146 - 58 - 62 },
        ],
      },
      dept.items.length > 0 ? dept.items.flatMap(itemRows) : [[cell('本部门无检查事项。', { color: MUTED })]],
    );
  });

  heading(doc, '被检查对象签字（盖章）', 150);
  if (data.business.kind === 'SIGNED') {
    drawTable(
      doc,
      {
        columns: [
          { header: '', width: 120 },
          { header: '', width: CONTENT_WIDTH - 120 },
        ],
      },
      [
        [cell('签字（盖章）', { bold: true }), { runs: [], image: { data: data.business.signaturePng, height: 44 } }],
        [cell('签字人', { bold: true }), cell(data.business.signerName)],
        [cell('日期', { bold: true }), cell(chineseDate(data.inspectedOn))],
      ],
    );
  } else {
    drawTable(doc, { columns: [{ header: '', width: CONTENT_WIDTH }] }, [
      [
        {
          runs: [
            { text: '被检查对象拒绝签字或盖章。', bold: true, color: ALERT },
            { text: `执法检查人员说明：${data.business.note}` },
            { text: '（由检查小组全体成员在下表签字说明）', size: 8.5, color: MUTED },
          ],
        },
      ],
    ]);
  }

  // Keep the team's table on one page when it fits on one.
  heading(doc, '检查小组签字确认', Math.min(80 + 42 * data.team.length, PAGE.height - PAGE.top - PAGE.bottom - 40));
  doc
    .font(REGULAR)
    .fontSize(9)
    .fillColor(MUTED)
    .text('以上检查结果经检查小组讨论确认，由检查小组全体成员签字。', { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  drawTable(
    doc,
    {
      caption: '检查小组签字确认',
      columns: [
        { header: '姓名', width: 80 },
        { header: '部门', width: 120 },
        { header: '执法证号／专家', width: 130 },
        { header: '组长', width: 40 },
        { header: '签字', width: CONTENT_WIDTH - 370 },
      ],
    },
    data.team.map(teamRow),
  );

  stampPages(doc, {
    header: `${TITLE}　编号 ${data.formNo}　检查码 ${data.inspectionCode}`,
    footer: [
      `记录内容摘要 SHA-256: ${data.contentDigest}`,
      '依据部门联合“双随机、一公开”监管实施细则第十七条制作；各方签字针对上列摘要所指的检查结果内容。',
    ],
    training: data.training,
  });
  doc.end();
  return done;
}
