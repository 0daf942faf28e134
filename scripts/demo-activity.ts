import { chinaDate, defaultCalendar, type WorkingDayCalendar } from '../subgraphs/joint/calendar/working-days';
import { rngFor, type Rng } from '../subgraphs/department-kernel/demo/generator';
import type { TokenIssuer } from '../kernel/identity';
import type { SettableClock } from '../kernel/settable-clock';
import { actors, DemoApi } from './demo-year/api';
import { createPlan, PLAN_DESIGNS, publishPlan, type PlanDesign } from './demo-year/plans';
import { advanceResults, correctResult, departmentResults } from './demo-year/publication';
import {
  CONFIDENTIAL_NOTES,
  CORRECTION,
  RATINGS,
  visitResults,
  WITNESS_SOURCE,
  witnessNumbers,
  type VisitKind,
} from './demo-year/results';
import { Schedule } from './demo-year/schedule';
import { DemoDays, demoTimeline, type DemoTimeline, type TaskDays } from './demo-year/timeline';
import {
  issueCode,
  rateVisit,
  readVisits,
  recorder,
  submitVisit,
  untilDelivered,
  type DemoVisit,
} from './demo-year/visits';

/** What the demo year is made with: the running hub's gateway, issuer and clock. */
export interface DemoActivityOptions {
  /** The gateway's GraphQL URL: every step goes through the public API. */
  gatewayUrl: string;
  /** The hub's token issuer: each step is signed as the official who takes it. */
  issuer: TokenIssuer;
  /** The hub's clock, moved to each step's day; today is its time when the activity starts. */
  clock: SettableClock;
  /** The demo seed (the same seed, the same choices). */
  seed: string;
  log?: (line: string) => void;
  /**
   * Runs a round of the joint service's deliveries, for a hub whose deliverer runs on no timer (tests); npm start's
   * runs every second.
   */
  deliver?: () => Promise<unknown>;
  /** How long the results of a day's visits may take to reach every department. @default 60000 */
  deliveryTimeoutMs?: number;
  /** @default defaultCalendar(), the hub's */
  calendar?: WorkingDayCalendar;
}

type TaskKey = 'spring' | 'housing' | 'autumn';

/** What the demo year made, for the banner and for tests. */
export interface DemoSummary {
  year: number;
  /** Today (China date) when it was made: nothing is dated on or after it. */
  today: string;
  plans: Record<keyof typeof PLAN_DESIGNS, string>;
  tasks: Record<TaskKey, string>;
  /** Visits drawn and visits whose results were submitted, per task. */
  visits: Record<TaskKey, { drawn: number; submitted: number }>;
  /** Results each department published, the correction included. */
  published: Record<string, number>;
  inspectionCodes: string[];
  /** A business with published results, one of them corrected by the department's principal head (R28). */
  correction: { department: string; uscc: string; correctedId: string; correctionId: string } | null;
  /** The confidential notes results may carry: none may ever be public (R25). */
  confidentialNotes: readonly string[];
}

/**
 * When a department approves and publishes a visit day's results: working days after it (R25: 20 at most is on time);
 * null, not (yet).
 */
interface Publication {
  approve: number | null;
  publish: number | null;
}

const NONE: Publication = { approve: null, publish: null };
const onTime = (rng: Rng): Publication => {
  const approve = 2 + Math.floor(rng() * 6);
  return { approve, publish: approve + 1 + Math.floor(rng() * 3) };
};
const late = (rng: Rng): Publication => ({ approve: 18 + Math.floor(rng() * 3), publish: 22 + Math.floor(rng() * 8) });
const approvedOnly = (rng: Rng): Publication => ({ approve: 5 + Math.floor(rng() * 5), publish: null });

/** One task of the year: its plan, how much of it is done, and how each department publishes (R25). */
interface TaskScript {
  key: TaskKey;
  no: number;
  plan: keyof typeof PLAN_DESIGNS;
  name: (year: number) => string;
  /** Share of the drawn visits made by the last visit day; the others come after today. */
  done: number;
  /** Visits whose target cannot be reached (R26) or refuses seriously (R27). */
  unreachable: number;
  refused: number;
  /** One market result published on time is corrected later (R28). */
  correct: boolean;
  publication: (department: string, day: number, days: number, rng: Rng) => Publication;
}

