import fs from 'node:fs';
import path from 'node:path';
import { startHub } from '../scripts/hub';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';
import { loadConfig } from '../kernel/config';
import { Role } from '../kernel/identity';
import { postGraphQL } from '../test/support/hub';
import { storedPerDepartment, submitThroughGateway, visitSubmissions, type LoadResult } from './load';
import { benchIdentity, databaseServerProcess, processCpuMs, spawnService, type ServiceProcess } from './processes';
import { BENCH_DEPARTMENTS, checklistQuery, prepareTask } from './visits';
import { freePort } from '../test/support/ports';
import { dropServiceDatabase } from '../kernel/datasource';
import { randomBytes } from 'node:crypto';
import { roundRobin } from '../test/support/round-robin';

export interface WriteBackBenchResult {
  /** The database every service ran on: `sqlite`, or the MySQL server's URL. */
  database: string;
  /** Issue L: how many gateways and joint services ran (the joint services behind a round-robin proxy). */
  instances: number;
  /** Issue L: whether the limits were shared through Redis. */
  redis: boolean;
  submissions: number;
  load: LoadResult;
  /** From the first submission until every department holds every result, ms. */
  deliveredMs: number;
  resultsExpected: number;
  resultsStored: number;
  /**
   * CPU time per submission of each process while the submissions were sent (deliveries made meanwhile included), ms.
   */
  cpuMsPerSubmission: Record<string, number>;
  /**
   * The framework's floor, in the same processes right after: as many requests as submissions, each
   * by the same inspector with the same token, through the same gateway to the joint service, but a
   * query the joint service answers from memory (`jointTrainingClock`): HTTP in and out, Apollo
   * Gateway, Apollo Server, type-graphql, tokens and the hub's plugins, with no write-back.
   */
  floor: { load: LoadResult; cpuMsPerRequest: Record<string, number> };
  /** Benchmark 3 as deployed: the combined-checklist request of 1,000 visits through the gateway, five times, ms. */
  checklistMs: number[];
  /** Peak RSS of each process by the end of the checklist requests (benchmark 3), MB. */
  checklistPeakRssMb: Record<string, number>;
  /** Peak RSS of each process by the end (benchmarks 3 and 4), MB. */
  peakRssMb: Record<string, number>;
}

/**
 * Issue F, benchmark 4 as deployed: every service in a process of its own (the five departments,
 * the registry, the joint service and the gateway, each from its own entry point, on SQLite).
 * The task is prepared first in one process with a clock set to its witness date (the services
 * use the real clock, and a draw waits for its witness), then the services are started on the same
 * databases; 1,000 visit submissions (300 before issue K) go through the gateway with autocannon (10 connections) and
 * the
 * joint service's own deliverer, on its interval, writes them back; every result is counted.
 */
