import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchDraw } from './draw';
import { benchGateway, GATEWAYS, type GatewayName } from './gateway';
import { benchFlood } from './flood';
import { benchImport } from './import';
import { benchRegistry } from './registry';
import { benchWriteBack } from './write-back';
import { benchVisits } from './visits';

/**
 * `npm run bench`: the benchmarks, on this machine, one after the other in one process; what it
 * prints is also written to `.bench-data/results/<time>-<commit>.md`; the method and the figures
 * that count go to BENCHMARKS.md by hand. Generated rosters are kept in .bench-data/ between runs
 * (the same seed always gives the same data).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string', default: '1000000' },
      data: { type: 'string', default: '.bench-data' },
      only: { type: 'string' },
      'import-rows': { type: 'string' },
      gateways: { type: 'string' },
      flood: { type: 'string' },
      'flood-seconds': { type: 'string' },
      mysql: { type: 'string' },
      redis: { type: 'string' },
    },
  });
  const targets = Number(values.targets);
  // Everything printed also goes to a results file named by the time and the commit measured.
  const commit = (() => {
    try {
      return (
        execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim() +
        (execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() ? '+changes' : '')
      );
    } catch {
      return 'unknown';
    }
  })();
  const started = new Date();
  const resultsFile = path.resolve(
    values.data!,
    'results',
    `${started.toISOString().replace(/[:.]/g, '-')}-${commit}.md`,
  );
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  const print = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    print(...args);
    fs.appendFileSync(resultsFile, `${args.map(String).join(' ')}\n`);
  };
  process.on('exit', () =>
    print(`\n(results written to ${resultsFile}, ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all)`),
  );
  console.log(
    `# JointCheck benchmarks — ${started.toISOString()} — commit ${commit} — ${os.cpus().length} × ` +
      `${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
  );
  if (values.only === 'gateway' || !values.only) {
    // `--gateways ours,floor` measures some of them only (while tuning).
    const g = await benchGateway(path.resolve(values.data!), {
      only: values.gateways ? (values.gateways.split(',') as GatewayName[]) : undefined,
    });
    console.log(
      `\n## Gateway: the reference query (20 targets, market data and five departments' views), ` +
        `${g.connections} connections, ${g.rounds} rounds of ${g.seconds} s per gateway (medians)`,
    );
    for (const name of GATEWAYS.filter((n) => g.runs[n].length)) {
      const m = g.median[name];
      console.log(
        `  ${name.padEnd(6)} ${m.rps.toFixed(0).padStart(6)} requests/s   p50 ${m.p50} ms   p99 ${m.p99} ms   ` +
          `errors ${m.errors}   CPU per request: gateway ${m.gatewayCpuMs.toFixed(2)} ms, subgraphs ` +
          `${m.subgraphsCpuMs.toFixed(2)} ms   one connection: p50 ${m.single.p50} ms, p99 ${m.single.p99} ms   ` +
          `(rounds: ${g.runs[name].map((r) => r.rps.toFixed(0)).join(', ')} requests/s)`,
      );
    }
    console.log(
      `  ratios  throughput ours/hive ${g.ratios.throughputOursOverHive.toFixed(2)} (target ≥ 1.2), ` +
        `ours/floor ${g.ratios.throughputOursOverFloor.toFixed(2)}; p50 ours/floor ` +
        `${g.ratios.p50OursOverFloor.toFixed(2)} at ${g.connections} connections, ` +
        `${g.ratios.singleP50OursOverFloor.toFixed(2)} at one (target ≤ 1.3); p50 ours/hive ` +
        `${g.ratios.p50OursOverHive.toFixed(2)}, ${g.ratios.singleP50OursOverHive.toFixed(2)} at one`,
    );
    console.log(
      `  peak RSS ${Object.entries(g.peakRssMb)
        .map(([k, v]) => `${k} ${v} MB`)
        .join(', ')}`,
    );
    console.log(
      `  plan\n${g.plan
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}`,
    );
    if (values.only === 'gateway') return;
  }
  if (values.only === 'flood' || !values.only) {
    // H2: one caller's flood of heavy queries, and another caller's latency meanwhile, budget off and on.
    const f = await benchFlood(path.resolve(values.data!), {
      flood: values.flood ? Number(values.flood) : undefined,
      windowSeconds: values['flood-seconds'] ? Number(values['flood-seconds']) : undefined,
    });
    const ms = (l: { p50: number; p95: number; max: number; count: number }) =>
      `p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms (${l.count} requests)`;
    console.log(
      `\n## Flood (H2): one caller sends ${f.flood} heavy queries at once (${f.entities.toLocaleString('en')} ` +
        `entities, market data and five departments' views each; a refused one sent again after Retry-After), ` +
        `another caller sends {__typename} one at a time; ${f.windowSeconds} s window`,
    );
    for (const [name, g] of [
      ['budget off', f.open],
      ['default budget', f.budgeted],
    ] as const) {
      const h = g.flood.heavy;
      console.log(`  ${name.padEnd(14)} idle: ${ms(g.idle)}`);
      console.log(
        `  ${''.padEnd(14)} flood: ${ms(g.flood.other)}; other caller / idle: p50 ` +
          `${(g.flood.other.p50 / g.idle.p50).toFixed(2)}× (target ≤ 2), p95 ` +
          `${(g.flood.other.p95 / g.idle.p95).toFixed(2)}×`,
      );
      console.log(
        `  ${''.padEnd(14)} heavy: ${h.whole} whole, ${h.partial} partial (${h.timeouts} with a subgraph ` +
          `timeout), ${h.neverAdmitted} still refused when the window closed, ${h.refusals} refusals (429) in ` +
          `all; last answer ${(g.flood.floodMs / 1000).toFixed(1)} s after the first ` +
          `query${h.errorSamples.length ? `\n  ${''.padEnd(14)} errors: ${h.errorSamples.join(' | ')}` : ''}`,
      );
    }
    console.log(
      `  peak RSS   ${Object.entries(f.peakRssMb)
        .map(([k, v]) => `${k} ${v} MB`)
        .join(', ')}`,
    );
    if (values.only === 'flood') return;
  }
  if (values.only === 'write-back' || !values.only) {
    // Issue K: on SQLite, then on MySQL when JOINTCHECK_MYSQL_URL (or --mysql) names a server, each service's own
    // database on it.
    const mysqlUrl = values.mysql ?? process.env.JOINTCHECK_MYSQL_URL;
    const runs = [await benchWriteBack(path.resolve(values.data!))];
    if (mysqlUrl) {
      runs.push(await benchWriteBack(path.resolve(values.data!), { mysqlUrl }));
      // Issue L: one of each with the limits in Redis, then two gateways and two joint services on it, side by side.
      const redisUrl = values.redis ?? process.env.JOINTCHECK_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
      runs.push(await benchWriteBack(path.resolve(values.data!), { mysqlUrl, redisUrl }));
      runs.push(await benchWriteBack(path.resolve(values.data!), { mysqlUrl, redisUrl, instances: 2 }));
    } else
      console.log('\n(write-back on MySQL skipped: set JOINTCHECK_MYSQL_URL, such as mysql://root@127.0.0.1:3306)');
    for (const w of runs) {
      const on = (w.database === 'sqlite' ? 'SQLite' : `MySQL at ${w.database}`) + (w.redis ? ', limits in Redis' : '');
      const through =
        w.instances === 1
          ? 'the gateway'
          : `${w.instances} gateways (the load dealt out in turn) and ${w.instances} joint services (behind a ` +
            `round-robin proxy in the benchmark's process)`;
      console.log(
        `\n## Write-back as deployed: ${w.submissions} visit submissions through ${through} (autocannon, 10 ` +
          `connections), every service in its own process (${on})`,
      );
      console.log(
        `  stored     ${w.load.perSecond.toFixed(0)} submissions/s sustained (${w.load.seconds.toFixed(1)} ` +
          `s); latency p50 ${w.load.latencyMs.p50} ms, p99 ${w.load.latencyMs.p99} ms; failures ` +
          `${w.load.non2xx} HTTP, ${w.load.graphqlErrors} ` +
          `GraphQL${w.load.errorSamples.length ? ` (${w.load.errorSamples.join(' | ')})` : ''}`,
      );
      console.log(
        `  delivered  ${(w.deliveredMs / 1000).toFixed(2)} s after the first ` +
          `(${(w.submissions / (w.deliveredMs / 1000)).toFixed(0)} submissions/s end to end, the joint ` +
          `service's deliverer on its 1 s interval)`,
      );
      console.log(
        `  results    ${w.resultsStored} stored in the departments of ${w.resultsExpected} ` +
          `submitted${w.resultsStored === w.resultsExpected ? ' (0 lost, 0 duplicated)' : ' — MISMATCH'}`,
      );
      const total = Object.values(w.cpuMsPerSubmission).reduce((a, b) => a + b, 0);
      console.log(
        `  CPU per submission  ${Object.entries(w.cpuMsPerSubmission)
          .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
          .join(', ')}; all processes ${total.toFixed(1)} ms`,
      );
      const floorTotal = Object.values(w.floor.cpuMsPerRequest).reduce((a, b) => a + b, 0);
      console.log(
        `  floor      the same inspectors' ${w.floor.load.sent} requests of a query the joint service answers ` +
          `from memory (jointTrainingClock), same gateway and processes: ${w.floor.load.perSecond.toFixed(0)}/s ` +
          `(${w.floor.load.non2xx + w.floor.load.graphqlErrors} failed); CPU per request ` +
          `${Object.entries(w.floor.cpuMsPerRequest)
            .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
            .join(', ')}; all processes ${floorTotal.toFixed(1)} ms (a submission: ` +
          `${(total / floorTotal).toFixed(2)}× the floor)`,
      );
      console.log(
        `  peak RSS   ${Object.entries(w.peakRssMb)
          .map(([k, v]) => `${k} ${v} MB`)
          .join(', ')}`,
      );
      const sortedChecklist = [...w.checklistMs].sort((a, b) => a - b);
      console.log(
        `\n## Combined checklist as deployed (${on}, same processes, before the submissions): 1,000 visits of ` +
          `the five-department task in one request through the gateway`,
      );
      console.log(
        `  times      ${w.checklistMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} (median ` +
          `${(sortedChecklist[2]! / 1000).toFixed(2)} s; target ≤ 1.5 s)`,
      );
      console.log(
        `  peak RSS   ${Object.entries(w.checklistPeakRssMb)
          .map(([k, v]) => `${k} ${v} MB`)
          .join(', ')} (by the end of these requests)`,
      );
    }
    if (values.only === 'write-back') return;
  }
  if (values.only === 'registry' || !values.only) {
    const r = await benchRegistry();
    const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
    console.log(
      `\n## Registry: ${r.switches.length} switches with ${r.subgraphs} subgraphs registered, under load ` +
        `(whole hub in one process; gateway poll ${r.pollMs} ms)`,
    );
    console.log(
      `  registered (SDL fetched, composed, checked, stored)  ${r.switches.map((s) => ms(s.registerMs)).join(', ')}`,
    );
    console.log(
      `  served by the gateway, from the call                 ` +
        `${r.switches.map((s) => ms(s.servedMs)).join(', ')} (target ≤ 2 s)`,
    );
    console.log(
      `  requests during the switches  ${r.load.requests}: ${r.load.non2xx} non-2xx, ${r.load.errors} socket ` +
        `errors or timeouts, ${r.load.graphqlErrors} wrong or erroneous ` +
        `answers${r.load.errorSamples.length ? ` (${r.load.errorSamples.join(' | ')})` : ''} (target 0)`,
    );
    console.log(`  peak RSS   ${r.peakRssMb} MB (the hub's process)`);
    if (values.only === 'registry') return;
  }
  if (values.only !== 'draw' && values.only !== 'import') {
    const v = await benchVisits();
    const sorted = [...v.checklistMs].sort((a, b) => a - b);
    console.log(
      `\n## Combined checklist: ${v.visits} visits of a five-department task in one request (whole hub in one ` +
        `process, SQLite)`,
    );
    console.log(
      `  times      ${v.checklistMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} (median ` +
        `${(sorted[2]! / 1000).toFixed(2)} s; target ≤ 1.5 s)`,
    );
    console.log(
      `  per service (requests / SQL statements): ${Object.entries(v.checklistCounts)
        .map(([k, c]) => `${k} ${c.requests}/${c.sql}`)
        .join(', ')}`,
    );
    console.log(
      `\n## Load: ${v.submissions} visit submissions through the gateway (autocannon, ` +
        `${Math.min(10, v.submissions)} connections)`,
    );
    console.log(
      `  stored     ${(v.submitMs / 1000).toFixed(2)} s: ${v.load.perSecond.toFixed(0)} submissions/s ` +
        `sustained; latency p50 ${v.load.latencyMs.p50} ms, p90 ${v.load.latencyMs.p90} ms, p99 ` +
        `${v.load.latencyMs.p99} ms, max ${v.load.latencyMs.max} ms`,
    );
    console.log(
      `  failures   ${v.load.non2xx} HTTP, ${v.load.graphqlErrors} ` +
        `GraphQL${v.load.errorSamples.length ? ` (${v.load.errorSamples.join(' | ')})` : ''}`,
    );
    console.log(
      `  delivered  ${(v.deliveredMs / 1000).toFixed(2)} s after the first ` +
        `(${(v.submissions / (v.deliveredMs / 1000)).toFixed(0)} submissions/s end to end)`,
    );
    console.log(
      `  same run, next ${v.loopSubmissions} visits sent 10 at a time with Promise.all: ` +
        `${(v.loopSubmissions / (v.loopMs / 1000)).toFixed(0)} submissions/s (autocannon / loop = ` +
        `${(v.load.perSecond / (v.loopSubmissions / (v.loopMs / 1000))).toFixed(2)})`,
    );
    console.log(
      `  per department, both batches (stored / submitted): ${Object.keys(v.load.submittedPerDepartment)
        .map((d) => `${d} ${v.storedByDepartment[d] ?? 0}/${v.load.submittedPerDepartment[d]}`)
        .join(', ')}`,
    );
    console.log(
      `  results    ${v.resultsStored} stored in the departments of ${v.resultsExpected} ` +
        `submitted${v.resultsStored === v.resultsExpected ? ' (0 lost, 0 duplicated)' : ' — MISMATCH'}`,
    );
    if (values.only === 'visits') return;
  }
  if (values.only === 'import' || !values.only) {
    // A file with a few bad rows, then one with mostly bad rows (every rejected row goes to the report).
    for (const mostlyBad of [false, true]) {
      const im = await benchImport(Number(values['import-rows'] ?? '1000000'), path.resolve(values.data!), mostlyBad);
      console.log(
        `\n## CSV import: ${im.rows.toLocaleString('en')} target rows (${im.fileMb.toFixed(0)} MB, ` +
          `${mostlyBad ? '9 rows in 10 broken' : 'every 1,000th broken'}) with npm run import, own process, ` +
          `SQLite`,
      );
      console.log(`  time       ${im.seconds.toFixed(1)} s (${im.rowsPerSecond.toFixed(0)} rows/s)`);
      console.log(`  peak RSS   ${im.peakRssMb} MB (target < 300 MB)`);
      console.log(`  output     ${im.output.split('\n').pop()}`);
    }
    if (values.only === 'import') return;
  }
  const draw = await benchDraw(targets, path.resolve(values.data!));
  console.log(
    `\n## Draw over ${draw.targets.toLocaleString('en')} targets (${draw.eligible.toLocaleString('en')} ` +
      `eligible, ${draw.drawn.toLocaleString('en')} drawn)`,
  );
  for (const [step, ms] of Object.entries(draw.steps)) console.log(`  ${step.padEnd(10)} ${(ms / 1000).toFixed(2)} s`);
  console.log(`  end to end ${(draw.endToEndMs / 1000).toFixed(2)} s   (target ≤ 10 s)`);
  console.log(
    `  floor      ${(draw.floorMs / 1000).toFixed(2)} s   (the same ${draw.floorRows.toLocaleString('en')} ` +
      `eligible rows read straight from SQLite, the fastest of ` +
      `${draw.floorRunsMs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}${draw.floorRows === draw.eligible ? '' : ' — NOT the snapshot size: the comparison is off'})`,
  );
  console.log(`  ratio      ${draw.ratio.toFixed(1)} × the floor`);
  console.log(`  peak RSS   ${draw.peakRssMb} MB (the joint service's process; the department runs in its own)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
