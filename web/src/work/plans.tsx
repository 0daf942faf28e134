import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { partError, run, type ResultOf } from '../api/client';
import { departmentName } from '../api/departments';
import type {
  ClassCombination,
  InspectionMethod,
  PlanInput,
  TargetKind,
  WorkPlanFieldsFragment,
  WorkPlanTaskFieldsFragment,
} from '../api/generated';
import { everyPage } from '../api/pages';
import type { SessionIdentity } from '../api/session';
import { Async, ErrorNotice, Loading, useAsync } from '../components/async';
import { names, useDepartments } from '../components/department-name';
import { FiguresTable } from '../components/figures-table';
import { TrainingMark } from '../components/training';
import { addDays, chinaDate, chinaDateTime } from '../format';
import {
  ITEM_CATEGORY,
  label,
  METHOD,
  PLAN_KIND,
  PLAN_STATUS,
  regionName,
  industryName,
  STRATUM,
  TARGET_KIND,
  TASK_STATUS,
} from '../labels';
import { ActionOutcome, ForRoles, RuleNote, SignedIn, useAction, useHubToday, useHubYear } from './common';

/*
 * The lead department's coordinator's plan screens (issue I): the year's plans, one plan with its
 * revisions and tasks, the editor of a new plan or a revision, publication (R11) and the creation
 * of a task (R16). The page asks, the servers decide (R30): what a caller may only read is shown
 * read-only, and every refusal is shown in the hub's own words.
 */

type Plan = WorkPlanFieldsFragment;
type Task = WorkPlanTaskFieldsFragment;
type ChecklistItem = NonNullable<ResultOf<'WorkPlanChecklist'>[string]>['checklist'][number];

const COORDINATOR = 'COORDINATOR';

/** Codes typed as a list: separated by spaces, commas or 、. */
function codeList(text: string): string[] {
  return text
    .split(/[\s,，、;；]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The participating departments, the lead first. */
function leadFirst(lead: string, codes: readonly string[]): string[] {
  return [lead, ...codes.filter((c) => c !== lead)];
}

/** The plan-year select: the hub's year, the next, and the four before. */
function PlanYearSelect({
  year,
  hubYear,
  onChange,
}: {
  year: number;
  hubYear: number;
  onChange: (year: number) => void;
}) {
  const years = [hubYear + 1, hubYear, hubYear - 1, hubYear - 2, hubYear - 3, hubYear - 4];
  if (!years.includes(year)) years.push(year);
  return (
    <label class="inline" for="work-plan-year">
      年度{' '}
      <select
        id="work-plan-year"
        data-testid="plan-year"
        value={String(year)}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      >
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y} 年
          </option>
        ))}
      </select>
    </label>
  );
}

/* ------------------------------------------------------------------------------------------ */
/* /work/plans: the year's plans the signed-in official sees                                  */
/* ------------------------------------------------------------------------------------------ */

export function WorkPlansPage() {
  return <SignedIn>{(session) => <PlanList session={session} />}</SignedIn>;
}

function PlanList({ session }: { session: SessionIdentity }) {
  const { query, route } = useLocation();
  const hubYear = useHubYear();
  const departments = useDepartments();
  const year = Number(query.year) || hubYear;
  const state = useAsync(
    async (signal) =>
      year === null ? null : (await everyPage('WorkPlanList', 'jointPlanPage', { year }, signal)).nodes,
    [year],
  );
  if (year === null || hubYear === null) return <Loading what="平台日期" />;
  return (
    <section class="work-plans">
      <p class="crumbs">
        <a href="/work">← 业务办理</a>
      </p>
      <h1>抽查计划与任务</h1>
      <RuleNote rule="R10">
        年度抽查计划载明名称、抽查事项、检查对象范围、比例、方式、实施时间、牵头和配合部门；牵头部门是主管部门（谁主管、谁牵头、谁发起）。
      </RuleNote>
      <RuleNote rule="R11">年度计划应在年初制定，并在制定或修改后 5 个工作日内公布；每次修改都保留并公布。</RuleNote>
      <div class="toolbar">
        <PlanYearSelect year={year} hubYear={hubYear} onChange={(y) => route(`/work/plans?year=${y}`)} />
        {session.role === COORDINATOR && (
          <a class="button" href="/work/plans/new" data-testid="new-plan">
            新建计划
          </a>
        )}
      </div>
      <Async state={state} what="抽查计划">
        {(plans) =>
          !plans || plans.length === 0 ? (
            <p class="empty" data-testid="no-plans">
              {year} 年暂无您可查看的抽查计划。
            </p>
          ) : (
            <div class="table-scroll">
              <FiguresTable
                rows={plans}
                rowKey={(p) => p.id}
                testId="work-plan"
                attributes={(p) => ({ 'data-plan-id': p.id })}
                columns={[
                  {
                    label: '计划',
                    field: 'name',
                    value: (p) => (
                      <>
                        <a href={`/work/plans/${p.id}`}>{p.name}</a>
                        <TrainingMark training={p.training} />
                      </>
                    ),
                  },
                  { label: '类型', field: 'kind', value: (p) => label(PLAN_KIND, p.kind) },
                  { label: '状态', field: 'status', value: (p) => label(PLAN_STATUS, p.status) },
                  { label: '当前版本', field: 'revision', value: (p) => String(p.revision) },
                  {
                    label: '已公布版本',
                    field: 'publishedRevision',
                    value: (p) => (p.publishedRevision === null ? '未公布' : String(p.publishedRevision)),
                  },
                  {
                    label: '牵头部门',
                    field: 'leadDepartment',
                    value: (p) => departmentName(departments, p.leadDepartment),
                  },
                  {
                    label: '参与部门',
                    field: 'departments',
                    value: (p) => names(departments, leadFirst(p.leadDepartment, p.departments)),
                  },
                  { label: '实施时间', field: 'window', value: (p) => `${p.windowStart} 至 ${p.windowEnd}` },
                ]}
              />
            </div>
          )
        }
      </Async>
    </section>
  );
}

