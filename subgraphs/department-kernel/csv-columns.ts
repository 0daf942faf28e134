/**
 * The columns of the CSV files a department imports (R6): `npm run import` and the workspace's
 * import (issue I) both read them, and the page shows them (plain data: the page bundles this file).
 */
export type ImportKind = 'targets' | 'inspectors' | 'checklist';

/** The columns each kind of file has (a header row names them; order is free, extra columns are refused). */
export const CSV_COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  targets: {
    required: [
      'kind',
      'name',
      'regionCode',
      'industryCode',
      'creditLevel',
      'riskLevel',
      'penaltiesLast3Years',
      'verifiedComplaints',
    ],
    optional: ['id', 'uscc'],
  },
  inspectors: {
    required: ['id', 'name', 'certificateNo', 'unit', 'position', 'domains', 'jurisdiction', 'qualified'],
    optional: ['permissions', 'phone'],
  },
  checklist: {
    required: [
      'code',
      'title',
      'content',
      'basis',
      'inspectingBody',
      'targetKinds',
      'method',
      'category',
      'frequency',
      'domain',
    ],
    optional: ['ratioCapPercent', 'industries'],
  },
};

/** The cells that identify a row of each kind in the rejects report, so that a person finds it. */
export const REJECT_KEY_COLUMNS: Record<ImportKind, string[]> = {
  targets: ['id', 'uscc', 'name'],
  inspectors: ['id', 'name'],
  checklist: ['code', 'title'],
};
