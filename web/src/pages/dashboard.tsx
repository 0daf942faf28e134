import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { run } from '../api/client';
import { departmentName } from '../api/departments';
import { everyPage, pageOf } from '../api/pages';
import type { DepartmentStatistics, YearStatistics } from '../api/types';
import { useSession } from '../app';
import { Async, useAsync } from '../components/async';
import { BarChart } from '../components/bar-chart';
import { DepartmentTable, FiguresTable } from '../components/figures-table';
import { useDepartments } from '../components/department-name';
import { YearSelect } from '../components/year-select';
import { chinaDate, chinaDateTime, chinaYear, percent } from '../format';
import { label, PLAN_STATUS, RESULT_STATUS } from '../labels';

const COLORS = {
  covered: '#2e7d32',
  uncovered: '#c62828',
  onTime: '#2e7d32',
  late: '#f9a825',
  overdue: '#c62828',
  pending: '#90a4ae',
  delivered: '#2e7d32',
  refused: '#c62828',
};

/** 至少 ("at least") before a count when the list was cut at DEADLINES_ASKED rows. */
const atLeast = (rows: number) => (rows >= DEADLINES_ASKED ? '至少' : '');

/** Rows of the deadline list shown before "show all". */
const DEADLINES_SHOWN = 20;
/** How many unpublished results the dashboard asks for (PublicationDeadlines' `first`). */
const DEADLINES_ASKED = 200;

/** Results recorded and not yet published whose deadline has not passed. */
const withinDeadline = (d: DepartmentStatistics) => d.results - d.published - d.overdue;

function Figure({
  label: name,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string | number;
  testId: string;
  hint?: string;
}) {
  return (
    <div class="figure" data-testid={testId} title={hint}>
      <span class="value">{value}</span>
      <span class="name">{name}</span>
    </div>
  );
}

function Summary({ stats }: { stats: YearStatistics }) {
  const results = stats.departments.reduce((n, d) => n + d.results, 0);
  const published = stats.departments.reduce((n, d) => n + d.published, 0);
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading">全平台年度概况（全部部门）</h2>
      <div class="figures">
        <Figure label="已公布计划" value={stats.publishedPlans} testId="fig-published-plans" />
        <Figure label="联合抽查计划" value={stats.jointPlans} testId="fig-joint-plans" />
        <Figure label="已锁定任务" value={stats.lockedTasks} testId="fig-locked-tasks" />
        <Figure
          label="抽中户次（应检查）"
          value={stats.visits}
          testId="fig-visits"
          hint="锁定任务抽中的检查对象数：每户一次联合检查"
        />
        <Figure label="已提交结果的户次" value={stats.visitsSubmitted} testId="fig-visits-submitted" />
        <Figure
          label="减少入户次数"
          value={stats.visitsSaved}
          testId="fig-visits-saved"
          hint="一次联合检查有 k 个部门检查事项，即少进门 k-1 次（R22）"
        />
        <Figure
          label="结果公示率"
          value={percent(results ? published / results : 1)}
          testId="fig-publication-rate"
          hint="已公示结果 ÷ 已录入结果（R31）"
        />
      </div>
    </section>
  );
}

/** The mark of a date counted through a year whose holiday notice is not loaded (R11, R25). */
function Provisional() {
  return (
    <span
      class="provisional"
      data-testid="provisional"
      title="该年度国务院节假日安排通知尚未载入平台：按周末和法定节假日暂算，不含调休和补假；载入后自动确定"
    >
      （暂定）
    </span>
  );
}

/** Says which years' holiday notices are missing, so that provisional deadlines are read as such. */
function CalendarNotice({ stats }: { stats: YearStatistics }) {
  if (stats.provisionalCalendarYears.length === 0) return null;
  const count = stats.departments.reduce((n, d) => n + d.provisionalDeadlines, 0);
  return (
    <p class="notice warn" data-testid="calendar-notice" data-years={stats.provisionalCalendarYears.join(',')}>
      {stats.provisionalCalendarYears.join('、')} 年的国务院节假日安排通知尚未载入平台：{count}{' '}
      条结果的公示期限要按该年的工作日计算，现按周末和法定节假日暂算（不含调休、补假），标为“暂定”；运维人员载入通知后即为正式期限。
    </p>
  );
}