/* ------------------------------------------------------------------------------------------ */
/* /work/plans/:id: one plan (or 'new')                                                       */
/* ------------------------------------------------------------------------------------------ */

export function PlanWorkPage({ id }: { id: string }) {
  return (
    <SignedIn>
      {(session) => (id === 'new' ? <NewPlan session={session} /> : <PlanView key={id} id={id} session={session} />)}
    </SignedIn>
  );
}

function NewPlan({ session }: { session: SessionIdentity }) {
  const { route } = useLocation();
  const hubToday = useHubToday();
  return (
    <section class="work-plan">
      <p class="crumbs">
        <a href="/work/plans">← 抽查计划与任务</a>
      </p>
      <h1>新建年度抽查计划</h1>
      <ForRoles session={session} roles={[COORDINATOR]}>
        <RuleNote rule="R16">计划由牵头部门的协调员制定：本部门为牵头部门，其他部门为配合部门。</RuleNote>
        {hubToday === null || !session.department ? (
          <Loading what="平台日期" />
        ) : (
          <PlanEditor
            lead={session.department}
            hubToday={hubToday}
            onSaved={(plan) => route(`/work/plans/${plan.id}`)}
          />
        )}
      </ForRoles>
    </section>
  );
}

function PlanView({ id, session }: { id: string; session: SessionIdentity }) {
  const [version, setVersion] = useState(0);
  const state = useAsync(async (signal) => (await run('WorkPlanDetail', { id }, { signal })).data!, [id, version]);
  return (
    <section class="work-plan">
      <p class="crumbs">
        <a href="/work/plans">← 抽查计划与任务</a>
      </p>
      <Async state={state} what="抽查计划">
        {({ jointPlan: plan, jointTasks: tasks }) =>
          !plan ? (
            <p class="empty" data-testid="plan-missing">
              未找到这项抽查计划，或您无权查看它。
            </p>
          ) : (
            <PlanBody plan={plan} tasks={tasks} session={session} reload={() => setVersion((v) => v + 1)} />
          )
        }
      </Async>
    </section>
  );
}

