import 'reflect-metadata';
import { loadConfig, type HubConfig } from '../kernel/config';
import { demoEntity } from '../subgraphs/department-kernel/demo/generator';
import type { TokenIssuer } from '../kernel/identity';
import { loadIssuer } from '../kernel/keys';
import { ensureDevMetricsToken } from '../kernel/metrics';
import { stopOnSignals } from '../kernel/server';
import { jointServiceIsEmpty, runDemoActivity } from './demo-activity';
import { startHub, type RunningHub } from './hub';
import { SettableClock } from '../kernel/settable-clock';
import { ensureWebBuilt, WEB_OUT_DIR } from './web-build';
import { devSignInBanner, startDevSignIn } from './dev-sign-in';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';

/** One token command per demo role. */
const TOKEN_EXAMPLES = [
  '--role COORDINATOR --dept market      # lead department: plans and draws',
  '--role INSPECTOR --dept tax',
  '--role DEPT_ADMIN --dept environment   # rosters and checklist of one department',
  '--role DEPUTY_HEAD --dept housing      # approves inspector replacements (R20)',
  '--role PRINCIPAL_HEAD --dept fire      # signs corrections (R28)',
  '--role AUDITOR                          # reads full draw records',
  '--role HUB_ADMIN',
  '--role SERVICE --sub joint             # a hub service',
];

/**
 * On a first start with demo data (the joint service has done nothing yet), a year of joint
 * inspection work is made through the API on the hub's clock (scripts/demo-activity.ts). A failure
 * is reported and the hub goes on serving what was made.
 */
async function makeDemoYear(
  hub: RunningHub,
  config: HubConfig,
  issuer: TokenIssuer,
  clock: SettableClock,
): Promise<void> {
  if (!config.demo.enabled) return;
  const started = Date.now();
  try {
    if (!(await jointServiceIsEmpty(hub.gateway.url, issuer))) return;
    console.log(
      '\nFirst start: making the demo year of joint inspections through the API (plans, draws, visits, results) ...',
    );
    const demo = await runDemoActivity({
      gatewayUrl: hub.gateway.url,
      issuer,
      clock,
      seed: config.demo.seed,
      log: (line) => console.log(line),
    });
    const visits = Object.values(demo.visits).reduce((n, v) => n + v.submitted, 0);
    const published = Object.values(demo.published).reduce((a, b) => a + b, 0);
    console.log(
      `The demo year ${demo.year} was made in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${Object.keys(demo.plans).length} plans, ${Object.keys(demo.tasks).length} tasks, ${visits} visits, ` +
        `${published} published results (try jointPlanPage(year: ${demo.year}) { nodes { name } }, or ` +
        `jointStatistics(year: ${demo.year}) with a token).`,
    );
  } catch (error) {
    console.error(
      `The demo year could not be made (${error instanceof Error ? error.message : String(error)}); the hub ` +
        `serves what was made. Start with an empty JOINTCHECK_DATA_DIR to make it again.`,
    );
  }
}