export async function benchWriteBack(
  dataDir: string,
  options: {
    submissions?: number;
    mysqlUrl?: string;
    /** Issue L: gateways and joint services, as many of each (MySQL only: several processes share it). */
    instances?: number;
    /** Issue L: Redis for the callers' limits shared by the gateways (JOINTCHECK_REDIS_URL). */
    redisUrl?: string;
  } = {},
): Promise<WriteBackBenchResult> {
  const submissionsWanted = options.submissions ?? 1000;
  const copies = options.instances ?? 1;
  if (copies > 1 && !options.mysqlUrl) throw new Error('several joint services share a MySQL database, not SQLite');
  const named = (role: string) =>
    copies === 1 ? [role] : Array.from({ length: copies }, (_, i) => `${role}-${i + 1}`);
  const joints = named('joint');
  const gateways = named('gateway');
  fs.mkdirSync(dataDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(dataDir, 'write-back-'));
  const { issuer, verifier, privateKeyFile: privateKey, env: common } = await benchIdentity(dir);
  // On MySQL, every service's database under a prefix of this run's own, dropped at the end.
  const mysql = options.mysqlUrl
    ? { url: options.mysqlUrl.replace(/\/$/, ''), prefix: `jcbench${randomBytes(3).toString('hex')}_` }
    : null;
  const database: Record<string, string> = mysql
    ? { JOINTCHECK_DB: mysql.url, JOINTCHECK_DB_PREFIX: mysql.prefix }
    : {};
  const env: Record<string, string> = {
    ...common,
    ...database,
    JOINTCHECK_DEMO_TARGETS: '2500',
    JOINTCHECK_MUTATIONS_PER_MINUTE: '1000000',
    JOINTCHECK_SUPERGRAPH_POLL_MS: '200',
    // BENCH_PROFILE=window: the SQLite run's profiles and the MySQL run's apart (bench/profile-window.ts).
    BENCH_PROFILE_RUN: `${mysql ? 'mysql' : 'sqlite'}${copies > 1 ? `-x${copies}` : ''}${options.redisUrl ? '-redis' : ''}`,
    ...(options.redisUrl
      ? { JOINTCHECK_REDIS_URL: options.redisUrl, JOINTCHECK_REDIS_PREFIX: `jcbench-${randomBytes(3).toString('hex')}` }
      : {}),
  };
  const token = (role: Role, dept: string | null = null, sub = 'bench') =>
    issuer.issue({ subject: sub, role, department: dept }, '2h');

  // 1. The task, in one process with a settable clock.
  let now = new Date('2026-03-02T02:00:00Z');
  const modules = BUILTIN_DEPARTMENTS.filter((m) => BENCH_DEPARTMENTS.includes(m.definition.code));
  const setup = await startHub(loadConfig({ ...env, JOINTCHECK_PORT: '0' }), {
    verifier,
    issuer,
    clock: () => now,
    deliveryIntervalMs: 3_600_000,
    departments: modules,
  });
  let task: string;
  let visits: Array<{
    key: string;
    team: Array<{ department: string; personId: string; kind: string }>;
    checklist: Array<{ department: string; itemCode: string }>;
  }>;
  try {
    const call = async <T>(query: string, variables: Record<string, unknown> = {}, t?: string) => {
      const r = await postGraphQL<T>(
        setup.gateway.url,
        query,
        variables,
        t ?? (await token(Role.COORDINATOR, 'market')),
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 500));
      return r.data!;
    };
    task = await prepareTask(call, token, (iso) => (now = new Date(iso)));
    visits = (
      await call<{ jointTask: { visits: typeof visits } }>(
        `{ jointTask(id: "${task}") { visits(first: ${submissionsWanted}) { key team { department personId ` +
          `kind } checklist { department itemCode } } } }`,
        {},
        await token(Role.AUDITOR),
      )
    ).jointTask.visits;
  } finally {
    await setup.stop();
  }

  // 2. Every service in its own process, on the same databases.
  const services: ServiceProcess[] = [];
  const profiles = path.join(dataDir, 'profiles');
  let proxy: Awaited<ReturnType<typeof roundRobin>> | null = null;
  try {
    const ports: Record<string, number> = {};
    for (const name of [...BENCH_DEPARTMENTS, ...joints, 'registry', ...gateways]) ports[name] = await freePort();
    const url = (name: string) => `http://127.0.0.1:${ports[name]}/graphql`;
    // Several joint services answer the gateways behind a round-robin proxy (in this process), as behind nginx.
    proxy = copies > 1 ? await roundRobin(joints.map((j) => `http://127.0.0.1:${ports[j]}`)) : null;
    const jointUrl = proxy ? `${proxy.url}/graphql` : url('joint');
    const own = (name: string) => ({ ...env, JOINTCHECK_PORT: String(ports[name]) });
    for (const d of BENCH_DEPARTMENTS)
      services.push(await spawnService(d, `../subgraphs/${d}/main.ts`, [], own(d), profiles, url(d)));
    // The registry first (it registers the joint service once that answers), then the joint service (it asks the
    // registry where the departments are).
    const list = [...[...BENCH_DEPARTMENTS, 'registry'].map((n) => `${n}=${url(n)}`), `joint=${jointUrl}`].join(',');
    services.push(
      await spawnService(
        'registry',
        '../subgraphs/registry/main.ts',
        [],
        { ...own('registry'), JOINTCHECK_SUBGRAPHS: list },
        profiles,
        url('registry'),
      ),
    );
    // One joint service after the other: the first migrates the database, the next finds it done.
    for (const joint of joints)
      services.push(
        await spawnService(
          joint,
          '../subgraphs/joint/main.ts',
          [],
          { ...own(joint), JOINTCHECK_REGISTRY_URL: url('registry'), JOINTCHECK_JWT_PRIVATE_KEY: privateKey },
          profiles,
          url(joint),
        ),
      );
    for (const gateway of gateways)
      services.push(await spawnService(gateway, '../gateway/main.ts', [], own(gateway), profiles, url(gateway)));
    // Until each gateway serves the version with the processes' addresses and the joint services read them.
    const auditor = await token(Role.AUDITOR);
    for (const gateway of gateways)
      for (const deadline = Date.now() + 60_000; ;) {
        const r = await postGraphQL<{ jointTask: { id: string } | null; market: { contractVersion: string } }>(
          url(gateway),
          `{ jointTask(id: "${task}") { id } market { contractVersion } }`,
          {},
          auditor,
        ).catch(() => null);
        if (r?.data?.jointTask && r.data.market) break;
        if (Date.now() > deadline)
          throw new Error(
            `the hub's processes did not come together within 60 s: ${JSON.stringify(r?.errors ?? null).slice(0, 300)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }

    // Benchmark 3 as deployed: the combined checklist of 1,000 visits, five times, before any submission.
    const checklistMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await postGraphQL<{ jointTask: { visits: unknown[] } }>(
        url(gateways[0]!),
        checklistQuery(task),
        {},
        auditor,
      );
      if (r.errors || r.data?.jointTask.visits.length !== 1000)
        throw new Error(`the checklist request failed: ${JSON.stringify(r.errors ?? null).slice(0, 300)}`);
      checklistMs.push(performance.now() - t);
    }
    const checklistPeakRssMb = Object.fromEntries(services.map((s) => [s.name, s.peakRssMb()]));

    const tokens = new Map<string, string>();
    for (const v of visits)
      for (const m of v.team)
        tokens.set(`${m.department}/${m.personId}`, await token(Role.INSPECTOR, m.department, m.personId));
    // On MySQL the database server's CPU counts too (found by its process name; absent when it runs elsewhere).
    const server = mysql ? databaseServerProcess() : null;
    const cpuBefore = Object.fromEntries(services.map((s) => [s.name, s.cpuMs()]));
    const serverBefore = server ? processCpuMs(server) : 0;
    const started = performance.now();
    for (const s of services) s.profileWindow(); // BENCH_PROFILE=window: the load alone is profiled
    const load = await submitThroughGateway(
      gateways.map(url),
      visitSubmissions(task, visits, (d, p) => tokens.get(`${d}/${p}`)!),
      10,
    );
    // CPU of the submissions (and of the deliveries made meanwhile); the counting below adds its own.
    const cpuMsPerSubmission = Object.fromEntries(
      services.map((s) => [s.name, (s.cpuMs() - cpuBefore[s.name]!) / visits.length]),
    );
    if (server) cpuMsPerSubmission['mysql server'] = (processCpuMs(server) - serverBefore) / visits.length;
    for (const s of services) s.profileWindow();
    const resultsExpected = Object.values(load.submittedPerDepartment).reduce((a, b) => a + b, 0);
    const query = async <T>(q: string, variables: Record<string, unknown>) => {
      const r = await postGraphQL<T>(url(gateways[0]!), q, variables, auditor);
      if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 300));
      return r.data!;
    };
    let stored: Record<string, number> = {};
    for (const deadline = Date.now() + 180_000; ;) {
      stored = await storedPerDepartment(query, task, BENCH_DEPARTMENTS);
      if (Object.values(stored).reduce((a, b) => a + b, 0) >= resultsExpected || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const deliveredMs = performance.now() - started;
    // The framework's floor (see WriteBackBenchResult.floor), after every delivery.
    const floorRequests = visitSubmissions(task, visits, (d, p) => tokens.get(`${d}/${p}`)!).map((r) => ({
      ...r,
      body: JSON.stringify({ query: 'query { jointTrainingClock { now } }' }),
      resultsPerDepartment: {},
    }));
    const floorCpuBefore = Object.fromEntries(services.map((s) => [s.name, s.cpuMs()]));
    const floorServerBefore = server ? processCpuMs(server) : 0;
    for (const s of services) s.profileWindow();
    const floorLoad = await submitThroughGateway(gateways.map(url), floorRequests, 10);
    const floor = {
      load: floorLoad,
      cpuMsPerRequest: Object.fromEntries([
        ...services.map((s) => [s.name, (s.cpuMs() - floorCpuBefore[s.name]!) / floorRequests.length] as const),
        // On MySQL its server counts here too, as for the submissions (the ratio compares like with like).
        ...(server
          ? [['mysql server', (processCpuMs(server) - floorServerBefore) / floorRequests.length] as const]
          : []),
      ]),
    };
    for (const s of services) s.profileWindow();
    return {
      database: mysql ? mysql.url : 'sqlite',
      instances: copies,
      redis: Boolean(options.redisUrl),
      submissions: visits.length,
      load,
      deliveredMs,
      resultsExpected,
      resultsStored: Object.values(stored).reduce((a, b) => a + b, 0),
      cpuMsPerSubmission,
      floor,
      checklistMs,
      checklistPeakRssMb,
      peakRssMb: Object.fromEntries(services.map((s) => [s.name, s.peakRssMb()])),
    };
  } finally {
    for (const s of services.reverse()) await s.stop();
    await proxy?.stop();
    if (mysql)
      for (const service of [...BENCH_DEPARTMENTS, 'joint', 'registry'])
        await dropServiceDatabase({ kind: 'mysql', ...mysql }, service);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
