import { useEffect, useState } from 'preact/hooks';
import { HubError, required, run, type Answer } from '../api/client';
import { departmentName, loadDictionaries, type Dictionary } from '../api/departments';
import type {
  WorkDefineOutcomeMutation,
  WorkOutcomesQuery,
  WorkResultFragment,
  WorkResultPageQuery,
} from '../api/generated';
import { everyPage, followPages } from '../api/pages';
import type { SessionIdentity } from '../api/session';
import type { ResultDeadline } from '../api/types';
import { Async, ErrorNotice, Loading, useAsync, type AsyncState } from '../components/async';
import { useDepartments } from '../components/department-name';
import { FiguresTable } from '../components/figures-table';
import { YearSelect } from '../components/year-select';
import { chinaDateTime } from '../format';
import { label, OUTCOME_STATUS, RESULT_STATUS, ROLE } from '../labels';
import { ActionOutcome, ForRoles, RuleNote, SignedIn, useAction, useCursors, useHubYear } from './common';
import { EvidenceLinks } from './onsite/evidence-links';

/**
 * /work/results (issue I): the signed-in official's own department's results. Its admin approves
 * recorded results and publishes approved ones, each shown with the publication deadline the joint
 * service computes (R25, R31), and keeps the outcome dictionary (R26, R27); its principal head
 * corrects a published result by a new record with its reason, the original kept (R28). The page
 * asks, the servers decide (R30): each step is a stored operation, a refusal is shown in the
 * hub's own words.
 */

type Result = WorkResultFragment;
type Outcome = NonNullable<WorkOutcomesQuery['example']>['outcomes'][number];
type ResultPage = NonNullable<NonNullable<WorkResultPageQuery['example']>['resultPage']>;
type DefinedOutcome = WorkDefineOutcomeMutation['exampleDefineOutcome'];

/** Results a page of a list holds. */
const PAGE = 50;

const ROLES = ['DEPT_ADMIN', 'PRINCIPAL_HEAD'] as const;

/** A template's answer under its key (`market`, `marketApproveResults`): the part, or the hub's error. */
function partOf<T>(answer: Answer<Record<string, T | null | undefined>>, key: string): T {
  return required(answer, answer.data?.[key], key);
}

/** The department's page of results in a WorkResultPage answer (null, with an error, for a caller refused: R30). */
function resultPageOf(
  answer: Answer<Record<string, { resultPage: ResultPage | null } | null | undefined>>,
  department: string,
): ResultPage {
  return required(answer, partOf(answer, department).resultPage, '结果');
}

/** A template mutation's field as the department answers it (`ApproveResults` for market → `marketApproveResults`). */
const mutationField = (department: string, name: string) => `${department}${name}`;

/** A result's id, short enough for a table (the full one is in its title). */
function ShortId({ id }: { id: string }) {
  return (
    <code title={id} data-testid="result-id">
      {id.slice(0, 8)}
    </code>
  );
}

/** The outcome in the department's words (the newest version's label), and whether it is a dishonesty record (R27). */
function OutcomeText({ result, outcomes }: { result: Result; outcomes: readonly Outcome[] }) {
  const newest = outcomes.filter((o) => o.code === result.outcome).sort((a, b) => b.version - a.version)[0];
  return (
    <>
      <span data-testid="outcome" data-outcome={result.outcome}>
        {newest?.label ?? result.outcome}
      </span>
      {result.dishonesty && (
        <span class="badge danger" title="公示后列入失信记录（R27）">
          失信
        </span>
      )}
    </>
  );
}

/** The target: its USCC with a link to its public page, or the key of a target without one. */
function Target({ result, names }: { result: Pick<Result, 'uscc' | 'targetKey'>; names: ReadonlyMap<string, string> }) {
  if (!result.uscc) return <span class="uscc">{result.targetKey}</span>;
  return (
    <span class="stack">
      {names.get(result.uscc) && <span class="target-name">{names.get(result.uscc)}</span>}
      <a class="uscc" href={`/entity/${result.uscc}`}>
        {result.uscc}
      </a>
    </span>
  );
}

