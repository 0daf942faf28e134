/**
 * The data the two printed papers are made from (R22, R24, R26, R27, R29, R32; seed 004 art. 17):
 * plain values, already resolved to labels, so the renderers never touch a database.
 */

/** A member of the inspection team; the whole team signs the record form (004 art. 17 (三)). */
export interface FormPerson {
  name: string;
  department: string;
  departmentName: string;
  certificateNo: string | null;
  kind: 'INSPECTOR' | 'EXPERT';
  leader: boolean;
  /** The member's signature, or null: not signed yet (an empty line is printed). */
  signaturePng: Buffer | null;
}

/** One checklist item of one department, with what the visit found (R24, R27). */
export interface FormItem {
  code: string;
  title: string;
  basis: string;
  methodLabel: string;
  outcome: string;
  outcomeLabel: string;
  notes: string | null;
  /** Chinese labels of measures taken, e.g. 责令改正. */
  measures: string[];
  /** 'sha256:<64 hex>' references. */
  evidence: string[];
  penaltyUnderGeneralProcedure: boolean;
  statutoryCheckFailed: boolean;
  /** The department a lead is handed to (R27). */
  leadFor: string | null;
  leadNote: string | null;
}

/** The business inspected (or to be inspected). */
export interface FormTarget {
  key: string;
  uscc: string | null;
  name: string;
  address: string | null;
  legalRepresentative: string | null;
}

/** 《部门联合抽查情况记录表（汇总表）》 for one visit (004 art. 17). */
export interface RecordFormData {
  /** Printed in the header, e.g. 'JF-2026-000123-1'. */
  formNo: string;
  /** 1, 2 ...: a new form after a result changed prints "第 2 版，取代第 1 版" (R28). */
  version: number;
  taskName: string;
  leadDepartmentName: string;
  target: FormTarget;
  /** YYYY-MM-DD. */
  inspectedOn: string;
  departments: Array<{ code: string; name: string; items: FormItem[] }>;
  /** The whole team signs the form. */
  team: FormPerson[];
  /**
   * Refusal: the inspectors' note saying the business refused to sign or stamp; the team's signatures attest it (R26).
   */
  business: { kind: 'SIGNED'; signerName: string; signaturePng: Buffer } | { kind: 'REFUSED'; note: string };
  /** 检查码, e.g. 'JC-7K3M-9QXZ-2B4T-HHW8' (R32). */
  inspectionCode: string;
  /** What the QR code opens: the public page's check of that code (R32). */
  checkUrl: string;
  /** SHA-256 hex of the results' content the signatures were made over; printed in every page's footer (R29). */
  contentDigest: string;
  /** The PDF's CreationDate/ModDate, so the same data gives the same bytes. */
  madeAt: Date;
  /** A training exercise: every page is marked 培训演练 — 非正式执法文书. */
  training: boolean;
}

/** 《部门联合检查通知书》 sent before the visit (004 art. 17 (二)). */
export interface NoticeData {
  noticeNo: string;
  taskName: string;
  leadDepartmentName: string;
  target: FormTarget;
  /** YYYY-MM-DD, the day of the visit. */
  visitOn: string;
  departments: Array<{ name: string; items: Array<{ title: string; basis: string }> }>;
  /** Who to call, given by the lead's coordinator. */
  contact: string | null;
  /** What to prepare (配合检查的相关要求，提示准备好相关资料). */
  requirements: string | null;
  /** YYYY-MM-DD. */
  issuedOn: string;
  madeAt: Date;
  training: boolean;
}