/**
 * The spring task's publication (R25, R31): most days on time; market one day late and fire two; tax leaves its last
 * day unapproved, environment its last three approved but unpublished (overdue).
 */
function springPublication(department: string, day: number, days: number, rng: Rng): Publication {
  if (department === 'market') return day === 2 ? late(rng) : onTime(rng);
  if (department === 'fire') return day < 2 ? late(rng) : onTime(rng);
  if (department === 'tax') return day === days - 1 ? NONE : onTime(rng);
  return day >= days - 3 ? approvedOnly(rng) : onTime(rng);
}

/**
 * The autumn task's, days before today: tax has published its first two visit days, health its first; the rest is
 * within its 20 working days.
 */
function autumnPublication(department: string, day: number): Publication {
  if (department === 'tax')
    return day < 2 ? { approve: 3, publish: 5 } : day === 2 ? { approve: 3, publish: null } : NONE;
  return day === 0 ? { approve: 4, publish: 6 } : day < 3 ? { approve: 4, publish: null } : NONE;
}

const TASKS: TaskScript[] = [
  {
    key: 'spring',
    no: 1,
    plan: 'joint',
    name: (y) => `${y}年第一批部门联合抽查任务（徐汇区、长宁区）`,
    done: 1,
    unreachable: 1,
    refused: 1,
    correct: true,
    publication: springPublication,
  },
  // Housing publishes everything on time.
  {
    key: 'housing',
    no: 2,
    plan: 'housing',
    name: (y) => `${y}年在建工程质量安全“双随机”抽查任务`,
    done: 1,
    unreachable: 0,
    refused: 0,
    correct: false,
    publication: (_d, _day, _n, rng) => onTime(rng),
  },
  {
    key: 'autumn',
    no: 3,
    plan: 'taxHealth',
    name: (y) => `${y}年公共场所部门联合抽查任务`,
    done: 0.85,
    unreachable: 1,
    refused: 0,
    correct: false,
    publication: autumnPublication,
  },
];

/**
 * Whether the joint service has done nothing yet (its audit trail is empty, R29): no plan, task or anything else.
 * Asked as an auditor.
 */
export async function jointServiceIsEmpty(gatewayUrl: string, issuer: TokenIssuer): Promise<boolean> {
  const api = new DemoApi(gatewayUrl, issuer, () => undefined);
  const data = await api.call<{ jointAuditTrailPage: { nodes: unknown[] } }>(
    'reading the audit trail',
    actors.auditor(),
    '{ jointAuditTrailPage(first: 1) { nodes { seq } } }',
  );
  return data.jointAuditTrailPage.nodes.length === 0;
}

/** Everything one run shares: the API, the schedule, the days and what was made. */
interface Run {
  api: DemoApi;
  schedule: Schedule;
  days: DemoDays;
  timeline: DemoTimeline;
  options: DemoActivityOptions;
  log: (line: string) => void;
  summary: DemoSummary;
}

/**
 * A year of joint inspection work made through the gateway's API as the officials do it (README,
 * "Set up"): plans made and published in January, a spring task of the joint plan drawn, visited
 * and published (some results late, some overdue, one corrected), housing's own task, and a joint
 * task close before today whose results are partly published. Each step is taken by the role that
 * takes it in reality, on the day it would be taken: the hub's clock is moved through the year
 * and given back at the end. Refused when the joint service has any work already: the year is
 * made once.
 */