/** Names of market entities by USCC (the public registration data), for the rows shown. */
function useEntityNames(usccs: readonly string[]): ReadonlyMap<string, string> {
  const key = [...new Set(usccs)].sort().join(',');
  const state = useAsync(
    async (signal) => {
      if (!key) return new Map<string, string>();
      const answer = await run('EntitiesByUscc', { usccs: key.split(',') }, { signal });
      return new Map((answer.data?.marketEntities ?? []).flatMap((e) => (e ? [[e.uscc, e.name] as const] : [])));
    },
    [key],
  );
  return state.status === 'done' ? state.value : new Map();
}

/** The checklist item in words (its title at the version checked), from the department's published checklist. */
function useChecklist(department: string): Dictionary | null {
  const state = useAsync(async () => {
    const found = (await loadDictionaries([department])).get(department);
    return found instanceof HubError || !found ? null : found;
  }, [department]);
  return state.status === 'done' ? state.value : null;
}

function ItemText({
  result,
  checklist,
}: {
  result: Pick<Result, 'itemCode' | 'itemVersion'>;
  checklist: Dictionary | null;
}) {
  const item = checklist?.item(result.itemCode, result.itemVersion);
  return (
    <span class="stack">
      {item?.title ?? result.itemCode}
      <span class="meta">
        {result.itemCode} 第 {result.itemVersion} 版
      </span>
    </span>
  );
}

/** The mark of a deadline counted through a year whose holiday notice is not loaded (R25). */
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

/** A result's publication deadline as the joint service computed it (R25), overdue highlighted (R31). */
function DeadlineCell({ deadline }: { deadline: ResultDeadline | undefined }) {
  if (!deadline)
    return (
      <span class="meta" data-testid="deadline" data-deadline="">
        —（不属于所选年度已锁定的任务）
      </span>
    );
  return (
    <span
      data-testid="deadline"
      data-deadline={deadline.deadline}
      data-overdue={String(deadline.overdue)}
      data-provisional={String(deadline.provisional)}
    >
      <strong class={deadline.overdue ? 'overdue' : undefined}>{deadline.deadline}</strong>
      {deadline.provisional && <Provisional />}
      <span class="meta" data-testid="days-left">
        {deadline.overdue ? (
          <span class="badge danger" data-testid="overdue">
            已逾期 {-deadline.workingDaysLeft} 个工作日
          </span>
        ) : deadline.workingDaysLeft === 0 ? (
          '今天是最后一天'
        ) : (
          `还剩 ${deadline.workingDaysLeft} 个工作日`
        )}
      </span>
    </span>
  );
}

/**
 * The department's unpublished results of a year with their deadlines, every page (the joint service computes them).
 */
function useDeadlines(year: number | null, department: string, version: number) {
  return useAsync(
    async (signal) => {
      if (year === null) return null;
      // The dashboard's stored operation, every page of it.
      const { nodes } = await everyPage(
        'PublicationDeadlines',
        'jointPublicationDeadlinePage',
        { year, department, overdueOnly: false, first: 1000 },
        signal,
      );
      return nodes;
    },
    [year, department, version],
  );
}

/** One status's results, a page at a time (keyset paging: the previous pages' cursors are kept to go back). */
function useResultPage(department: string, status: 'RECORDED' | 'APPROVED' | 'PUBLISHED', version: number) {
  const cursors = useCursors();
  const after = cursors.after;
  const state = useAsync(
    async (signal) =>
      resultPageOf(await run('WorkResultPage', { status, first: PAGE, after }, { department, signal }), department),
    [department, status, after, version],
  );
  const page = state.status === 'done' ? state.value : null;
  return {
    state,
    pageNumber: cursors.pageNumber,
    next: page?.pageInfo.hasNextPage && page.pageInfo.endCursor ? () => cursors.next(page.pageInfo.endCursor) : null,
    previous: cursors.pageNumber > 1 ? cursors.previous : null,
  };
}

