import { run } from '../api/client';
import { departmentName } from '../api/departments';
import { Async, useAsync } from '../components/async';
import { useDepartments } from '../components/department-name';
import { FiguresTable } from '../components/figures-table';
import { chinaDate } from '../format';
import { ITEM_CATEGORY, label, METHOD, PLAN_KIND, regionName, STRATUM, TARGET_KIND, TASK_STATUS } from '../labels';
import { TrainingMark } from '../components/training';

/** One plan as published: items with their legal basis (R3), scope, ratios (R13), revisions (R11), tasks. */
export function PlanPage({ id }: { id: string }) {
  const departments = useDepartments();
  const state = useAsync(async (signal) => (await run('PlanDetail', { id }, { signal })).data!, [id]);
  return (
    <Async state={state} what="抽查计划">
      {({ jointPlan: plan, jointTasks: tasks }) =>
        !plan ? (
          <p class="empty">未找到这项抽查计划，或它尚未公布。</p>
        ) : (
          <article data-testid="plan-detail">
            <p class="crumbs">
              <a href={`/plans?year=${plan.year}`}>← {plan.year} 年抽查计划</a>
            </p>
            <h1>
              {plan.name} <TrainingMark training={plan.training} />
            </h1>
            <dl class="facts">
              <dt>类型</dt>
              <dd>{label(PLAN_KIND, plan.kind)}</dd>
              <dt>牵头部门</dt>
              <dd>{departmentName(departments, plan.leadDepartment)}</dd>
              <dt>参与部门</dt>
              <dd>{plan.departments.map((d) => departmentName(departments, d)).join('、')}</dd>
              <dt>实施时间</dt>
              <dd>
                {plan.windowStart} 至 {plan.windowEnd}
              </dd>
              <dt>检查对象</dt>
              <dd>
                {plan.scope.targetKinds.map((k) => label(TARGET_KIND, k)).join('、')}
                {plan.scope.regions.length > 0 && `；区域：${plan.scope.regions.map(regionName).join('、')}`}
                {plan.scope.industries.length > 0 && `；行业：${plan.scope.industries.join('、')}`}
              </dd>
              <dt>检查方式</dt>
              <dd>{plan.methods.map((m) => label(METHOD, m)).join('、')}</dd>
              <dt>抽查比例</dt>
              <dd>
                {STRATUM.HIGH} {plan.ratios.high}%，{STRATUM.ELEVATED} {plan.ratios.elevated}%，{STRATUM.GENERAL}{' '}
                {plan.ratios.general}%，{STRATUM.LOW} {plan.ratios.low}%（信用风险越高，抽查比例越高，R13）
              </dd>
            </dl>
            <h2>抽查事项</h2>
            <FiguresTable
              className="items"
              rows={plan.items}
              rowKey={(i) => `${i.department}-${i.code}`}
              testId="plan-item"
              columns={[
                { label: '部门', value: (i) => departmentName(departments, i.department) },
                { label: '事项', value: (i) => `${i.title}（${i.code}）` },
                {
                  label: '类别',
                  value: (i) =>
                    `${label(ITEM_CATEGORY, i.category)}${i.ratioCapPercent !== null ? `，比例上限 ${i.ratioCapPercent}%` : ''}`,
                },
                { label: '抽查依据', value: (i) => i.basis },
              ]}
            />
            <h2>修订与公布</h2>
            <ol class="revisions">
              {plan.revisions.map((r) => (
                <li key={r.revision}>
                  第 {r.revision} 版：制定于 {chinaDate(r.changedAt)}，
                  {r.publishedAt ? `公布于 ${chinaDate(r.publishedAt)}` : '尚未公布'}（应于 {r.publishBy} 前公布
                  {r.publishByProvisional ? '，暂定' : ''}）{r.note && <span class="meta">：{r.note}</span>}
                </li>
              ))}
            </ol>
            <h2>抽查任务与摇号记录</h2>
            {tasks.length === 0 ? (
              <p class="empty">尚无抽查任务。</p>
            ) : (
              <ul class="task-list">
                {tasks.map((t) => (
                  <li key={t.id} data-testid="task" data-task-id={t.id}>
                    <a href={`/tasks/${t.id}`}>{t.name}</a>
                    <span class="meta">
                      {label(TASK_STATUS, t.status)}
                      {t.lockedAt && ` · 锁定于 ${chinaDate(t.lockedAt)}`}
                      {t.snapshotSize !== null && ` · 名录 ${t.snapshotSize} 户`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </article>
        )
      }
    </Async>
  );
}
