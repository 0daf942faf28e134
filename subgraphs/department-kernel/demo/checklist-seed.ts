/**
 * The shape of a department's demo checklist: the items a built-in department starts with.
 * Each item carries what R1 requires (legal basis, inspecting body, target kinds, content,
 * method, ratio, frequency) and whether it is KEY or GENERAL (R2).
 */
export interface ChecklistSeedItem {
  /** Stable item code within the department, e.g. `TAX-01`. */
  code: string;
  /** Short title (抽查事项名称), Chinese. */
  title: string;
  /** What is checked (检查内容), Chinese, one or two sentences. */
  content: string;
  /** Legal basis (抽查依据): real laws/regulations by name and article, Chinese. */
  basis: string;
  /** Inspecting body (检查主体), e.g. `区市场监督管理局`. */
  inspectingBody: string;
  /** Which targets the item applies to (R1 对象). */
  targetKinds: Array<
    | 'ENTERPRISE'
    | 'INDIVIDUAL_BUSINESS'
    | 'COOPERATIVE'
    | 'SOCIAL_ORGANISATION'
    | 'PUBLIC_INSTITUTION'
    | 'PRODUCT'
    | 'PROJECT'
    | 'BEHAVIOUR'
  >;
  /** Inspection method (R23). */
  method: 'ON_SITE' | 'WRITTEN' | 'ONLINE_MONITORING' | 'THIRD_PARTY';
  /** KEY: no ratio cap; GENERAL: ratio capped below 100% (R2). */
  category: 'KEY' | 'GENERAL';
  /** Ratio cap in percent for GENERAL items (e.g. 5 means 5%); null for KEY items. */
  ratioCapPercent: number | null;
  /** Frequency (抽查频次), Chinese, e.g. `每年不少于1次`. */
  frequency: string;
  /** The supervision domain an inspector must hold to check this item (matches inspector domains). */
  domain: string;
  /**
   * Industry codes (GB/T 4754 sections, one letter A-T) the item applies to; empty = all industries.
   * Used to decide which items apply to a target.
   */
  industries: string[];
}
