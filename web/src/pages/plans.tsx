import { useLocation } from 'preact-iso';
import { departmentName } from '../api/departments';
import { everyPage } from '../api/pages';
import { Async, useAsync } from '../components/async';
import { names, useDepartments } from '../components/department-name';
import { YearSelect } from '../components/year-select';
import { chinaYear } from '../format';
import { label, PLAN_KIND } from '../labels';
import { TrainingMark } from '../components/training';

/** The year's published annual plans (R10, R11). */
export function PlansPage() {
  const { query, route } = useLocation();
  const year = Number(query.year) || chinaYear();
  const departments = useDepartments();
  const state = useAsync(
    async (signal) => (await everyPage('PublicPlans', 'jointPlanPage', { year }, signal)).nodes,
    [year],
  );
  return (
    <>
      <h1>年度抽查工作计划</h1>
      <p>
        各部门应在年初制定年度抽查工作计划，并在制定或调整后 5
        个工作日内向社会公布（R11）。联合抽查计划由牵头部门发起，配合部门共同实施。
      </p>
      <YearSelect year={year} onChange={(y) => route(`/plans?year=${y}`)} />
      <Async state={state} what="抽查计划">
        {(plans) => {
          const published = plans.filter((p) => p.publishedRevision !== null);
          return published.length === 0 ? (
            <p class="empty">{year} 年暂无已公布的抽查计划。</p>
          ) : (
            <ul class="plan-list">
              {published.map((p) => (
                <li key={p.id} data-testid="plan" data-plan-id={p.id}>
                  <a href={`/plans/${p.id}`}>
                    <strong>{p.name}</strong>
                  </a>{' '}
                  <TrainingMark training={p.training} />
                  <span class="meta">
                    {label(PLAN_KIND, p.kind)} · 牵头：{departmentName(departments, p.leadDepartment)}
                    {p.departments.length > 1 &&
                      ` · 参与：${names(
                        departments,
                        p.departments.filter((d) => d !== p.leadDepartment),
                      )}`}
                  </span>
                  <span class="meta">
                    实施时间：{p.windowStart} 至 {p.windowEnd} · 第 {p.publishedRevision} 版
                  </span>
                </li>
              ))}
            </ul>
          );
        }}
      </Async>
    </>
  );
}
