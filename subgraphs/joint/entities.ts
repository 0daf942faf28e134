import { AuditEventRow, AuditHeadRow } from './audit/entities';
import { EvidenceChunkRow, EvidenceLinkRow, EvidenceRow } from './evidence/entities';
import { NoticeRow, RecordFormRow } from './papers/entities';
import { PlanRevisionRow, PlanRow } from './plans/entities';
import { DrawnTargetRow, SnapshotChunkRow, TaskRow } from './tasks/entities';
import { ConflictRow, EntrustmentRow, InspectorDrawRow, TeamMemberRow, TeamRosterRow } from './teams/entities';
import { InspectionCodeRow, LeadRow, OutboxRow, SubmissionRow, VisitFeedbackRow } from './visits/entities';

/**
 * The joint service's own tables, each defined in the folder of its concept: plans and their
 * revisions (plans/), tasks with their snapshots and drawn targets (tasks/), teams (teams/),
 * submissions, the outbox, leads and inspection codes (visits/), evidence (evidence/), the papers
 * (papers/) and the audit trail (audit/). Nothing here copies a department's roster except the
 * snapshots a draw must keep (R9). Only repositories touch them.
 */
export const JOINT_ENTITIES = [
  PlanRow,
  PlanRevisionRow,
  TaskRow,
  SnapshotChunkRow,
  DrawnTargetRow,
  TeamRosterRow,
  InspectorDrawRow,
  TeamMemberRow,
  ConflictRow,
  EntrustmentRow,
  SubmissionRow,
  OutboxRow,
  LeadRow,
  InspectionCodeRow,
  VisitFeedbackRow,
  EvidenceRow,
  EvidenceChunkRow,
  EvidenceLinkRow,
  RecordFormRow,
  NoticeRow,
  AuditEventRow,
  AuditHeadRow,
];
