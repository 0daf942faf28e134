import { actors, type DemoApi } from './api';

/** A checklist item version as the public checklist query gives it. */
interface ChecklistEntry {
  code: string;
  version: number;
  status: string;
  category: 'KEY' | 'GENERAL';
  ratioCapPercent: number | null;
  targetKinds: string[];
}

/** One annual plan of the demo year, as its lead department's coordinator would draw it up. */
export interface PlanDesign {
  lead: string;
  partners: string[];
  name: (year: number) => string;
  /** Per department, the checklist items wanted (taken at the version in force, R3). */
  wanted: Record<string, string[]>;
  scope: { targetKinds: string[]; regions: string[]; industries: string[] };
  methods: string[];
  window: (year: number) => { windowStart: string; windowEnd: string };
  /** Percent per credit-risk stratum (R13); none above a GENERAL item's cap (R2). */
  ratios: { high: number; elevated: number; general: number; low: number };
  batchSize: number;
  inspectorsPerDepartment?: number;
  expertsPerVisit?: number;
  excludeInspectedWithinDays?: number;
}

/**
 * The demo year's plans. The joint plan of market supervision with tax, fire and environment in
 * two districts (a draw of about a hundred visits from the default register); a second joint plan
 * led by tax with health (卫健, whose results go to its own REST system through the connector),
 * so every department but housing joins a joint plan; housing's own plan (R12 flags housing);
 * and environment's draft, never published.
 */
export const PLAN_DESIGNS = {
  joint: {
    lead: 'market',
    partners: ['tax', 'fire', 'environment'],
    name: (y) =>
      `${y}年度徐汇区、长宁区市场监管领域部门联合“双随机、一公开”抽查计划（食品安全、特种设备、发票、消防安全、危险废物）`,
    wanted: {
      market: ['MKT-01', 'MKT-06', 'MKT-07', 'MKT-09', 'MKT-17'],
      tax: ['TAX-04', 'TAX-08'],
      fire: ['FIRE-01', 'FIRE-02', 'FIRE-10'],
      environment: ['ENV-07', 'ENV-09', 'ENV-11'],
    },
    scope: { targetKinds: ['ENTERPRISE'], regions: ['310104', '310105'], industries: [] },
    methods: ['ON_SITE', 'WRITTEN'],
    window: (y) => ({ windowStart: `${y}-03-01`, windowEnd: `${y}-12-31` }),
    ratios: { high: 5, elevated: 3, general: 2, low: 1 },
    batchSize: 20,
  },
  taxHealth: {
    lead: 'tax',
    partners: ['health'],
    name: (y) => `${y}年度上海市税务、卫生健康部门联合抽查计划（商场、宾馆、餐饮、文化娱乐等公共场所）`,
    wanted: { tax: ['TAX-07', 'TAX-08'], health: ['WJ-005'] },
    scope: { targetKinds: ['ENTERPRISE'], regions: ['3101'], industries: ['F', 'H', 'O', 'R'] },
    methods: ['ON_SITE'],
    window: (y) => ({ windowStart: `${y}-04-01`, windowEnd: `${y}-12-31` }),
    ratios: { high: 3, elevated: 2, general: 1, low: 0.5 },
    batchSize: 20,
    // Targets drawn by a task locked within the last year are left out (the spring task's, where the scopes meet).
    excludeInspectedWithinDays: 365,
  },
  housing: {
    lead: 'housing',
    partners: [],
    name: (y) => `${y}年度住房城乡建设管理部门在建工程质量安全“双随机”抽查计划`,
    wanted: { housing: ['HSG-01', 'HSG-06', 'HSG-08'] },
    scope: { targetKinds: ['PROJECT'], regions: ['3101'], industries: [] },
    methods: ['ON_SITE'],
    window: (y) => ({ windowStart: `${y}-03-01`, windowEnd: `${y}-11-30` }),
    ratios: { high: 10, elevated: 5, general: 3, low: 2 },
    batchSize: 10,
    expertsPerVisit: 1,
  },
  draft: {
    lead: 'environment',
    partners: [],
    name: (y) => `${y}年度生态环境部门排污单位专项抽查计划（征求意见稿）`,
    wanted: { environment: ['ENV-01', 'ENV-05', 'ENV-09'] },
    scope: { targetKinds: ['ENTERPRISE'], regions: ['3101'], industries: ['C', 'D'] },
    methods: ['ON_SITE', 'ONLINE_MONITORING'],
    window: (y) => ({ windowStart: `${y}-04-01`, windowEnd: `${y}-10-31` }),
    ratios: { high: 10, elevated: 5, general: 3, low: 2 },
    batchSize: 50,
  },
} satisfies Record<string, PlanDesign>;

/**
 * The plan's items, read from each department's checklist in force through the API (R3): the
 * wanted ones at their current version, those that apply to the plan's kinds of target and whose
 * cap the ratios keep (R2). A department none of whose wanted items is in force any more takes
 * its first item that fits, so a changed checklist never stops the demo.
 */
async function planItems(
  api: DemoApi,
  design: PlanDesign,
): Promise<Array<{ department: string; code: string; version: number }>> {
  const items = [];
  for (const department of [design.lead, ...design.partners]) {
    const data = await api.call<Record<string, { checklist: ChecklistEntry[] }>>(
      `reading the ${department} checklist`,
      null,
      `{ ${department} { checklist { code version status category ratioCapPercent targetKinds } } }`,
    );
    const fits = (i: ChecklistEntry) =>
      i.status === 'CURRENT' &&
      i.targetKinds.some((k) => design.scope.targetKinds.includes(k)) &&
      (i.category === 'KEY' || (i.ratioCapPercent ?? 0) >= design.ratios.high);
    const inForce = data[department]!.checklist.filter(fits);
    const chosen = inForce.filter((i) => design.wanted[department]?.includes(i.code));
    const taken = chosen.length ? chosen : inForce.slice(0, 1);
    if (!taken.length)
      throw new Error(
        `Demo year: the ${department} checklist has no item in force for ${design.scope.targetKinds.join(', ')}.`,
      );
    items.push(...taken.map((i) => ({ department, code: i.code, version: i.version })));
  }
  return items;
}

/** Makes a plan as its lead department's coordinator (R10); returns its id. Publishing is a step of its own (R11). */
export async function createPlan(api: DemoApi, design: PlanDesign, year: number): Promise<string> {
  const input = {
    name: design.name(year),
    year,
    partners: design.partners,
    items: await planItems(api, design),
    scope: design.scope,
    methods: design.methods,
    ...design.window(year),
    ratios: design.ratios,
    batchSize: design.batchSize,
    inspectorsPerDepartment: design.inspectorsPerDepartment ?? 1,
    expertsPerVisit: design.expertsPerVisit ?? 0,
    excludeInspectedWithinDays: design.excludeInspectedWithinDays ?? 0,
  };
  const data = await api.call<{ jointCreatePlan: { id: string } }>(
    `making the plan ${input.name}`,
    actors.coordinator(design.lead),
    'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id } }',
    { input },
  );
  return data.jointCreatePlan.id;
}

/** Publishes a plan's latest revision as its lead department's coordinator (R11). */
export async function publishPlan(api: DemoApi, design: PlanDesign, planId: string): Promise<void> {
  await api.call(
    `publishing plan ${planId}`,
    actors.coordinator(design.lead),
    'mutation($id: ID!) { jointPublishPlan(id: $id) { id } }',
    { id: planId },
  );
}