/** A department's name by its code (the hub's registered names). */
type Namer = (code: string) => string;

function Coverage({ rows, year, name }: { rows: DepartmentStatistics[]; year: number; name: Namer }) {
  const uncovered = useAsync(
    async (signal) =>
      Promise.all(
        rows.map(async (d) => ({
          department: d.department,
          items: (await run('UncoveredItems', { year, department: d.department }, { signal })).data!
            .jointUncoveredItems,
        })),
      ),
    [year, rows.map((r) => r.department).join(',')],
  );
  return (
    <section class="panel" data-testid="coverage">
      <h2>抽查事项覆盖（R4）</h2>
      <p class="meta">每个抽查事项每年至少被一项已公布的计划覆盖。</p>
      <BarChart
        title="已覆盖 / 未覆盖的抽查事项"
        testId="coverage-chart"
        horizontal
        stacked
        labels={rows.map((r) => name(r.department))}
        series={[
          { label: '已覆盖', values: rows.map((r) => r.itemsCovered), color: COLORS.covered },
          { label: '未覆盖', values: rows.map((r) => r.itemsInForce - r.itemsCovered), color: COLORS.uncovered },
        ]}
      />
      <DepartmentTable
        rows={rows}
        department={(r) => r.department}
        name={name}
        testId="coverage-row"
        columns={[
          { label: '现行事项', field: 'itemsInForce', value: (r) => r.itemsInForce },
          { label: '已覆盖', field: 'itemsCovered', value: (r) => r.itemsCovered },
          { label: '覆盖率', value: (r) => percent(r.itemsInForce ? r.itemsCovered / r.itemsInForce : 1) },
        ]}
      />
      <Async state={uncovered} what="未覆盖事项">
        {(lists) =>
          lists.some((l) => l.items.length > 0) ? (
            <details>
              <summary>未覆盖的事项（{lists.reduce((n, l) => n + l.items.length, 0)} 项）</summary>
              <ul class="uncovered">
                {lists.flatMap((l) =>
                  l.items.map((i) => (
                    <li key={`${l.department}-${i.code}`} data-testid="uncovered-item">
                      {name(l.department)}：{i.title}（{i.code}，第 {i.version} 版）
                    </li>
                  )),
                )}
              </ul>
            </details>
          ) : (
            <p class="ok-text">所有现行事项均已被计划覆盖。</p>
          )
        }
      </Async>
    </section>
  );
}

