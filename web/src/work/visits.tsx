import { useState } from 'preact/hooks';
import { HubError, required, run, type ResultOf } from '../api/client';
import { followPages } from '../api/pages';
import type { InspectionMethod } from '../api/generated';
import { departmentName, loadDictionaries, type Dictionary } from '../api/departments';
import { Async, useAsync } from '../components/async';
import { useDepartments } from '../components/department-name';
import { TrainingMark } from '../components/training';
import { chinaDateTime } from '../format';
import { DELIVERY_STATUS, ITEM_CATEGORY, label, MEMBER_KIND, METHOD, TARGET_KIND, TASK_STATUS } from '../labels';
import { ActionOutcome, ForRoles, RuleNote, SignedIn, useAction, useHubToday } from './common';
import { problemText } from './teams';

type VisitsAnswer = NonNullable<ResultOf<'InspectorVisits'>['jointTask']>;
type Visit = NonNullable<VisitsAnswer['visitPage']>['nodes'][number];
type ChecklistEntry = Visit['checklist'][number];

/** The visits of one task, as a list: target, place, team, what was submitted. */
function TaskVisits({ taskId }: { taskId: string }) {
  const state = useAsync((signal) => loadVisits(taskId, signal), [taskId]);
  const departments = useDepartments();
  return (
    <Async state={state} what="检查对象">
      {({ visits }) =>
        visits.length === 0 ? (
          <p class="empty">本任务中没有分配给您的检查对象。</p>
        ) : (
          <ul class="visits" data-testid="inspector-visits">
            {visits.map((v) => (
              <li key={v.key} data-testid="inspector-visit" data-key={v.key}>
                <a href={`/work/visits/${taskId}/${encodeURIComponent(v.key)}`} data-testid="visit-open">
                  {v.position}. {v.entity?.name ?? v.key}
                </a>
                <span class="meta">
                  {v.entity?.registeredAddress ?? label(TARGET_KIND, v.kind)} · 检查组：{v.team.filter((m) => m.status === 'ACTIVE').map((m) => `${m.name}（${departmentName(departments, m.department)}）`).join('、')}
                </span>
                <span class="meta" data-testid="visit-state">
                  {v.submission ? `已提交 ${chinaDateTime(v.submission.submittedAt)}` : `待检查 · ${new Set(v.checklist.map((c) => c.department)).size} 个部门的 ${v.checklist.length} 个事项`}
                </span>
              </li>
            ))}
          </ul>
        )
      }
    </Async>
  );
}

/** Every page of a task's visits visible to the caller. */
async function loadVisits(taskId: string, signal: AbortSignal): Promise<{ task: VisitsAnswer; visits: Visit[] }> {
  const visitsOf = async (after?: string) => {
    const answer = await run('InspectorVisits', { taskId, after }, { signal });
    const task = required(answer, answer.data?.jointTask, `任务 ${taskId}`);
    return { task, page: required(answer, task.visitPage, '检查对象') };
  };
  const first = await visitsOf();
  const visits = await followPages(first.page, async (after) => (await visitsOf(after)).page);
  return { task: first.task, visits };
}

/** /work/visits: the inspector's tasks and, under each, their visits. */
function InspectorHome() {
  const state = useAsync(async (signal) => (await run('InspectorTasks', {}, { signal })).data!.jointInspectorTasks, []);
  const departments = useDepartments();
  return (
    <section>
      <p class="crumbs">
        <a href="/work">业务办理</a> › 我的检查
      </p>
      <h1>我的检查</h1>
      <RuleNote rule="R22">同一检查对象由各参与部门的人员组成一个检查组，一次上门完成所有部门的检查事项（“进一次门、查多项事”）。</RuleNote>
      <Async state={state} what="我的任务">
        {(tasks) =>
          tasks.length === 0 ? (
            <p class="empty" data-testid="no-tasks">
              目前没有分配给您的检查任务。检查组在任务锁定并抽取检查人员后形成。
            </p>
          ) : (
            tasks.map((t) => (
              <section class="work-panel" key={t.id} data-testid="inspector-task" data-task={t.id}>
                <h2>
                  {t.name} <TrainingMark training={t.training} />
                </h2>
                <p class="meta">
                  {label(TASK_STATUS, t.status)} · 牵头部门：{departmentName(departments, t.leadDepartment)} · 检查期间：{t.plan?.windowStart} 至 {t.plan?.windowEnd}
                </p>
                <TaskVisits taskId={t.id} />
              </section>
            ))
          )
        }
      </Async>
    </section>
  );
}

