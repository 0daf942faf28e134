import { createHash } from 'node:crypto';
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { DataSource } from 'typeorm';
import { OutboxRow } from '../../subgraphs/joint/visits/entities';
import { Role } from '../../kernel/identity';
import { describeWithHub, TEST_SETTINGS, type TestHub } from '../support/hub';
import { MarketEntityRow } from '../../subgraphs/market/entities';
import { usccCheckCharacter } from '../../kernel/uscc';
import { jointPlanInput, publishedPlan, runTaskTo, testClock, WITNESS } from '../joint/fixtures';

/*
 * Bad input (issue D): a table of bad inputs, each answered with a clear coded error (the code,
 * the field and the DOMAIN.md rule where one applies, and a message a person can act on), and
 * every table of every service's database exactly as it was once the whole table has run.
 */

const time = testClock('2026-03-02T02:00:00Z');

const CATEGORIES = [
  'bad USCC',
  'bad date or window',
  'ratio out of range',
  'unknown item or department',
  'result for an item not in the visit',
  'second lock',
  'edit of a locked list',
  'oversized or deeply nested document',
  'forged or expired token',
  "another department's id",
  'text, key or page out of format',
] as const;
type Category = (typeof CATEGORIES)[number];

interface Member {
  department: string;
  kind: string;
  personId: string;
  status: string;
}
interface Visit {
  key: string;
  industryCode: string;
  team: Member[];
  checklist: Array<{ department: string; itemCode: string }>;
}

/** What the table's cases refer to: made through the API before the first snapshot. */
interface Fixture {
  planId: string;
  /** Tasks in each state: a locked one with inspectors drawn and one visit submitted, and three others. */
  locked: string;
  drawn: string;
  snapshotTaken: string;
  committed: string;
  /**
   * Visits of the locked task: submitted and delivered; open (with a tax item); open without a tax item; one nobody of
   * the open visit's team is on.
   */
  submitted: Visit;
  open: Visit;
  noTax: Visit;
  foreign: Visit;
  /** A valid USCC on the market roster that the locked task did not draw. */
  outsideKey: string;
  submissionId: string;
  taxResultId: string;
  fireResultId: string;
  /** Authorization header values that must not be accepted, by name. */
  forged: Record<string, string>;
  urls: Record<string, string>;
}

type Who = readonly [Role, (string | null)?, string?];

interface Case {
  category: Category;
  name: string;
  operation: string;
  variables?: (f: Fixture) => Record<string, unknown>;
  /** Who calls (role, department, subject); none is the public. */
  token?: Who | ((f: Fixture) => Who);
  /** An Authorization header sent as is (forged and broken tokens); overrides token. */
  authorization?: (f: Fixture) => string;
  /** A subgraph called directly (its name); the gateway otherwise. */
  at?: string;
  /** A body sent as is instead of { query, variables } (not JSON, batched). */
  body?: (f: Fixture) => string;
  expect: {
    code: string;
    /** The HTTP status, where it is part of the answer (limits, tokens). */
    status?: number;
    /** extensions.field; null: the answer names no field (the request as a whole is at fault). */
    field?: string | null;
    rule?: string;
    messageMatches: RegExp;
  };
}

// ---- operations --------------------------------------------------------------------------------

const CREATE_PLAN = 'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id } }';
const REVISE_PLAN =
  'mutation($id: ID!, $input: PlanInput!) { jointRevisePlan(id: $id, input: $input, note: "调整检查窗口") { id revision } }';
const PUBLISH_PLAN = 'mutation($id: ID!) { jointPublishPlan(id: $id) { id } }';
const CREATE_TASK = 'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }';
const SNAPSHOT =
  'mutation($taskId: ID!, $reason: String) { jointTakeSnapshot(taskId: $taskId, overLimitReason: $reason) { ' +
  'id status } }';
const DRAW =
  'mutation($taskId: ID!, $witness: String!) { jointDrawTargets(taskId: $taskId, witnessValue: $witness) { ' +
  'id status } }';
const LOCK = 'mutation($taskId: ID!) { jointLockTask(taskId: $taskId) { id status } }';
const CANCEL =
  'mutation($taskId: ID!, $reason: String!) { jointCancelTask(taskId: $taskId, reason: $reason) { id status } }';
const DRAW_INSPECTORS =
  'mutation($taskId: ID!, $department: String!) { jointDrawInspectors(taskId: $taskId, department: ' +
  '$department) { id } }';
const REPLACE = 'mutation($input: ReplaceInspectorInput!) { jointReplaceInspector(input: $input) { personId } }';
const FILL = 'mutation($input: FillVacancyInput!) { jointFillVacantSeat(input: $input) { personId } }';
const ENTRUST = 'mutation($input: EntrustmentInput!) { jointEntrustInspector(input: $input) }';
const DECLARE = 'mutation($input: ConflictInput!) { jointDeclareConflict(input: $input) }';
const ISSUE_CODE =
  'mutation($taskId: ID!, $key: String!) { jointIssueInspectionCode(taskId: $taskId, targetKey: $key) }';
const SUBMIT = 'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }';
const RETRY =
  'mutation($id: ID!, $department: String!) { jointRetryDelivery(submissionId: $id, department: $department) ' +
  '{ status } }';
const ADD_ITEM = (d: string) =>
  `mutation($code: String!, $input: ChecklistItemInput!) { ${d}AddChecklistItem(code: $code, input: $input) { ` +
  `code version } }`;
const REVISE_ITEM = (d: string) =>
  `mutation($code: String!, $input: ChecklistItemInput!) { ${d}ReviseChecklistItem(code: $code, input: ` +
  `$input, reason: "法规修订") { code version } }`;
const REPEAL_ITEM = (d: string) =>
  `mutation($code: String!) { ${d}RepealChecklistItem(code: $code, reason: "依据废止") { code status } }`;
const IMPORT = (d: string) => `mutation($targets: [RosterTargetInput!]!) { ${d}ImportTargets(targets: $targets) }`;
const RECORD = (d: string) => `mutation($input: [ResultInput!]!) { ${d}RecordResults(input: $input) { resultId } }`;
const APPROVE = (d: string) => `mutation($ids: [ID!]!) { ${d}ApproveResults(ids: $ids) { id status } }`;
const PUBLISH = (d: string) => `mutation($ids: [ID!]!) { ${d}PublishResults(ids: $ids) { id status } }`;
const CORRECT = (d: string) =>
  `mutation($id: ID!) { ${d}CorrectResult(id: $id, outcome: "NO_PROBLEM", reason: "经复核更正") { id } }`;
const ENTITY = 'query($uscc: String!) { marketEntity(uscc: $uscc) { uscc name } }';
const ENTITIES = 'query($usccs: [String!]!) { marketEntities(usccs: $usccs) { uscc } }';
const ENTITY_REFS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc } } }';

// ---- inputs ------------------------------------------------------------------------------------

/** Huawei's published code: a valid USCC (not on the demo rosters). */
const VALID_USCC = '914403001922038216';

const plan = (overrides: Record<string, unknown> = {}) => ({ input: jointPlanInput(overrides) });
const revise = (overrides: Record<string, unknown>) => (f: Fixture) => ({
  id: f.planId,
  input: jointPlanInput(overrides),
});
const task = (overrides: Record<string, unknown>) => (f: Fixture) => ({
  input: { planId: f.planId, name: '2026年第二批联合抽查', ...WITNESS, ...overrides },
});
const ITEMS_PLUS = (item: Record<string, unknown>) => [...jointPlanInput().items, item];

const CHECKLIST_ITEM = {
  title: '涉税专业服务机构执业情况检查',
  content: '检查涉税专业服务机构是否按规定报送业务信息、执业是否规范。',
  basis: '《中华人民共和国税收征收管理法》第五十四条',
  inspectingBody: '区税务局',
  targetKinds: ['ENTERPRISE'],
  method: 'ON_SITE',
  category: 'GENERAL',
  ratioCapPercent: 5,
  frequency: '每年不少于1次',
  domain: '涉税专业服务',
  industries: ['L'],
};
const item = (overrides: Record<string, unknown>) => () => ({
  code: 'TAX-90',
  input: { ...CHECKLIST_ITEM, ...overrides },
});

const rosterRow = (overrides: Record<string, unknown> = {}) => ({
  kind: 'ENTERPRISE',
  uscc: VALID_USCC,
  name: '上海测试商贸有限公司',
  regionCode: '310115',
  industryCode: 'F52',
  creditLevel: 'B',
  riskLevel: 'GENERAL',
  ...overrides,
});

const result = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: 'bad-input:tax:TAX-08',
  taskId: 'task-bad-input',
  targetKey: VALID_USCC,
  uscc: VALID_USCC,
  itemCode: 'TAX-08',
  itemVersion: 1,
  outcome: 'NO_PROBLEM',
  method: 'ON_SITE',
  notes: '发票领用存情况正常',
  evidence: ['photo-001'],
  inspectors: ['310115SW201900001', '310115SW202000002'],
  inspectedOn: '2026-03-04',
  ...overrides,
});
const record =
  (overrides: Record<string, unknown> = {}) =>
  () => ({ input: [result(overrides)] });

/** Every item of a visit's combined checklist with a result, as the team enters them. */
const resultsOf = (visit: Visit) =>
  visit.checklist.map((c) => ({
    department: c.department,
    itemCode: c.itemCode,
    outcome: 'NO_PROBLEM',
    method: 'ON_SITE',
    notes: '现场检查',
  }));
type Results = ReturnType<typeof resultsOf>;
const submission =
  (
    pick: (f: Fixture) => Visit,
    change: (results: Results, f: Fixture) => Results = (r) => r,
    overrides: Record<string, unknown> = {},
  ) =>
  (f: Fixture) => {
    const visit = pick(f);
    return {
      input: {
        taskId: f.locked,
        targetKey: visit.key,
        inspectedOn: '2026-03-04',
        results: change(resultsOf(visit), f),
        ...overrides,
      },
    };
  };
const inspectorOf = (visit: Visit, department: string): string =>
  visit.team.find((m) => m.kind === 'INSPECTOR' && m.status === 'ACTIVE' && m.department === department)!.personId;
/** The open visit's market inspector (a member of its team). */
const openMember = (f: Fixture): Who => [Role.INSPECTOR, 'market', inspectorOf(f.open, 'market')];

