import QRCode from 'qrcode';
import { OutboxRow, SubmissionRow } from '../../../subgraphs/joint/visits/entities';
import { Role } from '../../../kernel/identity';
import { createPlan, jointPlanInput, publishedPlan, runTaskTo, testClock, WITNESS } from '../../joint/fixtures';
import { DEPARTMENT_CODES, type TestHub } from '../../support/hub';

/*
 * What the role matrix calls with (R30): real plans, tasks in every state, teams, visits,
 * submissions and department results, made through the API before the matrix runs, so that a
 * refusal can only come from the caller's identity.
 */

/** The hub's clock in the matrix: tasks are made on Monday 2 March 2026, their witness is published on the 4th. */
export const time = testClock('2026-03-02T02:00:00Z');
/** The matrix runs on Thursday 5 March 2026: after the witness day of the fixtures' draws. */
export const NOW = '2026-03-05T02:00:00Z';
export const YEAR = 2026;

/** The departments of the fixtures' joint plans: market leads, tax and fire take part. */
export const JOINT_PLAN_DEPARTMENTS = ['market', 'tax', 'fire'];
/** The lead of the fixtures' plans, a partner, and a department that does not take part. */
export const TASK_DEPARTMENTS = ['market', 'tax', 'environment'];
/** Two departments, for operations that concern none. */
export const NO_DEPARTMENT = ['market', 'environment'];
export const RATIOS = { high: 20, elevated: 10, general: 5, low: 5 };

export const capitalised = (code: string) => `${code[0]!.toUpperCase()}${code.slice(1)}`;

export interface DepartmentFixture {
  planItem: { code: string; version: number; targetKinds: string[]; category: string; ratioCapPercent: number | null };
  newItem: { code: string; input: Record<string, unknown> };
  revise: { code: string; input: Record<string, unknown> };
  repealCode: string;
  target: Record<string, unknown> & { id: string; uscc: string };
  recorded: string;
  approved: string;
  published: string;
}

export interface Fixtures {
  departments: Record<string, DepartmentFixture>;
  housingProject: string;
  /** A published joint plan led by market with tax and fire; two drafts. */
  plan: string;
  draftToRevise: string;
  draftToPublish: string;
  tasks: {
    full: string;
    inspectorsPending: string;
    vacancy: string;
    drawn: string;
    snapshotTaken: string;
    committed: string;
    toCancel: string;
  };
  /** A visit of the full task nobody submitted yet, with its market inspector and its results. */
  visit: { key: string; marketInspector: string; results: Array<Record<string, unknown>>; region: string };
  /** A submission whose fire share was refused. */
  refusedSubmission: string;
  /** That visit's joint record form, ready to be made: its market inspector and the signed request (issue J). */
  form: { key: string; marketInspector: string; input: Record<string, unknown> };
  inspectionCode: string;
  replacement: { targetKey: string; personId: string; replacementId: string };
  vacancy: { targetKey: string; inspectorId: string };
  conflict: { targetKey: string; inspector: string; byAdmin: string; byDeputy: string };
  entrust: { inspectorId: string };
  registration: { name: string; code: string; departmentName: string; url: string };
}

/** Filled by `buildFixtures` before the matrix runs; the entries read it when they are called. */
export const f = { departments: {} } as Fixtures;

/**
 * An internal plan of one department, with an item of its own checklist (any coordinator makes one for its department).
 */
export function internalPlan(department: string): Record<string, unknown> {
  const item = f.departments[department]!.planItem;
  const ratio = Math.min(1, item.ratioCapPercent ?? 1);
  return jointPlanInput({
    name: `R30 矩阵：${department} 部门内部抽查计划`,
    partners: [],
    items: [{ department, code: item.code, version: item.version }],
    scope: { targetKinds: item.targetKinds, regions: ['3101'], industries: [] },
    ratios: { high: ratio, elevated: ratio, general: ratio, low: ratio },
  });
}

