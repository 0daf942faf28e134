import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHub } from '../scripts/hub';
import { loadConfig } from '../kernel/config';
import { Role } from '../kernel/identity';
import { inMemoryKeys } from './processes';
import { postGraphQL } from '../test/support/hub';
import { storedPerDepartment, submitThroughGateway, visitSubmissions, type LoadResult } from './load';

/**
 * Benchmarks of issue B2, on the whole hub in one process (SQLite): the combined-checklist request
 * for 1,000 visits of a five-department task through the gateway, and the write-back of visit
 * submissions (stored, then delivered to every department), counted end to end.
 */
export interface VisitsBenchResult {
  visits: number;
  checklistMs: number[];
  checklistCounts: Record<string, { requests: number; sql: number }>;
  submissions: number;
  submitMs: number;
  deliveredMs: number;
  resultsExpected: number;
  resultsStored: number;
  load: LoadResult;
  storedByDepartment: Record<string, number>;
  /** The next visits sent 10 at a time with Promise.all (the earlier method), for the ratio. */
  loopSubmissions: number;
  loopMs: number;
}

/** The five departments of the benchmark task. */
export const BENCH_DEPARTMENTS = ['market', 'tax', 'fire', 'environment', 'housing'];

/**
 * A locked five-department task drawing every enterprise, with every department's inspectors
 * drawn, made through the gateway; `setNow` moves the hub's clock past the witness date.
 */
export async function prepareTask(
  call: <T>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<T>,
  token: (role: Role, dept?: string | null, sub?: string) => Promise<string>,
  setNow: (iso: string) => void,
): Promise<string> {
  const items = [
    { department: 'market', code: 'MKT-09', version: 1 },
    { department: 'tax', code: 'TAX-08', version: 1 },
    { department: 'fire', code: 'FIRE-01', version: 1 },
    { department: 'environment', code: 'ENV-11', version: 1 },
    { department: 'housing', code: 'HSG-19', version: 1 },
  ];
  const plan = await call<{ jointCreatePlan: { id: string } }>(
    'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id } }',
    {
      input: {
        name: 'bench',
        year: 2026,
        partners: ['tax', 'fire', 'environment', 'housing'],
        items,
        scope: { targetKinds: ['ENTERPRISE'], regions: [], industries: [] },
        methods: ['ON_SITE'],
        windowStart: '2026-03-01',
        windowEnd: '2026-12-31',
        ratios: { high: 100, elevated: 100, general: 100, low: 100 },
        batchSize: 50,
      },
    },
  );
  await call(`mutation { jointPublishPlan(id: "${plan.jointCreatePlan.id}") { id } }`);
  const task = (
    await call<{ jointCreateTask: { id: string } }>(
      'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }',
      {
        input: {
          planId: plan.jointCreatePlan.id,
          name: 'bench',
          witnessSource: 'bench',
          witnessAvailableOn: '2026-03-04',
          witnessNumbers: 7,
        },
      },
    )
  ).jointCreateTask.id;
  await call(`mutation { jointTakeSnapshot(taskId: "${task}") { id } }`);
  setNow('2026-03-04T02:00:00Z');
  await call(`mutation { jointDrawTargets(taskId: "${task}", witnessValue: "1 2 3 4 5 6 7") { id } }`);
  await call(`mutation { jointLockTask(taskId: "${task}") { id } }`);
  for (const d of BENCH_DEPARTMENTS)
    await call(
      `mutation { jointDrawInspectors(taskId: "${task}", department: "${d}") { id } }`,
      {},
      await token(Role.COORDINATOR, d),
    );
  return task;
}

/**
 * The request a team's dashboard makes: 1,000 visits with teams, combined checklists, registration data and five
 * department views.
 */
export function checklistQuery(task: string): string {
  return `{ jointTask(id: "${task}") { visits(first: 1000) { key batch team { department name certificateNo leader } checklist { department itemCode title basis method }
      entity { uscc name market { riskLevel } tax { creditLevel } environment { onRoster } housing { onRoster } fire { keyUnit { isKeyUnit } } } } } }`;
}

