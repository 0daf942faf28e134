import fs from 'node:fs';
import path from 'node:path';
import { CSV_COLUMNS, type ImportKind } from '../../subgraphs/department-kernel/csv-import';
import {
  CreditLevel,
  InspectionMethod,
  ItemCategory,
  RiskLevel,
  TargetKind,
} from '../../subgraphs/department-kernel/contract/enums';
import { CHECKLIST_TEXT_CAPS } from '../../subgraphs/department-kernel/contract/inputs';

const README = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

/**
 * README's tables of "CSV files of `npm run import`": per kind, each column with required/optional and what it holds.
 */
function readmeColumns(): Record<string, Array<{ column: string; need: string; holds: string }>> {
  const section = README.split('### CSV files of `npm run import`')[1]!.split('\n## ')[0]!;
  const tables: Record<string, Array<{ column: string; need: string; holds: string }>> = {};
  let kind = '';
  for (const line of section.split('\n')) {
    const heading = /^\*\*(\w+)\*\*/.exec(line);
    if (heading) kind = heading[1]!;
    const row = /^\| `(\w+)` \| (required|optional) \| (.+) \|$/.exec(line);
    if (row) (tables[kind] ??= []).push({ column: row[1]!, need: row[2]!, holds: row[3]! });
  }
  return tables;
}

/** Columns whose cells are one of an enum (a list of them for targetKinds): README names every value. */
const ALLOWED: Partial<Record<ImportKind, Record<string, Record<string, string>>>> = {
  targets: { kind: TargetKind, creditLevel: CreditLevel, riskLevel: RiskLevel },
  checklist: { targetKinds: TargetKind, method: InspectionMethod, category: ItemCategory },
};

/** README lists the CSV columns a user needs before the first import (H1 point 6), in step with the code. */
describe('README: the columns of each import kind', () => {
  const tables = readmeColumns();

  it.each(Object.keys(CSV_COLUMNS) as ImportKind[])(
    '%s: every column of CSV_COLUMNS, required or optional as the import takes it, and no other',
    (kind) => {
      const listed = tables[kind] ?? [];
      const names = (need: string) =>
        listed
          .filter((c) => c.need === need)
          .map((c) => c.column)
          .sort();
      expect({ required: names('required'), optional: names('optional') }).toEqual({
        required: [...CSV_COLUMNS[kind].required].sort(),
        optional: [...CSV_COLUMNS[kind].optional].sort(),
      });
    },
  );

  it('the allowed values of every enum column, and the R1 caps of the checklist texts', () => {
    const holds = (kind: ImportKind, column: string) => tables[kind]!.find((c) => c.column === column)!.holds;
    for (const [kind, columns] of Object.entries(ALLOWED) as Array<
      [ImportKind, Record<string, Record<string, string>>]
    >) {
      for (const [column, values] of Object.entries(columns))
        for (const value of Object.values(values)) expect(holds(kind, column)).toContain(`\`${value}\``);
    }
    for (const [field, cap] of Object.entries(CHECKLIST_TEXT_CAPS))
      expect(holds('checklist', field)).toContain(`at most ${cap.toLocaleString('en-US')} characters`);
  });
});
