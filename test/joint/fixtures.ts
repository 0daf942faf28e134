import { Role } from '../../subgraphs/kernel/identity';
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

export const PLAN_FIELDS = 'id year name leadDepartment departments kind status revision publishedRevision items { department code version title category } ratios { high elevated general low } revisions { revision note changedBy publishBy publishedAt }';

export async function createPlan(hub: TestHub, input: Record<string, unknown>, token?: string) {
  return hub.query<{ jointCreatePlan: { id: string; revision: number; status: string; revisions: Array<{ publishBy: string }> } }>(
    `mutation($input: PlanInput!) { jointCreatePlan(input: $input) { ${PLAN_FIELDS} } }`,
    { variables: { input }, token: token ?? (await hub.token(Role.COORDINATOR, 'market')) },
  );
}

export async function publishPlan(hub: TestHub, id: string, token?: string) {
  return hub.query(`mutation($id: ID!) { jointPublishPlan(id: $id) { id status } }`, { variables: { id }, token: token ?? (await hub.token(Role.COORDINATOR, 'market')) });
}

/** Creates and publishes a plan; returns its id. */
export async function publishedPlan(hub: TestHub, input: Record<string, unknown> = jointPlanInput()): Promise<string> {
  const created = await createPlan(hub, input);
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const id = created.data!.jointCreatePlan.id;
  const published = await publishPlan(hub, id);
  if (published.errors) throw new Error(JSON.stringify(published.errors));
  return id;
}