function PlanBody({
  plan,
  tasks,
  session,
  reload,
}: {
  plan: Plan;
  tasks: Task[];
  session: SessionIdentity;
  reload: () => void;
}) {
  const departments = useDepartments();
  const hubToday = useHubToday();
  const [revising, setRevising] = useState(false);
  // R16, R30: the lead department's coordinator makes, changes and publishes the plan and creates its tasks.
  const leads = session.role === COORDINATOR && session.department === plan.leadDepartment;
  const latest = plan.revisions.find((r) => r.revision === plan.revision);
  return (
    <article data-testid="work-plan-detail" data-plan-id={plan.id}>
      <h1 data-testid="plan-name">
        {plan.name} <TrainingMark training={plan.training} />
      </h1>
      {!leads && (
        <p class="notice" data-testid="plan-read-only">
          本计划由{departmentName(departments, plan.leadDepartment)}
          牵头：您可以查阅计划及其任务；修订、公布计划和创建任务由牵头部门的协调员办理（R16）。
        </p>
      )}
      <PlanFacts plan={plan} />

      {leads && plan.status === 'DRAFT' && latest && (
        <PublishPanel
          plan={plan}
          publishBy={latest.publishBy}
          provisional={latest.publishByProvisional}
          onPublished={reload}
        />
      )}

      {leads && (
        <div class="work-panel">
          <h2>修订计划</h2>
          <RuleNote rule="R11">每次修改都形成新版本，保留修改时间、修改人和说明，并须在 5 个工作日内公布。</RuleNote>
          {revising ? (
            hubToday === null ? (
              <Loading what="平台日期" />
            ) : (
              <PlanEditor
                lead={plan.leadDepartment}
                hubToday={hubToday}
                plan={plan}
                onSaved={() => {
                  setRevising(false);
                  reload();
                }}
                onCancel={() => setRevising(false)}
              />
            )
          ) : (
            <button type="button" data-testid="revise-plan" onClick={() => setRevising(true)}>
              修订计划
            </button>
          )}
        </div>
      )}

      <h2>修订与公布</h2>
      <RuleNote rule="R11">
        公布期限由平台按工作日（含法定节假日和调休）计算：制定或修改之日起 5 个工作日内公布。
      </RuleNote>
      <ol class="revisions" data-testid="plan-revisions">
        {plan.revisions.map((r) => (
          <li key={r.revision} data-testid="plan-revision" data-revision={r.revision}>
            第 {r.revision} 版：{chinaDateTime(r.changedAt)} 由 {r.changedBy} {r.revision === 1 ? '制定' : '修订'}；
            {r.publishedAt ? (
              <>
                <span data-field="publishedAt">公布于 {chinaDate(r.publishedAt)}</span>
                {chinaDate(r.publishedAt) > r.publishBy && (
                  <span class="badge danger" data-field="late">
                    逾期公布
                  </span>
                )}
              </>
            ) : (
              <span data-field="publishedAt">尚未公布</span>
            )}
            （应于 <span data-field="publishBy">{r.publishBy}</span> 前公布
            {r.publishByProvisional ? '，暂定：该年节假日安排尚未载入' : ''}）
            {r.note && <span class="meta">　修订说明：{r.note}</span>}
          </li>
        ))}
      </ol>

      <h2>抽查任务</h2>
      <RuleNote rule="R16">
        牵头部门创建任务并按计划比例从名录库中随机抽取检查对象；任务只能从已公布的计划创建。
      </RuleNote>
      {tasks.length === 0 ? (
        <p class="empty" data-testid="no-tasks">
          尚无抽查任务。
        </p>
      ) : (
        <ul class="task-list">
          {tasks.map((t) => (
            <li key={t.id} data-testid="plan-task" data-task-id={t.id}>
              <a href={`/work/tasks/${t.id}`}>{t.name}</a> <TrainingMark training={t.training} />
              <span class="meta">
                {' '}
                <span data-field="status">{label(TASK_STATUS, t.status)}</span> · 依据第 {t.planRevision} 版 · 见证：
                {t.witnessSource}（{t.witnessAvailableOn} 公布，{t.witnessNumbers} 个号码）
              </span>
            </li>
          ))}
        </ul>
      )}
      {leads &&
        (plan.publishedRevision === null ? (
          <p class="notice" data-testid="task-needs-published">
            计划公布后才能创建抽查任务（R11、R16）。
          </p>
        ) : hubToday === null ? (
          <Loading what="平台日期" />
        ) : (
          <CreateTaskPanel plan={plan} tasks={tasks} hubToday={hubToday} />
        ))}
    </article>
  );
}

