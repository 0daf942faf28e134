import type { ClassCombination, StratumRatios } from '../draw/strata';

/** One checklist item in a plan, as it was on the department's checklist when the plan was made (R3). */
export interface PlanItem {
  department: string;
  code: string;
  version: number;
  title: string;
  basis: string;
  category: 'KEY' | 'GENERAL';
  /** Ratio cap in basis points for GENERAL items (R2). */
  ratioCapBasisPoints: number | null;
  domain: string;
  targetKinds: string[];
  industries: string[];
  method: string;
}

/** What a plan says (R10); every revision stores one, whole. */
export interface PlanContent {
  name: string;
  year: number;
  leadDepartment: string;
  /** Participating departments, the lead included, sorted. One department: 部门内部抽查; several: 联合抽查. */
  departments: string[];
  items: PlanItem[];
  scope: { targetKinds: string[]; regions: string[]; industries: string[] };
  methods: string[];
  window: { start: string; end: string };
  /** Draw ratio per credit-risk stratum, in basis points (R13). */
  ratios: StratumRatios;
  classCombination: ClassCombination;
  /** Leave out targets drawn by a locked task within this many days (tax practice: three years). */
  excludeInspectedWithinDays: number;
  /** Targets per inspection batch; the batch order is drawn (R15). */
  batchSize: number;
  /** Inspectors each department draws per visit (R18). */
  inspectorsPerDepartment: number;
  /** Experts drawn per visit from the lead department's expert roster (R8); 0 for none. */
  expertsPerVisit: number;
}

/** Demo defaults for ratios, following published local practice: high 30%, elevated 10%, general 2%, low 1%. */
export const DEFAULT_RATIOS: StratumRatios = { HIGH: 3000, ELEVATED: 1000, GENERAL: 200, LOW: 100 };

/** The smallest ratio cap among a plan's GENERAL items (R2), in basis points, or null when it has none. */
export function planRatioCap(content: PlanContent): number | null {
  const caps = content.items
    .filter((i) => i.category === 'GENERAL' && i.ratioCapBasisPoints !== null)
    .map((i) => i.ratioCapBasisPoints!);
  return caps.length ? Math.min(...caps) : null;
}
