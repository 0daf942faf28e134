import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startJoint } from '../subgraphs/joint';
import { loadConfig } from '../kernel/config';
import { openServiceDatabase, dropServiceDatabase } from '../kernel/datasource';
import { seedDepartmentDemo } from '../subgraphs/department-kernel/demo/department-demo';
import { generateSigningKeys, Role, TokenIssuer, TokenVerifier } from '../kernel/identity';
import { createLogger } from '../kernel/log';
import { market } from '../subgraphs/market';
import { postGraphQL } from '../test/support/hub';
import { spawnService } from './processes';

/**
 * Benchmark: a draw over a generated roster of N targets (default 1,000,000), end to end through
 * the joint service's API: the snapshot read through the department contract's bulk export,
 * hashing, the draw and the lock. The floor is reading the same eligible rows straight from the
 * lead department's SQLite database. Both run in the same process, one after the other.
 */
export interface DrawBenchResult {
  targets: number;
  eligible: number;
  drawn: number;
  steps: Record<string, number>;
  endToEndMs: number;
  /** The fastest of the floor's three reads. */
  floorMs: number;
  floorRunsMs: number[];
  /** Rows the floor read: equal to `eligible` (nobody excluded in a fresh joint database). */
  floorRows: number;
  ratio: number;
  peakRssMb: number;
}

const SEED = 'jointcheck-bench';

/** Starts a department subgraph as a child process; resolves with its URL and a stop function. */
async function spawnDepartment(
  code: string,
  env: Record<string, string>,
  jwks: unknown,
  dir: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const keysFile = path.join(dir, 'bench-jwks.json');
  fs.writeFileSync(keysFile, JSON.stringify(jwks));
  return spawnService(
    code,
    'serve-department.ts',
    [code],
    { ...env, JOINTCHECK_JWT_PUBLIC_KEYS: keysFile },
    path.join(dir, 'profiles'),
  );
}