export async function runDemoActivity(options: DemoActivityOptions): Promise<DemoSummary> {
  const log = options.log ?? (() => undefined);
  const { clock } = options;
  const start = clock.now();
  const startedReal = Date.now();
  const wasSet = clock.isSet;
  const today = chinaDate(start);
  const calendar = options.calendar ?? defaultCalendar();
  const timeline = demoTimeline(calendar, today);
  if (!(await jointServiceIsEmpty(options.gatewayUrl, options.issuer))) {
    throw new Error(
      'The joint service holds plans or other work already: the demo year is made once, on a hub whose joint ' +
        'service is empty.',
    );
  }
  const api = new DemoApi(options.gatewayUrl, options.issuer, log);
  const run: Run = {
    api,
    schedule: new Schedule(),
    days: new DemoDays(calendar, timeline.lastDay),
    timeline,
    options,
    log,
    summary: {
      year: timeline.year,
      today,
      plans: { joint: '', taxHealth: '', housing: '', draft: '' },
      tasks: { spring: '', housing: '', autumn: '' },
      visits: {
        spring: { drawn: 0, submitted: 0 },
        housing: { drawn: 0, submitted: 0 },
        autumn: { drawn: 0, submitted: 0 },
      },
      published: {},
      inspectionCodes: [],
      correction: null,
      confidentialNotes: CONFIDENTIAL_NOTES,
    },
  };
  log(`The demo year ${timeline.year} (today ${today}), made through the API with a simulated clock:`);
  try {
    schedulePlans(run);
    for (const script of TASKS) scheduleTask(run, script, timeline[script.key]);
    await run.schedule.run(clock);
    log(
      `  results published by ${timeline.lastDay}: ${Object.entries(run.summary.published)
        .map(([d, n]) => `${d} ${n}`)
        .join(', ')}; ${run.summary.inspectionCodes.length} inspection codes issued`,
    );
  } finally {
    // The clock goes on from where it stood when the activity started.
    if (wasSet) clock.set(new Date(start.getTime() + (Date.now() - startedReal)));
    else clock.release();
  }
  return run.summary;
}

function schedulePlans(run: Run): void {
  const { schedule, timeline, api, days } = run;
  (['joint', 'taxHealth', 'housing'] as const).forEach((key, i) => {
    const design: PlanDesign = PLAN_DESIGNS[key];
    const made = timeline.plansMade[i]!;
    const publishedOn = days.after(made, 2)!;
    schedule.at(made, 10, 0, async () => {
      run.summary.plans[key] = await createPlan(api, design, timeline.year);
    });
    // R11: published within 5 working days of being made.
    schedule.at(publishedOn, 9, 30, async () => {
      await publishPlan(api, design, run.summary.plans[key]);
      run.log(`  ${made} ${design.lead} makes the plan ${design.name(timeline.year)}; published ${publishedOn}`);
    });
  });
  schedule.at(timeline.draftMade, 14, 0, async () => {
    run.summary.plans.draft = await createPlan(api, PLAN_DESIGNS.draft, timeline.year);
    run.log(`  ${timeline.draftMade} environment drafts ${PLAN_DESIGNS.draft.name(timeline.year)} (never published)`);
  });
}

/** State of one task as it runs. */
interface TaskRun {
  id: string;
  design: PlanDesign;
  /** The visits made, per visit day, in the drawn order (R15). */
  byDay: DemoVisit[][];
  kinds: Map<string, VisitKind>;
  /** Inspection codes issued so far (R32). */
  codes: number;
}

/** A random stream of the demo seed for one choice of one task (the same seed, the same choice). */
function taskRng(run: Run, script: TaskScript, ...path: Array<string | number>): Rng {
  return rngFor(run.options.seed, 'demo-year', script.no, ...path);
}

/** How a department publishes one visit day of a task. */
function publicationOf(run: Run, script: TaskScript, dates: TaskDays, department: string, day: number): Publication {
  return script.publication(
    department,
    day,
    dates.visitDays.length,
    taskRng(run, script, 'publication', department, day),
  );
}

