/**
 * Credit-risk classes of the target draw (R13) and how a target gets one. Pure: no database,
 * no network; `verify-draw` and the browser re-play use the same code.
 *
 * A department's view of a target gives a stratum:
 *   - HIGH when the target is on the abnormal-operation list, was penalised in the last 3 years,
 *     or has verified complaints (R13, 国办发〔2015〕58号), or its credit class is D or its risk HIGH;
 *   - otherwise the worse of its credit class (A → LOW, B → GENERAL, C → ELEVATED, D → HIGH) and
 *     its risk level (LOW, GENERAL, ELEVATED, HIGH map to themselves).
 * A target's stratum in a plan combines the views of the participating departments that have it
 * on their roster: by default the worst of them (`WORST`), or the lead department's alone (`LEAD`).
 * So a tax D rating raises a target's draw probability in a joint plan with tax.
 */

/** Strata, from the highest draw ratio to the lowest; the draw visits them in this order. */
export const STRATA = ['HIGH', 'ELEVATED', 'GENERAL', 'LOW'] as const;
export type Stratum = (typeof STRATA)[number];

const RANK: Record<Stratum, number> = { HIGH: 3, ELEVATED: 2, GENERAL: 1, LOW: 0 };
const CREDIT: Record<string, Stratum> = { A: 'LOW', B: 'GENERAL', C: 'ELEVATED', D: 'HIGH' };

export function isStratum(value: string): value is Stratum {
  return (STRATA as readonly string[]).includes(value);
}

/** The worse (higher-ratio) of two strata. */
export function worse(a: Stratum, b: Stratum): Stratum {
  return RANK[a] >= RANK[b] ? a : b;
}

/** What one department says of a target (its view, from the department contract). */
export interface DepartmentSignal {
  creditLevel: string;
  riskLevel: string;
  penaltiesLast3Years: number;
  verifiedComplaints: number;
}

/** The stratum one department's view gives (R13). */
export function stratumOfView(view: DepartmentSignal, onAbnormalList: boolean): Stratum {
  if (onAbnormalList || view.penaltiesLast3Years > 0 || view.verifiedComplaints > 0) return 'HIGH';
  const credit = CREDIT[view.creditLevel] ?? 'GENERAL';
  const risk = isStratum(view.riskLevel) ? view.riskLevel : 'GENERAL';
  return worse(credit, risk);
}

export type ClassCombination = 'WORST' | 'LEAD';

/**
 * A target's stratum in a plan: the lead department's view (the target is on its roster), and
 * the views of other participating departments that have it, combined.
 */
export function combineStrata(lead: Stratum, others: readonly Stratum[], combination: ClassCombination): Stratum {
  if (combination === 'LEAD') return lead;
  return others.reduce(worse, lead);
}

/** Draw ratios per stratum, in basis points (3000 = 30%). */
export type StratumRatios = Record<Stratum, number>;

/**
 * How many of a stratum are drawn: the ratio times the count, rounded UP, and never more than
 * the stratum holds. Rounding up means every non-empty stratum with a positive ratio is drawn
 * from (1% of 30 targets draws 1, not 0). When the plan has GENERAL items, their smallest ratio cap
 * (R2) bounds the count too, rounded DOWN, so rounding never takes a stratum past the cap (5% of 3
 * targets draws 0, not 1). Integer arithmetic only, so every verifier agrees:
 * min(eligible, ceil(eligible × basisPoints / 10000), floor(eligible × capBasisPoints / 10000)).
 */
export function drawCount(eligible: number, ratioBasisPoints: number, capBasisPoints: number | null = null): number {
  if (eligible === 0 || ratioBasisPoints === 0) return 0;
  const rounded = Math.min(eligible, Math.floor((eligible * ratioBasisPoints + 9999) / 10000));
  return capBasisPoints === null ? rounded : Math.min(rounded, Math.floor((eligible * capBasisPoints) / 10000));
}