export async function benchDraw(targets: number, dataDir: string): Promise<DrawBenchResult> {
  const settings = { issuer: 'bench', audience: 'bench' };
  const keys = await generateSigningKeys('bench');
  const issuer = await TokenIssuer.fromJwk(keys.privateJwk, settings);
  const verifier = new TokenVerifier(keys.jwks, settings);
  const prefix = `bench${targets}_`;
  const config = loadConfig({
    JOINTCHECK_DATA_DIR: dataDir,
    JOINTCHECK_DB_PREFIX: prefix,
    JOINTCHECK_DEMO_DATA: 'false',
    JOINTCHECK_DEMO_SEED: SEED,
    JOINTCHECK_DEMO_TARGETS: String(targets),
    JOINTCHECK_LOG_LEVEL: 'warn',
  });
  const marketFile = path.join(dataDir, `${prefix}market.sqlite`);
  if (!fs.existsSync(marketFile)) {
    const started = Date.now();
    const { dataSource } = await openServiceDatabase(config.db, 'market', {
      entities: market.entities,
      migrations: market.migrations,
    });
    await seedDepartmentDemo(
      dataSource,
      'market',
      market.definition.demo,
      { seed: SEED, targets },
      { transactionPerBatch: true },
    );
    await dataSource.destroy();
    console.error(
      `(seeded ${targets} market entities in ${((Date.now() - started) / 1000).toFixed(0)} s; kept in ` +
        `${dataDir} for the next run)`,
    );
  }
  await dropServiceDatabase(config.db, 'joint');

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const logger = createLogger('warn', 'bench');
  // The department runs in a process of its own, as deployed: the snapshot crosses a real process boundary.
  const dept = await spawnDepartment(
    'market',
    {
      JOINTCHECK_DATA_DIR: dataDir,
      JOINTCHECK_DB_PREFIX: prefix,
      JOINTCHECK_DEMO_DATA: 'false',
      JOINTCHECK_LOG_LEVEL: 'warn',
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_JWT_ISSUER: 'bench',
      JOINTCHECK_JWT_AUDIENCE: 'bench',
    },
    keys.jwks,
    dataDir,
  );
  let now = new Date('2026-11-23T02:00:00Z');
  const joint = await startJoint(config, {
    verifier,
    issuer,
    logger,
    port: 0,
    departments: () => [{ code: 'market', name: 'market', url: dept.url }],
    clock: () => now,
  });
  const token = await issuer.issueFor('joint', { subject: 'bench', role: Role.COORDINATOR, department: 'market' });
  const call = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const r = await postGraphQL<T>(joint.url, query, variables, token);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!;
  };
  try {
    const plan = await call<{ jointCreatePlan: { id: string } }>(
      `mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id } }`,
      {
        input: {
          name: 'benchmark',
          year: 2026,
          items: [{ department: 'market', code: 'MKT-09', version: 1 }],
          scope: { targetKinds: ['ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'COOPERATIVE'], regions: [], industries: [] },
          methods: ['ON_SITE'],
          windowStart: '2026-11-01',
          windowEnd: '2026-12-31',
          batchSize: 100,
        },
      },
    );
    await call(`mutation { jointPublishPlan(id: "${plan.jointCreatePlan.id}") { id } }`);
    const steps: Record<string, number> = {};
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const out = await work();
      steps[name] = performance.now() - t;
      return out;
    };
    const task = await timed('commit', () =>
      call<{ jointCreateTask: { id: string } }>(
        `mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }`,
        {
          input: {
            planId: plan.jointCreatePlan.id,
            name: 'bench',
            witnessSource: 'bench witness',
            witnessAvailableOn: '2026-11-24',
            witnessNumbers: 7,
          },
        },
      ),
    );
    const id = task.jointCreateTask.id;
    const snap = await timed('snapshot', () =>
      call<{ jointTakeSnapshot: { snapshotSize: number } }>(
        `mutation { jointTakeSnapshot(taskId: "${id}") { snapshotSize } }`,
      ),
    );
    now = new Date('2026-11-24T02:00:00Z');
    const drawn = await timed('draw', () =>
      call<{ jointDrawTargets: { strata: Array<{ drawn: number }> } }>(
        `mutation { jointDrawTargets(taskId: "${id}", witnessValue: "01 02 03 04 05 06 + 07") { strata { drawn } } }`,
      ),
    );
    await timed('lock', () => call(`mutation { jointLockTask(taskId: "${id}") { status } }`));
    const endToEndMs = Object.values(steps).reduce((a, b) => a + b, 0);

    // The floor: the same eligible rows, in id order, read straight from the department's database
    // file with better-sqlite3 (the query plan walks the primary key, as the export does). Read three
    // times and the fastest taken: on a noisy machine the floor moved by half between runs, and the
    // fastest makes the ratio the hardest to meet.
    const floors: number[] = [];
    let floorRows = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const raw = new Database(marketFile, { readonly: true });
      floorRows = raw
        .prepare(
          `SELECT id, uscc, region_code, credit_level, risk_level, penalties_3y, verified_complaints FROM ` +
            `roster_target WHERE +kind IN ('ENTERPRISE','INDIVIDUAL_BUSINESS','COOPERATIVE') ORDER BY id`,
        )
        .raw()
        .all().length;
      raw.close();
      floors.push(performance.now() - t);
    }
    const floorMs = Math.min(...floors);
    return {
      targets,
      eligible: snap.jointTakeSnapshot.snapshotSize,
      drawn: drawn.jointDrawTargets.strata.reduce((n, s) => n + s.drawn, 0),
      steps,
      endToEndMs,
      floorMs,
      floorRunsMs: floors,
      floorRows,
      ratio: endToEndMs / floorMs,
      peakRssMb: Math.round(peakRss / 1e6), // of this process: the joint service (the department runs apart)
    };
  } finally {
    clearInterval(sampler);
    await joint.stop();
    await dept.stop();
  }
}