const A_LOT = 40_000;
const deeplyNested = (depth: number): unknown => {
  let value: unknown = VALID_USCC;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

// ---- the table ---------------------------------------------------------------------------------

const COORDINATOR: Who = [Role.COORDINATOR, 'market'];
const TAX_ADMIN: Who = [Role.DEPT_ADMIN, 'tax'];
const SERVICE: Who = [Role.SERVICE, null, 'joint'];

const CASES: Case[] = [
  // -- bad USCCs: wherever a code enters (market queries, roster imports, result write-back, references).
  {
    category: 'bad USCC',
    name: 'marketEntity: 17 characters',
    operation: ENTITY,
    variables: () => ({ uscc: '91350100M000100Y4' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /must be 18 characters, got 17/ },
  },
  {
    category: 'bad USCC',
    name: 'marketEntity: 19 characters',
    operation: ENTITY,
    variables: () => ({ uscc: '91350100M000100Y433' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /must be 18 characters, got 19/ },
  },
  {
    category: 'bad USCC',
    name: 'marketEntity: empty',
    operation: ENTITY,
    variables: () => ({ uscc: '' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /must be 18 characters, got 0/ },
  },
  {
    category: 'bad USCC',
    name: 'marketEntity: wrong check character',
    operation: ENTITY,
    variables: () => ({ uscc: '91350100M000100Y44' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /check character is '4', the code computes '3'/ },
  },
  {
    category: 'bad USCC',
    name: "marketEntity: lower-case 'o' (upper-cased, O is not in the character set)",
    operation: ENTITY,
    variables: () => ({ uscc: '91350100m000100yo3' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /character 17 \('O'\) is not allowed/ },
  },
  {
    category: 'bad USCC',
    name: 'marketEntity: letters in the region digits',
    operation: ENTITY,
    variables: () => ({ uscc: '91A50100M000100Y43' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /characters 3-8 must be the 6-digit region code/ },
  },
  {
    category: 'bad USCC',
    name: 'marketEntity: full-width digits',
    operation: ENTITY,
    variables: () => ({ uscc: '９１３５０１００Ｍ０００１００Ｙ４３' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /character 1 \('９'\) is not allowed/ },
  },
  {
    category: 'bad USCC',
    name: 'marketEntities: an I among valid codes',
    operation: ENTITIES,
    variables: () => ({ usccs: [VALID_USCC, '9144030019220382I6'] }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'usccs[1]',
      messageMatches: /usccs\[1\].*character 17 \('I'\) is not allowed/,
    },
  },
  {
    category: 'bad USCC',
    name: 'marketEntities: S, V and Z',
    operation: ENTITIES,
    variables: () => ({ usccs: ['91350100M000100S43', '91350100M000100V43', '91350100M000100Z43'] }),
    expect: { code: 'BAD_USER_INPUT', field: 'usccs[0]', messageMatches: /except I, O, S, V, Z/ },
  },
  {
    category: 'bad USCC',
    name: 'roster import: a wrong check character in the second row',
    operation: IMPORT('tax'),
    token: TAX_ADMIN,
    variables: () => ({ targets: [rosterRow(), rosterRow({ uscc: '91350100M000100Y44' })] }),
    expect: { code: 'BAD_USER_INPUT', field: 'targets[1].uscc', messageMatches: /targets\[1\]\.uscc.*check character/ },
  },
  {
    category: 'bad USCC',
    name: "roster import: a project's responsible entity with an inner space",
    operation: IMPORT('fire'),
    token: [Role.DEPT_ADMIN, 'fire'],
    variables: () => ({ targets: [rosterRow({ kind: 'PROJECT', id: 'P-2026-0901', uscc: '91350100 M000100Y4' })] }),
    expect: { code: 'BAD_USER_INPUT', field: 'targets[0].uscc', messageMatches: /character 9 \(' '\) is not allowed/ },
  },
  {
    category: 'bad USCC',
    name: 'result write-back: a 17-character uscc',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ uscc: '91440300192203821' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input[0].uscc', messageMatches: /must be 18 characters/ },
  },
  {
    category: 'bad USCC',
    name: 'published results of a bad code',
    operation: 'query($uscc: String!) { tax { publishedResults(uscc: $uscc) { id } } }',
    variables: () => ({ uscc: '9144030019220382' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /not a valid unified social credit code/ },
  },
  {
    category: 'bad USCC',
    name: "a department's results filtered by a bad code",
    operation: 'query($uscc: String!) { tax { results(uscc: $uscc) { id } } }',
    token: TAX_ADMIN,
    variables: () => ({ uscc: '914403001922038217' }),
    expect: { code: 'BAD_USER_INPUT', field: 'uscc', messageMatches: /check character/ },
  },
  {
    category: 'bad USCC',
    name: 'R19: a conflict of interest with a target key that is no code',
    operation: DECLARE,
    token: [Role.DEPT_ADMIN, 'tax'],
    variables: (f) => ({
      input: {
        department: 'tax',
        personId: inspectorOf(f.open, 'tax'),
        targetKey: '统一社会信用代码：9135…',
        reason: '近亲属在该单位任职',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'targetKey',
      rule: 'R19',
      messageMatches: /is not a target key: a USCC, or a department's own id/,
    },
  },
  {
    category: 'bad USCC',
    name: 'an entity reference sent straight to the market subgraph',
    at: 'market',
    operation: ENTITY_REFS,
    token: [Role.AUDITOR],
    variables: () => ({ r: [{ __typename: 'MarketEntity', uscc: 'NOT-A-CODE' }] }),
    expect: { code: 'BAD_USER_INPUT', field: 'representations.uscc', messageMatches: /must be 18 characters/ },
  },

  // -- bad dates and windows (the hub's clock: Wednesday 4 March 2026; the locked task was locked that day).
  {
    category: 'bad date or window',
    name: 'plan window ends before it starts',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ windowStart: '2026-06-01', windowEnd: '2026-03-01' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.windowEnd',
      rule: 'R10',
      messageMatches: /windowEnd is before input\.windowStart/,
    },
  },
  {
    category: 'bad date or window',
    name: 'plan window starts the year before',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ windowStart: '2025-12-01' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.windowStart',
      rule: 'R10',
      messageMatches: /'2025-12-01' must be a date \(YYYY-MM-DD\) in 2026/,
    },
  },
  {
    category: 'bad date or window',
    name: 'plan window ends the year after',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ windowEnd: '2027-01-15' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.windowEnd', rule: 'R10', messageMatches: /in 2026/ },
  },
  {
    category: 'bad date or window',
    name: 'plan window ends on 30 February',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ windowStart: '2026-02-01', windowEnd: '2026-02-30' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.windowEnd',
      rule: 'R10',
      messageMatches: /'2026-02-30' must be a date/,
    },
  },
  {
    category: 'bad date or window',
    name: 'plan window in month 13',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ windowEnd: '2026-13-01' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.windowEnd', rule: 'R10', messageMatches: /must be a date/ },
  },
  {
    category: 'bad date or window',
    name: 'plan window not in YYYY-MM-DD',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ windowStart: '2026-3-1' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.windowStart', rule: 'R10', messageMatches: /YYYY-MM-DD/ },
  },
  {
    category: 'bad date or window',
    name: 'a plan year the hub has no business with',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ year: 1999, windowStart: '1999-03-01', windowEnd: '1999-11-30' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.year', messageMatches: /1999 is not a plan year/ },
  },
  {
    category: 'bad date or window',
    name: 'a revision whose window ends before it starts',
    operation: REVISE_PLAN,
    token: COORDINATOR,
    variables: revise({ windowStart: '2026-09-01', windowEnd: '2026-08-31' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.windowEnd',
      rule: 'R10',
      messageMatches: /before input\.windowStart/,
    },
  },
  {
    category: 'bad date or window',
    name: 'witnessAvailableOn today (the witness may be known)',
    operation: CREATE_TASK,
    token: COORDINATOR,
    variables: task({ witnessAvailableOn: '2026-03-04' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'witnessAvailableOn',
      messageMatches: /must be a date after today \(2026-03-04\)/,
    },
  },
  {
    category: 'bad date or window',
    name: 'witnessAvailableOn in the past',
    operation: CREATE_TASK,
    token: COORDINATOR,
    variables: task({ witnessAvailableOn: '2026-01-15' }),
    expect: { code: 'BAD_USER_INPUT', field: 'witnessAvailableOn', messageMatches: /after today/ },
  },
  {
    category: 'bad date or window',
    name: 'witnessAvailableOn on 31 April',
    operation: CREATE_TASK,
    token: COORDINATOR,
    variables: task({ witnessAvailableOn: '2026-04-31' }),
    expect: { code: 'BAD_USER_INPUT', field: 'witnessAvailableOn', messageMatches: /'2026-04-31' is not a date/ },
  },
  {
    category: 'bad date or window',
    name: 'witnessAvailableOn in words',
    operation: CREATE_TASK,
    token: COORDINATOR,
    variables: task({ witnessAvailableOn: '2026年3月10日' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'witnessAvailableOn',
      messageMatches:
        /'2026年3月10日' is not a date \(YYYY-MM-DD\): give the China date the witness value is published/,
    },
  },
  {
    category: 'bad date or window',
    name: 'H2: witnessAvailableOn 9999-12-31 (beyond the 366-day horizon)',
    operation: CREATE_TASK,
    token: COORDINATOR,
    variables: task({ witnessAvailableOn: '9999-12-31' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'witnessAvailableOn',
      messageMatches:
        /'9999-12-31' is more than 366 days ahead \(the latest is 2027-03-05\): give the date of a draw the witness source has announced/,
    },
  },
  {
    category: 'bad date or window',
    name: 'H2: witnessAvailableOn 367 days ahead',
    operation: CREATE_TASK,
    token: COORDINATOR,
    variables: task({ witnessAvailableOn: '2027-03-06' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'witnessAvailableOn',
      messageMatches: /more than 366 days ahead \(the latest is 2027-03-05\)/,
    },
  },
  {
    category: 'bad date or window',
    name: 'a snapshot once the witness may be public',
    operation: SNAPSHOT,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.committed }),
    expect: {
      code: 'CONFLICT',
      field: 'taskId',
      messageMatches: /may be public since 2026-03-04.*create one with a later witness date/,
    },
  },
  {
    category: 'bad date or window',
    name: 'a draw before the witness is published',
    operation: DRAW,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.snapshotTaken, witness: '01 02 03 04 05 06 + 07' }),
    expect: {
      code: 'CONFLICT',
      field: 'witnessValue',
      messageMatches: /published on 2026-03-10; draw on or after that day/,
    },
  },
  {
    category: 'bad date or window',
    name: 'results inspected tomorrow',
    operation: SUBMIT,
    token: openMember,
    variables: submission((f) => f.open, undefined, { inspectedOn: '2026-03-05' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'inspectedOn',
      messageMatches: /between the lock \(2026-03-04\) and today \(2026-03-04\)/,
    },
  },
  {
    category: 'bad date or window',
    name: 'results inspected before the list was locked',
    operation: SUBMIT,
    token: openMember,
    variables: submission((f) => f.open, undefined, { inspectedOn: '2026-03-03' }),
    expect: { code: 'BAD_USER_INPUT', field: 'inspectedOn', messageMatches: /between the lock/ },
  },
  {
    category: 'bad date or window',
    name: 'results inspected on a day written with slashes',
    operation: SUBMIT,
    token: openMember,
    variables: submission((f) => f.open, undefined, { inspectedOn: '2026/03/04' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'inspectedOn',
      messageMatches: /inspectedOn '2026\/03\/04' must be a day/,
    },
  },
  {
    category: 'bad date or window',
    name: 'a result written back as inspected on 30 February',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ inspectedOn: '2026-02-30' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input[0].inspectedOn', messageMatches: /'2026-02-30' is not a date/ },
  },
  {
    category: 'bad date or window',
    name: 'overdue revisions as of 30 February',
    operation: 'query($asOf: String) { jointOverduePlanRevisions(asOf: $asOf) { planId } }',
    token: COORDINATOR,
    variables: () => ({ asOf: '2026-02-30' }),
    expect: { code: 'BAD_USER_INPUT', field: 'asOf', messageMatches: /asOf '2026-02-30' is not a date/ },
  },

  // -- ratios out of range (R2, R13).
  {
    category: 'ratio out of range',
    name: 'a negative ratio',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: -1, elevated: 10, general: 2, low: 1 } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratios.high',
      messageMatches: /-1%: a ratio is between 0 and 100%/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'a ratio over 100%',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 101, elevated: 10, general: 2, low: 1 } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratios.high',
      messageMatches: /101%: a ratio is between 0 and 100%/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'an elevated ratio of 150%',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 100, elevated: 150, general: 2, low: 1 } }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratios.elevated', messageMatches: /between 0 and 100%/ },
  },
  {
    category: 'ratio out of range',
    name: 'a low ratio just below zero',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 30, elevated: 10, general: 2, low: -0.01 } }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratios.low', messageMatches: /between 0 and 100%/ },
  },
  {
    category: 'ratio out of range',
    name: 'an absurdly large ratio',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 100, elevated: 100, general: 1e300, low: 1 } }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratios.general', messageMatches: /between 0 and 100%/ },
  },
  {
    category: 'ratio out of range',
    name: 'a ratio finer than 0.01%',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 30.125, elevated: 10, general: 2, low: 1 } }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratios.high', messageMatches: /at most two decimals/ },
  },
  {
    category: 'ratio out of range',
    name: "R2: the default 30% over a GENERAL item's 5% cap",
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ items: ITEMS_PLUS({ department: 'market', code: 'MKT-01', version: 1 }) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.items[3]',
      rule: 'R2',
      messageMatches: /30% exceeds the 5% cap of GENERAL item market MKT-01.*lower the ratios/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'R13: high below elevated',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 2, elevated: 10, general: 2, low: 1 } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratios',
      rule: 'R13',
      messageMatches: /must not rise from high to low risk/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'R13: low above general',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ ratios: { high: 30, elevated: 10, general: 1, low: 2 } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratios',
      rule: 'R13',
      messageMatches: /high ≥ elevated ≥ general ≥ low/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'a revision with a ratio of 120%',
    operation: REVISE_PLAN,
    token: COORDINATOR,
    variables: revise({ ratios: { high: 120, elevated: 10, general: 2, low: 1 } }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratios.high', messageMatches: /120%/ },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a GENERAL item capped at 100%',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ ratioCapPercent: 100 }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratioCapPercent',
      rule: 'R2',
      messageMatches: /above 0 and below 100%.*make it a KEY item/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a GENERAL item capped at 0%',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ ratioCapPercent: 0 }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratioCapPercent', rule: 'R2', messageMatches: /is 0%/ },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a negative cap',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ ratioCapPercent: -5 }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratioCapPercent', rule: 'R2', messageMatches: /is -5%/ },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a cap of 150%',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ ratioCapPercent: 150 }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratioCapPercent', rule: 'R2', messageMatches: /is 150%/ },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a KEY item with a cap',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ category: 'KEY', ratioCapPercent: 10 }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratioCapPercent',
      rule: 'R2',
      messageMatches: /must be empty for a KEY item/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a GENERAL item without a cap',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ ratioCapPercent: null }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.ratioCapPercent',
      rule: 'R2',
      messageMatches: /required for a GENERAL item/,
    },
  },
  {
    category: 'ratio out of range',
    name: 'R2: a revision capping TAX-08 at 100%',
    operation: REVISE_ITEM('tax'),
    token: TAX_ADMIN,
    variables: () => ({ code: 'TAX-08', input: { ...CHECKLIST_ITEM, ratioCapPercent: 100 } }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratioCapPercent', rule: 'R2', messageMatches: /below 100%/ },
  },
  {
    category: 'ratio out of range',
    name: 'a cap finer than 0.01%',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ ratioCapPercent: 5.555 }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.ratioCapPercent', messageMatches: /at most two decimals/ },
  },

  // -- unknown items and departments (R3).
  {
    category: 'unknown item or department',
    name: 'R3: an item code no checklist has',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ items: ITEMS_PLUS({ department: 'market', code: 'MKT-99', version: 1 }) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.items[3]',
      rule: 'R3',
      messageMatches: /market has no checklist item MKT-99 version 1/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'R3: a version that does not exist',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () =>
      plan({ items: [{ department: 'market', code: 'MKT-09', version: 2 }, ...jointPlanInput().items.slice(1)] }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.items[0]',
      rule: 'R3',
      messageMatches: /no checklist item MKT-09 version 2/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'R3: version 0',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () =>
      plan({ items: [...jointPlanInput().items.slice(0, 2), { department: 'fire', code: 'FIRE-01', version: 0 }] }),
    expect: { code: 'BAD_USER_INPUT', field: 'input.items[2]', rule: 'R3', messageMatches: /FIRE-01 version 0/ },
  },
  {
    category: 'unknown item or department',
    name: 'R3: an item of a department not taking part',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ items: ITEMS_PLUS({ department: 'housing', code: 'HSG-01', version: 1 }) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.items[3].department',
      rule: 'R3',
      messageMatches: /'housing' does not take part in the plan; add it to partners/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'R3: an item of a department the hub does not have',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ items: ITEMS_PLUS({ department: 'customs', code: 'CUS-01', version: 1 }) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.items[3].department',
      rule: 'R3',
      messageMatches: /'customs' does not take part/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'a partner that is not a department of the hub',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ partners: ['tax', 'fire', 'customs'] }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.partners.2',
      rule: 'R10',
      messageMatches: /'customs' is not a department of the hub \(known: /,
    },
  },
  {
    category: 'unknown item or department',
    name: 'a partner in upper case',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () => plan({ partners: ['TAX', 'fire'] }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.partners.0',
      rule: 'R10',
      messageMatches: /'TAX' is not a department of the hub/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'inspectors drawn for a department not in the plan',
    operation: DRAW_INSPECTORS,
    token: [Role.COORDINATOR, 'housing'],
    variables: (f) => ({ taskId: f.locked, department: 'housing' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageMatches: /'housing' does not take part in this task \(fire, market, tax\)/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'inspectors drawn for a department the hub does not have',
    operation: DRAW_INSPECTORS,
    token: [Role.COORDINATOR, 'customs'],
    variables: (f) => ({ taskId: f.locked, department: 'customs' }),
    expect: { code: 'BAD_USER_INPUT', field: 'department', messageMatches: /'customs' does not take part/ },
  },
  {
    category: 'unknown item or department',
    name: 'inspectors drawn for a task that does not exist',
    operation: DRAW_INSPECTORS,
    token: COORDINATOR,
    variables: () => ({ taskId: '00000000-0000-4000-8000-000000000000', department: 'market' }),
    expect: { code: 'NOT_FOUND', field: 'taskId', messageMatches: /No task 00000000-0000-4000-8000-000000000000/ },
  },
  {
    category: 'unknown item or department',
    name: 'an entrustment for a department not in the plan',
    operation: ENTRUST,
    token: [Role.DEPUTY_HEAD, 'housing'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        department: 'housing',
        inspectorId: 'housing-i0001',
        regions: ['310101'],
        entrustedByUnit: '上海市住房和城乡建设管理委员会',
        reason: '辖区人员不足',
      },
    }),
    expect: { code: 'BAD_USER_INPUT', field: 'department', messageMatches: /'housing' does not take part/ },
  },
  {
    category: 'unknown item or department',
    name: 'a conflict of interest declared in a department the hub does not have',
    operation: DECLARE,
    token: [Role.INSPECTOR, 'customs', 'customs-i0001'],
    variables: () => ({
      input: { department: 'customs', personId: 'customs-i0001', targetKey: VALID_USCC, reason: '近亲属在该单位任职' },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'department',
      messageMatches: /department 'customs' is not a department of the hub \(/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'a roster filter with a region that is no code',
    operation: 'query($f: RosterFilter) { tax { targets(filter: $f, first: 5) { nodes { id } } } }',
    token: TAX_ADMIN,
    variables: () => ({ f: { regions: ['3101', "'; DROP TABLE roster_target; --"] } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'filter.regions.1',
      messageMatches: /filter\.regions\[1\]: .* is not a region code or prefix \(2 to 6 digits\)/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'uncovered items of an unknown department',
    operation: '{ jointUncoveredItems(year: 2026, department: "customs") { code } }',
    expect: { code: 'BAD_USER_INPUT', field: 'department', messageMatches: /No department 'customs' in the hub/ },
  },
  {
    category: 'unknown item or department',
    name: 'the checklist of a department not registered',
    operation: '{ customs { checklist { code } } }',
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Cannot query field "customs" on type "Query"/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'an import into a department not registered',
    operation: IMPORT('customs'),
    token: [Role.DEPT_ADMIN, 'customs'],
    variables: () => ({ targets: [rosterRow()] }),
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Cannot query field "customsImportTargets" on type "Mutation"/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'a revision of an item not on the checklist',
    operation: REVISE_ITEM('tax'),
    token: TAX_ADMIN,
    variables: () => ({ code: 'TAX-99', input: CHECKLIST_ITEM }),
    expect: { code: 'NOT_FOUND', field: 'code', messageMatches: /No item TAX-99 in force in the tax checklist/ },
  },
  {
    category: 'unknown item or department',
    name: 'a repeal of an item not on the checklist',
    operation: REPEAL_ITEM('tax'),
    token: TAX_ADMIN,
    variables: () => ({ code: 'TAX-99' }),
    expect: { code: 'NOT_FOUND', field: 'code', messageMatches: /No item TAX-99 in force/ },
  },
  {
    category: 'unknown item or department',
    name: 'an item code in lower case',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: () => ({ code: 'tax-90', input: CHECKLIST_ITEM }),
    expect: { code: 'BAD_USER_INPUT', field: 'code', messageMatches: /use uppercase letters, digits and dashes/ },
  },
  {
    category: 'unknown item or department',
    name: 'R24: a result written back for an item tax does not have',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ itemCode: 'TAX-99' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input[0].itemCode',
      rule: 'R24',
      messageMatches: /TAX-99 version 1 is not an item of the tax checklist/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'R24: a result under a department the hub does not have',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x, i) => (i === 0 ? { ...x, department: 'customs' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[0]',
      rule: 'R24',
      messageMatches: /customs MKT-09 is not an item of this visit's combined checklist/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'R27: a lead for a department the hub does not have',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x, i) => (i === 0 ? { ...x, leadFor: 'customs', leadNote: '疑似走私' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[0].leadFor',
      rule: 'R27',
      messageMatches: /'customs' is not another department of the hub/,
    },
  },
  {
    category: 'unknown item or department',
    name: "an outcome not in the department's dictionary",
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x, i) => (i === 0 ? { ...x, outcome: 'LOOKS_FINE' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[0].outcome',
      messageMatches: /'LOOKS_FINE' is not in the market outcome dictionary \(.*NO_PROBLEM/,
    },
  },
  {
    category: 'unknown item or department',
    name: 'removing a subgraph that is not registered',
    operation: 'mutation { registryRemoveSubgraph(name: "customs") { changed } }',
    token: [Role.HUB_ADMIN],
    expect: { code: 'NOT_FOUND', field: 'name', messageMatches: /No subgraph named customs is registered/ },
  },

  // -- results for items not in the visit (R22, R24).
  {
    category: 'result for an item not in the visit',
    name: "R24: fire's item under market",
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x) => (x.itemCode === 'FIRE-01' ? { ...x, department: 'market' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[2]',
      rule: 'R24',
      messageMatches:
        /market FIRE-01 is not an item of this visit's combined checklist; each department's items only under that department/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R24: an item of the checklist the plan does not check',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => [
        ...r,
        { department: 'market', itemCode: 'MKT-01', outcome: 'NO_PROBLEM', method: 'ON_SITE', notes: '顺带检查' },
      ],
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[3]',
      rule: 'R24',
      messageMatches: /market MKT-01 is not an item of this visit/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: "R24: a tax item on a visit whose target's industry tax does not check",
    operation: SUBMIT,
    token: (f) => [Role.INSPECTOR, 'market', inspectorOf(f.noTax, 'market')],
    variables: submission(
      (f) => f.noTax,
      (r) => [
        ...r,
        { department: 'tax', itemCode: 'TAX-08', outcome: 'NO_PROBLEM', method: 'ON_SITE', notes: '发票检查' },
      ],
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[2]',
      rule: 'R24',
      messageMatches: /tax TAX-08 is not an item of this visit/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R24: an item code in lower case',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x, i) => (i === 0 ? { ...x, itemCode: 'mkt-09' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[0]',
      rule: 'R24',
      messageMatches: /market mkt-09 is not an item/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R24: an empty department',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x, i) => (i === 1 ? { ...x, department: '' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[1]',
      rule: 'R24',
      messageMatches: /is not an item of this visit's combined checklist/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R22: the same item twice',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => [...r, r[0]!],
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[3]',
      rule: 'R22',
      messageMatches: /market\/MKT-09 has a result already in this submission/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R22: an item of the visit left out',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.filter((x) => x.itemCode !== 'FIRE-01'),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results',
      rule: 'R22',
      messageMatches: /1 have no result \(fire FIRE-01\): enter once, check every item/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R22: no results at all',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      () => [],
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results',
      rule: 'R22',
      messageMatches: /3 have no result.*If the target could not be reached, that is the result of every item \(R26\)/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'a target the task did not draw',
    operation: SUBMIT,
    token: openMember,
    variables: (f) => ({ input: { ...submission((g) => g.open)(f).input, targetKey: f.outsideKey } }),
    expect: { code: 'NOT_FOUND', field: 'targetKey', messageMatches: /is not a target of task/ },
  },
  {
    category: 'result for an item not in the visit',
    name: 'a task that does not exist',
    operation: SUBMIT,
    token: openMember,
    variables: (f) => ({ input: { ...submission((g) => g.open)(f).input, taskId: 'no-such-task' } }),
    expect: { code: 'NOT_FOUND', field: 'taskId', messageMatches: /No task no-such-task/ },
  },
  {
    category: 'result for an item not in the visit',
    name: 'a visit of a task not locked yet',
    operation: SUBMIT,
    token: openMember,
    variables: (f) => ({ input: { ...submission((g) => g.open)(f).input, taskId: f.drawn } }),
    expect: {
      code: 'CONFLICT',
      field: 'taskId',
      messageMatches: /is DRAWN: results are submitted for visits of a locked task/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'a visit submitted already',
    operation: SUBMIT,
    token: (f) => [Role.INSPECTOR, 'market', inspectorOf(f.submitted, 'market')],
    variables: submission((f) => f.submitted),
    expect: {
      code: 'CONFLICT',
      field: 'targetKey',
      messageMatches: /were submitted already; a published result is corrected by its department \(R28\)/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: "R24: market's item written back to tax",
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ itemCode: 'MKT-09' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input[0].itemCode',
      rule: 'R24',
      messageMatches: /MKT-09 version 1 is not an item of the tax checklist; each department records its own items/,
    },
  },
  {
    category: 'result for an item not in the visit',
    name: 'R24: a version of TAX-08 that does not exist written back',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ itemVersion: 9 }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input[0].itemCode',
      rule: 'R24',
      messageMatches: /TAX-08 version 9 is not an item/,
    },
  },

  // -- a second lock, a second draw, a second snapshot (R17).
  {
    category: 'second lock',
    name: 'R17: locking a locked task',
    operation: LOCK,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is locked already: its list never changes/ },
  },
  {
    category: 'second lock',
    name: 'R17: drawing a locked task again',
    operation: DRAW,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, witness: '05 11 16 23 28 32 + 07' }),
    expect: {
      code: 'CONFLICT',
      rule: 'R17',
      messageMatches: /is LOCKED: a task has one draw; there is no drawing again.*Cancel it with a reason/,
    },
  },
  {
    category: 'second lock',
    name: 'R17: a snapshot of a locked task',
    operation: SNAPSHOT,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is LOCKED: its snapshot is taken once/ },
  },
  {
    category: 'second lock',
    name: 'R17: drawing a drawn task again',
    operation: DRAW,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.drawn, witness: '01 02 03 04 05 06 + 08' }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is DRAWN: a task has one draw/ },
  },
  {
    category: 'second lock',
    name: 'R17: a snapshot again after the draw',
    operation: SNAPSHOT,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.drawn }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is DRAWN: its snapshot is taken once/ },
  },
  {
    category: 'second lock',
    name: 'R17: a second snapshot',
    operation: SNAPSHOT,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.snapshotTaken }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is SNAPSHOT_TAKEN: its snapshot is taken once/ },
  },
  {
    category: 'second lock',
    name: 'R17: locking a list not drawn yet',
    operation: LOCK,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.snapshotTaken }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is SNAPSHOT_TAKEN: only a drawn list can be locked/ },
  },
  {
    category: 'second lock',
    name: 'R17: locking a task without a snapshot',
    operation: LOCK,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.committed }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /is COMMITTED: only a drawn list can be locked/ },
  },
  {
    category: 'second lock',
    name: 'R17: drawing a task without a snapshot',
    operation: DRAW,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.committed, witness: '05 11 16 23 28 32 + 07' }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /has no snapshot yet: take it first \(R9\)/ },
  },
  {
    category: 'second lock',
    name: "R18: market's inspectors drawn a second time",
    operation: DRAW_INSPECTORS,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, department: 'market' }),
    expect: {
      code: 'CONFLICT',
      messageMatches: /market has drawn its inspectors for task .* already; replace one with a reason instead \(R20\)/,
    },
  },
  {
    category: 'second lock',
    name: "R18: tax's inspectors drawn a second time",
    operation: DRAW_INSPECTORS,
    token: [Role.COORDINATOR, 'tax'],
    variables: (f) => ({ taskId: f.locked, department: 'tax' }),
    expect: { code: 'CONFLICT', messageMatches: /tax has drawn its inspectors/ },
  },
  {
    category: 'second lock',
    name: "R18: fire's inspectors drawn a second time, by its admin",
    operation: DRAW_INSPECTORS,
    token: [Role.DEPT_ADMIN, 'fire'],
    variables: (f) => ({ taskId: f.locked, department: 'fire' }),
    expect: { code: 'CONFLICT', messageMatches: /fire has drawn its inspectors/ },
  },
  {
    category: 'second lock',
    name: 'R18: inspectors drawn before the list is locked',
    operation: DRAW_INSPECTORS,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.drawn, department: 'market' }),
    expect: { code: 'CONFLICT', field: 'taskId', messageMatches: /is DRAWN: inspectors are drawn for a locked list/ },
  },
  {
    category: 'second lock',
    name: 'R11: publishing a published revision again',
    operation: PUBLISH_PLAN,
    token: COORDINATOR,
    variables: (f) => ({ id: f.planId }),
    expect: { code: 'CONFLICT', messageMatches: /Revision 1 of plan .* is published already/ },
  },

  // -- edits of a locked list (R17): no mutation changes who is on it.
  {
    category: 'edit of a locked list',
    name: 'R17: there is no mutation that adds a target to a list',
    operation:
      'mutation($taskId: ID!) { jointAddDrawnTarget(taskId: $taskId, targetKey: "914403001922038216") { id } }',
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked }),
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Cannot query field "jointAddDrawnTarget" on type "Mutation"/,
    },
  },
  {
    category: 'edit of a locked list',
    name: 'R17: there is no mutation that removes a target from a list',
    operation: 'mutation($taskId: ID!) { jointRemoveDrawnTarget(taskId: $taskId, targetKey: "914403001922038216") }',
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked }),
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Cannot query field "jointRemoveDrawnTarget"/,
    },
  },
  {
    category: 'edit of a locked list',
    name: 'R17: a new snapshot with a reason to take targets inspected twice',
    operation: SNAPSHOT,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, reason: '补充抽取' }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /its snapshot is taken once/ },
  },
  {
    category: 'edit of a locked list',
    name: 'R17: a draw with another witness, to get another list',
    operation: DRAW,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, witness: '02 09 14 21 27 33 + 11' }),
    expect: { code: 'CONFLICT', rule: 'R17', messageMatches: /there is no drawing again/ },
  },
  {
    category: 'edit of a locked list',
    name: 'R17: an inspection code for a target not on the list',
    operation: ISSUE_CODE,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, key: f.outsideKey }),
    expect: { code: 'NOT_FOUND', field: 'targetKey', messageMatches: /is not a visit of task/ },
  },
  {
    category: 'edit of a locked list',
    name: 'R17: a seat filled on a target not on the list',
    operation: FILL,
    token: [Role.DEPUTY_HEAD, 'market'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.outsideKey,
        department: 'market',
        inspectorId: inspectorOf(f.open, 'market'),
        note: '补充检查对象',
      },
    }),
    expect: { code: 'NOT_FOUND', field: 'targetKey', messageMatches: /is not a target of task/ },
  },
  {
    category: 'edit of a locked list',
    name: 'R17: an inspector replaced on a target not on the list',
    operation: REPLACE,
    token: [Role.DEPUTY_HEAD, 'market'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.outsideKey,
        department: 'market',
        personId: inspectorOf(f.open, 'market'),
        reason: 'HEALTH',
        replacementId: inspectorOf(f.foreign, 'market'),
        note: '因病',
      },
    }),
    expect: {
      code: 'NOT_FOUND',
      field: 'personId',
      messageMatches: /is not an active market inspector on the team for/,
    },
  },
  {
    category: 'edit of a locked list',
    name: 'R20: a seat filled where none is vacant',
    operation: FILL,
    token: [Role.DEPUTY_HEAD, 'market'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.open.key,
        department: 'market',
        inspectorId: inspectorOf(f.foreign, 'market'),
        note: '加派人员',
      },
    }),
    expect: { code: 'CONFLICT', field: 'targetKey', messageMatches: /No market seat is vacant on the team for/ },
  },
  {
    category: 'edit of a locked list',
    name: 'R20: an inspector replaced by themself',
    operation: REPLACE,
    token: [Role.DEPUTY_HEAD, 'market'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.open.key,
        department: 'market',
        personId: inspectorOf(f.open, 'market'),
        reason: 'WORK_CONFLICT',
        replacementId: inspectorOf(f.open, 'market'),
        note: '调整',
      },
    }),
    expect: { code: 'BAD_USER_INPUT', field: 'replacementId', rule: 'R20', messageMatches: /is on this team already/ },
  },
  {
    category: 'edit of a locked list',
    name: 'R20: an inspector replaced by someone not on the roster',
    operation: REPLACE,
    token: [Role.DEPUTY_HEAD, 'market'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.open.key,
        department: 'market',
        personId: inspectorOf(f.open, 'market'),
        reason: 'HEALTH',
        replacementId: 'market-i9999',
        note: '因病',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'replacementId',
      rule: 'R20',
      messageMatches: /market-i9999 is not an eligible market inspector/,
    },
  },
  {
    category: 'edit of a locked list',
    name: 'R20: an inspector replaced for a reason not on the list',
    operation:
      'mutation($taskId: ID!) { jointReplaceInspector(input: { taskId: $taskId, targetKey: "x", department: ' +
      '"market", personId: "x", reason: BORED, replacementId: "y", note: "z" }) { personId } }',
    token: [Role.DEPUTY_HEAD, 'market'],
    variables: (f) => ({ taskId: f.locked }),
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Value "BORED" does not exist in "ReplacementReason" enum/,
    },
  },
  {
    category: 'edit of a locked list',
    name: 'a locked task cancelled without a reason',
    operation: CANCEL,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, reason: '   ' }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'reason',
      messageMatches: /reason is required: a cancelled task keeps its reason on record/,
    },
  },

  // -- oversized and deeply nested documents (the gateway's limits: depth 12, aliases 30, tokens 5000, directives 20,
  // cost 250000, body 1 MB).
  {
    category: 'oversized or deeply nested document',
    name: 'depth 14, one over the limit',
    operation: `{ __type(name: "Query") { ${'ofType { '.repeat(12)}name${' }'.repeat(12)} } }`,
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Query depth limit of 12 exceeded, found 14/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'nesting 300 deep (its cost, some 10^53, is refused first)',
    operation: `{ __type(name: "Query") { ${'ofType { '.repeat(298)}name${' }'.repeat(298)} } }`,
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Query Cost limit of 250000 exceeded, found 2\.\d+e\+53/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: '31 aliases',
    operation:
      `{ ` +
      `${Array.from({ length: 31 }, (_, i) => `a${i}: jointDepartmentsWithoutJointPlan(year: 2026)`).join(' ')} ` +
      `}`,
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Aliases limit of 30 exceeded, found 31/i,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: '5,003 tokens',
    operation: `{ ${'__typename '.repeat(5001)}}`,
    expect: { code: 'GRAPHQL_VALIDATION_FAILED', status: 400, messageMatches: /Token limit of 5000 exceeded/i },
  },
  {
    category: 'oversized or deeply nested document',
    name: '21 directives',
    operation: `{ ${Array.from({ length: 21 }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ')} }`,
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Directives limit of 20 exceeded, found 21/i,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a cost over the limit (a page of 100,000)',
    operation: '{ jointAuditTrail(first: 100000) { seq } }',
    token: [Role.AUDITOR],
    expect: { code: 'GRAPHQL_VALIDATION_FAILED', status: 400, messageMatches: /Cost limit of 250000 exceeded/i },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'fragments spreading each other',
    operation: 'query { ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }',
    expect: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      messageMatches: /Cannot spread fragment "A" within itself/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a body over 1 MB',
    operation: 'query($padding: String) { __typename }',
    variables: () => ({ padding: 'x'.repeat(1_100_000) }),
    expect: {
      code: 'BAD_USER_INPUT',
      status: 413,
      field: null,
      messageMatches: /The request body is larger than the 1048576 bytes allowed; send less at once/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a batch of operations in one request',
    operation: '',
    body: () => JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    expect: { code: 'BAD_REQUEST', status: 400, messageMatches: /Operation batching disabled/ },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a body that is not JSON',
    operation: '',
    body: () => '{"query": "{ __typename }", ',
    expect: { code: 'BAD_USER_INPUT', status: 400, field: null, messageMatches: /The request body is not valid JSON/ },
  },
  {
    category: 'oversized or deeply nested document',
    name: `a list variable of ${A_LOT} codes`,
    operation: ENTITIES,
    variables: () => ({ usccs: Array.from({ length: A_LOT }, () => VALID_USCC) }),
    expect: { code: 'BAD_USER_INPUT', field: 'usccs', messageMatches: /usccs: at most 1000 codes per call, got 40000/ },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a list variable nested 2,000 deep',
    operation: ENTITIES,
    variables: () => ({ usccs: deeplyNested(2000) }),
    expect: { code: 'BAD_USER_INPUT', field: null, messageMatches: /Variable "\$usccs" got invalid value/ },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a roster import of 5,001 rows',
    operation: IMPORT('tax'),
    token: TAX_ADMIN,
    variables: () => ({ targets: Array.from({ length: 5001 }, () => rosterRow()) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'targets',
      messageMatches: /at most 5000 rows per call, got 5001; split the file/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a write-back of 1,001 results',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: () => ({ input: Array.from({ length: 1001 }, (_, i) => result({ idempotencyKey: `bulk:${i}` })) }),
    expect: { code: 'BAD_USER_INPUT', field: 'input', messageMatches: /1 to 1000 results per call/ },
  },
  {
    category: 'oversized or deeply nested document',
    name: `an approval of ${A_LOT} result ids`,
    operation: APPROVE('tax'),
    token: TAX_ADMIN,
    variables: () => ({ ids: Array.from({ length: A_LOT }, (_, i) => `r${i}`) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'ids',
      messageMatches: /ids: at most 1000 results per call, got 40000; send them in batches/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'an entrustment for 12,000 regions',
    operation: ENTRUST,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        department: 'tax',
        inspectorId: inspectorOf(f.foreign, 'tax'),
        regions: Array.from({ length: 12_000 }, (_, i) => String(310000 + i)),
        entrustedByUnit: '国家税务总局上海市税务局',
        reason: '辖区人员回避',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'regions',
      rule: 'R21',
      messageMatches: /regions: 1 to 100 region codes or prefixes \(2 to 6 digits\), got 12000/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a checklist item for 10,000 industries',
    operation: ADD_ITEM('tax'),
    token: TAX_ADMIN,
    variables: item({ industries: Array.from({ length: 10_000 }, (_, i) => `C${String(i).padStart(4, '0')}`) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.industries',
      rule: 'R1',
      messageMatches:
        /input\.industries: at most 1000 codes, got 10000; name sections \(C\) or divisions \(C13\) instead/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a result written back naming 5,000 inspectors',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({
      inspectors: Array.from({ length: 5000 }, (_, i) => `310115SW2019${String(i).padStart(5, '0')}`),
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input[0].inspectors',
      rule: 'R18',
      messageMatches:
        /input\[0\]\.inspectors: name the 1 to 20 inspectors who checked, by certificate number.*got 5000/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a plan scope of 20,000 regions',
    operation: CREATE_PLAN,
    token: COORDINATOR,
    variables: () =>
      plan({
        scope: {
          targetKinds: ['ENTERPRISE'],
          regions: Array.from({ length: 20_000 }, (_, i) => String(310000 + i)),
          industries: [],
        },
      }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'input.scope.regions',
      rule: 'R10',
      messageMatches:
        /input\.scope\.regions: at most 200 codes, got 20000; name prefixes \(3101\) or sections \(C\) instead/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a roster filter of 1,500 regions',
    operation: 'query($f: RosterFilter) { tax { targets(filter: $f, first: 5) { nodes { id } } } }',
    token: TAX_ADMIN,
    variables: () => ({ f: { regions: Array.from({ length: 1500 }, (_, i) => String(310000 + i)) } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'filter.regions',
      messageMatches: /filter\.regions: at most 200 codes, got 1500/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a bulk export filtered by 40,000 industries',
    operation: 'query($f: RosterFilter) { tax { exportTargetRows(filter: $f, first: 5) { count } } }',
    token: SERVICE,
    variables: () => ({ f: { industries: Array.from({ length: 40_000 }, (_, i) => `C${i}`) } }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'filter.industries',
      messageMatches: /filter\.industries: at most 200 codes, got 40000/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'an inspector roster filtered by a domain of 300,000 characters',
    operation: 'query($d: String) { tax { inspectors(domain: $d, first: 5) { nodes { id } } } }',
    token: TAX_ADMIN,
    variables: () => ({ d: 'x'.repeat(300_000) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'domain',
      messageMatches: /domain is 300000 characters long; at most 100 fit/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a name search of 200,000 characters',
    operation: 'query($name: String!) { marketSearch(name: $name) { uscc } }',
    variables: () => ({ name: '公司'.repeat(100_000) }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'name',
      messageMatches: /name is 200000 characters long; at most 100 fit/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a name search of 200 entities (its description states 100 as the largest)',
    operation: '{ marketSearch(name: "公司", first: 200) { uscc } }',
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'first',
      messageMatches: /first must be between 1 and 100, got 200: 100 is the largest page/,
    },
  },
  {
    category: 'oversized or deeply nested document',
    name: 'a roster page of 5,000',
    operation: '{ tax { targets(first: 5000) { nodes { id } } } }',
    token: TAX_ADMIN,
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'first',
      messageMatches: /first must be between 1 and 1000, got 5000: 1000 is the largest page/,
    },
  },

  // -- forged and expired tokens: UNAUTHENTICATED with HTTP 401, whatever the operation (here mostly a lock the
  // token's claims would allow).
  ...(
    [
      ['signed with a key the hub does not know', 'foreignKey', /token is not valid: get a new one \(npm run token/],
      [
        'expired a minute ago',
        'expired',
        /token has expired: get a new one \(npm run token -- --role <role> --dept <code>\)/,
      ],
      ['of another issuer', 'wrongIssuer', /token is not valid/],
      ['for another audience', 'wrongAudience', /token is not meant for the gateway/],
      ["with alg 'none' and no signature", 'algNone', /token is not valid/],
      ['HS256-signed with the public key as the secret', 'algConfusion', /token is not valid/],
      ['with its payload changed after signing', 'tampered', /token is not valid/],
      ['not yet valid (nbf tomorrow)', 'notYetValid', /token is not valid/],
      ['garbage', 'garbage', /token is not valid/],
      ['without a role', 'noRole', /token is not valid/],
      ['with a role the hub does not have', 'unknownRole', /token is not valid/],
      ["with the role 'PUBLIC'", 'publicRole', /token is not valid/],
      ['a department role without a department', 'noDept', /token is not valid/],
      ['a department code in capitals', 'badDept', /token is not valid/],
      ['without a subject', 'noSubject', /token is not valid/],
      ['a subject of 65 characters', 'longSubject', /token is not valid/],
    ] as const
  ).map(([name, key, message]): Case => ({
    category: 'forged or expired token',
    name: `a token ${name}`,
    operation: LOCK,
    authorization: (f) => f.forged[key]!,
    variables: (f) => ({ taskId: f.drawn }),
    expect: { code: 'UNAUTHENTICATED', status: 401, messageMatches: message },
  })),
  {
    category: 'forged or expired token',
    name: "an Authorization header that is not 'Bearer <token>'",
    operation: LOCK,
    authorization: () => 'Basic bWFya2V0OmNvb3JkaW5hdG9y',
    variables: (f) => ({ taskId: f.drawn }),
    expect: {
      code: 'UNAUTHENTICATED',
      status: 401,
      messageMatches: /The Authorization header must be 'Bearer <token>'/,
    },
  },
  {
    category: 'forged or expired token',
    name: 'H2: no token: an anonymous checklist mutation is told to sign in, in one sentence',
    operation: ADD_ITEM('market'),
    variables: () => ({ code: 'MKT-90', input: CHECKLIST_ITEM }),
    expect: {
      code: 'UNAUTHENTICATED',
      messageMatches: /^Sign in to change market data: send 'Authorization: Bearer <token>'\.$/,
    },
  },
  {
    category: 'forged or expired token',
    name: 'H2: no token: an anonymous roster read is told to sign in, in one sentence',
    operation: '{ tax { targets(first: 5) { nodes { id } } } }',
    expect: {
      code: 'UNAUTHENTICATED',
      messageMatches: /^Sign in to read the tax rosters: send 'Authorization: Bearer <token>'\.$/,
    },
  },
  {
    category: 'forged or expired token',
    name: 'a forged token sent straight to the tax subgraph',
    at: 'tax',
    operation: IMPORT('tax'),
    authorization: (f) => f.forged.foreignKeyTaxAdmin!,
    variables: () => ({ targets: [rosterRow()] }),
    expect: { code: 'UNAUTHENTICATED', status: 401, messageMatches: /token is not valid/ },
  },
  {
    category: 'forged or expired token',
    name: 'an expired token sent straight to the joint subgraph',
    at: 'joint',
    operation: LOCK,
    authorization: (f) => f.forged.expiredForJoint!,
    variables: (f) => ({ taskId: f.drawn }),
    expect: { code: 'UNAUTHENTICATED', status: 401, messageMatches: /token has expired/ },
  },

  // -- another department's ids (R30).
  {
    category: "another department's id",
    name: "tax's admin revises fire's item FIRE-01",
    operation: REVISE_ITEM('fire'),
    token: TAX_ADMIN,
    variables: () => ({ code: 'FIRE-01', input: { ...CHECKLIST_ITEM, category: 'KEY', ratioCapPercent: null } }),
    expect: { code: 'FORBIDDEN', messageMatches: /DEPT_ADMIN of department 'fire'.*you are DEPT_ADMIN of 'tax'/ },
  },
  {
    category: "another department's id",
    name: "tax's admin repeals fire's item FIRE-01",
    operation: REPEAL_ITEM('fire'),
    token: TAX_ADMIN,
    variables: () => ({ code: 'FIRE-01' }),
    expect: { code: 'FORBIDDEN', messageMatches: /department 'fire'/ },
  },
  {
    category: "another department's id",
    name: "tax's admin imports into fire's roster",
    operation: IMPORT('fire'),
    token: TAX_ADMIN,
    variables: () => ({ targets: [rosterRow()] }),
    expect: { code: 'FORBIDDEN', messageMatches: /department 'fire'/ },
  },
  {
    category: "another department's id",
    name: "tax's admin defines an outcome in fire's dictionary",
    operation: 'mutation { fireDefineOutcome(code: "X_Y", label: "x") { code } }',
    token: TAX_ADMIN,
    expect: { code: 'FORBIDDEN', messageMatches: /department 'fire'/ },
  },
  {
    category: "another department's id",
    name: "tax's admin approves fire's result in fire",
    operation: APPROVE('fire'),
    token: TAX_ADMIN,
    variables: (f) => ({ ids: [f.fireResultId] }),
    expect: { code: 'FORBIDDEN', messageMatches: /department 'fire'/ },
  },
  {
    category: "another department's id",
    name: "tax's admin approves fire's result id as tax's",
    operation: APPROVE('tax'),
    token: TAX_ADMIN,
    variables: (f) => ({ ids: [f.taxResultId, f.fireResultId] }),
    expect: { code: 'NOT_FOUND', field: 'ids', messageMatches: /No tax result / },
  },
  {
    category: "another department's id",
    name: "tax's admin publishes fire's result id as tax's",
    operation: PUBLISH('tax'),
    token: TAX_ADMIN,
    variables: (f) => ({ ids: [f.fireResultId] }),
    expect: { code: 'NOT_FOUND', field: 'ids', messageMatches: /No tax result / },
  },
  {
    category: "another department's id",
    name: "tax's principal head corrects fire's result id",
    operation: CORRECT('tax'),
    token: [Role.PRINCIPAL_HEAD, 'tax'],
    variables: (f) => ({ id: f.fireResultId }),
    expect: { code: 'NOT_FOUND', field: 'id', messageMatches: /No tax result / },
  },
  {
    category: "another department's id",
    name: "fire's admin reads tax's results",
    operation: 'query($t: ID) { tax { results(taskId: $t) { id } } }',
    token: [Role.DEPT_ADMIN, 'fire'],
    variables: (f) => ({ t: f.locked }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /tax/ },
  },
  {
    category: "another department's id",
    name: "market's coordinator draws tax's inspectors",
    operation: DRAW_INSPECTORS,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, department: 'tax' }),
    expect: {
      code: 'FORBIDDEN',
      rule: 'R30',
      messageMatches:
        /Only COORDINATOR or DEPT_ADMIN of 'tax' may draw its inspectors; you are COORDINATOR of 'market'/,
    },
  },
  {
    category: "another department's id",
    name: 'an inspector submits for a visit whose team they are not on',
    operation: SUBMIT,
    token: openMember,
    variables: submission((f) => f.foreign),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /Only a member of the team for .* submits its results/ },
  },
  {
    category: "another department's id",
    name: "a tax inspector submits under the market inspector's id",
    operation: SUBMIT,
    token: (f) => [Role.INSPECTOR, 'tax', inspectorOf(f.open, 'market')],
    variables: submission((f) => f.open),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /Only a member of the team/ },
  },
  {
    category: "another department's id",
    name: "fire's deputy head replaces tax's inspector",
    operation: REPLACE,
    token: [Role.DEPUTY_HEAD, 'fire'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.open.key,
        department: 'tax',
        personId: inspectorOf(f.open, 'tax'),
        reason: 'HEALTH',
        replacementId: inspectorOf(f.foreign, 'tax'),
        note: '因病',
      },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /DEPUTY_HEAD of 'tax'.*you are DEPUTY_HEAD of 'fire'/ },
  },
  {
    category: "another department's id",
    name: "tax's deputy head fills a fire seat",
    operation: FILL,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: f.open.key,
        department: 'fire',
        inspectorId: inspectorOf(f.foreign, 'fire'),
        note: '加派',
      },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /DEPUTY_HEAD of 'fire'/ },
  },
  {
    category: "another department's id",
    name: "tax's deputy head entrusts a fire inspector",
    operation: ENTRUST,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        department: 'fire',
        inspectorId: inspectorOf(f.foreign, 'fire'),
        regions: ['310101'],
        entrustedByUnit: '上海市消防救援总队',
        reason: '辖区人员回避',
      },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /of 'fire' may record an entrustment/ },
  },
  {
    category: "another department's id",
    name: "a tax inspector declares a conflict for fire's roster",
    operation: DECLARE,
    token: (f) => [Role.INSPECTOR, 'tax', inspectorOf(f.open, 'tax')],
    variables: (f) => ({
      input: { department: 'fire', personId: inspectorOf(f.open, 'fire'), targetKey: f.open.key, reason: '近亲属' },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /of 'fire' may declare a conflict of interest/ },
  },
  {
    category: "another department's id",
    name: "R19: tax's admin declares a conflict for a fire inspector's id as tax's",
    operation: DECLARE,
    token: TAX_ADMIN,
    variables: (f) => ({
      input: { department: 'tax', personId: inspectorOf(f.open, 'fire'), targetKey: f.open.key, reason: '近亲属' },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'personId',
      rule: 'R19',
      messageMatches: /is on neither the tax inspector roster nor its expert roster/,
    },
  },
  {
    category: "another department's id",
    name: "R21: tax's deputy head entrusts a fire inspector's id as tax's",
    operation: ENTRUST,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        department: 'tax',
        inspectorId: inspectorOf(f.open, 'fire'),
        regions: ['310101'],
        entrustedByUnit: '国家税务总局上海市税务局',
        reason: '辖区人员回避',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'inspectorId',
      rule: 'R21',
      messageMatches: /is not on the tax inspector roster; an entrustment names one of the department's own inspectors/,
    },
  },
  {
    category: "another department's id",
    name: "a tax inspector declares a colleague's conflict",
    operation: DECLARE,
    token: (f) => [Role.INSPECTOR, 'tax', inspectorOf(f.open, 'tax')],
    variables: (f) => ({
      input: { department: 'tax', personId: inspectorOf(f.foreign, 'tax'), targetKey: f.open.key, reason: '近亲属' },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /declares their own conflicts of interest only/ },
  },
  {
    category: "another department's id",
    name: "H2: R30: tax's admin draws market's inspectors on a task not locked: FORBIDDEN before the task's state",
    operation: DRAW_INSPECTORS,
    token: TAX_ADMIN,
    variables: (f) => ({ taskId: f.drawn, department: 'market' }),
    expect: {
      code: 'FORBIDDEN',
      rule: 'R30',
      messageMatches: /Only COORDINATOR or DEPT_ADMIN of 'market' may draw its inspectors; you are DEPT_ADMIN of 'tax'/,
    },
  },
  {
    category: "another department's id",
    name:
      "H2: R30: fire's deputy head replaces a tax inspector on a task not locked: FORBIDDEN before the task's " +
      'state',
    operation: REPLACE,
    token: [Role.DEPUTY_HEAD, 'fire'],
    variables: (f) => ({
      input: {
        taskId: f.drawn,
        targetKey: f.open.key,
        department: 'tax',
        personId: inspectorOf(f.open, 'tax'),
        reason: 'HEALTH',
        replacementId: inspectorOf(f.foreign, 'tax'),
        note: '因病',
      },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /DEPUTY_HEAD of 'tax'/ },
  },
  {
    category: "another department's id",
    name: "H2: R30: tax's deputy head fills a fire seat on a task not locked: FORBIDDEN before the task's state",
    operation: FILL,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.committed,
        targetKey: f.open.key,
        department: 'fire',
        inspectorId: inspectorOf(f.foreign, 'fire'),
        note: '加派',
      },
    }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /DEPUTY_HEAD of 'fire'/ },
  },
  {
    category: "another department's id",
    name:
      'H2: R30: a housing inspector submits to a task not locked it takes no part in: FORBIDDEN before the ' +
      "task's state",
    operation: SUBMIT,
    token: [Role.INSPECTOR, 'housing', 'housing-i0001'],
    variables: (f) => ({ input: { ...submission((g) => g.open)(f).input, taskId: f.drawn } }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /Only a member of the team for .* submits its results/ },
  },
  {
    category: "another department's id",
    name:
      'H2: R30: a housing inspector asks a code of a task not locked it takes no part in: FORBIDDEN before the ' +
      "task's state",
    operation: ISSUE_CODE,
    token: [Role.INSPECTOR, 'housing', 'housing-i0001'],
    variables: (f) => ({ taskId: f.drawn, key: f.open.key }),
    expect: {
      code: 'FORBIDDEN',
      rule: 'R30',
      messageMatches: /Only the visit's team or the lead department's coordinators issue its code/,
    },
  },
  {
    category: "another department's id",
    name: "tax's coordinator locks market's task",
    operation: LOCK,
    token: [Role.COORDINATOR, 'tax'],
    variables: (f) => ({ taskId: f.drawn }),
    expect: {
      code: 'FORBIDDEN',
      rule: 'R30',
      messageMatches: /a COORDINATOR of the lead department 'market' may lock a task; you are COORDINATOR of 'tax'/,
    },
  },
  {
    category: "another department's id",
    name: "tax's coordinator cancels market's task",
    operation: CANCEL,
    token: [Role.COORDINATOR, 'tax'],
    variables: (f) => ({ taskId: f.drawn, reason: '不需要了' }),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /lead department 'market' may cancel a task/ },
  },
  {
    category: "another department's id",
    name: "tax's coordinator revises market's plan",
    operation: REVISE_PLAN,
    token: [Role.COORDINATOR, 'tax'],
    variables: revise({}),
    expect: { code: 'FORBIDDEN', rule: 'R30', messageMatches: /lead department 'market' may revise a plan/ },
  },
  {
    category: "another department's id",
    name: "tax's coordinator sends market's delivery again",
    operation: RETRY,
    token: [Role.COORDINATOR, 'tax'],
    variables: (f) => ({ id: f.submissionId, department: 'fire' }),
    expect: {
      code: 'FORBIDDEN',
      rule: 'R30',
      messageMatches: /Only the lead department's coordinators or hub admins send a refused share again/,
    },
  },
  {
    category: "another department's id",
    name: 'a fire inspector issues the code of a visit not theirs',
    operation: ISSUE_CODE,
    token: (f) => [Role.INSPECTOR, 'fire', inspectorOf(f.open, 'fire')],
    variables: (f) => ({ taskId: f.locked, key: f.foreign.key }),
    expect: {
      code: 'FORBIDDEN',
      rule: 'R30',
      messageMatches: /Only the visit's team or the lead department's coordinators issue its code/,
    },
  },
  {
    category: "another department's id",
    name: "tax's admin registers over fire's subgraph",
    operation:
      'mutation { registryRegisterSubgraph(input: { name: "fire", code: "tax", url: ' +
      '"http://127.0.0.1:9/graphql" }) { changed } }',
    token: TAX_ADMIN,
    expect: {
      code: 'FORBIDDEN',
      field: 'name',
      messageMatches: /The subgraph fire belongs to department fire; you may not change it/,
    },
  },
  {
    category: "another department's id",
    name: "tax's admin registers a subgraph for fire",
    operation:
      'mutation { registryRegisterSubgraph(input: { name: "fire2", code: "fire", url: ' +
      '"http://127.0.0.1:9/graphql" }) { changed } }',
    token: TAX_ADMIN,
    expect: {
      code: 'FORBIDDEN',
      field: 'code',
      messageMatches: /Your token is for department tax; you may register only its subgraph, not fire's/,
    },
  },
  // -- text with control characters, target keys out of format, negative pages, documents whose operation cannot be
  // chosen (issue H2).
  {
    category: 'text, key or page out of format',
    name: 'H2: an entrustment whose unit and reason are a NUL',
    operation: ENTRUST,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        department: 'tax',
        inspectorId: inspectorOf(f.foreign, 'tax'),
        regions: ['310101'],
        entrustedByUnit: '\u0000',
        reason: '\u0000',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'entrustedByUnit',
      messageMatches:
        /^entrustedByUnit holds the control character U\+0000 at character 1; text may hold tabs and line breaks but no other control characters: remove it\.$/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: an entrustment whose reason ends in a NUL',
    operation: ENTRUST,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        department: 'tax',
        inspectorId: inspectorOf(f.foreign, 'tax'),
        regions: ['310101'],
        entrustedByUnit: '国家税务总局上海市税务局',
        reason: '辖区人员回避\u0000',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'reason',
      messageMatches: /reason holds the control character U\+0000 at character 7/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: R19: a conflict whose reason holds a terminal escape',
    operation: DECLARE,
    token: TAX_ADMIN,
    variables: (f) => ({
      input: {
        department: 'tax',
        personId: inspectorOf(f.open, 'tax'),
        targetKey: VALID_USCC,
        reason: '近亲属\u001b[2J',
      },
    }),
    expect: { code: 'BAD_USER_INPUT', field: 'reason', messageMatches: /U\+001B/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: a task cancelled with a backspace in its reason',
    operation: CANCEL,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.drawn, reason: '不需要了\u0008' }),
    expect: { code: 'BAD_USER_INPUT', field: 'reason', messageMatches: /U\+0008/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: visit results whose notes hold a NUL',
    operation: SUBMIT,
    token: openMember,
    variables: submission(
      (f) => f.open,
      (r) => r.map((x, i) => (i === 0 ? { ...x, notes: '现场检查\u0000正常' } : x)),
    ),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'results[0].notes',
      messageMatches: /results\[0\]\.notes holds the control character U\+0000/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: a result written back with a NUL in an evidence reference',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ evidence: ['photo-\u0000001'] }),
    expect: { code: 'BAD_USER_INPUT', field: 'input[0].evidence[0]', messageMatches: /U\+0000/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: R19: a conflict with a 16-character target key (a USCC cut short)',
    operation: DECLARE,
    token: TAX_ADMIN,
    variables: (f) => ({
      input: {
        department: 'tax',
        personId: inspectorOf(f.open, 'tax'),
        targetKey: '9144030019220382',
        reason: '近亲属在该单位任职',
      },
    }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'targetKey',
      rule: 'R19',
      messageMatches:
        /'9144030019220382' is not a target key: .* starts with a digit, so it is read as a unified social credit code, and that must be 18 characters, got 16/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: an inspection code for a 16-character target key',
    operation: ISSUE_CODE,
    token: COORDINATOR,
    variables: (f) => ({ taskId: f.locked, key: '9144030019220382' }),
    expect: { code: 'BAD_USER_INPUT', field: 'targetKey', messageMatches: /is not a target key/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: a replacement on a 16-character target key',
    operation: REPLACE,
    token: [Role.DEPUTY_HEAD, 'tax'],
    variables: (f) => ({
      input: {
        taskId: f.locked,
        targetKey: '9144030019220382',
        department: 'tax',
        personId: inspectorOf(f.open, 'tax'),
        reason: 'HEALTH',
        replacementId: inspectorOf(f.foreign, 'tax'),
        note: '因病',
      },
    }),
    expect: { code: 'BAD_USER_INPUT', field: 'targetKey', messageMatches: /is not a target key/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: a result written back for a 17-character target key',
    operation: RECORD('tax'),
    token: SERVICE,
    variables: record({ targetKey: '91440300192203821' }),
    expect: { code: 'BAD_USER_INPUT', field: 'input[0].targetKey', messageMatches: /must be 18 characters, got 17/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: visits from a negative offset',
    operation: 'query($t: ID!) { jointTask(id: $t) { visits(first: 5, offset: -1) { key } } }',
    token: [Role.AUDITOR],
    variables: (f) => ({ t: f.locked }),
    expect: {
      code: 'BAD_USER_INPUT',
      field: 'offset',
      messageMatches: /offset must be a whole number, 0 or more \(how many to skip\), got -1/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: visits, a page of -5',
    operation: 'query($t: ID!) { jointTask(id: $t) { visits(first: -5) { key } } }',
    token: [Role.AUDITOR],
    variables: (f) => ({ t: f.locked }),
    expect: { code: 'BAD_USER_INPUT', field: 'first', messageMatches: /first must be between 1 and \d+, got -5/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: drawn targets from a negative offset',
    operation: 'query($t: ID!) { jointTask(id: $t) { drawn(offset: -10) { key } } }',
    variables: (f) => ({ t: f.locked }),
    expect: { code: 'BAD_USER_INPUT', field: 'offset', messageMatches: /got -10/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: drawn targets, a page of -1',
    operation: 'query($t: ID!) { jointTask(id: $t) { drawn(first: -1) { key } } }',
    variables: (f) => ({ t: f.locked }),
    expect: { code: 'BAD_USER_INPUT', field: 'first', messageMatches: /got -1/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: the audit trail, a page of -1',
    operation: '{ jointAuditTrail(first: -1) { seq } }',
    token: [Role.AUDITOR],
    expect: { code: 'BAD_USER_INPUT', field: 'first', messageMatches: /got -1/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: the audit trail after a negative seq',
    operation: '{ jointAuditTrail(afterSeq: -3) { seq } }',
    token: [Role.AUDITOR],
    expect: { code: 'BAD_USER_INPUT', field: 'afterSeq', messageMatches: /afterSeq must be a whole number, 0 or more/ },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: an operationName the document does not have',
    operation: 'query A { __typename } query B { __typename }',
    body: () => JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }),
    expect: {
      code: 'OPERATION_RESOLUTION_FAILURE',
      status: 400,
      field: 'operationName',
      messageMatches: /^operationName 'C' is not an operation of the document; it has A, B: send one of those names/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: two operations and no operationName',
    operation: 'query A { __typename } query B { __typename }',
    body: () => JSON.stringify({ query: 'query A { __typename } query B { __typename }' }),
    expect: {
      code: 'OPERATION_RESOLUTION_FAILURE',
      status: 400,
      field: 'operationName',
      messageMatches: /^The document has 2 operations \(A, B\): send operationName to say which one to run\.$/,
    },
  },
  {
    category: 'text, key or page out of format',
    name: 'H2: an operationName the document does not have, sent straight to the joint subgraph',
    at: 'joint',
    operation: 'query A { __typename } query B { __typename }',
    body: () => JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }),
    expect: {
      code: 'OPERATION_RESOLUTION_FAILURE',
      status: 400,
      field: 'operationName',
      messageMatches: /operationName 'C' is not an operation of the document; it has A, B/,
    },
  },
];

// ---- the databases -----------------------------------------------------------------------------

interface TableFingerprint {
  rows: number;
  sha256: string;
}

/**
 * Each table's row count and the SHA-256 of its rows (each row as JSON with sorted keys, the lines sorted: the order
 * rows come back in does not matter).
 */
async function fingerprint(dataSource: DataSource): Promise<Record<string, TableFingerprint>> {
  const mysql = dataSource.options.type === 'mysql';
  const tables = (
    await dataSource.query<Array<{ name: string }>>(
      mysql
        ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND ' +
            "table_type = 'BASE TABLE'"
        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
  )
    .map((t) => t.name)
    .sort();
  const out: Record<string, TableFingerprint> = {};
  for (const table of tables) {
    const rows = await dataSource.query<Array<Record<string, unknown>>>(
      `SELECT * FROM ${mysql ? `\`${table}\`` : `"${table}"`}`,
    );
    const lines = rows
      .map((row) =>
        JSON.stringify(
          Object.keys(row)
            .sort()
            .map((k) => [k, Buffer.isBuffer(row[k]) ? (row[k] as Buffer).toString('hex') : row[k]]),
        ),
      )
      .sort();
    out[table] = { rows: rows.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return out;
}

async function everyDatabase(hub: TestHub): Promise<Record<string, Record<string, TableFingerprint>>> {
  const services: Array<[string, DataSource]> = [
    ...hub.departments.map((d): [string, DataSource] => [d.name, d.database.dataSource]),
    ['joint', hub.joint.database.dataSource],
    ['registry', hub.registry.database.dataSource],
  ];
  const out: Record<string, Record<string, TableFingerprint>> = {};
  for (const [name, dataSource] of services) out[name] = await fingerprint(dataSource);
  return out;
}

// ---- tokens ------------------------------------------------------------------------------------

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Authorization headers the hub must refuse: forged, expired, malformed, or with claims it does not accept. */
async function forgedTokens(hub: TestHub): Promise<Record<string, string>> {
  // The hub's own signing key (the test hub's issuer holds it), to sign claims it must refuse anyway.
  const own = hub.issuer as unknown as { key: Parameters<SignJWT['sign']>[0]; kid: string };
  const { privateKey: foreign } = await generateKeyPair('EdDSA');
  const claims = { role: Role.COORDINATOR, dept: 'market' };
  const signed = (
    payload: JWTPayload,
    options: {
      key?: Parameters<SignJWT['sign']>[0];
      issuer?: string;
      audience?: string;
      expires?: string | number;
      subject?: string | null;
      notBefore?: string;
    } = {},
  ) => {
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: own.kid })
      .setIssuer(options.issuer ?? TEST_SETTINGS.issuer)
      .setAudience(options.audience ?? TEST_SETTINGS.audience)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '1h');
    if (options.subject !== null) jwt.setSubject(options.subject ?? 'mallory');
    if (options.notBefore) jwt.setNotBefore(options.notBefore);
    return jwt.sign(options.key ?? own.key);
  };
  const real = await hub.token(Role.INSPECTOR, 'market', 'market-i0001');
  const [header, payload, signature] = real.split('.');
  const now = Math.floor(Date.now() / 1000);
  const tokens: Record<string, string> = {
    foreignKey: await signed(claims, { key: foreign }),
    foreignKeyTaxAdmin: await signed({ role: Role.DEPT_ADMIN, dept: 'tax' }, { key: foreign }),
    expired: await hub.issuer.issue(
      { subject: 'late-coordinator', role: Role.COORDINATOR, department: 'market' },
      '-1m',
    ),
    // For the joint service's own audience (H2: each service accepts only its own), so that expiry is what refuses it
    // there.
    expiredForJoint: await hub.issuer.issueFor(
      'joint',
      { subject: 'late-coordinator', role: Role.COORDINATOR, department: 'market' },
      '-1m',
    ),
    wrongIssuer: await signed(claims, { issuer: 'someone-else' }),
    wrongAudience: await signed(claims, { audience: 'another-system' }),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'mallory', iss: TEST_SETTINGS.issuer, aud: TEST_SETTINGS.audience, iat: now, exp: now + 3600 })}.`,
    algConfusion: await new SignJWT({ ...claims, sub: 'mallory' })
      .setProtectedHeader({ alg: 'HS256', kid: own.kid })
      .setIssuer(TEST_SETTINGS.issuer)
      .setAudience(TEST_SETTINGS.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(hub.jwks.keys[0]))),
    tampered: `${header}.${b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: Role.COORDINATOR })}.${signature}`,
    notYetValid: await signed(claims, { notBefore: '1d' }),
    garbage: 'not-a-token',
    noRole: await signed({ dept: 'market' }),
    unknownRole: await signed({ role: 'SUPERUSER' }),
    publicRole: await signed({ role: Role.PUBLIC }),
    noDept: await signed({ role: Role.COORDINATOR }),
    badDept: await signed({ role: Role.COORDINATOR, dept: 'Market' }),
    noSubject: await signed(claims, { subject: null }),
    longSubject: await signed(claims, { subject: 'm'.repeat(65) }),
  };
  return Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, `Bearer ${v}`]));
}

// ---- the test ----------------------------------------------------------------------------------

/** Market entities whose names hold LIKE's wildcards and escape characters as characters. */
const WILDCARD_NAMES = [
  ['91310115MA1HPCT01', '上海百分之100%纯净水有限公司'],
  ['91310115MA1HPCT02', '上海下划线_商贸有限公司'],
  ['91310115MA1HPCT03', '上海反斜杠\\与叹号!科技有限公司'],
] as const;

const VISITS =
  'query($t: ID!) { jointTask(id: $t) { visits(first: 1000) { key industryCode team { department kind ' +
  'personId status } checklist { department itemCode } } } }';

describeWithHub(
  'bad input: a table of bad inputs, each refused with a clear coded error, and nothing written',
  (hub) => {
    const f = {} as Fixture;
    let before: Record<string, Record<string, TableFingerprint>>;
    const tokens = new Map<string, string>();
    /** A token for the gateway, or for the service a case calls directly (each accepts only its own, H2). */
    const tokenOf = async ([role, dept = null, subject]: Who, at?: string) => {
      const key = `${role}/${dept}/${subject}/${at ?? 'gateway'}`;
      if (!tokens.has(key))
        tokens.set(key, at ? await hub().tokenFor(at, role, dept, subject) : await hub().token(role, dept, subject));
      return tokens.get(key)!;
    };
    const ok = <T>(answer: { data?: T | null; errors?: unknown[] }): T => {
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      return answer.data!;
    };

    beforeAll(async () => {
      const h = hub();
      const coordinator = await tokenOf(COORDINATOR);
      // A published plan (market with tax and fire) and tasks of it in every state a case needs.
      time.set('2026-03-02T02:00:00Z');
      f.planId = await publishedPlan(h, jointPlanInput({ ratios: { high: 20, elevated: 10, general: 5, low: 5 } }));
      f.locked = await runTaskTo(h, time, f.planId, 'LOCKED');
      f.drawn = await runTaskTo(h, time, f.planId, 'DRAWN', '01 02 03 04 05 06 + 07');
      f.committed = await runTaskTo(h, time, f.planId, 'COMMITTED'); // its witness is published on 4 March
      const later = ok(
        await h.query<{ jointCreateTask: { id: string } }>(CREATE_TASK, {
          variables: task({ witnessAvailableOn: '2026-03-10' })(f),
          token: coordinator,
        }),
      ).jointCreateTask.id;
      ok(await h.query(SNAPSHOT, { variables: { taskId: later }, token: coordinator }));
      f.snapshotTaken = later;
      time.set('2026-03-04T02:00:00Z');

      // Each department draws its inspectors for the locked task.
      for (const d of ['market', 'tax', 'fire'])
        ok(
          await h.query(DRAW_INSPECTORS, {
            variables: { taskId: f.locked, department: d },
            token: await tokenOf([Role.COORDINATOR, d]),
          }),
        );
      const visits = ok(
        await h.query<{ jointTask: { visits: Visit[] } }>(VISITS, {
          variables: { t: f.locked },
          token: await tokenOf([Role.AUDITOR]),
        }),
      ).jointTask.visits;
      const withTax = visits.filter((v) => v.checklist.some((c) => c.department === 'tax'));
      [f.submitted, f.open] = [withTax[0]!, withTax[1]!];
      f.noTax = visits.find((v) => !v.checklist.some((c) => c.department === 'tax'))!;
      // A visit nobody of the open visit's team is on (the draw is new every run: pick by the teams drawn).
      const openTeam = new Set(f.open.team.map((m) => `${m.department}/${m.personId}`));
      f.foreign = visits.find(
        (v) => v !== f.submitted && v !== f.open && !v.team.some((m) => openTeam.has(`${m.department}/${m.personId}`)),
      )!;
      expect({ submitted: !!f.submitted, open: !!f.open, noTax: !!f.noTax, foreign: !!f.foreign }).toEqual({
        submitted: true,
        open: true,
        noTax: true,
        foreign: true,
      });

      // One visit submitted and delivered to every department.
      const submitted = ok(
        await h.query<{ jointSubmitVisitResults: { id: string } }>(SUBMIT, {
          variables: submission((g) => g.submitted)(f),
          token: await tokenOf([Role.INSPECTOR, 'market', inspectorOf(f.submitted, 'market')]),
        }),
      ).jointSubmitVisitResults;
      f.submissionId = submitted.id;
      while ((await h.joint.deliverer.deliverDue()) > 0) {
        /* until a round delivers nothing */
      }
      const outbox = await h.joint.database.dataSource.manager.find(OutboxRow, {
        where: { submissionId: f.submissionId },
      });
      expect(outbox.map((o) => o.status)).toEqual(outbox.map(() => 'DELIVERED'));
      const resultOf = async (d: string) =>
        ok(
          await h.query<Record<string, { results: Array<{ id: string }> }>>(
            `query($t: ID) { ${d} { results(taskId: $t) { id } } }`,
            { variables: { t: f.locked }, token: await tokenOf([Role.DEPT_ADMIN, d]) },
          ),
        )[d]!.results[0]!.id;
      f.taxResultId = await resultOf('tax');
      f.fireResultId = await resultOf('fire');

      // A market entity the task did not draw.
      const drawnKeys = new Set(visits.map((v) => v.key));
      const roster = ok(
        await h.query<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
          '{ market { targets(first: 200) { nodes { id } } } }',
          { token: await tokenOf([Role.DEPT_ADMIN, 'market']) },
        ),
      ).market.targets.nodes;
      f.outsideKey = roster.find((t) => !drawnKeys.has(t.id) && /^[0-9A-Z]{18}$/.test(t.id))!.id;

      // Two entities whose names hold LIKE's wildcards as characters (issue H2: a name search of '%' found every name).
      const market = h.departments.find((d) => d.name === 'market')!.database.dataSource.manager;
      for (const [first17, name] of WILDCARD_NAMES) {
        await market.insert(MarketEntityRow, {
          uscc: `${first17}${usccCheckCharacter(first17)}`,
          name,
          kind: 'ENTERPRISE',
          legalRepresentative: '张三',
          address: '上海市浦东新区',
          regionCode: '310115',
          industryCode: 'F52',
          registeredOn: '2020-01-02',
          status: 'ACTIVE',
          abnormal: false,
        });
      }

      f.forged = await forgedTokens(h);
      f.urls = Object.fromEntries([
        ...h.departments.map((d) => [d.name, d.url]),
        ['joint', h.joint.url],
        ['registry', h.registry.url],
      ]);

      before = await everyDatabase(h);
    });

    it(
      `the table holds at least 100 cases, at least 8 in each of the ${CATEGORIES.length} categories, each with ` +
        `a message to match (and a field for BAD_USER_INPUT)`,
      () => {
        const counts = CATEGORIES.map((c) => [c, CASES.filter((x) => x.category === c).length] as const);
        expect(counts.filter(([, n]) => n < 8)).toEqual([]);
        expect(CASES.length).toBeGreaterThanOrEqual(100);
        expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
        expect(
          CASES.filter((c) => c.expect.code === 'BAD_USER_INPUT' && c.expect.field === undefined).map((c) => c.name),
        ).toEqual([]);
      },
    );

    it.each(CASES.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', async (_title, c) => {
      const h = hub();
      const url = c.at ? f.urls[c.at]! : h.gateway.url;
      const token = typeof c.token === 'function' ? c.token(f) : c.token;
      const authorization = c.authorization
        ? c.authorization(f)
        : token
          ? `Bearer ${await tokenOf(token, c.at)}`
          : undefined;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: c.body ? c.body(f) : JSON.stringify({ query: c.operation, variables: c.variables?.(f) }),
      });
      const text = await response.text();
      let body: {
        data?: Record<string, unknown> | null;
        errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      };
      try {
        body = JSON.parse(text);
      } catch {
        body = { errors: [{ message: `(not JSON) ${text.slice(0, 300)}` }] };
      }
      const errors = body.errors ?? [];
      const first = errors[0];
      const answer = {
        case: c.name,
        codes: [...new Set(errors.map((e) => e.extensions?.code))],
        status: response.status,
        field: first?.extensions?.field,
        rule: first?.extensions?.rule,
        message: first?.message ?? `(no error; data: ${JSON.stringify(body.data)?.slice(0, 300)})`,
        // A refused mutation does nothing: no part of it answers with data.
        data: c.operation.startsWith('mutation') ? Object.values(body.data ?? {}).filter((v) => v !== null) : [],
      };
      expect(answer).toEqual({
        case: c.name,
        codes: [c.expect.code],
        status: c.expect.status ?? answer.status,
        field: c.expect.field === undefined ? answer.field : (c.expect.field ?? undefined),
        rule: c.expect.rule ?? answer.rule,
        message: expect.stringMatching(c.expect.messageMatches),
        data: [],
      });
      // Refused at the gateway or by a resolver, never a server fault.
      expect(answer.status).toBeLessThan(500);
    });

    it.each([
      ['%', ['上海百分之100%纯净水有限公司']],
      ['_', ['上海下划线_商贸有限公司']],
      ['\\', ['上海反斜杠\\与叹号!科技有限公司']],
      ['!', ['上海反斜杠\\与叹号!科技有限公司']],
      ['0%纯', ['上海百分之100%纯净水有限公司']],
      ['线_商', ['上海下划线_商贸有限公司']],
    ])(
      "H2: a name search of '%s' finds only the names holding it as a character (marketSearch and marketSearchPage)",
      async (name, expected) => {
        const h = hub();
        const old = await h.query<{ marketSearch: Array<{ name: string }> }>(
          'query($n: String!) { marketSearch(name: $n, first: 100) { name } }',
          { variables: { n: name } },
        );
        const paged = await h.query<{ marketSearchPage: { nodes: Array<{ name: string }> } }>(
          'query($n: String!) { marketSearchPage(name: $n, first: 100) { nodes { name } } }',
          { variables: { n: name } },
        );
        expect({
          old: old.errors ?? old.data!.marketSearch.map((e) => e.name).sort(),
          paged: paged.errors ?? paged.data!.marketSearchPage.nodes.map((e) => e.name).sort(),
        }).toEqual({ old: expected, paged: expected });
      },
    );

    it('every table of every service database is as it was before the table ran', async () => {
      expect(await everyDatabase(hub())).toEqual(before);
    });
  },
  400,
  time.clock,
);