/** What the plan holds (R10), as the caller sees it. */
function PlanFacts({ plan }: { plan: Plan }) {
  const departments = useDepartments();
  return (
    <>
      <dl class="facts">
        <dt>类型</dt>
        <dd data-testid="plan-kind">{label(PLAN_KIND, plan.kind)}</dd>
        <dt>状态</dt>
        <dd>
          <span data-testid="plan-status">{label(PLAN_STATUS, plan.status)}</span>（当前第{' '}
          <span data-testid="plan-revision-number">{plan.revision}</span> 版；已公布：
          <span data-testid="plan-published-revision">
            {plan.publishedRevision === null ? '未公布' : `第 ${plan.publishedRevision} 版`}
          </span>
          ）
        </dd>
        <dt>年度</dt>
        <dd data-testid="plan-year-shown">{plan.year}</dd>
        <dt>牵头部门</dt>
        <dd data-testid="plan-lead">{departmentName(departments, plan.leadDepartment)}</dd>
        <dt>参与部门</dt>
        <dd data-testid="plan-departments">{names(departments, leadFirst(plan.leadDepartment, plan.departments))}</dd>
        <dt>实施时间</dt>
        <dd data-testid="plan-window">
          {plan.windowStart} 至 {plan.windowEnd}
        </dd>
        <dt>检查对象</dt>
        <dd data-testid="plan-scope">
          {plan.scope.targetKinds.map((k) => label(TARGET_KIND, k)).join('、')}
          {plan.scope.regions.length > 0 && `；区域：${plan.scope.regions.map(regionName).join('、')}`}
          {plan.scope.industries.length > 0 && `；行业：${plan.scope.industries.map(industryName).join('、')}`}
        </dd>
        <dt>检查方式</dt>
        <dd data-testid="plan-methods">{plan.methods.map((m) => label(METHOD, m)).join('、')}</dd>
        <dt>抽查比例</dt>
        <dd data-testid="plan-ratios">
          {STRATUM.HIGH} {plan.ratios.high}%，{STRATUM.ELEVATED} {plan.ratios.elevated}%，{STRATUM.GENERAL}{' '}
          {plan.ratios.general}%，{STRATUM.LOW} {plan.ratios.low}%
        </dd>
        <dt>风险分类合并</dt>
        <dd>{plan.classCombination === 'WORST' ? '取各参与部门中最高的风险等级' : '以牵头部门的风险等级为准'}</dd>
        <dt>排除近期已检查</dt>
        <dd>
          {plan.excludeInspectedWithinDays > 0
            ? `排除 ${plan.excludeInspectedWithinDays} 天内已被锁定任务抽中的对象`
            : '不排除'}
        </dd>
        <dt>每批户数</dt>
        <dd data-testid="plan-batch-size">{plan.batchSize}</dd>
        <dt>每部门检查人员</dt>
        <dd>{plan.inspectorsPerDepartment} 名</dd>
        <dt>每户专家</dt>
        <dd>{plan.expertsPerVisit} 名</dd>
      </dl>
      <RuleNote rule="R13">信用越差、风险越高，抽查比例越高：高风险 ≥ 较高风险 ≥ 一般风险 ≥ 低风险。</RuleNote>
      <h2>抽查事项</h2>
      <RuleNote rule="R3">联合抽查的事项来自各参与部门自己的抽查事项清单，按制定计划时的版本保存。</RuleNote>
      <div class="table-scroll">
        <FiguresTable
          rows={plan.items}
          rowKey={(i) => `${i.department}-${i.code}`}
          testId="plan-item"
          attributes={(i) => ({ 'data-department': i.department, 'data-code': i.code })}
          columns={[
            { label: '部门', field: 'department', value: (i) => departmentName(departments, i.department) },
            { label: '事项', field: 'title', value: (i) => `${i.title}（${i.code} 第 ${i.version} 版）` },
            {
              label: '类别',
              field: 'category',
              value: (i) =>
                `${label(ITEM_CATEGORY, i.category)}${i.ratioCapPercent !== null ? `，比例上限 ${i.ratioCapPercent}%` : ''}`,
            },
            { label: '抽查依据', field: 'basis', value: (i) => i.basis },
          ]}
        />
      </div>
      <RuleNote rule="R2">重点检查事项不设比例上限；一般检查事项的抽查比例不得超过其上限。</RuleNote>
    </>
  );
}

/** Publication of the latest revision, with the deadline the hub counted (R11). */
function PublishPanel({
  plan,
  publishBy,
  provisional,
  onPublished,
}: {
  plan: Plan;
  publishBy: string;
  provisional: boolean;
  onPublished: () => void;
}) {
  const action = useAction();
  return (
    <div class="work-panel" data-testid="publish-panel">
      <h2>公布计划</h2>
      <p data-testid="publish-deadline">
        第 {plan.revision} 版尚未公布，应于 <strong data-field="publishBy">{publishBy}</strong> 前公布
        {provisional ? '（暂定：该年节假日安排尚未载入）' : ''}。
      </p>
      <RuleNote rule="R11">计划制定或修改后 5 个工作日内向社会公布；公布后任何人都可以在“抽查计划”中查看。</RuleNote>
      <button
        type="button"
        data-testid="publish-plan"
        disabled={action.busy}
        onClick={() =>
          void action
            .run(async () => {
              const answer = (await run('WorkPlanPublish', { id: plan.id })).data!.jointPublishPlan;
              return `第 ${answer.revision} 版已公布。`;
            })
            .then((ok) => ok && onPublished())
        }
      >
        公布第 {plan.revision} 版
      </button>
      <ActionOutcome action={action} title="未能公布计划" />
    </div>
  );
}

