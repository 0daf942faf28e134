import { Role } from '../../../kernel/identity';
import { jointPlanInput, WITNESS } from '../../joint/fixtures';
import { f, internalPlan, JOINT_PLAN_DEPARTMENTS, NO_DEPARTMENT, RATIOS, TASK_DEPARTMENTS, YEAR } from './fixtures';
import {
  anyOf,
  auditReaders,
  coordinatorOfAnyDepartment,
  hubReaders,
  hubRole,
  nobody,
  signedIn,
  staffOf,
  type Allow,
  type Entry,
} from './model';

/*
 * The joint service's fields in the role matrix (R30): plans and tasks are run by the lead
 * department's coordinators (R16); each department draws its own inspectors (R18), its deputy
 * head replaces and fills seats (R20, R21); a task's team submits its visits; auditors and hub
 * admins read full records and the audit trail (R29); the public reads what is published.
 */

/** The lead department of the fixtures' plans runs their tasks (R16). */
const leadCoordinator = staffOf('market', Role.COORDINATOR);
const VISIT_MEMBER = { INSPECTOR: () => f.visit.marketInspector };
const NOT_ON_THE_TEAM = [
  {
    label: 'INSPECTOR of market, not on the team',
    role: Role.INSPECTOR,
    department: 'market',
    subject: () => 'market-i-not-on-team',
  },
];
const teamInspector: Allow = (c) =>
  c.role === Role.INSPECTOR && c.department === 'market' && c.subject === f.visit.marketInspector;

