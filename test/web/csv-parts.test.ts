import { csvParts, csvRecords } from '../../web/src/work/csv-parts';
import { countRecords } from '../../subgraphs/department-kernel/csv-import-resolver';

/** R6: the page sends a CSV file in parts; every rejected row must still be named by its line in the whole file. */
describe('a CSV file cut into parts for the workspace import (R6)', () => {
  const header = 'code,title,content';
  const file = [
    header,
    'A-1,"第一项","内容"',
    '',
    'A-2,"第二项","两行\n的内容"',
    'A-3,"第三项","内容"',
    '',
    '',
    'A-4,"第四项","内容"',
  ].join('\n');

  it(
    'R6: a record is cut at a line break outside quotes; blank lines are left out; each record keeps the line ' +
      'it starts on',
    () => {
      expect(csvRecords(file).map((r) => [r.line, r.text.slice(0, 3)])).toEqual([
        [1, 'cod'],
        [2, 'A-1'],
        [4, 'A-2'],
        [6, 'A-3'],
        [9, 'A-4'],
      ]);
    },
  );

  it(
    "R6: each part is the header and whole records, and a line the hub reports in a part plus the part's " +
      'offset is the line in the file',
    () => {
      const { parts, rows } = csvParts(file, 2);
      expect(rows).toBe(4);
      expect(parts.map((p) => p.rows)).toEqual([2, 2]);
      for (const part of parts) expect(part.csv.startsWith(`${header}\n`)).toBe(true);
      // As the hub counts (header line 1), where each part's records start, plus the offset.
      const fileLines = (part: (typeof parts)[number]) =>
        csvRecords(part.csv)
          .slice(1)
          .map((r) => r.line + part.lineOffset);
      expect(parts.flatMap(fileLines)).toEqual([2, 4, 6, 9]);
      // The hub's own count of records agrees with the page's.
      expect(parts.map((p) => countRecords(p.csv) - 1)).toEqual([2, 2]);
    },
  );

  it(
    'R6: Windows line endings and a byte-order mark are kept apart from the data; a file of only a header has ' +
      'no part',
    () => {
      const crlf = '\uFEFFcode,title\r\nA-1,x\r\nA-2,y\r\n';
      const { header: h, parts } = csvParts(crlf);
      expect(h).toBe('code,title');
      expect(parts).toEqual([{ csv: 'code,title\r\nA-1,x\r\nA-2,y\r\n', rows: 2, lineOffset: 0 }]);
      expect(csvParts('code,title\n').parts).toEqual([]);
    },
  );

  it('R6: a part stays under the size limit: a long file is cut by characters as well as by rows', () => {
    const long = [header, ...Array.from({ length: 10 }, (_, i) => `A-${i},"${'长'.repeat(100)}",x`)].join('\n');
    const { parts } = csvParts(long, 500, 350);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(p.csv.length).toBeLessThanOrEqual(350);
    expect(parts.reduce((n, p) => n + p.rows, 0)).toBe(10);
  });
});