/** Creates a task of the published plan and opens it (R16). */
function CreateTaskPanel({ plan, tasks, hubToday }: { plan: Plan; tasks: Task[]; hubToday: string }) {
  const { route } = useLocation();
  const action = useAction();
  const [name, setName] = useState(`${plan.year}年第${tasks.length + 1}批联合抽查`);
  const [source, setSource] = useState('');
  const [witnessOn, setWitnessOn] = useState(addDays(hubToday, 2));
  const [numbers, setNumbers] = useState('7');
  const [unannounced, setUnannounced] = useState(false);
  return (
    <div class="work-panel" data-testid="create-task-panel">
      <h3>创建抽查任务</h3>
      <RuleNote rule="R16">
        任务创建时即承诺一个秘密随机数（公开其
        SHA-256），并指定一个尚未公布的公开随机来源（见证）：见证号码须在今天（平台日期 {hubToday}
        ）之后公布，且不超过一年，创建任务时无人能预知它；摇号时二者共同决定抽取结果，任何人可复核。
      </RuleNote>
      <RuleNote rule="R15">抽查比例较高时，检查批次的先后顺序也由同一次摇号随机确定。</RuleNote>
      <form
        class="work"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const task = (
              await run('WorkPlanCreateTask', {
                input: {
                  planId: plan.id,
                  name,
                  witnessSource: source,
                  witnessAvailableOn: witnessOn,
                  witnessNumbers: Number(numbers),
                  unannounced,
                },
              })
            ).data!.jointCreateTask;
            route(`/work/tasks/${task.id}`);
          });
        }}
      >
        <label for="task-name">任务名称</label>
        <input
          id="task-name"
          type="text"
          data-testid="task-name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <label for="task-witness-source">见证来源（公开随机数）</label>
        <input
          id="task-witness-source"
          type="text"
          data-testid="task-witness-source"
          placeholder="例如：中国福利彩票双色球第2026024期开奖号码"
          value={source}
          onInput={(e) => setSource(e.currentTarget.value)}
        />
        <label for="task-witness-date">见证公布日期</label>
        <input
          id="task-witness-date"
          type="date"
          data-testid="task-witness-date"
          min={addDays(hubToday, 1)}
          value={witnessOn}
          onInput={(e) => setWitnessOn(e.currentTarget.value)}
        />
        <label for="task-witness-numbers">见证号码个数</label>
        <input
          id="task-witness-numbers"
          type="number"
          min={3}
          max={50}
          data-testid="task-witness-numbers"
          value={numbers}
          onInput={(e) => setNumbers(e.currentTarget.value)}
        />
        <p class="meta">例如双色球开奖号码为 7 个（6 个红球和 1 个蓝球）。</p>
        <label class="inline">
          <input
            type="checkbox"
            data-testid="task-unannounced"
            checked={unannounced}
            onChange={(e) => setUnannounced(e.currentTarget.checked)}
          />
          检查不宜事先告知（不发放检查通知书，不向企业透露检查情况）
        </label>
        <div class="actions">
          <button type="submit" data-testid="create-task" disabled={action.busy}>
            创建任务
          </button>
        </div>
      </form>
      <ActionOutcome action={action} title="未能创建任务" />
    </div>
  );
}

/* ------------------------------------------------------------------------------------------ */
/* The editor: a new plan, or a revision of one                                               */
/* ------------------------------------------------------------------------------------------ */

interface PlanForm {
  name: string;
  year: string;
  partners: string[];
  /** Chosen items, as `department/code` (the version is the one in force on the checklist). */
  items: string[];
  targetKinds: TargetKind[];
  regions: string;
  industries: string;
  methods: InspectionMethod[];
  windowStart: string;
  windowEnd: string;
  high: string;
  elevated: string;
  general: string;
  low: string;
  classCombination: ClassCombination;
  excludeInspectedWithinDays: string;
  batchSize: string;
  inspectorsPerDepartment: string;
  expertsPerVisit: string;
  note: string;
}

function formOf(plan: Plan | undefined, lead: string, hubToday: string): PlanForm {
  if (plan)
    return {
      name: plan.name,
      year: String(plan.year),
      partners: plan.departments.filter((d) => d !== lead),
      items: plan.items.map((i) => `${i.department}/${i.code}`),
      targetKinds: [...plan.scope.targetKinds],
      regions: plan.scope.regions.join(' '),
      industries: plan.scope.industries.join(' '),
      methods: [...plan.methods],
      windowStart: plan.windowStart,
      windowEnd: plan.windowEnd,
      high: String(plan.ratios.high),
      elevated: String(plan.ratios.elevated),
      general: String(plan.ratios.general),
      low: String(plan.ratios.low),
      classCombination: plan.classCombination,
      excludeInspectedWithinDays: String(plan.excludeInspectedWithinDays),
      batchSize: String(plan.batchSize),
      inspectorsPerDepartment: String(plan.inspectorsPerDepartment),
      expertsPerVisit: String(plan.expertsPerVisit),
      note: '',
    };
  const year = hubToday.slice(0, 4);
  return {
    name: '',
    year,
    partners: [],
    items: [],
    targetKinds: ['ENTERPRISE'],
    regions: '',
    industries: '',
    methods: ['ON_SITE'],
    windowStart: hubToday,
    windowEnd: `${year}-12-31`,
    // The hub's defaults (published local practice, R13): 30, 10, 2, 1 percent.
    high: '30',
    elevated: '10',
    general: '2',
    low: '1',
    classCombination: 'WORST',
    excludeInspectedWithinDays: '0',
    batchSize: '50',
    inspectorsPerDepartment: '1',
    expertsPerVisit: '0',
    note: '',
  };
}

type ChecklistState =
  { status: 'loading' } | { status: 'done'; items: ChecklistItem[] } | { status: 'error'; error: unknown };