/** A result of a department's own checklist item, as the write-back sends it (R24). */
export function resultInput(code: string, key: string): Record<string, unknown> {
  const d = f.departments[code]!;
  return {
    idempotencyKey: key,
    taskId: 'r30-matrix-task',
    targetKey: d.target.uscc,
    uscc: d.target.uscc,
    itemCode: d.planItem.code,
    itemVersion: d.planItem.version,
    outcome: 'NO_PROBLEM',
    method: 'ON_SITE',
    inspectors: ['R30-MATRIX-0001'],
    inspectedOn: '2026-03-04',
  };
}

interface Visit {
  key: string;
  regionCode: string;
  teamProblems: string[];
  team: Array<{ department: string; kind: string; personId: string; status: string }>;
  checklist: Array<{ department: string; itemCode: string }>;
}
interface DrawRecord {
  input: {
    domains: string[];
    inspectors: Array<{ id: string; qualified: boolean; domains: string[]; jurisdiction: string[] }>;
  };
}

/**
 * Makes everything the matrix calls with, through the API (and one refused delivery, as test/joint/write-back.test.ts
 * makes one).
 */
export async function buildFixtures(h: TestHub): Promise<void> {
  const as = (role: Role, department: string | null = null, subject?: string) => h.token(role, department, subject);
  async function must<T>(query: string, token?: string, variables?: Record<string, unknown>): Promise<T> {
    const r = await h.query<T>(query, { token, variables });
    if (r.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
    return r.data!;
  }
  const visitsOf = async (taskId: string) =>
    (
      await must<{ jointTask: { visits: Visit[] } }>(
        `{ jointTask(id: "${taskId}") { visits(first: 1000) { key regionCode teamProblems team { department ` +
          `kind personId status } checklist { department itemCode } } } }`,
        await as(Role.AUDITOR),
      )
    ).jointTask.visits;
  const drawRecordOf = async (taskId: string, department: string) =>
    (
      await must<{ jointTask: { inspectorDrawRecord: DrawRecord } }>(
        `{ jointTask(id: "${taskId}") { inspectorDrawRecord(department: "${department}") } }`,
        await as(Role.AUDITOR),
      )
    ).jointTask.inspectorDrawRecord;
  const eligibleFor = (record: DrawRecord, region: string) => (p: DrawRecord['input']['inspectors'][number]) =>
    p.qualified &&
    p.domains.some((d) => record.input.domains.includes(d)) &&
    p.jurisdiction.some((j) => region.startsWith(j));
  const drawInspectors = async (taskId: string, department: string) =>
    must(
      `mutation { jointDrawInspectors(taskId: "${taskId}", department: "${department}") { id } }`,
      await as(Role.COORDINATOR, department),
    );

  async function departmentFixture(code: string): Promise<DepartmentFixture> {
    const admin = await as(Role.DEPT_ADMIN, code);
    type Item = Record<string, unknown> & {
      code: string;
      version: number;
      status: string;
      category: string;
      targetKinds: string[];
      ratioCapPercent: number | null;
      title: string;
    };
    const items = (
      await must<Record<string, { checklist: Item[] }>>(
        `{ ${code} { checklist { code version title content basis inspectingBody targetKinds method category ` +
          `ratioCapPercent frequency domain industries status } } }`,
      )
    )[code]!.checklist.filter((i) => i.status === 'CURRENT');
    const inJointPlan = (jointPlanInput().items as Array<{ department: string; code: string }>)
      .filter((i) => i.department === code)
      .map((i) => i.code);
    const planItem =
      items.find((i) => inJointPlan.includes(i.code)) ??
      items.find((i) => i.category === 'KEY' && i.targetKinds.includes('ENTERPRISE')) ??
      items.find((i) => i.targetKinds.includes('ENTERPRISE')) ??
      items[0]!;
    const spare = items.filter((i) => i.code !== planItem.code && !inJointPlan.includes(i.code));
    if (spare.length < 2) throw new Error(`${code}: the checklist has too few items for the matrix`);
    const toInput = (i: Item, title: string) => {
      const { code: _c, version: _v, status: _s, ...rest } = i;
      return { ...rest, title };
    };
    const target = (
      await must<Record<string, { targets: { nodes: Array<Record<string, unknown> & { id: string; uscc: string }> } }>>(
        `{ ${code} { targets(first: 1, filter: { kinds: [ENTERPRISE] }) { nodes { id kind uscc name ` +
          `regionCode industryCode creditLevel riskLevel penaltiesLast3Years verifiedComplaints } } } }`,
        admin,
      )
    )[code]!.targets.nodes[0]!;
    const fixture: DepartmentFixture = {
      planItem: {
        code: planItem.code,
        version: planItem.version,
        targetKinds: planItem.targetKinds,
        category: planItem.category,
        ratioCapPercent: planItem.ratioCapPercent,
      },
      newItem: { code: `R30-${code.toUpperCase()}`, input: toInput(planItem, `${planItem.title}（R30 矩阵新增）`) },
      revise: { code: spare.at(-1)!.code, input: toInput(spare.at(-1)!, `${spare.at(-1)!.title}（R30 矩阵修订）`) },
      repealCode: spare.at(-2)!.code,
      target,
      recorded: '',
      approved: '',
      published: '',
    };
    f.departments[code] = fixture;
    // Three results through the write-back contract (the service identity), then one approved and one published.
    const receipts = (
      await must<Record<string, Array<{ resultId: string }>>>(
        `mutation($input: [ResultInput!]!) { ${code}RecordResults(input: $input) { resultId } }`,
        await as(Role.SERVICE),
        {
          input: [1, 2, 3].map((n) => resultInput(code, `r30-setup-${code}-${n}`)),
        },
      )
    )[`${code}RecordResults`]!.map((r) => r.resultId);
    [fixture.recorded, fixture.approved, fixture.published] = receipts as [string, string, string];
    await must(`mutation($ids: [ID!]!) { ${code}ApproveResults(ids: $ids) { id } }`, admin, {
      ids: [fixture.approved, fixture.published],
    });
    await must(`mutation($ids: [ID!]!) { ${code}PublishResults(ids: $ids) { id } }`, admin, {
      ids: [fixture.published],
    });
    return fixture;
  }

  // One fixture object serves each database's hub in turn.
  for (const key of Object.keys(f)) Reflect.deleteProperty(f, key);
  f.departments = {};
  for (const code of DEPARTMENT_CODES) await departmentFixture(code);
  f.housingProject = (
    await must<{ housing: { targets: { nodes: Array<{ id: string }> } } }>(
      '{ housing { targets(first: 1, filter: { kinds: [PROJECT] }) { nodes { id } } } }',
      await as(Role.DEPT_ADMIN, 'housing'),
    )
  ).housing.targets.nodes[0]!.id;
  const registered = (
    await must<{
      registrySubgraphs: Array<{ name: string; code: string | null; departmentName: string | null; url: string }>;
    }>('{ registrySubgraphs { name code departmentName url } }', await as(Role.HUB_ADMIN))
  ).registrySubgraphs.find((s) => s.name === 'tax')!;
  f.registration = {
    name: registered.name,
    code: registered.code!,
    departmentName: registered.departmentName!,
    url: registered.url,
  };

  // Plans: one published, two drafts; one with ten fire seats a visit, more than fire has eligible inspectors.
  f.plan = await publishedPlan(h, jointPlanInput({ ratios: RATIOS }));
  const vacancyPlan = await publishedPlan(
    h,
    jointPlanInput({ name: 'R30 矩阵：空缺席位', ratios: RATIOS, inspectorsPerDepartment: 10 }),
  );
  const draft = async (name: string) => {
    const r = await createPlan(h, jointPlanInput({ name, ratios: RATIOS }));
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.jointCreatePlan.id;
  };
  f.draftToRevise = await draft('R30 矩阵：待修订的计划');
  f.draftToPublish = await draft('R30 矩阵：待公布的计划');

  // Tasks in every state the mutations start from. The locked ones first: the later snapshots see them (R14).
  const full = await runTaskTo(h, time, f.plan, 'LOCKED', '05 11 16 23 28 32 + 07');
  for (const d of JOINT_PLAN_DEPARTMENTS) await drawInspectors(full, d);
  const inspectorsPending = await runTaskTo(h, time, f.plan, 'LOCKED', '01 02 03 04 05 06 + 07');
  for (const d of ['market', 'fire']) await drawInspectors(inspectorsPending, d);
  const vacancy = await runTaskTo(h, time, vacancyPlan, 'LOCKED', '08 09 10 11 12 13 + 14');
  await drawInspectors(vacancy, 'fire');
  const drawn = await runTaskTo(h, time, f.plan, 'DRAWN', '15 16 17 18 19 20 + 21', 'R30 矩阵');
  const snapshotTaken = await runTaskTo(h, time, f.plan, 'SNAPSHOT_TAKEN', undefined, 'R30 矩阵');
  const toCancel = await runTaskTo(h, time, f.plan, 'COMMITTED');
  time.set('2026-03-02T02:00:00Z');
  const committed = (
    await must<{ jointCreateTask: { id: string } }>(
      'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }',
      await as(Role.COORDINATOR, 'market'),
      {
        input: {
          planId: f.plan,
          name: 'R30 矩阵：待快照的任务',
          witnessSource: WITNESS.witnessSource,
          witnessAvailableOn: '2026-06-01',
          witnessNumbers: 7,
        },
      },
    )
  ).jointCreateTask.id;
  f.tasks = { full, inspectorsPending, vacancy, drawn, snapshotTaken, committed, toCancel };
  time.set(NOW);

  // Visits of the full task: one to submit in the matrix, one submitted now (its fire share refused), one to replace
  // on.
  const visits = await visitsOf(full);
  const marketInspector = (v: Visit) =>
    v.team.find((m) => m.department === 'market' && m.kind === 'INSPECTOR' && m.status === 'ACTIVE')!.personId;
  const resultsOf = (v: Visit) =>
    v.checklist.map((c) => ({
      department: c.department,
      itemCode: c.itemCode,
      outcome: 'NO_PROBLEM',
      method: 'ON_SITE',
      notes: '现场检查（R30 矩阵）',
      evidence: ['photo-1'],
    }));
  if (visits.length < 3) throw new Error(`the full task has ${visits.length} visits; the matrix needs 3`);
  const [v1, v2] = visits as [Visit, Visit];
  f.visit = { key: v1.key, marketInspector: marketInspector(v1), results: resultsOf(v1), region: v1.regionCode };
  f.refusedSubmission = (
    await must<{ jointSubmitVisitResults: { id: string } }>(
      'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
      await as(Role.INSPECTOR, 'market', marketInspector(v2)),
      {
        input: { taskId: full, targetKey: v2.key, inspectedOn: '2026-03-04', results: resultsOf(v2) },
      },
    )
  ).jointSubmitVisitResults.id;
  while ((await h.joint.deliverer.deliverDue()) > 0) {
    /* every share delivered before the matrix counts rows */
  }
  // A share its department refused (its dictionary changed, say), as test/joint/write-back.test.ts makes one.
  await h.joint.database.dataSource.manager.update(
    OutboxRow,
    { submissionId: f.refusedSubmission, department: 'fire' },
    { status: 'REFUSED' },
  );
  // Issue J: the signatures of that visit's business and whole team, sent as evidence, for the form's entry.
  const submitted = await h.joint.database.dataSource.manager.findOneByOrFail(SubmissionRow, {
    id: f.refusedSubmission,
  });
  const signature = async (who: string) => {
    const response = await fetch(
      `${new URL(h.gateway.url).origin}/evidence?${new URLSearchParams({ taskId: full, targetKey: v2.key, kind: 'SIGNATURE' })}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${await as(Role.INSPECTOR, 'market', marketInspector(v2))}` },
        body: new Uint8Array(await QRCode.toBuffer(who, { type: 'png' })),
      },
    );
    if (response.status !== 201) throw new Error(`a signature was not stored: ${await response.text()}`);
    return ((await response.json()) as { ref: string }).ref;
  };
  const teamSignatures = [];
  for (const m of v2.team.filter((t) => t.status === 'ACTIVE'))
    teamSignatures.push({
      personId: m.personId,
      department: m.department,
      signature: await signature(`${m.department} ${m.personId}`),
    });
  f.form = {
    key: v2.key,
    marketInspector: marketInspector(v2),
    input: {
      taskId: full,
      targetKey: v2.key,
      contentDigest: submitted.contentDigest,
      acknowledgement: 'SIGNED',
      businessSignerName: '企业负责人',
      businessSignature: await signature('business'),
      teamSignatures,
    },
  };
  f.inspectionCode = (
    await must<{ jointIssueInspectionCode: string }>(
      `mutation { jointIssueInspectionCode(taskId: "${full}", targetKey: "${v2.key}") }`,
      await as(Role.COORDINATOR, 'market'),
    )
  ).jointIssueInspectionCode;

  // R20: a fire inspector to replace, with an eligible colleague not on the team.
  const fireRecord = await drawRecordOf(full, 'fire');
  for (const v of visits.slice(2)) {
    const drawnFire = v.team.find((m) => m.department === 'fire' && m.kind === 'INSPECTOR' && m.status === 'ACTIVE');
    const colleague = fireRecord.input.inspectors.find(
      (p) => eligibleFor(fireRecord, v.regionCode)(p) && !v.team.some((m) => m.personId === p.id),
    );
    if (drawnFire && colleague) {
      f.replacement = { targetKey: v.key, personId: drawnFire.personId, replacementId: colleague.id };
      break;
    }
  }
  if (!f.replacement) throw new Error('no fire inspector of the full task has an eligible colleague to replace them');

  // R21: a vacant fire seat, and an inspector from elsewhere entrusted for its region after the draw.
  const vacancyRecord = await drawRecordOf(vacancy, 'fire');
  const vacant = (await visitsOf(vacancy)).find((v) => v.teamProblems.some((p) => /fire seat\(s\) vacant/.test(p)));
  if (!vacant) throw new Error('the vacancy task has no vacant fire seat');
  const outsider = vacancyRecord.input.inspectors.find(
    (p) =>
      p.qualified &&
      p.domains.some((d) => vacancyRecord.input.domains.includes(d)) &&
      !p.jurisdiction.some((j) => vacant.regionCode.startsWith(j)) &&
      p.id !== f.replacement.replacementId,
  );
  if (!outsider) throw new Error('no fire inspector from elsewhere to entrust');
  await must(
    'mutation($input: EntrustmentInput!) { jointEntrustInspector(input: $input) }',
    await as(Role.DEPUTY_HEAD, 'fire'),
    {
      input: {
        taskId: vacancy,
        department: 'fire',
        inspectorId: outsider.id,
        regions: [vacant.regionCode],
        entrustedByUnit: '上海市消防救援总队',
        reason: '辖区人员不足（R30 矩阵）',
      },
    },
  );
  f.vacancy = { targetKey: vacant.key, inspectorId: outsider.id };

  // R19: fire people who declare conflicts, none of them one the replacement or the vacancy needs.
  const others = fireRecord.input.inspectors
    .map((p) => p.id)
    .filter((id) => id !== f.replacement.replacementId && id !== f.replacement.personId && id !== outsider.id);
  f.conflict = { targetKey: v1.key, inspector: others[0]!, byAdmin: others[1]!, byDeputy: others[2]! };
  f.entrust = { inspectorId: others[3]! };
}