function Pager({ pager }: { pager: ReturnType<typeof useResultPage> }) {
  if (!pager.next && !pager.previous) return null;
  return (
    <p class="pager">
      {pager.previous && (
        <button type="button" class="secondary" onClick={pager.previous} data-testid="page-previous">
          上一页
        </button>
      )}
      <span class="meta">第 {pager.pageNumber} 页</span>
      {pager.next && (
        <button type="button" class="secondary" onClick={pager.next} data-testid="page-next">
          下一页
        </button>
      )}
    </p>
  );
}

interface ListContext {
  department: string;
  outcomes: readonly Outcome[];
  checklist: Dictionary | null;
  deadlineOf: (id: string) => ResultDeadline | undefined;
  selected: ReadonlySet<string>;
  toggle: (id: string, on: boolean) => void;
  version: number;
}

/** Results waiting for a step (approval or publication), with checkboxes and their deadlines. */
function WaitingList({
  status,
  title,
  what,
  context,
}: {
  status: 'RECORDED' | 'APPROVED';
  title: string;
  what: string;
  context: ListContext;
}) {
  const pager = useResultPage(context.department, status, context.version);
  const rows = pager.state.status === 'done' ? pager.state.value.nodes : [];
  const names = useEntityNames(rows.flatMap((r) => (r.uscc ? [r.uscc] : [])));
  return (
    <section class="work-panel" data-testid={`waiting-${status}`}>
      <h3>
        {title}
        {pager.state.status === 'done' && (
          <span class="count" data-testid={`count-${status}`}>
            {pager.state.value.totalCount}
          </span>
        )}
      </h3>
      <Async state={pager.state} what={title}>
        {(page) =>
          page.nodes.length === 0 ? (
            <p class="empty" data-testid={`none-${status}`}>
              没有{what}的结果。
            </p>
          ) : (
            <>
              <div class="table-scroll">
                <FiguresTable
                  className="figures-table work-results"
                  rows={page.nodes}
                  rowKey={(r) => r.id}
                  testId="result-row"
                  alert={(r) => context.deadlineOf(r.id)?.overdue === true}
                  attributes={(r) => ({ 'data-result-id': r.id, 'data-status': r.status })}
                  columns={[
                    {
                      label: '选择',
                      value: (r) => (
                        <input
                          type="checkbox"
                          aria-label={`选择结果 ${r.id}`}
                          data-testid="select"
                          checked={context.selected.has(r.id)}
                          onChange={(e) => context.toggle(r.id, e.currentTarget.checked)}
                        />
                      ),
                    },
                    { label: '检查对象', field: 'uscc', value: (r) => <Target result={r} names={names} /> },
                    {
                      label: '检查事项',
                      field: 'itemCode',
                      value: (r) => <ItemText result={r} checklist={context.checklist} />,
                    },
                    {
                      label: '检查结果',
                      field: 'outcome',
                      value: (r) => <OutcomeText result={r} outcomes={context.outcomes} />,
                    },
                    { label: '检查完成日', field: 'inspectedOn', value: (r) => r.inspectedOn },
                    { label: '证据', field: 'evidence', value: (r) => <EvidenceLinks refs={r.evidence} /> },
                    {
                      label: '公示期限（R25）',
                      field: 'deadline',
                      value: (r) => <DeadlineCell deadline={context.deadlineOf(r.id)} />,
                    },
                    { label: '状态', field: 'status', value: (r) => label(RESULT_STATUS, r.status) },
                    { label: '编号', field: 'id', value: (r) => <ShortId id={r.id} /> },
                  ]}
                />
              </div>
              <Pager pager={pager} />
            </>
          )
        }
      </Async>
    </section>
  );
}

