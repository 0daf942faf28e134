import type { ChecklistItem, DepartmentView, Inspector, RosterTarget } from './contract/interfaces';
import type { CreditLevel, InspectionMethod, ItemCategory, ItemStatus, RiskLevel, TargetKind } from './contract/enums';
import type { ChecklistItemRow, ExpertRow, InspectorRow, RosterTargetRow } from './entities';

/*
 * Rows to GraphQL shapes, in one place (STYLE.md habit 3): masking and unit conversion happen here.
 */

export function toChecklistItem(row: ChecklistItemRow, department: string): ChecklistItem {
  return {
    department,
    code: row.code,
    version: row.version,
    title: row.title,
    content: row.content,
    basis: row.basis,
    inspectingBody: row.inspectingBody,
    targetKinds: row.targetKinds as TargetKind[],
    method: row.method as InspectionMethod,
    category: row.category as ItemCategory,
    ratioCapPercent: row.ratioCapBasisPoints === null ? null : row.ratioCapBasisPoints / 100,
    frequency: row.frequency,
    domain: row.domain,
    industries: row.industries,
    status: row.status as ItemStatus,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    changeReason: row.changeReason,
    closeReason: row.closeReason,
  };
}

export function toTarget(row: RosterTargetRow, department: string): RosterTarget {
  return {
    department,
    id: row.id,
    kind: row.kind as TargetKind,
    uscc: row.uscc,
    name: row.name,
    regionCode: row.regionCode,
    industryCode: row.industryCode,
    creditLevel: row.creditLevel as CreditLevel,
    riskLevel: row.riskLevel as RiskLevel,
    penaltiesLast3Years: row.penaltiesLast3Years,
    verifiedComplaints: row.verifiedComplaints,
  };
}

/** Phones are shown to the department's own staff only (R30). */
export function toInspector(row: InspectorRow, department: string, showPrivate: boolean): Inspector {
  return {
    department,
    id: row.id,
    name: row.name,
    certificateNo: row.certificateNo,
    unit: row.unit,
    position: row.position,
    domains: row.domains,
    permissions: row.permissions,
    jurisdiction: row.jurisdiction,
    qualified: row.qualified,
    phone: showPrivate ? row.phone : null,
  };
}

export function toExpert(row: ExpertRow, department: string, showPrivate: boolean) {
  return { department, ...row, phone: showPrivate ? row.phone : null };
}

/** The department's view of a market entity; a target not on the roster has no classes. */
export function toView(uscc: string, row: RosterTargetRow | null, department: string): DepartmentView {
  return {
    department,
    uscc,
    onRoster: row !== null,
    creditLevel: (row?.creditLevel as CreditLevel | undefined) ?? null,
    riskLevel: (row?.riskLevel as RiskLevel | undefined) ?? null,
    penaltiesLast3Years: row?.penaltiesLast3Years ?? 0,
    verifiedComplaints: row?.verifiedComplaints ?? 0,
  };
}

/** Whether an item (current version) applies to a roster target: kind and industry section (R1 对象). */
export function itemAppliesTo(
  item: Pick<ChecklistItemRow, 'targetKinds' | 'industries'>,
  target: Pick<RosterTargetRow, 'kind' | 'industryCode'>,
): boolean {
  if (!item.targetKinds.includes(target.kind)) return false;
  return item.industries.length === 0 || item.industries.some((code) => target.industryCode.startsWith(code));
}