function scheduleTask(run: Run, script: TaskScript, dates: TaskDays): void {
  const { schedule, api, timeline, summary } = run;
  const design: PlanDesign = PLAN_DESIGNS[script.plan];
  const departments = [design.lead, ...design.partners];
  const lead = actors.coordinator(design.lead);
  const task: TaskRun = { id: '', design, byDay: [], kinds: new Map(), codes: 0 };
  const name = script.name(timeline.year);

  // R16: the lead's coordinator commits to the task, with a witness not known yet, and takes the snapshot (R9).
  schedule.at(dates.created, 10, 0, async () => {
    const input = {
      planId: summary.plans[script.plan],
      name,
      witnessSource: WITNESS_SOURCE,
      witnessAvailableOn: dates.witness,
      witnessNumbers: 7,
    };
    task.id = (
      await api.call<{ jointCreateTask: { id: string } }>(
        `creating the task ${name}`,
        lead,
        'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }',
        { input },
      )
    ).jointCreateTask.id;
    summary.tasks[script.key] = task.id;
    await api.call(
      `taking the snapshot of ${name}`,
      lead,
      'mutation($id: ID!) { jointTakeSnapshot(taskId: $id) { id } }',
      { id: task.id },
    );
  });
  // R16, R17: drawn on the witness day, locked; each department draws its own inspectors (R18).
  schedule.at(dates.witness, 10, 0, async () => {
    const witness = witnessNumbers(taskRng(run, script, 'witness', dates.witness));
    type Drawn = { jointDrawTargets: { snapshotSize: number; strata: Array<{ drawn: number }> } };
    const drawn = await api.call<Drawn>(
      `drawing ${name}`,
      lead,
      'mutation($id: ID!, $w: String!) { jointDrawTargets(taskId: $id, witnessValue: $w) { snapshotSize ' +
        'strata { drawn } } }',
      { id: task.id, w: witness },
    );
    await api.call(`locking ${name}`, lead, 'mutation($id: ID!) { jointLockTask(taskId: $id) { id } }', {
      id: task.id,
    });
    for (const department of departments) {
      await api.call(
        `drawing the ${department} inspectors of ${name}`,
        actors.coordinator(department),
        'mutation($id: ID!, $d: String!) { jointDrawInspectors(taskId: $id, department: $d) { id } }',
        { id: task.id, d: department },
      );
    }
    const visits = await readVisits(api, design.lead, task.id);
    summary.visits[script.key].drawn = visits.length;
    const count = drawn.jointDrawTargets.strata.reduce((n, s) => n + s.drawn, 0);
    run.log(
      `  ${dates.created} ${design.lead} creates ${name}; ${dates.witness} draws ${count} of ` +
        `${drawn.jointDrawTargets.snapshotSize} targets with the witness ${witness}, locks it; ` +
        `${departments.join(', ')} draw their inspectors`,
    );
    planVisits(run, script, dates, task, visits);
  });
  schedulePublication(run, script, dates, task);
}

/**
 * Spreads the visits made over the visit days in the drawn order, and chooses which cannot be reached, refuse or are
 * corrected later.
 */
function planVisits(run: Run, script: TaskScript, dates: TaskDays, task: TaskRun, visits: DemoVisit[]): void {
  const made = visits.slice(0, Math.ceil(visits.length * script.done));
  const k = dates.visitDays.length;
  task.byDay = dates.visitDays.map((_, day) => made.filter((_v, i) => Math.floor((i * k) / made.length) === day));
  const order = made.map((v) => ({ v, r: taskRng(run, script, 'special', v.position)() })).sort((a, b) => a.r - b.r);
  // The result to correct: a visit of the first day, whose market results are published on time.
  if (script.correct) {
    const first = order.find(
      (o) => task.byDay[0]!.includes(o.v) && o.v.checklist.some((c) => c.department === 'market'),
    );
    if (first) task.kinds.set(first.v.key, 'TO_CORRECT');
  }
  const rest = order.filter((o) => !task.kinds.has(o.v.key));
  rest.slice(0, script.unreachable).forEach((o) => task.kinds.set(o.v.key, 'UNREACHABLE'));
  rest
    .slice(script.unreachable, script.unreachable + script.refused)
    .forEach((o) => task.kinds.set(o.v.key, 'REFUSED'));
  task.byDay.forEach((visitsOfDay, day) => scheduleVisitDay(run, script, task, dates.visitDays[day]!, visitsOfDay));
}

/**
 * A visit day: each team issues its code at the door (R32), checks every item and submits (R22); the day ends with
 * every share delivered (R24).
 */
