/**
 * Tables drawn by hand on a pdfkit document: each cell is stacked paragraphs (and at most one
 * image), rows grow to their tallest cell, a row that does not fit starts a new page (with the
 * caption and the column headers again), and a row taller than a page is split between pages
 * at a character, so long notes flow over pages and nothing overlaps or is cut off.
 */
import { BOLD, FILL, INK, MUTED, PAGE, REGULAR, RULE } from './document';

/** One paragraph of a cell. */
export interface Run {
  text: string;
  bold?: boolean;
  /** Points; 9.5 by default. */
  size?: number;
  color?: string;
}

/** A cell: paragraphs, then an image drawn to fit its box (a signature, kept in proportion). */
export interface Cell {
  runs: Run[];
  image?: { data: Buffer; height: number } | null;
  fill?: string;
}

export interface Column {
  header: string;
  width: number;
}

export interface Table {
  columns: Column[];
  /** Printed above the table again, with （续）, when it continues on a new page. */
  caption?: string;
}

/** A row is one cell per column, or a single cell spanning them all. */
export type Row = Cell[];

const PAD = 4;
const GAP = 2;
const LINE_GAP = 1;
const SIZE = 9.5;
/** Rows up to this tall are never split between pages; taller ones fill the page and go on. */
const KEEP_WHOLE = 170;

/** A cell of plain text. */
export function cell(text: string, run: Omit<Run, 'text'> = {}): Cell {
  return { runs: [{ text, ...run }] };
}

function useRun(doc: PDFKit.PDFDocument, run: Run): void {
  doc.font(run.bold ? BOLD : REGULAR).fontSize(run.size ?? SIZE);
}

function runHeight(doc: PDFKit.PDFDocument, run: Run, width: number): number {
  if (run.text === '') return 0;
  useRun(doc, run);
  return doc.heightOfString(run.text, { width, lineGap: LINE_GAP });
}

/** The height of a cell's content, without padding. */
function contentHeight(doc: PDFKit.PDFDocument, c: Cell, width: number): number {
  const parts = c.runs.filter((r) => r.text !== '').map((r) => runHeight(doc, r, width));
  if (c.image) parts.push(c.image.height);
  return parts.reduce((a, b) => a + b, 0) + GAP * Math.max(0, parts.length - 1);
}

/** Splits a cell so its first part fits in `room` points of content; the rest is null when all fits. */
function splitCell(doc: PDFKit.PDFDocument, c: Cell, width: number, room: number): [Cell, Cell | null] {
  if (contentHeight(doc, c, width) <= room) return [c, null];
  const head: Run[] = [];
  let used = 0;
  const runs = c.runs.filter((r) => r.text !== '');
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const gap = head.length > 0 ? GAP : 0;
    const h = runHeight(doc, run, width);
    if (used + gap + h <= room) {
      head.push(run);
      used += gap + h;
      continue;
    }
    // Cut this paragraph at the longest prefix that fits (binary search over characters).
    const chars = Array.from(run.text);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (used + gap + runHeight(doc, { ...run, text: chars.slice(0, mid).join('') }, width) <= room) lo = mid;
      else hi = mid - 1;
    }
    // Prefer to cut after punctuation or a space near the end, so a word is not torn apart.
    let cut = lo;
    for (let k = lo; k > Math.max(0, lo - 12); k--) {
      if (/[\s，。；、：！？,.;:)）]/.test(chars[k - 1] ?? '')) {
        cut = k;
        break;
      }
    }
    if (cut > 0) head.push({ ...run, text: chars.slice(0, cut).join('') });
    const rest = chars.slice(cut).join('');
    const tail: Run[] = [...(rest ? [{ ...run, text: rest }] : []), ...runs.slice(i + 1)];
    return [
      { runs: head, fill: c.fill },
      { runs: tail, image: c.image, fill: c.fill },
    ];
  }
  // Every paragraph fits: only the image is left over.
  return [
    { runs: head, fill: c.fill },
    { runs: [], image: c.image, fill: c.fill },
  ];
}

function widths(table: Table, row: Row): number[] {
  return row.length === 1 ? [table.columns.reduce((a, c) => a + c.width, 0)] : table.columns.map((c) => c.width);
}

function rowHeight(doc: PDFKit.PDFDocument, table: Table, row: Row): number {
  const ws = widths(table, row);
  return Math.max(...row.map((c, i) => contentHeight(doc, c, ws[i]! - 2 * PAD))) + 2 * PAD;
}

