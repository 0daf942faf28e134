import { Role } from '../../kernel/identity';
import type { TestHub } from '../support/hub';

/** A settable clock for the hub under test (witness dates, publication deadlines). */
export function testClock(start: string) {
  let now = new Date(start);
  return {
    clock: () => now,
    set(iso: string) {
      now = new Date(iso);
    },
  };
}

/** A joint plan led by market with tax and fire, KEY items only (no ratio cap), all enterprises. */
export function jointPlanInput(overrides: Record<string, unknown> = {}) {
  return {
    name: '2026年度市场监管领域部门联合抽查计划（特种设备、发票、消防）',
    year: 2026,
    partners: ['tax', 'fire'],
    items: [
      { department: 'market', code: 'MKT-09', version: 1 },
      { department: 'tax', code: 'TAX-08', version: 1 },
      { department: 'fire', code: 'FIRE-01', version: 1 },
    ],
    scope: { targetKinds: ['ENTERPRISE'], regions: ['3101'], industries: [] },
    methods: ['ON_SITE'],
    windowStart: '2026-03-01',
    windowEnd: '2026-11-30',
    batchSize: 10,
    ...overrides,
  };
}

/**
 * Issue J: a plan whose visits a manufacturer (industry C) gets from four departments at once (R22):
 * ENV-01 applies to industries B, C and D, TAX-08 to C, F, G and L; ratios high enough that several
 * such visits are drawn from a small roster.
 */
export function fourDepartmentPlanInput() {
  return jointPlanInput({
    partners: ['tax', 'fire', 'environment'],
    items: [
      { department: 'market', code: 'MKT-09', version: 1 },
      { department: 'tax', code: 'TAX-08', version: 1 },
      { department: 'fire', code: 'FIRE-01', version: 1 },
      { department: 'environment', code: 'ENV-01', version: 1 },
    ],
    ratios: { high: 60, elevated: 40, general: 20, low: 20 },
  });
}

export const PLAN_FIELDS =
  'id year name leadDepartment departments kind status revision publishedRevision items { department code ' +
  'version title category } ratios { high elevated general low } revisions { revision note changedBy ' +
  'publishBy publishedAt }';

export async function createPlan(hub: TestHub, input: Record<string, unknown>, token?: string) {
  return hub.query<{
    jointCreatePlan: { id: string; revision: number; status: string; revisions: Array<{ publishBy: string }> };
  }>(`mutation($input: PlanInput!) { jointCreatePlan(input: $input) { ${PLAN_FIELDS} } }`, {
    variables: { input },
    token: token ?? (await hub.token(Role.COORDINATOR, 'market')),
  });
}

export async function publishPlan(hub: TestHub, id: string, token?: string) {
  return hub.query(`mutation($id: ID!) { jointPublishPlan(id: $id) { id status } }`, {
    variables: { id },
    token: token ?? (await hub.token(Role.COORDINATOR, 'market')),
  });
}

/** Creates and publishes a plan (as a market coordinator unless a token is given); returns its id. */
export async function publishedPlan(
  hub: TestHub,
  input: Record<string, unknown> = jointPlanInput(),
  token?: string,
): Promise<string> {
  const created = await createPlan(hub, input, token);
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const id = created.data!.jointCreatePlan.id;
  const published = await publishPlan(hub, id, token);
  if (published.errors) throw new Error(JSON.stringify(published.errors));
  return id;
}

export const WITNESS = {
  witnessSource: '中国福利彩票双色球第2026024期开奖号码（2026年3月3日开奖）',
  witnessAvailableOn: '2026-03-04',
  witnessNumbers: 7,
};
export const TASK_FIELDS =
  'id status commitment witnessSource witnessAvailableOn witnessValue snapshotHash snapshotSize exclusions { ' +
  'inspectedTwiceThisYear recentlyInspected overLimitReason } strata { stratum eligible ratioBasisPoints ' +
  'drawn } lockedAt';

export interface Task {
  id: string;
  status: string;
  commitment: string;
  snapshotHash: string | null;
  snapshotSize: number | null;
  exclusions: { inspectedTwiceThisYear: number; recentlyInspected: number; overLimitReason: string | null } | null;
  strata: Array<{ stratum: string; eligible: number; drawn: number }>;
}

export async function step(hub: TestHub, mutation: string, variables: Record<string, unknown>, token?: string) {
  return hub.query<Record<string, Task>>(
    `mutation($taskId: ` +
      (`ID!${'witnessValue' in variables ? ', $witnessValue: String!' : ''}${'reason' in variables ? ', $reason: String!' : ''}) ` +
        `` +
        `` +
        ``) +
      `{ ${mutation} { ${TASK_FIELDS} } }`,
    {
      variables,
      token: token ?? (await hub.token(Role.COORDINATOR, 'market')),
    },
  );
}