function scheduleVisitDay(run: Run, script: TaskScript, task: TaskRun, day: string, visits: DemoVisit[]): void {
  const { schedule, api, summary } = run;
  visits.forEach((visit, j) => {
    const inspector = recorder(visit);
    if (!inspector)
      return run.log(`  ${day} the team for ${visit.key} has fewer than two enforcement officers: not visited (R18)`);
    const startsAt = 30 + Math.floor((j * 450) / visits.length); // minutes after 9:00
    // A third of the teams show an inspection code at the door (R32); the business may rate the visit that evening.
    if (visit.position % 3 === 1) {
      schedule.at(day, 9, startsAt, async () => {
        const code = await issueCode(api, inspector, task.id, visit);
        summary.inspectionCodes.push(code);
        const rating = script.key === 'spring' ? RATINGS[task.codes++] : undefined;
        if (rating) schedule.at(day, 20, j, () => rateVisit(api, code, rating.rating, rating.comment));
      });
    }
    // An hour later the check is done and the team submits every item (R22).
    schedule.at(day, 10, startsAt, async () => {
      const results = visitResults(
        taskRng(run, script, 'visit', visit.position),
        task.kinds.get(visit.key) ?? 'CHECKED',
        visit.checklist,
        { taskNo: script.no, position: visit.position },
      );
      await submitVisit(api, inspector, task.id, visit, day, results);
      summary.visits[script.key].submitted++;
    });
  });
  schedule.at(day, 18, 30, async () => {
    await untilDelivered(api, task.design.lead, task.id, visits, {
      deliver: run.options.deliver,
      timeoutMs: run.options.deliveryTimeoutMs ?? 60_000,
    });
    if (visits === task.byDay[task.byDay.length - 1]) {
      const { drawn, submitted } = summary.visits[script.key];
      run.log(
        `  ${run.timeline[script.key].visitDays[0]} to ${day}: ${submitted} of ${drawn} visits made, their ` +
          `results delivered to each department`,
      );
    }
  });
}

/**
 * Each department approves and publishes each visit day's results on the days its publication
 * says (R25), as its admin; the spring task's market result chosen for it is corrected by
 * market's principal head six working days after its publication (R28).
 */
function schedulePublication(run: Run, script: TaskScript, dates: TaskDays, task: TaskRun): void {
  const { schedule, api, summary } = run;
  const departments = [task.design.lead, ...task.design.partners];
  departments.forEach((department, d) => {
    const steps = new Map<string, { step: 'approve' | 'publish'; on: string; days: number[] }>();
    dates.visitDays.forEach((visitDay, day) => {
      const publication = publicationOf(run, script, dates, department, day);
      for (const step of ['approve', 'publish'] as const) {
        const after = publication[step];
        const on = after === null ? null : run.days.after(visitDay, after);
        if (!on) continue;
        const entry = steps.get(`${step}/${on}`) ?? { step, on, days: [] };
        entry.days.push(day);
        steps.set(`${step}/${on}`, entry);
      }
    });
    for (const { step, on, days: visitDays } of steps.values()) {
      schedule.at(on, step === 'approve' ? 10 : 15, 5 * d, async () => {
        const keys = new Set(visitDays.flatMap((day) => task.byDay[day] ?? []).map((v) => v.key));
        const moved = keys.size ? await advanceResults(api, department, task.id, keys, step) : 0;
        if (step === 'publish') summary.published[department] = (summary.published[department] ?? 0) + moved;
      });
    }
  });
  if (!script.correct) return;
  const publishAfter = publicationOf(run, script, dates, 'market', 0).publish;
  const published = publishAfter === null ? null : run.days.after(dates.visitDays[0]!, publishAfter);
  const correctedOn = published && run.days.after(published, 6);
  if (!correctedOn) return;
  schedule.at(correctedOn, 11, 0, async () => {
    const visit = task.byDay[0]?.find((v) => task.kinds.get(v.key) === 'TO_CORRECT');
    const result =
      visit &&
      (await departmentResults(api, 'market', task.id)).find(
        (r) => r.targetKey === visit.key && r.outcome === 'FOLLOW_UP_PENDING' && r.status === 'PUBLISHED',
      );
    if (!visit || !result) return run.log(`  ${correctedOn} no published market result to correct`);
    const correctionId = await correctResult(api, 'market', result.id, CORRECTION);
    summary.published.market = (summary.published.market ?? 0) + 1;
    summary.correction = { department: 'market', uscc: visit.uscc ?? visit.key, correctedId: result.id, correctionId };
    run.log(`  ${correctedOn} market's principal head corrects a published result of ${visit.uscc ?? visit.key} (R28)`);
  });
}