export const JOINT: Entry[] = [
  // Plans and tasks: the lead department's coordinators (R16).
  {
    fields: ['Mutation.jointCreatePlan'],
    // The plan's lead is the caller's department: any department's coordinator plans for its own.
    allow: coordinatorOfAnyDepartment,
    departments: TASK_DEPARTMENTS,
    operation: 'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id leadDepartment } }',
    variables: (c) => ({ input: internalPlan(c.department ?? 'market') }),
  },
  {
    fields: ['Mutation.jointRevisePlan'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation:
      'mutation($id: ID!, $input: PlanInput!) { jointRevisePlan(id: $id, input: $input, note: "增加检查批次（R30 ' +
      '矩阵）") { id revision } }',
    variables: () => ({ id: f.draftToRevise, input: jointPlanInput({ name: 'R30 矩阵：修订的计划', ratios: RATIOS }) }),
  },
  {
    fields: ['Mutation.jointPublishPlan'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation: 'mutation($id: ID!) { jointPublishPlan(id: $id) { id status } }',
    variables: () => ({ id: f.draftToPublish }),
  },
  {
    fields: ['Mutation.jointCreateTask'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation: 'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id status } }',
    variables: () => ({
      input: {
        planId: f.plan,
        name: 'R30 矩阵任务',
        witnessSource: WITNESS.witnessSource,
        witnessAvailableOn: '2026-06-01',
        witnessNumbers: 7,
      },
    }),
  },
  {
    fields: ['Mutation.jointTakeSnapshot'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation:
      'mutation($taskId: ID!) { jointTakeSnapshot(taskId: $taskId, overLimitReason: "R30 矩阵") { id status } }',
    variables: () => ({ taskId: f.tasks.committed }),
  },
  {
    fields: ['Mutation.jointDrawTargets'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation:
      'mutation($taskId: ID!) { jointDrawTargets(taskId: $taskId, witnessValue: "03 09 14 22 27 31 + 12") { ' +
      'id status } }',
    variables: () => ({ taskId: f.tasks.snapshotTaken }),
  },
  {
    fields: ['Mutation.jointLockTask'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation: 'mutation($taskId: ID!) { jointLockTask(taskId: $taskId) { id status } }',
    variables: () => ({ taskId: f.tasks.drawn }),
  },
  {
    fields: ['Mutation.jointCancelTask'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation:
      'mutation($taskId: ID!) { jointCancelTask(taskId: $taskId, reason: "计划调整（R30 矩阵）") { id status } }',
    variables: () => ({ taskId: f.tasks.toCancel }),
  },
  // Teams: each department draws its own (R18); its deputy head replaces and fills (R20, R21).
  {
    fields: ['Mutation.jointDrawInspectors'],
    allow: staffOf('tax', Role.COORDINATOR, Role.DEPT_ADMIN),
    departments: ['tax', 'market', 'environment'],
    operation: 'mutation($taskId: ID!) { jointDrawInspectors(taskId: $taskId, department: "tax") { id } }',
    variables: () => ({ taskId: f.tasks.inspectorsPending }),
    outcome: 'first', // one draw per department: the second allowed caller gets CONFLICT
  },
  {
    fields: ['Mutation.jointReplaceInspector'],
    allow: staffOf('fire', Role.DEPUTY_HEAD),
    departments: ['fire', 'market', 'environment'],
    operation: 'mutation($input: ReplaceInspectorInput!) { jointReplaceInspector(input: $input) { personId origin } }',
    variables: () => ({
      input: {
        taskId: f.tasks.full,
        department: 'fire',
        reason: 'HEALTH',
        note: '因病住院（R30 矩阵）',
        ...f.replacement,
      },
    }),
  },
  {
    fields: ['Mutation.jointFillVacantSeat'],
    allow: staffOf('fire', Role.DEPUTY_HEAD),
    departments: ['fire', 'market', 'environment'],
    operation: 'mutation($input: FillVacancyInput!) { jointFillVacantSeat(input: $input) { personId origin } }',
    variables: () => ({
      input: {
        taskId: f.tasks.vacancy,
        department: 'fire',
        note: '辖区人员不足，由总队委托（R30 矩阵）',
        ...f.vacancy,
      },
    }),
  },
  {
    fields: ['Mutation.jointEntrustInspector'],
    allow: staffOf('fire', Role.DEPT_ADMIN, Role.DEPUTY_HEAD),
    departments: ['fire', 'market', 'environment'],
    operation: 'mutation($input: EntrustmentInput!) { jointEntrustInspector(input: $input) }',
    variables: () => ({
      input: {
        taskId: f.tasks.drawn,
        department: 'fire',
        inspectorId: f.entrust.inspectorId,
        regions: [f.visit.region],
        entrustedByUnit: '上海市消防救援总队',
        reason: 'R30 矩阵',
      },
    }),
  },
  {
    fields: ['Mutation.jointDeclareConflict'],
    // R19, R30: the admin or deputy head records anyone's conflict; an inspector declares their own.
    allow: anyOf(
      staffOf('fire', Role.DEPT_ADMIN, Role.DEPUTY_HEAD),
      (c) => c.role === Role.INSPECTOR && c.department === 'fire' && c.subject === f.conflict.inspector,
    ),
    departments: ['fire', 'market', 'environment'],
    subjects: { INSPECTOR: () => f.conflict.inspector },
    extra: [
      {
        label: "INSPECTOR of fire, for a colleague's conflict",
        role: Role.INSPECTOR,
        department: 'fire',
        subject: () => f.conflict.byAdmin,
      },
    ],
    operation: 'mutation($input: ConflictInput!) { jointDeclareConflict(input: $input) }',
    variables: (c) => ({
      input: {
        department: 'fire',
        personId:
          c.role === Role.DEPT_ADMIN
            ? f.conflict.byAdmin
            : c.role === Role.DEPUTY_HEAD
              ? f.conflict.byDeputy
              : f.conflict.inspector,
        targetKey: f.conflict.targetKey,
        reason: '近亲属在该单位任职（R30 矩阵）',
      },
    }),
  },
  // Visits: the team, and the lead's coordinators (R30: a task's team for its visits).
  {
    fields: ['Mutation.jointIssueInspectionCode'],
    allow: anyOf(leadCoordinator, teamInspector),
    departments: TASK_DEPARTMENTS,
    subjects: VISIT_MEMBER,
    extra: NOT_ON_THE_TEAM,
    operation: 'mutation($taskId: ID!, $key: String!) { jointIssueInspectionCode(taskId: $taskId, targetKey: $key) }',
    variables: () => ({ taskId: f.tasks.full, key: f.visit.key }),
  },
  {
    fields: ['Mutation.jointSubmitVisitResults'],
    allow: teamInspector,
    departments: TASK_DEPARTMENTS,
    subjects: VISIT_MEMBER,
    extra: NOT_ON_THE_TEAM,
    operation: 'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
    variables: () => ({
      input: { taskId: f.tasks.full, targetKey: f.visit.key, inspectedOn: '2026-03-04', results: f.visit.results },
    }),
  },
  {
    // Issue J: the team has the form made of its submitted visit; sent again, the same form.
    fields: ['Mutation.jointSignRecordForm'],
    allow: (c) => c.role === Role.INSPECTOR && c.department === 'market' && c.subject === f.form.marketInspector,
    departments: TASK_DEPARTMENTS,
    subjects: { INSPECTOR: () => f.form.marketInspector },
    extra: NOT_ON_THE_TEAM,
    operation: 'mutation($input: RecordFormInput!) { jointSignRecordForm(input: $input) { id version pdfSha256 } }',
    variables: () => ({ input: f.form.input }),
  },
  {
    // Issue J: the lead's coordinator announces a visit; made again with the same content, the same notice.
    fields: ['Mutation.jointMakeNotice'],
    allow: leadCoordinator,
    departments: TASK_DEPARTMENTS,
    operation: 'mutation($input: NoticeInput!) { jointMakeNotice(input: $input) { id visitOn pdfSha256 } }',
    variables: () => ({
      input: { taskId: f.tasks.full, targetKey: f.visit.key, visitOn: '2026-03-10', contact: '协调员 021-00000000' },
    }),
  },
  {
    fields: ['Mutation.jointRetryDelivery'],
    allow: anyOf(leadCoordinator, hubRole(Role.HUB_ADMIN)),
    departments: TASK_DEPARTMENTS,
    operation: 'mutation($id: ID!) { jointRetryDelivery(submissionId: $id, department: "fire") { department status } }',
    variables: () => ({ id: f.refusedSubmission }),
    outcome: 'first', // once sent again, the share is no longer refused: CONFLICT for the second
  },
  {
    fields: ['Mutation.jointRateVisit'],
    public: 'a business rates a visit against its inspection code (R32); it has no identity in the hub',
    departments: NO_DEPARTMENT,
    operation: 'mutation($code: String!) { jointRateVisit(code: $code, rating: 5, comment: "检查人员出示了检查码") }',
    variables: () => ({ code: f.inspectionCode }),
  },
  {
    fields: ['Mutation.jointComplainAboutVisit'],
    public: 'a business complains about a visit against its inspection code (R32)',
    departments: NO_DEPARTMENT,
    operation: 'mutation($code: String!) { jointComplainAboutVisit(code: $code, text: "检查时间过长（R30 矩阵）") }',
    variables: () => ({ code: f.inspectionCode }),
  },
  // Reads.
  {
    fields: ['Query.jointLeads'],
    allow: anyOf(staffOf('environment'), hubRole(Role.HUB_ADMIN, Role.AUDITOR)),
    departments: ['environment', 'market'],
    operation: '{ jointLeads(department: "environment") { id note } }',
  },
  {
    fields: ['Query.jointLeadPage'],
    allow: anyOf(staffOf('environment'), hubRole(Role.HUB_ADMIN, Role.AUDITOR)),
    departments: ['environment', 'market'],
    operation: '{ jointLeadPage(department: "environment", first: 5) { nodes { id note } totalCount } }',
  },
  {
    fields: ['Query.jointAuditTrail'],
    allow: auditReaders, // R29
    departments: NO_DEPARTMENT,
    operation: '{ jointAuditTrail(first: 5) { seq action } }',
  },
  {
    fields: ['Query.jointAuditTrailPage'],
    allow: auditReaders, // R29
    departments: NO_DEPARTMENT,
    operation: '{ jointAuditTrailPage(first: 5) { nodes { seq action } pageInfo { endCursor } totalCount } }',
  },
  {
    fields: ['Query.jointVerifyAuditTrail'],
    allow: auditReaders,
    departments: NO_DEPARTMENT,
    operation: '{ jointVerifyAuditTrail { ok entries } }',
  },
  {
    fields: ['Query.jointStatistics'],
    // Hub staff: any signed-in identity (aggregates of published plans and drawn lists, R31).
    allow: signedIn,
    departments: NO_DEPARTMENT,
    operation: `{ jointStatistics(year: ${YEAR}) { visits publishedPlans } }`,
  },
  {
    fields: ['Query.jointPublicationDeadlines'],
    // R30: hub readers every department's; a department's staff its own (market here); a coordinator
    // of any department also the results of the tasks its department leads (none of market's here: an empty list).
    allow: anyOf(hubReaders, staffOf('market'), coordinatorOfAnyDepartment),
    departments: NO_DEPARTMENT,
    operation:
      `{ jointPublicationDeadlines(year: ${YEAR}, department: "market") { resultId deadline workingDaysLeft ` +
      `overdue } }`,
  },
  {
    fields: ['Query.jointPublicationDeadlinePage'],
    allow: anyOf(hubReaders, staffOf('market'), coordinatorOfAnyDepartment),
    departments: NO_DEPARTMENT,
    operation:
      `{ jointPublicationDeadlinePage(year: ${YEAR}, department: "market", first: 5) { nodes { resultId ` +
      `deadline status } totalCount } }`,
  },
  {
    fields: ['Query.jointOverduePlanRevisions'],
    // Auditors and hub admins every department's; a coordinator those of the plans its department leads.
    allow: anyOf(auditReaders, coordinatorOfAnyDepartment),
    departments: NO_DEPARTMENT,
    operation: '{ jointOverduePlanRevisions(asOf: "2026-12-31") { planId revision } }',
  },
  {
    fields: ['Query.jointOverduePlanRevisionPage'],
    allow: anyOf(auditReaders, coordinatorOfAnyDepartment),
    departments: NO_DEPARTMENT,
    operation:
      '{ jointOverduePlanRevisionPage(asOf: "2026-12-31", first: 5) { nodes { planId revision } totalCount } }',
  },
  {
    fields: ['Query.jointTrainingClock'],
    public: 'whether the hub is a training hub, and its time: the public page marks a training hub (H1 point 3)',
    departments: NO_DEPARTMENT,
    operation: '{ jointTrainingClock { training today } }',
  },
  {
    fields: ['Mutation.jointMoveTrainingClock'],
    // Only a training hub's clock moves (coordinators and hub admins there); the matrix's hub keeps real time.
    allow: nobody,
    departments: NO_DEPARTMENT,
    operation: 'mutation { jointMoveTrainingClock(to: "2030-01-01") { today } }',
  },
  {
    fields: ['Query.jointCheckInspectionCode'],
    public: 'a business checks that a visit is genuine (R32); nothing private is shown',
    departments: NO_DEPARTMENT,
    operation:
      'query($code: String!) { jointCheckInspectionCode(code: $code) { genuine inspectors { name certificateNo } } }',
    variables: () => ({ code: f.inspectionCode }),
  },
  {
    fields: ['Query.jointPlan'],
    public:
      'the public reads published plans (R11); a draft is shown only to the participating departments and ' +
      'hub roles (null to others, not refused)',
    departments: TASK_DEPARTMENTS,
    operation: 'query($id: ID!) { jointPlan(id: $id) { id status revisions { revision publishedAt } } }',
    variables: () => ({ id: f.plan }),
  },
  {
    fields: ['Query.jointPlans'],
    public: 'published plans are public (R11); drafts are left out for others',
    departments: TASK_DEPARTMENTS,
    operation: `{ jointPlans(year: ${YEAR}) { id status } }`,
  },
  {
    fields: ['Query.jointPlanPage'],
    public: 'published plans are public (R11); drafts are left out for others',
    departments: TASK_DEPARTMENTS,
    operation:
      `{ jointPlanPage(year: ${YEAR}, first: 5) { nodes { id status kind } pageInfo { hasNextPage } totalCount ` +
      `} }`,
  },
  {
    fields: ['Query.jointTasks'],
    public: 'tasks and their draws are published',
    departments: TASK_DEPARTMENTS,
    operation: 'query($id: ID!) { jointTasks(planId: $id) { id status } }',
    variables: () => ({ id: f.plan }),
  },
  {
    fields: ['Query.jointUncoveredItems'],
    public: 'R4 report over published checklists and published plans',
    departments: NO_DEPARTMENT,
    operation: `{ jointUncoveredItems(department: "market", year: ${YEAR}) { code } }`,
  },
  {
    fields: ['Query.jointDepartmentsWithoutJointPlan'],
    public: 'R12 report over published plans',
    departments: NO_DEPARTMENT,
    operation: `{ jointDepartmentsWithoutJointPlan(year: ${YEAR}) }`,
  },
  {
    fields: [
      'Query.jointTask',
      ...[
        'id',
        'planId',
        'planRevision',
        'year',
        'leadDepartment',
        'name',
        'status',
        'commitment',
        'witnessSource',
        'witnessAvailableOn',
        'witnessNumbers',
        'witnessValue',
        'snapshotHash',
        'snapshotSize',
        'snapshotTakenAt',
        'exclusions',
        'strata',
        'drawnAt',
        'lockedAt',
        'cancelledAt',
        'cancelReason',
        'createdAt',
        'plan',
        'drawn',
        'drawnPage',
        'publicRecord',
        'training',
        'unannounced',
      ].map((x) => `Task.${x}`),
    ],
    public: 'tasks, their draws and the public draw record are published (R16, R17)',
    departments: TASK_DEPARTMENTS,
    operation:
      'query($id: ID!) { jointTask(id: $id) { id planId planRevision year leadDepartment name status ' +
      'commitment witnessSource witnessAvailableOn witnessNumbers witnessValue snapshotHash snapshotSize ' +
      'snapshotTakenAt exclusions { inspectedTwiceThisYear } strata { stratum drawn } drawnAt lockedAt ' +
      'cancelledAt cancelReason createdAt plan { id status } drawn(first: 3) { key batch } drawnPage(first: ' +
      '3) { nodes { key batch } totalCount } publicRecord training unannounced } }',
    variables: () => ({ id: f.tasks.full }),
  },
  // Task fields that are not public.
  {
    fields: ['Task.fullRecord'],
    allow: auditReaders, // every department's internal classes of every snapshot entry
    departments: TASK_DEPARTMENTS,
    operation: 'query($id: ID!) { jointTask(id: $id) { id fullRecord } }',
    variables: () => ({ id: f.tasks.full }),
  },
  {
    fields: ['Task.inspectorDrawRecord'],
    allow: auditReaders,
    departments: TASK_DEPARTMENTS,
    operation: 'query($id: ID!) { jointTask(id: $id) { id inspectorDrawRecord(department: "tax") } }',
    variables: () => ({ id: f.tasks.full }),
  },
  {
    fields: ['Task.visits'],
    // Teams name inspectors before their visits: the participating departments' staff (an inspector
    // sees only their own visits) and hub roles.
    allow: anyOf(staffOf(JOINT_PLAN_DEPARTMENTS), hubReaders),
    departments: TASK_DEPARTMENTS,
    subjects: VISIT_MEMBER,
    operation: 'query($id: ID!) { jointTask(id: $id) { id visits(first: 5) { key team { personId } } } }',
    variables: () => ({ id: f.tasks.full }),
  },
  {
    fields: ['Task.visitPage'],
    // As Task.visits: the participating departments' staff (an inspector sees only their own visits) and hub roles.
    allow: anyOf(staffOf(JOINT_PLAN_DEPARTMENTS), hubReaders),
    departments: TASK_DEPARTMENTS,
    subjects: VISIT_MEMBER,
    operation:
      'query($id: ID!) { jointTask(id: $id) { id visitPage(first: 5) { nodes { key team { personId status } ' +
      'checklist { code itemCode } } totalCount } } }',
    variables: () => ({ id: f.tasks.full }),
  },
  {
    fields: ['Query.jointInspectorTasks'],
    // An inspector's own tasks (issue I): inspectors only, of any department; the others find tasks under their plans.
    allow: (c) => c.role === Role.INSPECTOR && c.department !== null,
    departments: TASK_DEPARTMENTS,
    subjects: VISIT_MEMBER,
    operation: '{ jointInspectorTasks { id status } }',
  },
  {
    fields: ['Task.snapshotProgress'],
    // A snapshot's progress (issue I): as the task's teams, its participating departments' staff and hub roles.
    allow: anyOf(staffOf(JOINT_PLAN_DEPARTMENTS), hubReaders),
    departments: TASK_DEPARTMENTS,
    operation: 'query($id: ID!) { jointTask(id: $id) { id snapshotProgress { startedAt } } }',
    variables: () => ({ id: f.tasks.full }),
  },
  {
    fields: ['Task.inspectorDraws'],
    allow: anyOf(staffOf(JOINT_PLAN_DEPARTMENTS), hubReaders),
    departments: TASK_DEPARTMENTS,
    operation: 'query($id: ID!) { jointTask(id: $id) { id inspectorDraws { department seed } } }',
    variables: () => ({ id: f.tasks.full }),
  },
  {
    fields: ['Task.targetViews'],
    // Every participating department's view: a team's inspectors (their own visits), coordinators and hub roles.
    allow: anyOf(staffOf(JOINT_PLAN_DEPARTMENTS, Role.COORDINATOR, Role.INSPECTOR), hubReaders),
    departments: TASK_DEPARTMENTS,
    subjects: VISIT_MEMBER,
    operation:
      'query($id: ID!, $keys: [String!]!) { jointTask(id: $id) { id targetViews(keys: $keys) { key ' +
      'department creditLevel } } }',
    variables: () => ({ id: f.tasks.full, keys: [f.visit.key] }),
  },
];
