/**
 * 《部门联合检查通知书》 (seed 004 art. 17 (二)): before the visit the team tells the business, in
 * writing, when it comes and what to prepare; one notice for all departments, whose items are
 * all checked in that one visit (R22).
 */
import {
  BOLD,
  chineseDate,
  collect,
  CONTENT_WIDTH,
  ensureRoom,
  FILL,
  INK,
  MUTED,
  newDocument,
  PAGE,
  REGULAR,
  stampPages,
} from './document';
import { cell, drawTable, type Row } from './table';
import type { NoticeData } from './paper-data';

const TITLE = '部门联合检查通知书';
const DEFAULT_REQUIREMENTS =
  '请于检查当日安排熟悉情况的负责人在场，并提前准备营业执照、相关许可证件、台账记录等与上列检查事项有关的资料，配合检查人员完成检查。';

/**
 * Renders 《部门联合检查通知书》 (seed 004 art. 17 (二)) as an A4 PDF: addressed to the target, it
 * says that on the visit day the listed departments carry out a joint random inspection
 * (部门联合抽查) under the task, all their items in one visit (R22), lists each department's items
 * with legal basis, what to prepare and whom to call, and is issued by the lead department.
 */
export async function renderNotice(data: NoticeData): Promise<Buffer> {
  const doc = newDocument(`${TITLE} ${data.noticeNo}`, data.madeAt);
  const done = collect(doc);
  const t = data.target;

  doc
    .font(BOLD)
    .fontSize(18)
    .fillColor(INK)
    .text(TITLE, PAGE.left, PAGE.top, { width: CONTENT_WIDTH, align: 'center' });
  doc
    .font(REGULAR)
    .fontSize(9.5)
    .fillColor(MUTED)
    .text(`编号：${data.noticeNo}`, { width: CONTENT_WIDTH, align: 'right' });
  doc.moveDown(0.4);

  doc.font(BOLD).fontSize(12).fillColor(INK).text(`${t.name}：`, { width: CONTENT_WIDTH });
  const idLine = [
    t.uscc && `统一社会信用代码：${t.uscc}`,
    t.legalRepresentative && `法定代表人（负责人）：${t.legalRepresentative}`,
  ]
    .filter(Boolean)
    .join('　　');
  const details = [idLine, t.address && `住所（经营场所）：${t.address}`].filter(Boolean).join('\n');
  if (details) doc.font(REGULAR).fontSize(9.5).fillColor(MUTED).text(details, { width: CONTENT_WIDTH, lineGap: 1 });
  doc.moveDown(0.5);

  const names = data.departments.map((d) => d.name);
  const others = names.filter((n) => n !== data.leadDepartmentName);
  const who = others.length > 0 ? `${data.leadDepartmentName}会同${others.join('、')}` : data.leadDepartmentName;
  doc
    .font(REGULAR)
    .fontSize(11)
    .fillColor(INK)
    .text(
      `根据“${data.taskName}”任务安排，${who}定于${chineseDate(data.visitOn)}对你单位开展部门联合抽查（“双随机、一公开”监管），各部门的下列检查事项在同一次检查中一并完成。请予以配合。`,
      {
        width: CONTENT_WIDTH,
        indent: 22,
        lineGap: 3,
      },
    );
  doc.moveDown(0.6);

  ensureRoom(doc, 100);
  doc.font(BOLD).fontSize(11.5).text('一、检查部门及检查事项', PAGE.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  const rows: Row[] = [];
  for (const dept of data.departments) {
    rows.push([{ runs: [{ text: `${dept.name}（${dept.items.length} 项）`, bold: true, size: 10 }], fill: FILL }]);
    dept.items.forEach((item, i) =>
      rows.push([cell(String(i + 1), { size: 9 }), cell(item.title, { bold: true }), cell(item.basis, { size: 9 })]),
    );
  }
  drawTable(
    doc,
    {
      caption: '一、检查部门及检查事项',
      columns: [
        { header: '序号', width: 34 },
        { header: '检查事项', width: 200 },
        { header: '法律依据', width: CONTENT_WIDTH - 234 },
      ],
    },
    rows,
  );

  const paragraph = (heading: string, body: string) => {
    ensureRoom(doc, 70);
    doc.font(BOLD).fontSize(11.5).fillColor(INK).text(heading, PAGE.left, doc.y, { width: CONTENT_WIDTH });
    doc.moveDown(0.2);
    doc.font(REGULAR).fontSize(10.5).text(body, { width: CONTENT_WIDTH, indent: 21, lineGap: 3 });
    doc.moveDown(0.5);
  };
  paragraph('二、配合检查要求', data.requirements ?? DEFAULT_REQUIREMENTS);
  paragraph('三、联系方式', data.contact ?? `如有疑问，请与${data.leadDepartmentName}联系。`);

  doc.moveDown(0.4);
  ensureRoom(doc, 56);
  // The issuer, its seal and the date, centred in a block at the right (where the seal is stamped).
  const block = { x: PAGE.left + CONTENT_WIDTH - 210, width: 200, align: 'center' as const };
  doc.font(BOLD).fontSize(11.5).fillColor(INK).text(data.leadDepartmentName, block.x, doc.y, block);
  doc.font(REGULAR).fontSize(10).fillColor(MUTED).text('（盖章）', block.x, doc.y, block);
  doc.font(REGULAR).fontSize(11).fillColor(INK).text(chineseDate(data.issuedOn), block.x, doc.y, block);

  stampPages(doc, {
    header: `${TITLE}　编号 ${data.noticeNo}`,
    footer: [
      `${data.leadDepartmentName}　${chineseDate(data.issuedOn)}　抽查任务：${data.taskName}`,
      '依据部门联合“双随机、一公开”监管实施细则第十七条：现场检查前书面告知检查时间及配合检查的相关要求。',
    ],
    training: data.training,
  });
  doc.end();
  return done;
}