export async function benchVisits(): Promise<VisitsBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-bench-visits-'));
  const settings = { issuer: 'bench', audience: 'bench' };
  const keys = await inMemoryKeys(settings);
  const { issuer } = keys;
  let now = new Date('2026-03-02T02:00:00Z');
  const config = loadConfig({
    JOINTCHECK_DATA_DIR: dir,
    JOINTCHECK_PORT: '0',
    JOINTCHECK_DEMO_TARGETS: '2500',
    JOINTCHECK_LOG_LEVEL: 'silent',
    JOINTCHECK_DEV_KEYS: 'false',
  });
  const hub = await startHub(config, { ...keys, clock: () => now, deliveryIntervalMs: 3_600_000 });
  const token = (role: Role, dept: string | null = null, sub = 'bench') =>
    issuer.issue({ subject: sub, role, department: dept });
  const call = async <T>(query: string, variables: Record<string, unknown> = {}, t?: string) => {
    const r = await postGraphQL<T>(hub.gateway.url, query, variables, t ?? (await token(Role.COORDINATOR, 'market')));
    if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 500));
    return r.data!;
  };
  try {
    const task = await prepareTask(call, token, (iso) => (now = new Date(iso)));

    // 1. The combined checklist of 1,000 visits in one request, five times; requests and SQL counted on the last.
    const QUERY = checklistQuery(task);
    const auditor = await token(Role.AUDITOR);
    const services = [...hub.departments, hub.joint];
    const checklistMs: number[] = [];
    let visits: Array<{
      key: string;
      team: Array<{ department: string }>;
      checklist: Array<{ department: string; itemCode: string }>;
    }> = [];
    for (let i = 0; i < 5; i++) {
      for (const s of services) {
        s.stats.requests = 0;
        s.database.queries.reset();
      }
      const t = performance.now();
      visits = (await call<{ jointTask: { visits: typeof visits } }>(QUERY, {}, auditor)).jointTask.visits;
      checklistMs.push(performance.now() - t);
    }
    const checklistCounts = Object.fromEntries(
      services.map((s) => [s.name, { requests: s.stats.requests, sql: s.database.queries.count }]),
    );

    // 2. Load: 300 visit submissions through the gateway with autocannon (10 connections), then
    // delivered to every department; results stored counted per department.
    const members = await call<{
      jointTask: {
        visits: Array<{
          key: string;
          team: Array<{ department: string; personId: string; kind: string }>;
          checklist: Array<{ department: string; itemCode: string }>;
        }>;
      };
    }>(
      `{ jointTask(id: "${task}") { visits(first: 1000) { key team { department personId kind } checklist { ` +
        `department itemCode } } } }`,
      {},
      auditor,
    );
    const chosen = members.jointTask.visits.slice(0, 300);
    const tokens = new Map<string, string>();
    for (const v of chosen)
      for (const m of v.team)
        tokens.set(`${m.department}/${m.personId}`, await token(Role.INSPECTOR, m.department, m.personId));
    const t0 = performance.now();
    const load = await submitThroughGateway(
      hub.gateway.url,
      visitSubmissions(task, chosen, (d, p) => tokens.get(`${d}/${p}`)!),
      10,
    );
    const submitMs = performance.now() - t0;
    while ((await hub.joint.deliverer.deliverDue()) > 0) {
      /* until nothing is left */
    }
    const deliveredMs = performance.now() - t0;
    // The same kind of submissions, the next 300 visits, sent the way the previous benchmark did
    // (10 at a time with Promise.all, each awaited), for a side-by-side ratio in this run.
    const next = members.jointTask.visits.slice(300, 600);
    for (const v of next)
      for (const m of v.team)
        if (!tokens.has(`${m.department}/${m.personId}`))
          tokens.set(`${m.department}/${m.personId}`, await token(Role.INSPECTOR, m.department, m.personId));
    const loop = visitSubmissions(task, next, (d, p) => tokens.get(`${d}/${p}`)!);
    const t1 = performance.now();
    for (let i = 0; i < loop.length; i += 10) {
      await Promise.all(
        loop.slice(i, i + 10).map(async (s) => {
          const body = JSON.parse(s.body) as { query: string; variables: Record<string, unknown> };
          const r = await postGraphQL(hub.gateway.url, body.query, body.variables, s.token);
          if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 300));
        }),
      );
    }
    const loopMs = performance.now() - t1;
    while ((await hub.joint.deliverer.deliverDue()) > 0) {
      /* deliver the second batch too, before counting */
    }
    for (const s of loop)
      for (const [d, n] of Object.entries(s.resultsPerDepartment))
        load.submittedPerDepartment[d] = (load.submittedPerDepartment[d] ?? 0) + n;
    const storedByDepartment = await storedPerDepartment((q, variables) => call(q, variables, auditor), task, [
      'market',
      'tax',
      'fire',
      'environment',
      'housing',
    ]);
    const resultsExpected = Object.values(load.submittedPerDepartment).reduce((a, b) => a + b, 0);
    const resultsStored = Object.values(storedByDepartment).reduce((a, b) => a + b, 0);
    return {
      visits: visits.length,
      checklistMs,
      checklistCounts,
      submissions: chosen.length,
      submitMs,
      deliveredMs,
      resultsExpected,
      resultsStored,
      load,
      storedByDepartment,
      loopSubmissions: loop.length,
      loopMs,
    };
  } finally {
    await hub.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