export type TaskState = 'COMMITTED' | 'SNAPSHOT_TAKEN' | 'DRAWN' | 'LOCKED';

/**
 * Runs a task of a plan to the state asked for (the witness is published on Wed 4 March 2026), as a coordinator of the
 * plan's lead; returns its id.
 */
export async function runTaskTo(
  hub: TestHub,
  time: ReturnType<typeof testClock>,
  planId: string,
  until: TaskState,
  witness = '05 11 16 23 28 32 + 07',
  overLimitReason: string | null = null,
  lead = 'market',
): Promise<string> {
  time.set('2026-03-02T02:00:00Z');
  const coordinator = await hub.token(Role.COORDINATOR, lead);
  const created = await hub.query<{ jointCreateTask: Task }>(
    `mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }`,
    {
      variables: { input: { planId, name: '2026年第一批联合抽查', ...WITNESS } },
      token: coordinator,
    },
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const taskId = created.data!.jointCreateTask.id;
  if (until === 'COMMITTED') return taskId;
  const snap = await hub.query(
    `mutation($taskId: ID!, $reason: String) { jointTakeSnapshot(taskId: $taskId, overLimitReason: $reason) { id } }`,
    { variables: { taskId, reason: overLimitReason }, token: coordinator },
  );
  if (snap.errors) throw new Error(JSON.stringify(snap.errors));
  if (until === 'SNAPSHOT_TAKEN') return taskId;
  time.set('2026-03-04T02:00:00Z');
  const drawn = await step(
    hub,
    'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)',
    { taskId, witnessValue: witness },
    coordinator,
  );
  if (drawn.errors) throw new Error(JSON.stringify(drawn.errors));
  if (until === 'DRAWN') return taskId;
  const locked = await step(hub, 'jointLockTask(taskId: $taskId)', { taskId }, coordinator);
  if (locked.errors) throw new Error(JSON.stringify(locked.errors));
  return taskId;
}

/** A visit as the tests read it: its target, team and combined checklist. */
export interface TeamVisit {
  key: string;
  uscc: string | null;
  team: Array<{ department: string; personId: string; kind: string }>;
  checklist: Array<{ department: string; itemCode: string }>;
}

/** Draws each department's inspectors for a locked task (each by its own coordinator). */
export async function drawAllInspectors(hub: TestHub, taskId: string, departments: readonly string[]): Promise<void> {
  for (const d of departments) {
    const r = await hub.query(`mutation { jointDrawInspectors(taskId: "${taskId}", department: "${d}") { id } }`, {
      token: await hub.token(Role.COORDINATOR, d),
    });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
  }
}

/** The first visits of a task, with their teams and checklists (read as an auditor). */
export async function teamVisits(hub: TestHub, taskId: string, first = 1000): Promise<TeamVisit[]> {
  const r = await hub.query<{ jointTask: { visits: TeamVisit[] } }>(
    `{ jointTask(id: "${taskId}") { visits(first: ${first}) { key uscc team { department personId kind } ` +
      `checklist { department itemCode } } } }`,
    {
      token: await hub.token(Role.AUDITOR),
    },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTask.visits;
}

/** Every item of a visit's checklist checked on site and found in order (NO_PROBLEM), as a submission's results. */
export function noProblemResults(visit: Pick<TeamVisit, 'checklist'>) {
  return visit.checklist.map((c) => ({
    department: c.department,
    itemCode: c.itemCode,
    outcome: 'NO_PROBLEM',
    method: 'ON_SITE',
    notes: '现场检查',
    confidentialNotes: null,
    evidence: [],
  }));
}

/**
 * Submits every item of a visit as NO_PROBLEM, by an inspector of its team (market's unless another department is
 * named), checked on `inspectedOn`.
 */
export async function submitVisit(
  hub: TestHub,
  taskId: string,
  visit: TeamVisit,
  department = 'market',
  inspectedOn = '2026-03-04',
) {
  const member = visit.team.find((m) => m.kind === 'INSPECTOR' && m.department === department)!;
  return hub.query<{ jointSubmitVisitResults: { id: string } }>(
    'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
    {
      variables: {
        input: {
          taskId,
          targetKey: visit.key,
          inspectedOn,
          results: noProblemResults(visit),
        },
      },
      token: await hub.token(Role.INSPECTOR, department, member.personId),
    },
  );
}

/**
 * Runs outbox delivery rounds until two in a row deliver nothing. A round a submission asked for
 * (OutboxDeliverer.soon) may be running already, its due list read before the test moved its clock:
 * deliverDue then answers that round's count, and only the round after it is one started here.
 */
export async function deliverEverything(deliverer: { deliverDue(): Promise<number> }): Promise<void> {
  for (let idle = 0; idle < 2;) idle = (await deliverer.deliverDue()) > 0 ? 0 : idle + 1;
}
