/**
 * A CSV file cut into parts the hub takes in one call (`<code>ImportCsv`: at most 2,000 rows and
 * 600,000 bytes of UTF-8), each part the header row and whole records: a record is cut at a line
 * break outside quotes (a quoted cell may hold line breaks). `lineOffset` of a part is the number
 * of the file's lines before its first record, the header excluded: the hub adds it to the lines it
 * reports, so every rejected row is named by its line in the whole file.
 */
export interface CsvPart {
  csv: string;
  /** Records (rows) in the part. */
  rows: number;
  lineOffset: number;
}

/**
 * Rows a part holds: the hub's limit, so that a large file takes as few calls as it can (each counts against the
 * caller's rate of changes).
 */
export const PART_MAX_ROWS = 2000;
/** Bytes (UTF-8) a part holds at most: under the hub's 600,000, with room for the record cut at a line. */
export const PART_MAX_BYTES = 400_000;

const utf8 = new TextEncoder();
const bytesOf = (text: string) => utf8.encode(text).length;

/**
 * The file's records, each with the line it starts on (the first line is 1); blank lines are left out, as the hub
 * leaves them out.
 */
export function csvRecords(text: string): Array<{ text: string; line: number; start: number; end: number }> {
  const records: Array<{ text: string; line: number; start: number; end: number }> = [];
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  const push = (end: number) => {
    const record = text.slice(start, end).replace(/\r$/, '');
    if (record.trim() !== '') records.push({ text: record, line: startLine, start, end: start + record.length });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n') {
      line++;
      if (!quoted) {
        push(i);
        start = i + 1;
        startLine = line;
      }
    }
  }
  push(text.length);
  return records;
}

/** The parts to send, in order; none when the file has no row after its header. */
export function csvParts(
  file: string,
  maxRows = PART_MAX_ROWS,
  maxBytes = PART_MAX_BYTES,
): { header: string | null; parts: CsvPart[]; rows: number } {
  const text = file.replace(/^\uFEFF/, '');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const records = csvRecords(text);
  const header = records.shift();
  if (!header) return { header: null, parts: [], rows: 0 };
  const parts: CsvPart[] = [];
  let current: typeof records = [];
  let size = bytesOf(header.text) + 1;
  const close = () => {
    if (current.length === 0) return;
    // The hub counts the header as line 1 of every part, its first record line 2; the records go
    // as the file has them (blank lines between them too), so the lines after it count as the file's.
    const first = current[0]!;
    parts.push({
      csv: header.text + eol + text.slice(first.start, current[current.length - 1]!.end) + eol,
      rows: current.length,
      lineOffset: first.line - 2,
    });
    current = [];
    size = bytesOf(header.text) + 1;
  };
  for (const record of records) {
    const bytes = bytesOf(record.text) + 1;
    if (current.length >= maxRows || (current.length > 0 && size + bytes > maxBytes)) close();
    current.push(record);
    size += bytes;
  }
  close();
  return { header: header.text, parts, rows: records.length };
}
