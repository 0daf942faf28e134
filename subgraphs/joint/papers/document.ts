/**
 * What both papers share: an A4 pdfkit document whose every glyph comes from the Noto Sans SC
 * font installed through npm (never a system font, never pdfkit's unembedded Helvetica), the
 * header and footer stamped on every page once the page count is known, the training mark, and
 * the finished bytes.
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';

/** Names the fonts are registered under in each document. */
export const REGULAR = 'NotoSansSC';
export const BOLD = 'NotoSansSC-Bold';

let fonts: { regular: Buffer; bold: Buffer } | null = null;

/** The two Noto Sans SC faces, read once per process (pdfkit subsets them into each PDF). */
function fontBuffers(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
    bold: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
  };
  return fonts;
}

/** A4, in points. */
export const PAGE = { width: 595.28, height: 841.89, left: 42, right: 42, top: 62, bottom: 60 } as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

/** The training mark every page of a training exercise carries. */
export const TRAINING_MARK = '培训演练 — 非正式执法文书';

/** Colours: near-black text, grey rules and fills, a red for flags and the training mark. */
export const INK = '#111111';
export const MUTED = '#555555';
export const RULE = '#666666';
export const FILL = '#eeeeee';
export const ALERT = '#b00020';

/**
 * A new document with the fonts registered and selected. `font: ''` keeps pdfkit from loading its
 * default Helvetica, so no standard (unembedded) font can end up in the file.
 */
export function newDocument(title: string, madeAt: Date): PDFKit.PDFDocument {
  const { regular, bold } = fontBuffers();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right },
    bufferPages: true,
    font: '',
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: title, CreationDate: madeAt, ModDate: madeAt, Producer: 'JointCheck', Creator: 'JointCheck' },
  });
  doc.registerFont(REGULAR, regular);
  doc.registerFont(BOLD, bold);
  doc.font(REGULAR).fontSize(10).fillColor(INK);
  return doc;
}

/** Collects the document's bytes; call before `doc.end()`. */
export function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** What is stamped on every page once all pages exist. */
export interface PageStamp {
  /** Left of the header, e.g. the paper's title and number. */
  header: string;
  /** Footer lines (small print), e.g. the content digest. */
  footer: string[];
  training: boolean;
}

/**
 * Writes header (with 第 x / y 页), footer and, for training, the mark on every buffered page.
 * The bottom margin is lifted while stamping so text in the margins never starts a new page.
 */
export function stampPages(doc: PDFKit.PDFDocument, stamp: PageStamp): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins;
    const saved = margins.bottom;
    margins.bottom = 0;
    const pageLabel = `第 ${i - range.start + 1} / ${range.count} 页`;
    doc.font(REGULAR).fontSize(8.5).fillColor(MUTED);
    const labelWidth = doc.widthOfString(pageLabel);
    doc.text(stamp.header, PAGE.left, 30, { width: CONTENT_WIDTH - labelWidth - 12, lineBreak: false, ellipsis: true });
    doc.text(pageLabel, PAGE.width - PAGE.right - labelWidth, 30, { lineBreak: false });
    doc
      .moveTo(PAGE.left, 44)
      .lineTo(PAGE.width - PAGE.right, 44)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    const footerTop = PAGE.height - PAGE.bottom + 14;
    doc
      .moveTo(PAGE.left, footerTop - 5)
      .lineTo(PAGE.width - PAGE.right, footerTop - 5)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.fontSize(7.5).fillColor(MUTED);
    stamp.footer.forEach((line, n) =>
      doc.text(line, PAGE.left, footerTop + n * 11, { width: CONTENT_WIDTH, lineBreak: false, ellipsis: true }),
    );
    if (stamp.training) trainingMark(doc);
    margins.bottom = saved;
  }
  doc.fillColor(INK);
}

/** The training mark: a red line under the header and a faint diagonal band across the page. */
function trainingMark(doc: PDFKit.PDFDocument): void {
  doc.font(BOLD).fontSize(9).fillColor(ALERT);
  const width = doc.widthOfString(TRAINING_MARK);
  doc.text(TRAINING_MARK, (PAGE.width - width) / 2, 48, { lineBreak: false });
  doc.save();
  doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] });
  doc.font(BOLD).fontSize(40).fillColor(ALERT).fillOpacity(0.12);
  const big = doc.widthOfString(TRAINING_MARK);
  doc.text(TRAINING_MARK, (PAGE.width - big) / 2, PAGE.height / 2 - 25, { lineBreak: false });
  doc.restore();
  doc.fillOpacity(1);
}

/** '2026-05-12' → '2026年5月12日'; anything else is printed as given. */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/** Moves to a new page when less than `needed` points are left above the bottom margin. */
export function ensureRoom(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > PAGE.height - PAGE.bottom) doc.addPage();
}
