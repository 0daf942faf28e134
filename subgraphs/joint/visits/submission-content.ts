/**
 * The content of a visit's submission as one canonical text (issue J), from which its digest (the
 * SHA-256 of this text) is taken: by the hub when it stores a submission, and by the inspector's
 * phone when the business and the team sign, so that the signed joint record form and the stored
 * results can be compared (R29), and a submission sent twice with one idempotency key is known to
 * be the same (R24). Pure and dependency-free: the page (web/src/work/) imports it too.
 */

/** Measures taken on site (Zibo rules art. 17: 现场笔录、提取证据、责令停止违法活动、督促整改). */
export const VISIT_MEASURES = {
  ON_SITE_RECORD: '制作现场笔录',
  EVIDENCE_COLLECTED: '初步提取证据',
  ORDERED_TO_STOP: '责令停止违法活动',
  ORDERED_TO_RECTIFY: '责令（督促）整改',
} as const;
export type VisitMeasure = keyof typeof VISIT_MEASURES;

/** 检查方式 (R23), in the words the papers print and the page shows. */
export const METHOD_LABELS: Record<string, string> = {
  ON_SITE: '现场检查',
  WRITTEN: '书面检查',
  ONLINE_MONITORING: '网络监测',
  THIRD_PARTY: '委托第三方',
};

/** One item's result as it is submitted (the GraphQL VisitResultInput, defaults filled). */
export interface ContentResult {
  department: string;
  itemCode: string;
  outcome: string;
  method: string;
  notes?: string | null;
  confidentialNotes?: string | null;
  evidence?: readonly string[] | null;
  measures?: readonly string[] | null;
  penaltyUnderGeneralProcedure?: boolean | null;
  statutoryCheckFailed?: boolean | null;
  leadFor?: string | null;
  leadNote?: string | null;
}

export interface SubmissionContent {
  taskId: string;
  targetKey: string;
  inspectedOn: string;
  results: readonly ContentResult[];
}

/** The format's name, inside the text: a later format is a new name. */
export const SUBMISSION_CONTENT_FORMAT = 'jointcheck-visit/1';

/**
 * The canonical text: JSON with a fixed key order, the results sorted by department and item code,
 * absent values as null or false, texts as given (the hub stores them as given), measures sorted.
 */
export function canonicalSubmissionContent(content: SubmissionContent): string {
  const results = [...content.results]
    .map((r) => ({
      department: r.department,
      itemCode: r.itemCode,
      outcome: r.outcome,
      method: r.method,
      notes: r.notes ?? null,
      confidentialNotes: r.confidentialNotes ?? null,
      evidence: [...(r.evidence ?? [])],
      measures: [...(r.measures ?? [])].sort(),
      penaltyUnderGeneralProcedure: r.penaltyUnderGeneralProcedure === true,
      statutoryCheckFailed: r.statutoryCheckFailed === true,
      leadFor: r.leadFor ?? null,
      leadNote: r.leadFor ? (r.leadNote ?? null) : null,
    }))
    .sort((a, b) =>
      a.department === b.department
        ? a.itemCode < b.itemCode
          ? -1
          : a.itemCode > b.itemCode
            ? 1
            : 0
        : a.department < b.department
          ? -1
          : 1,
    );
  return JSON.stringify({
    format: SUBMISSION_CONTENT_FORMAT,
    taskId: content.taskId,
    targetKey: content.targetKey,
    inspectedOn: content.inspectedOn,
    results,
  });
}