interface ItemResult {
  outcome: string;
  method: InspectionMethod;
  notes: string;
  confidentialNotes: string;
  penaltyUnderGeneralProcedure: boolean;
  statutoryCheckFailed: boolean;
  leadFor: string;
  leadNote: string;
}

const itemKey = (c: ChecklistEntry) => `${c.department}:${c.code}`;

/** The submission form of one visit: every department's items at once (R22), sent to each department (R24). */
function VisitForm({ taskId, visit, dictionaries, departments: codes, onSubmitted }: { taskId: string; visit: Visit; dictionaries: Map<string, Dictionary | HubError>; departments: string[]; onSubmitted: () => void }) {
  const today = useHubToday();
  const departments = useDepartments();
  const [inspectedOn, setInspectedOn] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, ItemResult>>(() =>
    Object.fromEntries(visit.checklist.map((c) => [itemKey(c), { outcome: '', method: c.method, notes: '', confidentialNotes: '', penaltyUnderGeneralProcedure: false, statutoryCheckFailed: false, leadFor: '', leadNote: '' }])),
  );
  const action = useAction();
  const set = (key: string, change: Partial<ItemResult>) => setResults((r) => ({ ...r, [key]: { ...r[key]!, ...change } }));
  /**
   * R26: a target unreachable at its registered address, or refusing the check, gets that as the
   * result of every department whose outcomes hold it, in one step (a department without that
   * outcome keeps its items to choose). A serious refusal is a dishonesty record (R27): asked first.
   */
  const everyItem = (outcome: string) => {
    const has = (department: string) => {
      const d = dictionaries.get(department);
      return !!d && !(d instanceof HubError) && d.current.some((o) => o.code === outcome);
    };
    const dishonest = codes.some((d) => {
      const dictionary = dictionaries.get(d);
      return !!dictionary && !(dictionary instanceof HubError) && dictionary.current.some((o) => o.code === outcome && o.dishonesty);
    });
    if (dishonest && !window.confirm('该结果将作为失信记录公示（R27）。确定所有部门的检查事项都以“拒不配合、情节严重”为结果吗？')) return;
    setResults((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, has(k.split(':')[0]!) ? { ...v, outcome } : v])));
  };
  const byDepartment = codes.filter((d) => visit.checklist.some((c) => c.department === d));

  const submit = () =>
    action.run(async () => {
      const answer = await run('SubmitVisitResults', {
        input: {
          taskId,
          targetKey: visit.key,
          inspectedOn: inspectedOn ?? today ?? '',
          results: visit.checklist.map((c) => {
            const r = results[itemKey(c)]!;
            return {
              department: c.department,
              itemCode: c.code,
              outcome: r.outcome,
              method: r.method,
              notes: r.notes || null,
              confidentialNotes: r.confidentialNotes || null,
              evidence: [],
              penaltyUnderGeneralProcedure: r.penaltyUnderGeneralProcedure,
              statutoryCheckFailed: r.statutoryCheckFailed,
              leadFor: r.leadFor || null,
              leadNote: r.leadNote || null,
            };
          }),
        },
      });
      onSubmitted();
      const s = answer.data!.jointSubmitVisitResults;
      return `已提交（${s.id}），正在回传 ${s.deliveries.length} 个部门。`;
    });

  return (
    <form
      class="work"
      data-testid="visit-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label for="inspected-on">检查日期</label>
      <input id="inspected-on" type="date" data-testid="inspected-on" value={inspectedOn ?? today ?? ''} onInput={(e) => setInspectedOn((e.target as HTMLInputElement).value)} />
      <div class="actions">
        <button type="button" class="secondary" data-testid="all-unreachable" onClick={() => everyItem('UNREACHABLE')}>
          无法联系（全部事项）
        </button>
        <button type="button" class="secondary" data-testid="all-refused" onClick={() => everyItem('REFUSED_SERIOUS')}>
          拒不配合（全部事项）
        </button>
      </div>
      <RuleNote rule="R26">通过登记的住所（经营场所）无法联系，或检查对象拒不配合的，以此作为各部门的检查结果；情节严重的不配合依法公示。</RuleNote>
      {byDepartment.map((d) => {
        const dictionary = dictionaries.get(d);
        const outcomes = dictionary instanceof HubError || !dictionary ? [] : dictionary.current;
        return (
          <fieldset key={d} class="work-panel" data-testid="department-items" data-department={d}>
            <legend>{departmentName(departments, d)}</legend>
            {dictionary instanceof HubError ? <p class="notice error">{departmentName(departments, d)}的结果选项未能读取：{dictionary.detail}</p> : null}
            {visit.checklist
              .filter((c) => c.department === d)
              .map((c) => {
                const key = itemKey(c);
                const r = results[key]!;
                return (
                  <div key={key} class="item" data-testid="item" data-item={c.code}>
                    <h3>
                      {c.title} <span class="meta">{c.code} 第{c.version}版 · {label(ITEM_CATEGORY, c.category)}</span>
                    </h3>
                    <p class="meta">依据：{c.basis}</p>
                    <label>
                      检查结果
                      <select data-testid="item-outcome" value={r.outcome} required onChange={(e) => set(key, { outcome: (e.target as HTMLSelectElement).value })}>
                        <option value="">请选择</option>
                        {outcomes.map((o) => (
                          <option key={o.code} value={o.code}>
                            {o.label}
                            {o.dishonesty ? '（列入失信）' : ''}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      检查方式
                      <select data-testid="item-method" value={r.method} onChange={(e) => set(key, { method: (e.target as HTMLSelectElement).value as InspectionMethod })}>
                        {Object.keys(METHOD).map((m) => (
                          <option key={m} value={m}>
                            {label(METHOD, m)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      检查情况（公示）
                      <input type="text" data-testid="item-notes" value={r.notes} onInput={(e) => set(key, { notes: (e.target as HTMLInputElement).value })} />
                    </label>
                    <details>
                      <summary>更多（内部备注、后续处理、移交线索）</summary>
                      <label>
                        内部备注（不公示）
                        <input type="text" value={r.confidentialNotes} onInput={(e) => set(key, { confidentialNotes: (e.target as HTMLInputElement).value })} />
                      </label>
                      <label class="inline">
                        <input type="checkbox" checked={r.penaltyUnderGeneralProcedure} onChange={(e) => set(key, { penaltyUnderGeneralProcedure: (e.target as HTMLInputElement).checked })} />
                        将按一般程序处罚
                      </label>
                      <label class="inline">
                        <input type="checkbox" checked={r.statutoryCheckFailed} onChange={(e) => set(key, { statutoryCheckFailed: (e.target as HTMLInputElement).checked })} />
                        法定检验检测不合格
                      </label>
                      <label>
                        发现其他部门职责范围内的问题：移交线索给
                        <select data-testid="item-lead-for" value={r.leadFor} onChange={(e) => set(key, { leadFor: (e.target as HTMLSelectElement).value })}>
                          <option value="">不移交</option>
                          {departments
                            .filter((x) => x.code !== d)
                            .map((x) => (
                              <option key={x.code} value={x.code}>
                                {x.name}
                              </option>
                            ))}
                        </select>
                      </label>
                      {r.leadFor ? (
                        <label>
                          线索说明
                          <input type="text" data-testid="item-lead-note" value={r.leadNote} onInput={(e) => set(key, { leadNote: (e.target as HTMLInputElement).value })} />
                        </label>
                      ) : null}
                      <RuleNote rule="R27">发现属于其他部门职责的问题，作为线索移交该部门处理；按一般程序处罚或法定检验不合格的，结果中注明。</RuleNote>
                    </details>
                  </div>
                );
              })}
          </fieldset>
        );
      })}
      <RuleNote rule="R24">结果提交一次，由平台分别回传给各部门自己的系统；各部门审核后公示（R25）。</RuleNote>
      <div class="actions">
        <button type="submit" data-testid="visit-submit" disabled={action.busy}>
          {action.busy ? '正在提交…' : '提交检查结果'}
        </button>
      </div>
      <ActionOutcome action={action} title="提交未成功" />
    </form>
  );
}

/** One visit: the target, the team, the combined checklist and (not yet submitted) the form; after, what each department received. */
function VisitPage({ taskId, targetKey }: { taskId: string; targetKey: string }) {
  const [reload, setReload] = useState(0);
  const departments = useDepartments();
  const state = useAsync(
    async (signal) => {
      const { task, visits } = await loadVisits(taskId, signal);
      const visit = visits.find((v) => v.key === targetKey);
      if (!visit) throw new HubError('NOT_FOUND', `您在任务“${task.name}”中没有检查对象 ${targetKey}：只能填报您所在检查组的检查（R30）。`);
      // The lead department's items first, then the others' in the plan's order.
      const all = task.plan?.departments ?? [...new Set(visit.checklist.map((c) => c.department))];
      const codes = [task.leadDepartment, ...all.filter((d) => d !== task.leadDepartment)];
      return { task, visit, codes, dictionaries: await loadDictionaries(codes) };
    },
    [taskId, targetKey, reload],
  );
  return (
    <section>
      <p class="crumbs">
        <a href="/work">业务办理</a> › <a href="/work/visits">我的检查</a> › 检查
      </p>
      <Async state={state} what="检查对象">
        {({ task, visit, codes, dictionaries }) => (
          <>
            <h1 data-testid="visit-target">
              {visit.entity?.name ?? visit.key} <TrainingMark training={task.training} />
            </h1>
            <p class="meta">
              {task.name} · 第 {visit.batch} 批第 {visit.position} 户 · {visit.uscc ?? visit.key} · {visit.entity?.registeredAddress ?? label(TARGET_KIND, visit.kind)}
              {visit.entity ? ` · 法定代表人：${visit.entity.legalRepresentative}` : ''}
            </p>
            <h2>检查组</h2>
            <div class="table-scroll">
              <table data-testid="visit-team">
                <thead>
                  <tr>
                    <th>部门</th>
                    <th>姓名</th>
                    <th>执法证号</th>
                    <th>类别</th>
                  </tr>
                </thead>
                <tbody>
                  {visit.team
                    .filter((m) => m.status === 'ACTIVE')
                    .map((m) => (
                      <tr key={`${m.department}:${m.personId}`} data-testid="team-member" data-person={m.personId}>
                        <td>{departmentName(departments, m.department)}</td>
                        <td>
                          {m.name}
                          {m.leader ? '（组长）' : ''}
                        </td>
                        <td>{m.certificateNo ?? '—'}</td>
                        <td>{label(MEMBER_KIND, m.kind)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
            {visit.teamProblems.length ? (
              <p class="notice warn" data-testid="team-problems">
                检查组尚不完整：{visit.teamProblems.map((p) => problemText(p, (code) => departmentName(departments, code))).join('；')}
              </p>
            ) : null}
            <h2>合并检查清单（{visit.checklist.length} 项）</h2>
            {visit.submission ? (
              <section class="work-panel" data-testid="visit-submission">
                <p>
                  已于 {chinaDateTime(visit.submission.submittedAt)} 提交（检查日期 {visit.submission.inspectedOn}，提交人 {visit.submission.submittedBy}）。
                </p>
                <ul>
                  {visit.submission.deliveries.map((d) => (
                    <li key={d.department} data-testid="delivery" data-department={d.department} data-status={d.status}>
                      {departmentName(departments, d.department)}：{label(DELIVERY_STATUS, d.status)}
                      {d.lastError ? `（${d.lastError}）` : ''}
                    </li>
                  ))}
                </ul>
                <RuleNote rule="R24">回传由平台自动重试，直到各部门系统确认收到；同一结果不会重复保存。</RuleNote>
              </section>
            ) : (
              <VisitForm taskId={taskId} visit={visit} dictionaries={dictionaries} departments={codes} onSubmitted={() => setReload((n) => n + 1)} />
            )}
          </>
        )}
      </Async>
    </section>
  );
}

/** /work/visits and /work/visits/:taskId/:key: an inspector's visits and the submission of a visit's results (a desktop form; the phone's on-site screen is issue J's). */
export function VisitsWorkPage({ taskId, target: targetKey }: { taskId?: string; target?: string }) {
  return (
    <SignedIn>
      {(session) => (
        <ForRoles session={session} roles={['INSPECTOR']}>
          {taskId && targetKey ? <VisitPage taskId={taskId} targetKey={decodeURIComponent(targetKey)} /> : <InspectorHome />}
        </ForRoles>
      )}
    </SignedIn>
  );
}
