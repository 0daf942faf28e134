import { registerEnumType } from 'type-graphql';

/**
 * Closed vocabularies of the department contract. They are defined once, here, so every
 * subgraph prints them identically (an enum extended by one subgraph breaks composition).
 * Open vocabularies (department codes, result outcomes) are strings, not enums (DESIGN.md).
 */

/** What a roster entry is (R6). */
export enum TargetKind {
  ENTERPRISE = 'ENTERPRISE',
  INDIVIDUAL_BUSINESS = 'INDIVIDUAL_BUSINESS',
  COOPERATIVE = 'COOPERATIVE',
  SOCIAL_ORGANISATION = 'SOCIAL_ORGANISATION',
  PUBLIC_INSTITUTION = 'PUBLIC_INSTITUTION',
  PRODUCT = 'PRODUCT',
  PROJECT = 'PROJECT',
  BEHAVIOUR = 'BEHAVIOUR',
}

/** Inspection methods (R23). */
export enum InspectionMethod {
  ON_SITE = 'ON_SITE',
  WRITTEN = 'WRITTEN',
  ONLINE_MONITORING = 'ONLINE_MONITORING',
  THIRD_PARTY = 'THIRD_PARTY',
}

/** KEY items have no ratio cap; GENERAL items are capped below 100% (R2). */
export enum ItemCategory {
  KEY = 'KEY',
  GENERAL = 'GENERAL',
}

/** A checklist item version is current until a change supersedes it (R5). */
export enum ItemStatus {
  CURRENT = 'CURRENT',
  SUPERSEDED = 'SUPERSEDED',
  REPEALED = 'REPEALED',
}

/** Risk level as a department sees a target (R13). */
export enum RiskLevel {
  LOW = 'LOW',
  GENERAL = 'GENERAL',
  ELEVATED = 'ELEVATED',
  HIGH = 'HIGH',
}

/** Credit class as a department sees a target: A good, B fair, C poor, D bad (internal, never published). */
export enum CreditLevel {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

/**
 * Where a department's result stands on its way to publication (R24, R25): recorded, approved by the department,
 * published.
 */
export enum ResultStatus {
  RECORDED = 'RECORDED',
  APPROVED = 'APPROVED',
  PUBLISHED = 'PUBLISHED',
}

/**
 * Where an outcome of a department's dictionary stands: in use, or replaced by a newer version (kept, so results
 * recorded with it keep their meaning).
 */
export enum OutcomeStatus {
  CURRENT = 'CURRENT',
  SUPERSEDED = 'SUPERSEDED',
}

registerEnumType(TargetKind, { name: 'TargetKind', description: 'What a roster entry is (R6).' });
registerEnumType(InspectionMethod, { name: 'InspectionMethod', description: 'Inspection method (R23).' });
registerEnumType(ItemCategory, {
  name: 'ItemCategory',
  description: 'KEY: no ratio cap; GENERAL: ratio capped below 100% (R2).',
});
registerEnumType(ItemStatus, { name: 'ItemStatus', description: 'Lifecycle of a checklist item version (R5).' });
registerEnumType(RiskLevel, { name: 'RiskLevel', description: "A department's risk level of a target (R13)." });
registerEnumType(CreditLevel, {
  name: 'CreditLevel',
  description: "A department's credit class of a target: A good .. D bad (R13).",
});
registerEnumType(ResultStatus, {
  name: 'ResultStatus',
  description:
    'A result on its way to publication (R24, R25): RECORDED by the write-back, APPROVED by the department, PUBLISHED.',
});
registerEnumType(OutcomeStatus, {
  name: 'OutcomeStatus',
  description: "An outcome version of a department's dictionary: CURRENT, or SUPERSEDED by a newer one.",
});
