import { registerEnumType } from 'type-graphql';

/*
 * Closed vocabularies of the joint service's answers (H1 point 5): each value is the string the
 * service stores and answered before these were enums, so a JSON answer is unchanged. Those the
 * department contract defines (TargetKind, InspectionMethod, ItemCategory, ResultStatus, RiskLevel,
 * CreditLevel) are imported from `department-kernel/contract/enums.ts`, never defined again here. Open
 * vocabularies (a department's outcomes, audit actions) stay strings.
 */

/** Where a task stands (R9, R16, R17): committed to its secret, snapshot taken, drawn, locked, or cancelled. */
export enum TaskStatusEnum {
  COMMITTED = 'COMMITTED',
  SNAPSHOT_TAKEN = 'SNAPSHOT_TAKEN',
  DRAWN = 'DRAWN',
  LOCKED = 'LOCKED',
  CANCELLED = 'CANCELLED',
}

/** Whether the plan revision shown is published (R11). */
export enum PlanStatusEnum {
  PUBLISHED = 'PUBLISHED',
  DRAFT = 'DRAFT',
}

/** A plan of several departments (联合抽查) or of one (部门内部抽查) (R10). */
export enum PlanKindEnum {
  JOINT = 'JOINT',
  INTERNAL = 'INTERNAL',
}

/** A credit-risk stratum of the draw (R13). */
export enum StratumEnum {
  HIGH = 'HIGH',
  ELEVATED = 'ELEVATED',
  GENERAL = 'GENERAL',
  LOW = 'LOW',
}

/** What a team member is (R8, R18). */
export enum TeamMemberKindEnum {
  INSPECTOR = 'INSPECTOR',
  EXPERT = 'EXPERT',
}

/** How a team member got their seat (R18, R20, R21). */
export enum TeamMemberOriginEnum {
  DRAWN = 'DRAWN',
  REPLACEMENT = 'REPLACEMENT',
  ASSIGNED = 'ASSIGNED',
}

/** Whether a team member holds their seat, or was replaced (kept on record, R20). */
export enum TeamSeatStatusEnum {
  ACTIVE = 'ACTIVE',
  REPLACED = 'REPLACED',
}

/** Where a department's share of a submission stands (R24). */
export enum DeliveryStatusEnum {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  REFUSED = 'REFUSED',
}

/** What a business left against an inspection code (R32). */
export enum VisitFeedbackKindEnum {
  RATING = 'RATING',
  COMPLAINT = 'COMPLAINT',
}

registerEnumType(TaskStatusEnum, {
  name: 'TaskStatus',
  description:
    'Where a task stands (R9, R16, R17): COMMITTED to its secret, SNAPSHOT_TAKEN, DRAWN, LOCKED (the list ' +
    'never changes again), or CANCELLED.',
});
registerEnumType(PlanStatusEnum, {
  name: 'PlanStatus',
  description: 'PUBLISHED when the plan revision shown is published, DRAFT otherwise (R11).',
});
registerEnumType(PlanKindEnum, {
  name: 'PlanKind',
  description: 'JOINT when several departments take part (联合抽查), INTERNAL for one (部门内部抽查) (R10).',
});
registerEnumType(StratumEnum, {
  name: 'Stratum',
  description: 'A credit-risk stratum of the draw (R13): HIGH, ELEVATED, GENERAL or LOW.',
});
registerEnumType(TeamMemberKindEnum, {
  name: 'TeamMemberKind',
  description: 'An enforcement INSPECTOR or an EXPERT (R8, R18).',
});
registerEnumType(TeamMemberOriginEnum, {
  name: 'TeamMemberOrigin',
  description: 'DRAWN by the lottery, a REPLACEMENT (R20) or ASSIGNED to a vacant seat (R21), both chosen without one.',
});
registerEnumType(TeamSeatStatusEnum, {
  name: 'TeamSeatStatus',
  description: 'ACTIVE: holds the seat; REPLACED: kept on record (R20).',
});
registerEnumType(DeliveryStatusEnum, {
  name: 'DeliveryStatus',
  description:
    'A share of a submission (R24): PENDING (retried with backoff), DELIVERED, or REFUSED by the department ' +
    '(a person must look).',
});
registerEnumType(VisitFeedbackKindEnum, {
  name: 'VisitFeedbackKind',
  description: 'A RATING (1 to 5) or a COMPLAINT a business left against an inspection code (R32).',
});

/**
 * Measures taken on site (Zibo rules art. 17), recorded on the joint record form (issue J). The values are
 * submission-content.ts's VISIT_MEASURES keys.
 */
export enum VisitMeasureEnum {
  ON_SITE_RECORD = 'ON_SITE_RECORD',
  EVIDENCE_COLLECTED = 'EVIDENCE_COLLECTED',
  ORDERED_TO_STOP = 'ORDERED_TO_STOP',
  ORDERED_TO_RECTIFY = 'ORDERED_TO_RECTIFY',
}
registerEnumType(VisitMeasureEnum, {
  name: 'VisitMeasure',
  description:
    'A measure taken on site: 制作现场笔录 (ON_SITE_RECORD), 初步提取证据 (EVIDENCE_COLLECTED), 责令停止违法活动 ' +
    '(ORDERED_TO_STOP), 责令（督促）整改 (ORDERED_TO_RECTIFY).',
});

/** How the business acknowledged the joint record form (Zibo rules art. 17). */
export enum BusinessAcknowledgementEnum {
  SIGNED = 'SIGNED',
  REFUSED = 'REFUSED',
}
registerEnumType(BusinessAcknowledgementEnum, {
  name: 'BusinessAcknowledgement',
  description:
    'SIGNED: the business signed (or stamped) the joint record form; REFUSED: it refused, and the inspectors ' +
    'signed a note saying so.',
});