function Participation({ year, shown, name }: { year: number; shown: string[]; name: Namer }) {
  const state = useAsync(
    async (signal) => {
      const { nodes, data } = await everyPage('DashboardPlans', 'jointPlanPage', { year }, signal);
      return { jointPlans: nodes, jointDepartmentsWithoutJointPlan: data.jointDepartmentsWithoutJointPlan };
    },
    [year],
  );
  return (
    <section class="panel" data-testid="participation">
      <h2>部门参与联合抽查（R12）</h2>
      <p class="meta">每个部门每年至少牵头或参与一次已公布的联合抽查。</p>
      <Async state={state} what="计划">
        {({ jointPlans, jointDepartmentsWithoutJointPlan: missing }) => {
          const published = jointPlans.filter((p) => p.publishedRevision !== null);
          const count = (code: string, lead: boolean) =>
            published.filter(
              (p) =>
                p.kind === 'JOINT' &&
                (lead ? p.leadDepartment === code : p.departments.includes(code) && p.leadDepartment !== code),
            ).length;
          const drafts = jointPlans.filter((p) => p.publishedRevision === null);
          return (
            <>
              <DepartmentTable
                rows={shown}
                department={(code) => code}
                name={name}
                testId="participation-row"
                alert={(code) => missing.includes(code)}
                columns={[
                  { label: '牵头联合计划', field: 'leads', value: (code) => count(code, true) },
                  { label: '参与联合计划', field: 'joins', value: (code) => count(code, false) },
                  {
                    label: '内部计划',
                    value: (code) => published.filter((p) => p.kind !== 'JOINT' && p.leadDepartment === code).length,
                  },
                  {
                    label: '达标',
                    field: 'meets',
                    value: (code) => (missing.includes(code) ? '✗ 未参与联合抽查' : '✓'),
                  },
                ]}
              />
              {drafts.length > 0 && (
                <p class="meta">
                  另有 {drafts.length} 项计划尚未公布（
                  {drafts.map((p) => `${p.name}，${label(PLAN_STATUS, p.status)}`).join('；')}），不计入。
                </p>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

function Publication({
  rows,
  year,
  department,
  name,
}: {
  rows: DepartmentStatistics[];
  year: number;
  department: string | null;
  name: Namer;
}) {
  const deadlines = useAsync(
    async (signal) =>
      pageOf(
        await run('PublicationDeadlines', { year, department, overdueOnly: false, first: DEADLINES_ASKED }, { signal }),
        'jointPublicationDeadlinePage',
      ).nodes,
    [year, department],
  );
  const [showAll, setShowAll] = useState(false);
  return (
    <section class="panel" data-testid="publication">
      <h2>结果公示（R25、R31）</h2>
      <p class="meta">检查结束之日起 20 个工作日内公示，目标公示率 100%。</p>
      <BarChart
        title="各部门检查结果的公示情况"
        testId="publication-chart"
        stacked
        labels={rows.map((r) => name(r.department))}
        series={[
          { label: '按时公示', values: rows.map((r) => r.publishedOnTime), color: COLORS.onTime },
          { label: '逾期后公示', values: rows.map((r) => r.publishedLate), color: COLORS.late },
          { label: '逾期未公示', values: rows.map((r) => r.overdue), color: COLORS.overdue },
          { label: '期限内待公示', values: rows.map(withinDeadline), color: COLORS.pending },
        ]}
      />
      <DepartmentTable
        rows={rows}
        department={(r) => r.department}
        name={name}
        testId="publication-row"
        alert={(r) => r.overdue > 0}
        columns={[
          { label: '结果数', field: 'results', value: (r) => r.results },
          { label: '已公示', field: 'published', value: (r) => r.published },
          { label: '按时', field: 'publishedOnTime', value: (r) => r.publishedOnTime },
          { label: '逾期后公示', field: 'publishedLate', value: (r) => r.publishedLate },
          { label: '逾期未公示', field: 'overdue', value: (r) => r.overdue },
          { label: '公示率', field: 'publicationRate', value: (r) => percent(r.publicationRate) },
        ]}
      />
      <h3>待公示结果及期限</h3>
      <Async
        state={deadlines}
        what="公示期限"
        refused={
          <p class="meta" data-testid="deadlines-not-visible">
            其他部门尚未公示的结果只对该部门工作人员、牵头部门的协调员和平台管理、审计人员可见（R30）。
          </p>
        }
      >
        {(list) =>
          list.length === 0 ? (
            <p class="ok-text">没有待公示的结果。</p>
          ) : (
            <>
              <p data-testid="deadline-summary">
                您有权查看的待公示结果
                {list.length >= DEADLINES_ASKED ? `（期限最早的 ${DEADLINES_ASKED} 条，实际更多）` : ''}中：逾期未公示
                {atLeast(list.length)} <strong>{list.filter((d) => d.overdue).length}</strong> 条，期限内待公示{' '}
                {list.filter((d) => !d.overdue).length} 条。按公示期限排列：
              </p>
              <FiguresTable
                className="deadlines"
                rows={showAll ? list : list.slice(0, DEADLINES_SHOWN)}
                rowKey={(d) => `${d.department}-${d.resultId}`}
                testId="deadline-row"
                attributes={(d) => ({
                  'data-department': d.department,
                  'data-result-id': d.resultId,
                  'data-overdue': String(d.overdue),
                  'data-provisional': String(d.provisional),
                })}
                alert={(d) => d.overdue}
                columns={[
                  { label: '部门', value: (d) => name(d.department) },
                  { label: '任务', value: (d) => d.taskName },
                  { label: '检查对象', value: (d) => <span class="uscc">{d.uscc ?? d.targetKey}</span> },
                  { label: '事项', value: (d) => d.itemCode },
                  { label: '检查完成', value: (d) => d.inspectedOn },
                  { label: '公示期限', field: 'deadline', value: (d) => d.deadline },
                  {
                    label: '状态',
                    value: (d) => (
                      <>
                        {label(RESULT_STATUS, d.status)}，
                        {d.overdue ? (
                          <strong>逾期 {-d.workingDaysLeft} 个工作日</strong>
                        ) : (
                          `剩余 ${d.workingDaysLeft} 个工作日`
                        )}
                        {d.provisional && <Provisional />}
                      </>
                    ),
                  },
                ]}
              />
              {list.length > DEADLINES_SHOWN && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setShowAll(!showAll)}
                  data-testid="deadlines-toggle"
                >
                  {showAll ? `只看前 ${DEADLINES_SHOWN} 条` : `显示全部 ${list.length} 条`}
                </button>
              )}
            </>
          )
        }
      </Async>
    </section>
  );
}

function Deliveries({ rows, name }: { rows: DepartmentStatistics[]; name: Namer }) {
  return (
    <section class="panel" data-testid="deliveries">
      <h2>检查结果回传各部门（R24）</h2>
      <p class="meta">联合检查结果一次提交，由平台分别回传至各部门系统；部门系统暂不可用时自动重试，不会重复或丢失。</p>
      <BarChart
        title="回传状态"
        testId="deliveries-chart"
        stacked
        horizontal
        labels={rows.map((r) => name(r.department))}
        series={[
          { label: '已回传', values: rows.map((r) => r.deliveries.delivered), color: COLORS.delivered },
          { label: '待回传', values: rows.map((r) => r.deliveries.pending), color: COLORS.pending },
          { label: '被拒收', values: rows.map((r) => r.deliveries.refused), color: COLORS.refused },
        ]}
      />
      <DepartmentTable
        rows={rows}
        department={(r) => r.department}
        name={name}
        testId="delivery-row"
        alert={(r) => r.deliveries.refused > 0 || r.deliveries.pending > 0}
        columns={[
          { label: '已回传', field: 'delivered', value: (r) => r.deliveries.delivered },
          { label: '待回传', field: 'pending', value: (r) => r.deliveries.pending },
          { label: '被拒收', field: 'refused', value: (r) => r.deliveries.refused },
          { label: '最早待回传', value: (r) => chinaDateTime(r.deliveries.oldestPendingSince) },
          { label: '最近回传', value: (r) => chinaDateTime(r.deliveries.lastDeliveredAt) },
        ]}
      />
    </section>
  );
}

function Visits({ rows, stats, name }: { rows: DepartmentStatistics[]; stats: YearStatistics; name: Namer }) {
  return (
    <section class="panel" data-testid="visits">
      <h2>检查任务与入户（R22）</h2>
      <DepartmentTable
        rows={rows}
        department={(r) => r.department}
        name={name}
        testId="visits-row"
        columns={[
          { label: '参与任务', field: 'tasks', value: (r) => r.tasks },
          { label: '已完成任务', field: 'tasksDone', value: (r) => r.tasksDone },
          { label: '抽中户次（有本部门事项）', field: 'visits', value: (r) => r.visits },
        ]}
      />
      {(stats.overInspectedPage.totalCount > 0 || stats.separateVisitPage.totalCount > 0) && (
        <ul class="alerts">
          {stats.overInspectedPage.totalCount > 0 && (
            <li>本年度被抽查超过两次的对象 {stats.overInspectedPage.totalCount} 户（R14，需记录理由）。</li>
          )}
          {stats.separateVisitPage.totalCount > 0 && (
            <li>被多个部门分别单独检查、本可联合检查的对象 {stats.separateVisitPage.totalCount} 户（R22）。</li>
          )}
        </ul>
      )}
    </section>
  );
}

function OverdueRevisions({ name }: { name: Namer }) {
  const state = useAsync(
    async (signal) => (await everyPage('OverduePlanRevisions', 'jointOverduePlanRevisionPage', {}, signal)).nodes,
    [],
  );
  return (
    <section class="panel" data-testid="overdue-revisions">
      <h2>逾期未公布的计划修订（R11）</h2>
      <Async
        state={state}
        what="计划修订"
        refused={<p class="meta">逾期未公布的计划修订由牵头部门的协调员和平台管理、审计人员查看（R11、R30）。</p>}
      >
        {(list) =>
          list.length === 0 ? (
            <p class="ok-text">所有计划修订均在 5 个工作日内公布。</p>
          ) : (
            <ul class="alerts">
              {list.map((r) => (
                <li key={`${r.planId}-${r.revision}`}>
                  {r.planName}（{name(r.leadDepartment)}）第 {r.revision} 版：{chinaDate(r.changedAt)} 制定，应于{' '}
                  {r.publishBy} 前公布{r.publishByProvisional && <Provisional />}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

/** The coordinators' and department admins' dashboard, per year and department (R4, R11, R12, R22, R24, R25, R31). */
export function Dashboard() {
  const session = useSession();
  const departments = useDepartments();
  const name: Namer = (code) => departmentName(departments, code);
  const { query, route } = useLocation();
  const year = Number(query.year) || chinaYear();
  // A department's own staff start with their department; coordinators and hub roles with every department.
  const chosen =
    query.department !== undefined
      ? query.department || null
      : session?.role === 'COORDINATOR'
        ? null
        : (session?.department ?? null);
  const show = (next: { year?: number; department?: string | null }) => {
    const department = next.department !== undefined ? next.department : chosen;
    route(`/dashboard?year=${next.year ?? year}&department=${department ?? ''}`);
  };
  const stats = useAsync(
    async (signal) => (session ? (await run('DashboardStatistics', { year }, { signal })).data!.jointStatistics : null),
    [year, session?.token],
  );
  if (!session) {
    return (
      <>
        <h1>工作台</h1>
        <p>
          工作台供协调员和部门管理员查看本年度抽查工作情况。请先<a href="/signin?next=/dashboard">登录</a>。
        </p>
      </>
    );
  }
  return (
    <>
      <h1>工作台</h1>
      <div class="toolbar">
        <YearSelect year={year} onChange={(y) => show({ year: y })} />
        <label class="inline" for="department">
          部门
          <select
            id="department"
            value={chosen ?? ''}
            onChange={(e) => show({ department: e.currentTarget.value || null })}
          >
            <option value="">全部部门</option>
            {departments.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name ?? d.code}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Async state={stats} what="统计数据">
        {(value) => {
          if (!value) return null;
          const rows = value.departments.filter((d) => chosen === null || d.department === chosen);
          return (
            <>
              <CalendarNotice stats={value} />
              <Summary stats={value} />
              <Coverage rows={rows} year={year} name={name} />
              <Participation year={year} shown={rows.map((r) => r.department)} name={name} />
              <Visits rows={rows} stats={value} name={name} />
              <Publication rows={rows} year={year} department={chosen} name={name} />
              <Deliveries rows={rows} name={name} />
              <OverdueRevisions name={name} />
            </>
          );
        }}
      </Async>
    </>
  );
}