/** Each participating department's checklist in force, as the gateway shows it (R3): asked once per department. */
function useChecklists(codes: readonly string[]): Record<string, ChecklistState> {
  const [lists, setLists] = useState<Record<string, ChecklistState>>({});
  useEffect(() => {
    for (const code of codes) {
      if (lists[code]) continue;
      setLists((all) => ({ ...all, [code]: { status: 'loading' } }));
      run('WorkPlanChecklist', {}, { department: code }).then(
        (answer) => {
          const data = answer.data?.[code];
          const state: ChecklistState = data
            ? { status: 'done', items: data.checklist }
            : { status: 'error', error: partError(answer, `${code} 的抽查事项清单`) };
          setLists((all) => ({ ...all, [code]: state }));
        },
        (error: unknown) => setLists((all) => ({ ...all, [code]: { status: 'error', error } })),
      );
    }
  }, [codes.join(',')]);
  return lists;
}

function toggle<T>(list: readonly T[], value: T, on: boolean): T[] {
  return on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((v) => v !== value);
}

function PlanEditor({
  lead,
  hubToday,
  plan,
  onSaved,
  onCancel,
}: {
  lead: string;
  hubToday: string;
  plan?: Plan;
  onSaved: (plan: Plan) => void;
  onCancel?: () => void;
}) {
  const departments = useDepartments();
  const action = useAction();
  const [form, setForm] = useState<PlanForm>(() => formOf(plan, lead, hubToday));
  const set = <K extends keyof PlanForm>(key: K, value: PlanForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const participating = useMemo(
    () => [lead, ...form.partners.filter((p) => p !== lead)],
    [lead, form.partners.join(',')],
  );
  const checklists = useChecklists(participating);
  const others = departments.filter((d) => d.code !== lead);

  /** The chosen items of the participating departments, at the version in force on their checklists (R3, R5). */
  const chosen = form.items
    .map((key) => {
      const [department, code] = key.split('/') as [string, string];
      const list = checklists[department];
      const inForce = list?.status === 'done' ? list.items.find((i) => i.code === code) : undefined;
      const planned = plan?.items.find((i) => i.department === department && i.code === code);
      return { department, code, item: inForce, version: inForce?.version ?? planned?.version, planned };
    })
    .filter((c) => participating.includes(c.department));
  const capped = chosen
    .filter((c) => c.item?.category === 'GENERAL' && c.item.ratioCapPercent !== null)
    .sort((a, b) => a.item!.ratioCapPercent! - b.item!.ratioCapPercent!);
  const lowestCap = capped[0];
  const gone = chosen.filter((c) => checklists[c.department]?.status === 'done' && !c.item);

  const input = (): PlanInput => ({
    name: form.name,
    year: Number(form.year),
    partners: form.partners.filter((p) => p !== lead),
    items: chosen
      .filter((c) => c.version !== undefined)
      .map((c) => ({ department: c.department, code: c.code, version: c.version! })),
    scope: { targetKinds: form.targetKinds, regions: codeList(form.regions), industries: codeList(form.industries) },
    methods: form.methods,
    windowStart: form.windowStart,
    windowEnd: form.windowEnd,
    ratios: {
      high: Number(form.high),
      elevated: Number(form.elevated),
      general: Number(form.general),
      low: Number(form.low),
    },
    classCombination: form.classCombination,
    excludeInspectedWithinDays: Number(form.excludeInspectedWithinDays),
    batchSize: Number(form.batchSize),
    inspectorsPerDepartment: Number(form.inspectorsPerDepartment),
    expertsPerVisit: Number(form.expertsPerVisit),
  });

  const save = () =>
    action.run(async () => {
      const saved = plan
        ? (await run('WorkPlanRevise', { id: plan.id, input: input(), note: form.note })).data!.jointRevisePlan
        : (await run('WorkPlanCreate', { input: input() })).data!.jointCreatePlan;
      onSaved(saved);
      return plan ? `已保存为第 ${saved.revision} 版。` : '计划已保存。';
    });

  const number = (
    key:
      | 'high'
      | 'elevated'
      | 'general'
      | 'low'
      | 'excludeInspectedWithinDays'
      | 'batchSize'
      | 'inspectorsPerDepartment'
      | 'expertsPerVisit',
    text: string,
    step = '1',
  ) => (
    <>
      <label for={`plan-${key}`}>{text}</label>
      <input
        id={`plan-${key}`}
        type="number"
        step={step}
        data-testid={`plan-${key}`}
        value={form[key]}
        onInput={(e) => set(key, e.currentTarget.value)}
      />
    </>
  );

  return (
    <form
      class="work plan-editor"
      data-testid="plan-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend>计划</legend>
        <label for="plan-name">计划名称</label>
        <input
          id="plan-name"
          type="text"
          data-testid="plan-name-input"
          value={form.name}
          onInput={(e) => set('name', e.currentTarget.value)}
        />
        <label for="plan-year-input">年度</label>
        <input
          id="plan-year-input"
          type="number"
          data-testid="plan-year-input"
          value={form.year}
          disabled={!!plan}
          onInput={(e) => set('year', e.currentTarget.value)}
        />
        {plan && <p class="meta">计划不能改变年度；另一年度请新建计划。</p>}
        <p>
          牵头部门：<strong data-testid="editor-lead">{departmentName(departments, lead)}</strong>
        </p>
      </fieldset>

      <fieldset>
        <legend>配合部门</legend>
        <RuleNote rule="R10">牵头部门发起联合抽查，选择的配合部门共同实施；不选则为部门内部抽查。</RuleNote>
        {others.length === 0 ? (
          <Loading what="部门" />
        ) : (
          others.map((d) => (
            <label class="inline" key={d.code}>
              <input
                type="checkbox"
                data-testid={`partner-${d.code}`}
                checked={form.partners.includes(d.code)}
                onChange={(e) => set('partners', toggle(form.partners, d.code, e.currentTarget.checked))}
              />{' '}
              {d.name ?? d.code}
            </label>
          ))
        )}
      </fieldset>

      <fieldset>
        <legend>抽查事项</legend>
        <RuleNote rule="R3">
          只能从各参与部门自己的抽查事项清单中选择（平台从各部门系统读取现行版本）；每个参与部门至少选择一项。
        </RuleNote>
        <RuleNote rule="R2">
          重点检查事项不设比例上限；一般检查事项有比例上限，计划的各风险等级比例都不得超过所选一般事项的上限。
        </RuleNote>
        {participating.map((code) => (
          <ChecklistPicker
            key={code}
            department={code}
            name={departmentName(departments, code)}
            state={checklists[code] ?? { status: 'loading' }}
            chosen={form.items}
            planned={plan?.items ?? []}
            onToggle={(key, on) => setForm((f) => ({ ...f, items: toggle(f.items, key, on) }))}
          />
        ))}
        {gone.length > 0 && (
          <p class="notice warn" data-testid="items-gone">
            以下事项已不在其部门的现行清单上，保存时不会包含：{gone.map((g) => `${g.department} ${g.code}`).join('、')}
            （R3、R5）。
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>检查对象范围</legend>
        {Object.entries(TARGET_KIND).map(([kind, text]) => (
          <label class="inline" key={kind}>
            <input
              type="checkbox"
              data-testid={`kind-${kind}`}
              checked={form.targetKinds.includes(kind as TargetKind)}
              onChange={(e) =>
                set('targetKinds', toggle(form.targetKinds, kind as TargetKind, e.currentTarget.checked))
              }
            />{' '}
            {text}
          </label>
        ))}
        <label for="plan-regions">区域代码或前缀（空格分隔，如 3101 或 310115；不填为全部）</label>
        <input
          id="plan-regions"
          type="text"
          data-testid="plan-regions"
          value={form.regions}
          onInput={(e) => set('regions', e.currentTarget.value)}
        />
        <label for="plan-industries">行业代码或门类（GB/T 4754，如 C 或 C26；不填为全部）</label>
        <input
          id="plan-industries"
          type="text"
          data-testid="plan-industries"
          value={form.industries}
          onInput={(e) => set('industries', e.currentTarget.value)}
        />
      </fieldset>

      <fieldset>
        <legend>检查方式</legend>
        <RuleNote rule="R23">检查方式：现场检查、书面检查、网络监测、委托第三方。</RuleNote>
        {Object.entries(METHOD).map(([method, text]) => (
          <label class="inline" key={method}>
            <input
              type="checkbox"
              data-testid={`method-${method}`}
              checked={form.methods.includes(method as InspectionMethod)}
              onChange={(e) =>
                set('methods', toggle(form.methods, method as InspectionMethod, e.currentTarget.checked))
              }
            />{' '}
            {text}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>实施时间</legend>
        <label for="plan-window-start">开始日期</label>
        <input
          id="plan-window-start"
          type="date"
          data-testid="plan-window-start"
          value={form.windowStart}
          onInput={(e) => set('windowStart', e.currentTarget.value)}
        />
        <label for="plan-window-end">结束日期</label>
        <input
          id="plan-window-end"
          type="date"
          data-testid="plan-window-end"
          value={form.windowEnd}
          onInput={(e) => set('windowEnd', e.currentTarget.value)}
        />
        <p class="meta">实施时间须在计划年度内（R10）。</p>
      </fieldset>

      <fieldset>
        <legend>抽查比例（%）</legend>
        <RuleNote rule="R13">
          按信用和风险分类确定比例：信用越差、风险越高，比例越高（高风险 ≥ 较高风险 ≥ 一般风险 ≥
          低风险）；近三年受过处罚、有核实投诉或列入经营异常名录的对象归入较高等级。
        </RuleNote>
        {lowestCap ? (
          <p class="notice warn" data-testid="ratio-cap">
            所选一般检查事项中比例上限最低的是 {departmentName(departments, lowestCap.department)} {lowestCap.code}：
            {lowestCap.item!.ratioCapPercent}%。各风险等级的比例都不得超过它（R2）。
          </p>
        ) : (
          <p class="meta" data-testid="ratio-cap">
            所选事项均为重点检查事项，不设比例上限（R2）。
          </p>
        )}
        {number('high', STRATUM.HIGH!, '0.01')}
        {number('elevated', STRATUM.ELEVATED!, '0.01')}
        {number('general', STRATUM.GENERAL!, '0.01')}
        {number('low', STRATUM.LOW!, '0.01')}
        <label for="plan-class-combination">风险分类合并</label>
        <select
          id="plan-class-combination"
          data-testid="plan-class-combination"
          value={form.classCombination}
          onChange={(e) => set('classCombination', e.currentTarget.value as ClassCombination)}
        >
          <option value="WORST">取各参与部门中最高的风险等级</option>
          <option value="LEAD">以牵头部门的风险等级为准</option>
        </select>
      </fieldset>

      <fieldset>
        <legend>抽取与检查组</legend>
        {number('excludeInspectedWithinDays', '排除多少天内已被抽中的对象（0 为不排除，1095 为三年）')}
        <RuleNote rule="R14">同一对象原则上一年内最多被抽查两次；超过须在确认名录库时说明理由。</RuleNote>
        {number('batchSize', '每批户数')}
        <RuleNote rule="R15">抽查比例较高时，检查批次的先后顺序同样随机确定。</RuleNote>
        {number('inspectorsPerDepartment', '每部门每户检查人员数')}
        {number('expertsPerVisit', '每户专家人数')}
      </fieldset>

      {plan && (
        <fieldset>
          <legend>修订说明</legend>
          <RuleNote rule="R11">说明改了什么（增加或取消的任务、事项、范围）；修订记录连同说明一并公布。</RuleNote>
          <label for="plan-note">修订说明</label>
          <textarea
            id="plan-note"
            data-testid="plan-note"
            rows={3}
            value={form.note}
            onInput={(e) => set('note', e.currentTarget.value)}
          />
        </fieldset>
      )}

      <div class="actions">
        <button type="submit" data-testid="save-plan" disabled={action.busy}>
          {plan ? '保存修订' : '保存计划'}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            取消
          </button>
        )}
      </div>
      <p class="meta">保存后为草稿，公布后社会公众可见（R11）。</p>
      <ActionOutcome action={action} title="未能保存计划" />
    </form>
  );
}

/** One participating department's checklist in force, items chosen by ticking them (R3, R2). */
function ChecklistPicker({
  department,
  name,
  state,
  chosen,
  planned,
  onToggle,
}: {
  department: string;
  name: string;
  state: ChecklistState;
  chosen: readonly string[];
  planned: Plan['items'];
  onToggle: (key: string, on: boolean) => void;
}) {
  const count = chosen.filter((k) => k.startsWith(`${department}/`)).length;
  return (
    <details open class="checklist-picker" data-testid="checklist" data-department={department}>
      <summary>
        <strong>{name}的抽查事项清单</strong>{' '}
        <span class="meta">
          已选 <span data-testid="chosen-count">{count}</span> 项
        </span>
      </summary>
      {state.status === 'loading' ? (
        <Loading what={`${name}的抽查事项清单`} />
      ) : state.status === 'error' ? (
        <ErrorNotice error={state.error} title={`无法读取${name}的抽查事项清单`} />
      ) : state.items.length === 0 ? (
        <p class="empty">该部门没有现行的抽查事项。</p>
      ) : (
        <div class="table-scroll">
          <FiguresTable
            rows={state.items}
            rowKey={(i) => `${i.code}-${i.version}`}
            testId="checklist-item"
            attributes={(i) => ({
              'data-department': department,
              'data-code': i.code,
              'data-version': String(i.version),
            })}
            columns={[
              {
                label: '选择',
                value: (i) => {
                  const key = `${department}/${i.code}`;
                  return (
                    <input
                      type="checkbox"
                      aria-label={`选择 ${i.code} ${i.title}`}
                      data-testid="pick-item"
                      checked={chosen.includes(key)}
                      onChange={(e) => onToggle(key, e.currentTarget.checked)}
                    />
                  );
                },
              },
              {
                label: '事项',
                field: 'title',
                value: (i) => {
                  const was = planned.find((p) => p.department === department && p.code === i.code);
                  return (
                    <>
                      {i.title}（{i.code} 第 {i.version} 版）
                      {was && was.version !== i.version && (
                        <span class="meta">；计划中为第 {was.version} 版，保存时改用现行版本</span>
                      )}
                    </>
                  );
                },
              },
              {
                label: '类别',
                field: 'category',
                value: (i) =>
                  `${label(ITEM_CATEGORY, i.category)}${i.ratioCapPercent !== null ? `，比例上限 ${i.ratioCapPercent}%` : '，不设上限'}`,
              },
              { label: '方式', field: 'method', value: (i) => label(METHOD, i.method) },
              {
                label: '对象',
                field: 'targetKinds',
                value: (i) => i.targetKinds.map((k) => label(TARGET_KIND, k)).join('、'),
              },
              { label: '频次', field: 'frequency', value: (i) => i.frequency },
            ]}
          />
        </div>
      )}
    </details>
  );
}