/** `npm start`: the whole hub on an embedded SQLite database with demo data. */
async function main(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  // The public page (web/ → dist/web), built when its sources changed since the last build. The
  // API does not need it: if it cannot be built, the hub starts and `/` says how to build it.
  if (config.webDir === WEB_OUT_DIR) {
    await ensureWebBuilt().catch((error: Error) =>
      console.error(
        `The public page could not be built; the hub starts without it (npm run build:web to try ` +
          `again).\n${error.message}`,
      ),
    );
  }
  // The services' clock: real time, except while the demo year is made on a first start, and in a
  // training hub (JOINTCHECK_MODE=training) once a coordinator moves it (jointMoveTrainingClock).
  const clock = new SettableClock();
  const issuer = await loadIssuer(config);
  // Issue L: the operator's credential for /metrics, made on first start like the dev keys.
  if (config.jwt.devKeys) ensureDevMetricsToken(config.metrics.tokenFile);
  // Officials sign in at the development identity provider (issue I), started first so that the gateway takes its
  // tokens.
  const signIn = await startDevSignIn(
    config,
    BUILTIN_DEPARTMENTS.map((d) => d.definition.code),
  );
  const hub = await startHub(
    signIn ? { ...config, oidc: { ...config.oidc, issuer: signIn.provider.issuer } } : config,
    { issuer, clock: () => clock.now(), trainingClock: clock },
  ).catch(async (error: unknown) => {
    await signIn?.provider.stop();
    throw error;
  });
  await makeDemoYear(hub, config, issuer, clock);
  // Two entities of the demo register, to paste into the example query.
  const samples = [demoEntity(config.demo.seed, 0), demoEntity(config.demo.seed, 1)].map((e) => e.uscc);
  console.log(`
JointCheck is running (${((Date.now() - started) / 1000).toFixed(1)} s).${
    config.training
      ? `

  TRAINING HUB (培训/演练环境, JOINTCHECK_MODE=training): every plan and task made here is marked as
  training, and coordinators move the clock forward to try a draw on its witness date:
    mutation { jointMoveTrainingClock(to: "YYYY-MM-DD") { now today } }`
      : ''
  }

  Public page:        ${hub.gateway.url.replace(/\/graphql$/, '/')}   (published results, plans, draw records, inspection codes; officials sign in for the dashboard and their work, /work)
  Gateway (GraphQL):  ${hub.gateway.url}
${hub.departments.map((d) => `  ${d.name.padEnd(12)}        ${d.url}`).join('\n')}
  joint               ${hub.joint.url}   (plans, tasks, the draw)
  registry            ${hub.registry.url}   (subgraphs, supergraph versions; the gateway serves version ${hub.gateway.supergraph.current?.number})
${Object.entries(hub.standIns)
  .map(
    ([code, system]) =>
      `  ${code}'s own system ${system.url}   (a stand-in REST service; the ${code} subgraph reads it through ` +
      `the REST connector)`,
  )
  .join('\n')}
  Database:           ${config.db.kind === 'sqlite' ? `SQLite files in ${config.db.dataDir}` : config.db.url} (demo seed '${config.demo.seed}', ${config.demo.targets} entities)

${signIn ? devSignInBanner(signIn, hub.gateway.url.replace(/\/graphql$/, '/')) : config.oidc.issuer ? `Officials sign in at ` + `${config.oidc.issuer} ` + `(JOINTCHECK_OIDC_ISSUER).` : 'No identity provider (port 0, ' + 'or production without ' + ('JOINTCHECK_OIDC_ISSUER): ' + 'officials paste a token at ') + '/signin.'}

Or get a token for a demo role (in another terminal; department roles take any of ${hub.departments.map((d) => d.name).join(', ')}),
and paste it at ${hub.gateway.url.replace(/\/graphql$/, '/signin')} (使用平台签发的令牌登录); scripts use these too:
${TOKEN_EXAMPLES.map((args) => `  npm run token -- ${args}`).join('\n')}

Try (public registration data needs no token; department views need one):
  curl -s ${hub.gateway.url} -H 'content-type: application/json' \\
    -H "authorization: Bearer $(npm run -s token -- --role COORDINATOR --dept market)" \\
    -d '{"query":"{ market { targets(first: 3) { nodes { id } } } }"}'

  query { marketEntities(usccs: ${JSON.stringify(samples)}) { uscc name onAbnormalList
    market { riskLevel } tax { creditLevel creditRating { rating } } environment { dischargePermit { permitNo } }
    housing { qualifications { grade } } fire { keyUnit { isKeyUnit } } health { onRoster riskLevel } } }

Metrics for Prometheus, at /metrics of the gateway and of every service above (the operator's credential only):
  curl -s ${hub.gateway.url.replace(/\/graphql$/, '/metrics')} -H "authorization: Bearer $(cat ${config.metrics.tokenFile})"

A department system joins without a restart (README "A department joins the hub"):
  npm run register -- --name customs --code customs --department-name 海关 --url <its /graphql URL> \\
    --token "$(npm run -s token -- --role DEPT_ADMIN --dept customs)"

Stop with Ctrl-C.`);
  stopOnSignals(async () => {
    await hub.stop();
    await signIn?.provider.stop();
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