function drawRow(doc: PDFKit.PDFDocument, table: Table, row: Row, y: number, height: number): void {
  const ws = widths(table, row);
  let x = PAGE.left;
  row.forEach((c, i) => {
    const w = ws[i]!;
    if (c.fill) doc.rect(x, y, w, height).fillColor(c.fill).fill();
    let cy = y + PAD;
    for (const run of c.runs) {
      if (run.text === '') continue;
      useRun(doc, run);
      doc
        .fillColor(run.color ?? INK)
        .text(run.text, x + PAD, cy, { width: w - 2 * PAD, lineGap: LINE_GAP, height: 1e6 });
      cy += runHeight(doc, run, w - 2 * PAD) + GAP;
    }
    if (c.image) {
      doc.image(c.image.data, x + PAD, cy, { fit: [w - 2 * PAD, c.image.height], align: 'center', valign: 'center' });
    }
    doc.rect(x, y, w, height).lineWidth(0.6).strokeColor(RULE).stroke();
    x += w;
  });
  doc.fillColor(INK);
}

function headerRow(table: Table): Row {
  return table.columns.map((c) => ({ runs: [{ text: c.header, bold: true, size: 9 }], fill: FILL }));
}

const bottom = () => PAGE.height - PAGE.bottom;

/** Starts a new page with the caption (续) and the column headers; returns the y below them. */
function continueTable(doc: PDFKit.PDFDocument, table: Table): number {
  doc.addPage();
  let y = PAGE.top;
  if (table.caption) {
    doc
      .font(BOLD)
      .fontSize(10.5)
      .fillColor(INK)
      .text(`${table.caption}（续）`, PAGE.left, y, { width: PAGE.width - PAGE.left - PAGE.right });
    y = doc.y + 4;
  }
  const header = headerRow(table);
  const h = rowHeight(doc, table, header);
  drawRow(doc, table, header, y, h);
  return y + h;
}

/**
 * Draws the table at doc.y (column headers first, if any column has one) and leaves doc.y under it.
 * A row moves whole to a new page when it fits there; one taller than a page is split.
 */
export function drawTable(doc: PDFKit.PDFDocument, table: Table, rows: Row[]): void {
  let y = doc.y;
  const hasHeader = table.columns.some((c) => c.header !== '');
  if (hasHeader) {
    const header = headerRow(table);
    const h = rowHeight(doc, table, header);
    const first = rows[0] ? Math.min(rowHeight(doc, table, rows[0]), 60) : 0;
    if (y + h + first > bottom()) {
      doc.addPage(); // callers keep their caption with the table (ensureRoom), so this is rare
      y = PAGE.top;
    }
    drawRow(doc, table, header, y, h);
    y += h;
  }
  const freshRoom = () => bottom() - (PAGE.top + 60);
  for (const row of rows) {
    let pending: Row | null = row;
    while (pending) {
      const h = rowHeight(doc, table, pending);
      if (y + h <= bottom()) {
        drawRow(doc, table, pending, y, h);
        y += h;
        pending = null;
      } else if (h <= Math.min(freshRoom(), KEEP_WHOLE) || bottom() - y < 60) {
        // A short row moves whole to a new page; so does any row when too little room is left here.
        y = hasHeader ? continueTable(doc, table) : (doc.addPage(), PAGE.top);
        if (h > bottom() - y) pending = splitAndDraw(doc, table, pending, y, (yy) => (y = yy));
        else {
          drawRow(doc, table, pending, y, h);
          y += h;
          pending = null;
        }
      } else {
        pending = splitAndDraw(doc, table, pending, y, (yy) => (y = yy));
        y = hasHeader ? continueTable(doc, table) : (doc.addPage(), PAGE.top);
      }
    }
  }
  doc.x = PAGE.left;
  doc.y = y + 8;
}

/** Draws the part of a row that fits above the bottom margin; returns the rest. */
function splitAndDraw(doc: PDFKit.PDFDocument, table: Table, row: Row, y: number, setY: (y: number) => void): Row {
  const ws = widths(table, row);
  const room = bottom() - y - 2 * PAD;
  const parts = row.map((c, i) => splitCell(doc, c, ws[i]! - 2 * PAD, room));
  const head = parts.map(([h]) => h);
  // Cells that ended on this page are empty below; the first says the row goes on from the page before.
  const tail = parts.map(([, t], i): Cell => {
    const rest = t ?? { runs: [], fill: row[i]?.fill };
    const empty = rest.runs.every((r) => r.text === '') && !rest.image;
    return i === 0 && empty && row.length > 1
      ? { runs: [{ text: '（续上页）', size: 8, color: MUTED }], fill: rest.fill }
      : rest;
  });
  const h = bottom() - y;
  drawRow(doc, table, head, y, h);
  setY(y + h);
  return tail;
}