/** What a step changed: each result as the hub answered it. */
function Changes({ changes }: { changes: { what: string; results: Result[] } | null }) {
  if (!changes) return null;
  return (
    <section class="work-panel changes" data-testid="changes">
      <h3>{changes.what}</h3>
      <ul>
        {changes.results.map((r) => (
          <li key={r.id} data-testid="changed" data-result-id={r.id} data-status={r.status}>
            <ShortId id={r.id} /> {r.uscc ?? r.targetKey} · {r.itemCode}：现为
            <strong>{label(RESULT_STATUS, r.status)}</strong>
            {r.publishedAt
              ? `（公示于 ${chinaDateTime(r.publishedAt)}）`
              : r.approvedAt
                ? `（审核于 ${chinaDateTime(r.approvedAt)}）`
                : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The admin's work (R25): approve recorded results, publish approved ones, by their deadlines. */
function ApproveAndPublish({ department, outcomes }: { department: string; outcomes: readonly Outcome[] }) {
  const hubYear = useHubYear();
  const [chosenYear, setYear] = useState<number | null>(null);
  const year = chosenYear ?? hubYear;
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [changes, setChanges] = useState<{ what: string; results: Result[] } | null>(null);
  const deadlines = useDeadlines(year, department, version);
  const checklist = useChecklist(department);
  const action = useAction();
  const byId = new Map(
    (deadlines.status === 'done' && deadlines.value ? deadlines.value : []).map((d) => [d.resultId, d]),
  );
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const context: ListContext = {
    department,
    outcomes,
    checklist,
    deadlineOf: (id) => byId.get(id),
    selected,
    toggle,
    version,
  };
  const ids = [...selected];

  const approve = () =>
    action.run(async () => {
      const answer = await run('WorkApproveResults', { ids }, { department });
      const results = partOf(answer, mutationField(department, 'ApproveResults'));
      setChanges({ what: `已审核 ${results.length} 条结果（R25），可以公示`, results });
      setSelected(new Set());
      setVersion((v) => v + 1);
      return `已审核 ${results.length} 条结果。`;
    });
  const publish = () =>
    action.run(async () => {
      const answer = await run('WorkPublishResults', { ids }, { department });
      const results = partOf(answer, mutationField(department, 'PublishResults'));
      setChanges({
        what: `已公示 ${results.length} 条结果（R25）：公众可在检查对象的公示页查到，今后不再修改（R28）`,
        results,
      });
      setSelected(new Set());
      setVersion((v) => v + 1);
      return `已公示 ${results.length} 条结果。`;
    });

  const unpublished = deadlines.status === 'done' && deadlines.value ? deadlines.value : null;
  const overdue = unpublished?.filter((d) => d.overdue).length ?? 0;
  const provisional = unpublished?.filter((d) => d.provisional).length ?? 0;

  return (
    <section data-testid="approve-publish">
      <h2>审核与公示</h2>
      <RuleNote rule="R25">
        检查结果由本部门审核后公示，自检查结束之日（结果形成）起 20 个工作日内公示，目标公示率
        100%；商业秘密和个人信息不公示。
      </RuleNote>
      <RuleNote rule="R30">
        只有本部门的部门管理员可以审核、公示本部门的结果；页面只提交请求，是否允许由部门系统决定。
      </RuleNote>
      {year !== null && (
        <p class="year-choice">
          <YearSelect year={year} onChange={setYear} id="results-year" />
          <span class="meta">公示期限按所选年度已锁定的任务列出。</span>
        </p>
      )}
      {deadlines.status === 'loading' || year === null ? (
        <Loading what="公示期限" />
      ) : deadlines.status === 'error' ? (
        <ErrorNotice error={deadlines.error} title="无法加载公示期限" />
      ) : (
        <p data-testid="deadline-summary" data-unpublished={unpublished?.length ?? 0} data-overdue={overdue}>
          {year} 年已锁定任务中本部门未公示的结果 <strong>{unpublished?.length ?? 0}</strong> 条，其中逾期未公示{' '}
          <strong class={overdue ? 'overdue' : undefined} data-testid="overdue-count">
            {overdue}
          </strong>{' '}
          条（R31）。期限由联合抽查服务按工作日日历计算。
        </p>
      )}
      {provisional > 0 && (
        <p class="notice warn" data-testid="calendar-notice">
          {provisional}{' '}
          条结果的公示期限跨越尚未载入国务院节假日安排通知的年度，现按周末和法定节假日暂算（不含调休、补假），标为“暂定”；运维人员载入通知后即为正式期限。
        </p>
      )}
      <WaitingList status="RECORDED" title="待审核" what="待审核" context={context} />
      <WaitingList status="APPROVED" title="已审核，待公示" what="待公示" context={context} />
      <div class="action-bar" data-testid="action-bar">
        <span data-testid="selected-count">已选 {ids.length} 条</span>
        <button type="button" data-testid="approve" disabled={action.busy || ids.length === 0} onClick={approve}>
          审核所选
        </button>
        <button type="button" data-testid="publish" disabled={action.busy || ids.length === 0} onClick={publish}>
          公示所选
        </button>
        <button type="button" class="secondary" disabled={ids.length === 0} onClick={() => setSelected(new Set())}>
          清除选择
        </button>
      </div>
      <p class="meta">审核和公示按所选结果整批办理：有一条不符合条件，整批都不办理，平台会说明原因。</p>
      <ActionOutcome action={action} title="未能办理" />
      <Changes changes={changes} />
    </section>
  );
}

/**
 * The department's outcome dictionary (R26, R27), and for its admin a form to add an outcome or a new version of one.
 */
function OutcomeDictionary({
  department,
  outcomes,
  editable,
  reload,
}: {
  department: string;
  outcomes: readonly Outcome[];
  editable: boolean;
  reload: () => void;
}) {
  const [code, setCode] = useState('');
  const [text, setText] = useState('');
  const [dishonesty, setDishonesty] = useState(false);
  const [defined, setDefined] = useState<DefinedOutcome | null>(null);
  const action = useAction();
  const define = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const answer = await run('WorkDefineOutcome', { code: code.trim(), label: text, dishonesty }, { department });
      const outcome = partOf(answer, mutationField(department, 'DefineOutcome'));
      setDefined(outcome);
      reload();
      return (
        `已定义检查结果 ${outcome.code}（第 ${outcome.version} ` +
        `版）：${outcome.label}${outcome.dishonesty ? '，公示后列入失信记录' : ''}。`
      );
    });
  };
  return (
    <section class="work-panel" data-testid="outcomes">
      <h2>检查结果选项</h2>
      <RuleNote rule="R27">
        不配合检查情节严重、适用一般程序作出行政处罚、法定检查不合格这三类结果公示后列入失信记录；标为“失信”的结果选项即属此类。
      </RuleNote>
      <RuleNote rule="R26">无法通过登记的住所联系、不配合检查的检查对象，以此作为检查结果。</RuleNote>
      <div class="table-scroll">
        <FiguresTable
          rows={outcomes}
          rowKey={(o) => `${o.code}-${o.version}`}
          testId="outcome-row"
          attributes={(o) => ({ 'data-code': o.code, 'data-version': String(o.version), 'data-status': o.status })}
          columns={[
            { label: '代码', field: 'code', value: (o) => <code>{o.code}</code> },
            { label: '版本', field: 'version', value: (o) => o.version },
            { label: '名称', field: 'label', value: (o) => o.label },
            {
              label: '失信记录',
              field: 'dishonesty',
              value: (o) => (o.dishonesty ? <span class="badge danger">是</span> : '否'),
            },
            { label: '状态', field: 'status', value: (o) => label(OUTCOME_STATUS, o.status) },
          ]}
        />
      </div>
      {editable && (
        <form class="work" onSubmit={define} data-testid="define-outcome">
          <h3>新增结果选项或新版本</h3>
          <p class="meta">代码已存在时生成新版本，旧版本保留，按旧版本录入的结果含义不变。</p>
          <label for="outcome-code">代码（大写字母、数字和下划线）</label>
          <input
            id="outcome-code"
            type="text"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
            data-testid="outcome-code"
          />
          <label for="outcome-label">名称（公示用语）</label>
          <input
            id="outcome-label"
            type="text"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="outcome-label"
          />
          <div>
            <label class="inline">
              <input
                type="checkbox"
                checked={dishonesty}
                onChange={(e) => setDishonesty(e.currentTarget.checked)}
                data-testid="outcome-dishonesty"
              />
              公示后列入失信记录（R27）
            </label>
          </div>
          <div class="actions">
            <button type="submit" disabled={action.busy} data-testid="outcome-submit">
              保存
            </button>
          </div>
          <ActionOutcome action={action} title="未能定义结果选项" />
          {defined && action.done && (
            <p
              class="meta"
              data-testid="outcome-defined"
              data-code={defined.code}
              data-version={String(defined.version)}
            >
              现行版本：{defined.code} 第 {defined.version} 版
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/**
 * A published result's correction chain (R28): every published record of its task and target, linked by what each
 * corrects.
 */
function CorrectionChain({
  department,
  result,
  outcomes,
  version,
}: {
  department: string;
  result: Result;
  outcomes: readonly Outcome[];
  version: number;
}) {
  const state = useAsync(
    async (signal) => {
      const pageOf = async (after: string | null) =>
        resultPageOf(
          await run(
            'WorkResultPage',
            { status: 'PUBLISHED', first: 1000, after, taskId: result.taskId, uscc: result.uscc },
            { department, signal },
          ),
          department,
        );
      return chainOf(result, await followPages(await pageOf(null), pageOf));
    },
    [department, result.id, version],
  );
  return (
    <Async state={state} what="更正记录">
      {(chain) => (
        <ol class="history" data-testid="chain">
          {chain.map((r, i) => (
            <li
              key={r.id}
              class={i < chain.length - 1 ? 'superseded' : 'current'}
              data-testid="chain-entry"
              data-result-id={r.id}
            >
              <strong>{i < chain.length - 1 ? '已被更正' : '现行结果'}</strong>：
              <OutcomeText result={r} outcomes={outcomes} /> <ShortId id={r.id} />
              <span class="meta">公示于 {chinaDateTime(r.publishedAt)}</span>
              {r.correctionReason && (
                <p class="reason" data-testid="chain-reason">
                  更正原因：{r.correctionReason}
                </p>
              )}
              {r.notes && <p class="meta">说明：{r.notes}</p>}
            </li>
          ))}
        </ol>
      )}
    </Async>
  );
}

/** The chain a result belongs to, oldest first: back by `correctsId`, forward by who corrects it. */
function chainOf(result: Result, all: readonly Result[]): Result[] {
  const byId = new Map(all.map((r) => [r.id, r]));
  byId.set(result.id, byId.get(result.id) ?? result);
  const chain: Result[] = [];
  let oldest = byId.get(result.id)!;
  const seen = new Set<string>([oldest.id]);
  while (oldest.correctsId && byId.has(oldest.correctsId) && !seen.has(oldest.correctsId)) {
    oldest = byId.get(oldest.correctsId)!;
    seen.add(oldest.id);
  }
  const visited = new Set<string>();
  for (let at: Result | undefined = oldest; at && !visited.has(at.id); at = all.find((r) => r.correctsId === at!.id)) {
    visited.add(at.id);
    chain.push(at);
  }
  return chain;
}

/** The principal head's work (R28): the department's published results, and the correction of one. */
function CorrectPublished({ department, outcomes }: { department: string; outcomes: readonly Outcome[] }) {
  const [version, setVersion] = useState(0);
  const pager = useResultPage(department, 'PUBLISHED', version);
  const rows = pager.state.status === 'done' ? pager.state.value.nodes : [];
  const names = useEntityNames(rows.flatMap((r) => (r.uscc ? [r.uscc] : [])));
  const checklist = useChecklist(department);
  const [chosen, setChosen] = useState<Result | null>(null);
  const [outcome, setOutcome] = useState('');
  const [notes, setNotes] = useState('');
  const [reason, setReason] = useState('');
  const [corrected, setCorrected] = useState<Result | null>(null);
  const action = useAction();
  const current = outcomes.filter((o) => o.status === 'CURRENT');
  // Which loaded records a newer one corrects (shown as superseded; the original stays published).
  const correctedIds = new Set(rows.flatMap((r) => (r.correctsId ? [r.correctsId] : [])));

  const choose = (r: Result) => {
    setChosen(r);
    setOutcome(r.outcome);
    setNotes(r.notes ?? '');
    setReason('');
    setCorrected(null);
    action.clear();
  };
  const correct = (e: Event) => {
    e.preventDefault();
    if (!chosen) return;
    void action.run(async () => {
      const answer = await run(
        'WorkCorrectResult',
        { id: chosen.id, outcome, notes: notes.trim() === '' ? null : notes, reason },
        { department },
      );
      const made = partOf(answer, mutationField(department, 'CorrectResult'));
      setCorrected(made);
      setChosen(made);
      setVersion((v) => v + 1);
      return `已更正：新记录 ${made.id} 已公示，原结果 ${chosen.id} 保留（R28）。`;
    });
  };

  return (
    <section data-testid="correct-published">
      <h2>已公示的结果</h2>
      <RuleNote rule="R28">
        已公示的结果不作修改；确有错误的，以新记录更正，由本部门主要负责人签发并说明理由，原记录保留并继续公示。
      </RuleNote>
      <RuleNote rule="R30">只有本部门的主要负责人可以更正本部门已公示的结果；是否允许由部门系统决定。</RuleNote>
      <section class="work-panel">
        <h3>
          已公示
          {pager.state.status === 'done' && (
            <span class="count" data-testid="count-PUBLISHED">
              {pager.state.value.totalCount}
            </span>
          )}
        </h3>
        <Async state={pager.state} what="已公示的结果">
          {(page) =>
            page.nodes.length === 0 ? (
              <p class="empty" data-testid="none-PUBLISHED">
                本部门还没有已公示的结果。
              </p>
            ) : (
              <>
                <div class="table-scroll">
                  <FiguresTable
                    className="figures-table work-results"
                    rows={page.nodes}
                    rowKey={(r) => r.id}
                    testId="result-row"
                    attributes={(r) => ({
                      'data-result-id': r.id,
                      'data-status': r.status,
                      'data-corrected': String(correctedIds.has(r.id)),
                    })}
                    columns={[
                      { label: '检查对象', field: 'uscc', value: (r) => <Target result={r} names={names} /> },
                      {
                        label: '检查事项',
                        field: 'itemCode',
                        value: (r) => <ItemText result={r} checklist={checklist} />,
                      },
                      {
                        label: '检查结果',
                        field: 'outcome',
                        value: (r) => (
                          <>
                            <OutcomeText result={r} outcomes={outcomes} />
                            {r.correctsId && (
                              <span class="badge" data-testid="is-correction" title={`更正了 ${r.correctsId}`}>
                                更正后结果
                              </span>
                            )}
                            {correctedIds.has(r.id) && (
                              <span class="badge" data-testid="is-corrected">
                                已被更正
                              </span>
                            )}
                          </>
                        ),
                      },
                      { label: '检查完成日', field: 'inspectedOn', value: (r) => r.inspectedOn },
                      { label: '公示时间', field: 'publishedAt', value: (r) => chinaDateTime(r.publishedAt) },
                      { label: '编号', field: 'id', value: (r) => <ShortId id={r.id} /> },
                      {
                        label: '办理',
                        value: (r) => (
                          <button type="button" class="secondary" data-testid="choose" onClick={() => choose(r)}>
                            查看 / 更正
                          </button>
                        ),
                      },
                    ]}
                  />
                </div>
                <Pager pager={pager} />
              </>
            )
          }
        </Async>
      </section>
      {chosen && (
        <section class="work-panel" data-testid="correction" data-result-id={chosen.id}>
          <h3>
            结果 <ShortId id={chosen.id} /> 的更正记录
          </h3>
          <p>
            <Target result={chosen} names={names} /> · <ItemText result={chosen} checklist={checklist} /> · 检查完成日{' '}
            {chosen.inspectedOn}
          </p>
          <CorrectionChain department={department} result={chosen} outcomes={outcomes} version={version} />
          {!corrected && (
            <form class="work" onSubmit={correct} data-testid="correct-form">
              <h3>更正这条结果</h3>
              <label for="correct-outcome">更正后的检查结果</label>
              <select
                id="correct-outcome"
                value={outcome}
                onChange={(e) => setOutcome(e.currentTarget.value)}
                data-testid="correct-outcome"
              >
                {current.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.label}（{o.code}）{o.dishonesty ? ' · 失信' : ''}
                  </option>
                ))}
              </select>
              <label for="correct-notes">结果说明（公示）</label>
              <textarea
                id="correct-notes"
                rows={2}
                value={notes}
                onInput={(e) => setNotes(e.currentTarget.value)}
                data-testid="correct-notes"
              />
              <label for="correct-reason">更正原因（须说明经查证的错误，随更正记录公示）</label>
              <textarea
                id="correct-reason"
                rows={3}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
                data-testid="correct-reason"
              />
              <div class="actions">
                <button type="submit" disabled={action.busy} data-testid="correct-submit">
                  签发更正
                </button>
                <button type="button" class="secondary" onClick={() => setChosen(null)}>
                  取消
                </button>
              </div>
            </form>
          )}
          <ActionOutcome action={action} title="未能更正" />
          {corrected && (
            <p
              class="meta"
              data-testid="corrected"
              data-result-id={corrected.id}
              data-corrects={corrected.correctsId ?? ''}
            >
              新记录 {corrected.id} 更正 {corrected.correctsId}，更正原因：{corrected.correctionReason}
              {corrected.uscc && (
                <>
                  {' '}
                  · <a href={`/entity/${corrected.uscc}`}>查看公示页</a>
                </>
              )}
            </p>
          )}
        </section>
      )}
    </section>
  );
}

function DepartmentResults({ session }: { session: SessionIdentity }) {
  const departments = useDepartments();
  const department = session.department!;
  const [version, setVersion] = useState(0);
  const loaded = useAsync(
    async (signal) => partOf(await run('WorkOutcomes', {}, { department, signal }), department).outcomes,
    [department, version],
  );
  // A reload (after an outcome is defined) keeps the screen: the last answer stays while the next one loads.
  const [last, setLast] = useState<readonly Outcome[] | null>(null);
  useEffect(() => {
    if (loaded.status === 'done') setLast(loaded.value);
  }, [loaded]);
  const outcomes: AsyncState<readonly Outcome[]> =
    loaded.status === 'loading' && last ? { status: 'done', value: last } : loaded;
  const admin = session.role === 'DEPT_ADMIN';
  return (
    <section class="work-results" data-testid="work-results" data-department={department} data-role={session.role}>
      <h1>{admin ? '检查结果审核与公示' : '更正已公示的检查结果'}</h1>
      <p class="meta" data-testid="work-who">
        {departmentName(departments, department)} · {label(ROLE, session.role)}
      </p>
      <RuleNote rule="R24">
        谁检查、谁录入、谁公开：联合检查的结果回传到各部门，由各部门作为本部门的记录审核、公示。
      </RuleNote>
      <Async state={outcomes} what="检查结果选项">
        {(list) => (
          <>
            {admin ? (
              <ApproveAndPublish department={department} outcomes={list} />
            ) : (
              <CorrectPublished department={department} outcomes={list} />
            )}
            <OutcomeDictionary
              department={department}
              outcomes={list}
              editable={admin}
              reload={() => setVersion((v) => v + 1)}
            />
          </>
        )}
      </Async>
    </section>
  );
}

export function ResultsWorkPage() {
  return (
    <SignedIn>
      {(session) => (
        <ForRoles session={session} roles={ROLES}>
          {session.department ? (
            <DepartmentResults session={session} />
          ) : (
            <p class="notice" data-testid="no-department">
              您的登录信息没有所属部门，无法办理部门的检查结果。
            </p>
          )}
        </ForRoles>
      )}
    </SignedIn>
  );
}
