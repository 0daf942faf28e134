import { useRef, useState } from 'preact/hooks';
import { required, run, type Answer, type ResultOf } from '../api/client';
import { departmentName } from '../api/departments';
import { followPages } from '../api/pages';
import type { SessionIdentity } from '../api/session';
import type { ReplacementReason, WorkTaskDepartmentInspectorsQuery, WorkTaskTeamsQuery } from '../api/generated';
import { Async, useAsync, type AsyncState } from '../components/async';
import { useDepartments } from '../components/department-name';
import { chinaDateTime } from '../format';
import { label, MEMBER_KIND, MEMBER_ORIGIN, REPLACEMENT_REASON, SEAT_STATUS } from '../labels';
import { ActionOutcome, CursorPager, RuleNote, useAction, useCursors } from './common';
import type { WorkTask } from './task';
import { readDocument } from './onsite/transport';

/**
 * The teams of a locked task (issue I): each participating department's coordinator draws its
 * inspectors (R18, R19, R21); everyone the task concerns sees each department's draw, the visits
 * with their teams and what keeps a team from being complete; a department's deputy head fills a
 * vacant seat or replaces a drawn inspector with a listed reason (R20), and records a conflict of
 * interest (R19) or an entrustment (R21). The page offers the steps; the hub decides (R30).
 */

type Teams = NonNullable<WorkTaskTeamsQuery['jointTask']>;
type VisitPage = NonNullable<Teams['visitPage']>;
type TeamVisit = VisitPage['nodes'][number];
type Member = TeamVisit['team'][number];
type RosterPage = NonNullable<NonNullable<WorkTaskDepartmentInspectorsQuery['example']>['inspectors']>;
type RosterInspector = RosterPage['nodes'][number];

const VISIT_PAGE = 10;
const REASONS: ReplacementReason[] = ['JOB_CHANGE', 'WORK_CONFLICT', 'HEALTH', 'RECUSAL'];

/**
 * The hub's words on an incomplete team, in Chinese where the sentence is one the hub says; its own words kept beside.
 */
export function problemText(problem: string, name: (code: string) => string): string {
  let m = /^(\S+) has not drawn its inspectors yet$/.exec(problem);
  if (m) return `${name(m[1]!)}尚未抽取检查人员（R18）`;
  m = /^(\d+) (\S+) seat\(s\) vacant/.exec(problem);
  if (m) return `${name(m[2]!)}空缺 ${m[1]} 个席位：由该部门分管负责人指定符合条件的检查人员（R20、R21）`;
  m = /^fewer than (\d+) enforcement officers/.exec(problem);
  if (m) return `持不同执法证的执法人员少于 ${m[1]} 名（R18）`;
  m = /the team needs one leader from the lead department (\S+)/.exec(problem);
  if (m) return `检查组须有一名牵头部门（${name(m[1]!)}）的组长（R18）`;
  return problem;
}

/** A region prefix covers a region code (as the jurisdiction of a roster names it). */
const covers = (regions: readonly string[], region: string) => regions.some((r) => region.startsWith(r));

export function TeamsSection({ task, session }: { task: WorkTask; session: SessionIdentity }) {
  const departments = useDepartments();
  const name = (code: string) => departmentName(departments, code);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const cursors = useCursors();
  const after = cursors.after;
  const state = useAsync(
    async (signal) => {
      const answer = await run('WorkTaskTeams', { id: task.id, first: VISIT_PAGE, after }, { signal });
      const teams = required(answer, answer.data?.jointTask, '检查组');
      return { teams, visits: required(answer, teams.visitPage, '检查组') };
    },
    [task.id, after, version],
  );
  // While the teams are read again after a step, the last answer stays on screen (with the step's outcome).
  const last = useRef<{ teams: Teams; visits: VisitPage } | null>(null);
  if (state.status === 'done') last.current = state.value;
  const shown: AsyncState<{ teams: Teams; visits: VisitPage }> =
    state.status === 'loading' && last.current ? { status: 'done', value: last.current } : state;
  const plan = task.plan!;
  const own = session.department !== null && plan.departments.includes(session.department) ? session.department : null;
  const deputy = session.role === 'DEPUTY_HEAD' && own !== null;
  const recorder = (session.role === 'DEPUTY_HEAD' || session.role === 'DEPT_ADMIN') && own !== null;
  // Issue J: the lead's coordinator makes the notices of the visits (unless the task is not to be announced).
  const lead = session.role === 'COORDINATOR' && session.department === task.leadDepartment;
  return (
    <section class="work-panel teams" data-testid="teams">
      <h2>检查组</h2>
      <RuleNote rule="R18">
        各参与部门随机抽取本部门的检查人员，每个检查对象每部门 {plan.inspectorsPerDepartment}{' '}
        人；牵头部门的检查人员任组长；每组至少两名执法人员（行政处罚法第四十二条）。
      </RuleNote>
      <RuleNote rule="R19">
        与检查对象有利害关系的检查人员、专家须回避：登记回避后不会被抽到该对象（抽取后登记的，由分管负责人以“执法回避”更换）。
      </RuleNote>
      <RuleNote rule="R21">
        检查人员对检查对象所在地没有管辖权的，须经有管辖权的上级业务部门委托才能参加；名录快照前登记的委托进入抽取，之后登记的可用于补缺或更换。
      </RuleNote>
      <RuleNote rule="R30">
        检查组和人员名录只用于本次抽查，只向参与部门的工作人员和平台角色显示；抽取、更换、补缺等每一步由平台按您的角色和部门核对并留痕，页面只提供入口。
      </RuleNote>
      <Async
        state={shown}
        what="检查组"
        refused={
          <p class="notice" data-testid="teams-refused">
            检查组只向参与部门的工作人员和平台角色显示（R30）。
          </p>
        }
      >
        {({ teams, visits }) => (
          <>
            <InspectorDraws task={task} draws={teams.inspectorDraws} session={session} onChanged={reload} />
            {recorder && own && <EntrustForm task={task} department={own} onChanged={reload} />}
            <h3>检查对象与检查组</h3>
            <p class="meta">
              共 <span data-testid="visit-total">{visits.totalCount}</span> 个检查对象；第 {cursors.pageNumber} 页，每页{' '}
              {VISIT_PAGE} 个。
            </p>
            <ol class="visits">
              {visits.nodes.map((v) => (
                <VisitCard
                  key={v.key}
                  task={task}
                  visit={v}
                  name={name}
                  deputy={deputy}
                  recorder={recorder}
                  department={own}
                  onChanged={reload}
                  announcer={lead && !teams.unannounced}
                />
              ))}
            </ol>
            <CursorPager cursors={cursors} pageInfo={visits.pageInfo} nextTestId="visits-next" />
          </>
        )}
      </Async>
    </section>
  );
}

/** Each participating department's inspector draw, and the draw for the official's own department. */
function InspectorDraws({
  task,
  draws,
  session,
  onChanged,
}: {
  task: WorkTask;
  draws: Teams['inspectorDraws'];
  session: SessionIdentity;
  onChanged: () => void;
}) {
  const departments = useDepartments();
  const action = useAction();
  const plan = task.plan!;
  const drawsFor = (d: string) => draws.find((x) => x.department === d) ?? null;
  const mine = session.department;
  const canOffer =
    (session.role === 'COORDINATOR' || session.role === 'DEPT_ADMIN') &&
    mine !== null &&
    plan.departments.includes(mine) &&
    !drawsFor(mine);
  return (
    <div data-testid="inspector-draws">
      <h3>各部门检查人员抽取</h3>
      <div class="table-scroll">
        <table class="figures-table">
          <thead>
            <tr>
              <th>部门</th>
              <th>抽取状态</th>
              <th>抽取时间</th>
              <th>抽取人</th>
              <th>种子</th>
            </tr>
          </thead>
          <tbody>
            {plan.departments.map((d) => {
              const draw = drawsFor(d);
              return (
                <tr key={d} data-testid="inspector-draw" data-department={d} data-drawn={String(draw !== null)}>
                  <td data-label="部门">
                    {departmentName(departments, d)}
                    {d === task.leadDepartment && '（牵头）'}
                  </td>
                  <td data-label="抽取状态">{draw ? '已抽取' : '尚未抽取'}</td>
                  <td data-label="抽取时间">{draw ? chinaDateTime(draw.drawnAt) : '—'}</td>
                  <td data-label="抽取人">{draw?.drawnBy ?? '—'}</td>
                  <td data-label="种子" class="hash">
                    {draw ? draw.seed : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canOffer && mine && (
        <div class="actions">
          <button
            type="button"
            disabled={action.busy}
            data-testid="draw-inspectors"
            data-department={mine}
            onClick={async () => {
              const ok = await action.run(async () => {
                await run('WorkTaskDrawInspectors', { taskId: task.id, department: mine });
                return `已为全部检查对象抽取${departmentName(departments, mine)}的检查人员。`;
              });
              if (ok) onChanged();
            }}
          >
            {action.busy ? '正在抽取…' : `抽取${departmentName(departments, mine)}检查人员`}
          </button>
        </div>
      )}
      <RuleNote rule="R18">
        检查人员从名录快照时冻结的本部门检查人员名录中随机抽取（不含有回避登记的人员，无管辖权者须有委托）；无人可抽的席位留空，由分管负责人补足。每部门只抽取一次。
      </RuleNote>
      <ActionOutcome action={action} title="未能抽取检查人员" />
    </div>
  );
}

function VisitCard({
  task,
  visit,
  name,
  deputy,
  recorder,
  department,
  onChanged,
  announcer,
}: {
  task: WorkTask;
  visit: TeamVisit;
  name: (code: string) => string;
  deputy: boolean;
  recorder: boolean;
  department: string | null;
  onChanged: () => void;
  announcer: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <li class="visit-card" data-testid="visit" data-key={visit.key}>
      <p>
        <strong>
          {visit.position}. {visit.entity?.name ?? visit.key}
        </strong>{' '}
        <span class="meta">
          {visit.key} · 第 {visit.batch} 批 · 区划 {visit.regionCode}
        </span>
      </p>
      {visit.teamProblems.length === 0 ? (
        <p class="notice ok" data-testid="team-complete">
          检查组已齐备。
        </p>
      ) : (
        <ul class="team-problems">
          {visit.teamProblems.map((p) => (
            <li key={p} data-testid="team-problem" data-problem={p}>
              {problemText(p, name)}
              {problemText(p, name) !== p ? <span class="meta">平台原文：{p}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {visit.team.length > 0 && (
        <div class="table-scroll">
          <table class="figures-table team">
            <thead>
              <tr>
                <th>部门</th>
                <th>姓名</th>
                <th>执法证号</th>
                <th>职责</th>
                <th>来源</th>
                <th>状态</th>
              </tr>
            </thead>
            <tbody>
              {visit.team.map((m) => (
                <tr
                  key={`${m.department}-${m.personId}-${m.status}`}
                  data-testid="team-member"
                  data-department={m.department}
                  data-person={m.personId}
                  data-status={m.status}
                  data-origin={m.origin}
                  class={m.status === 'REPLACED' ? 'replaced' : undefined}
                >
                  <td data-label="部门">{name(m.department)}</td>
                  <td data-label="姓名">
                    {m.name} <span class="meta">{m.personId}</span>
                  </td>
                  <td data-label="执法证号">{m.certificateNo ?? '—'}</td>
                  <td data-label="职责">
                    {m.leader ? <strong data-testid="leader">组长</strong> : label(MEMBER_KIND, m.kind)}
                  </td>
                  <td data-label="来源">{label(MEMBER_ORIGIN, m.origin)}</td>
                  <td data-label="状态">
                    {label(SEAT_STATUS, m.status)}
                    {m.replacementReason && `（${label(REPLACEMENT_REASON, m.replacementReason)}）`}
                    {m.approvedBy && <span class="meta">批准：{m.approvedBy}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {visit.notices.length > 0 || announcer ? (
        <Notices task={task} visit={visit} announcer={announcer} onChanged={onChanged} />
      ) : null}
      {recorder && department && (
        <>
          <button
            type="button"
            class="secondary"
            aria-expanded={open}
            data-testid="adjust-team"
            onClick={() => setOpen(!open)}
          >
            {open ? '收起' : deputy ? '调整本组（分管负责人）' : '登记回避'}
          </button>
          {open && (
            <AdjustTeam task={task} visit={visit} department={department} deputy={deputy} onChanged={onChanged} />
          )}
        </>
      )}
    </li>
  );
}

/** A department's qualified inspectors, for a replacement, a vacant seat, a conflict or an entrustment. */
function useRoster(department: string) {
  return useAsync(
    async (signal) => {
      const pageOf = async (after: string | null): Promise<RosterPage> => {
        const answer: Answer<ResultOf<'WorkTaskDepartmentInspectors'>> = await run(
          'WorkTaskDepartmentInspectors',
          { first: 1000, after },
          { department, signal },
        );
        return required(answer, answer.data?.[department]?.inspectors, '检查人员名录');
      };
      return followPages(await pageOf(null), pageOf);
    },
    [department],
  );
}

/** The deputy head's changes to one team (R19, R20, R21): what the hub checks is said beside each. */
function AdjustTeam({
  task,
  visit,
  department,
  deputy,
  onChanged,
}: {
  task: WorkTask;
  visit: TeamVisit;
  department: string;
  deputy: boolean;
  onChanged: () => void;
}) {
  const roster = useRoster(department);
  const domains = new Set(task.plan!.items.filter((i) => i.department === department).map((i) => i.domain));
  const active = visit.team.filter(
    (m) => m.status === 'ACTIVE' && m.department === department && m.kind === 'INSPECTOR',
  );
  const vacant = Math.max(0, task.plan!.inspectorsPerDepartment - active.length);
  return (
    <div class="adjust-team" data-testid="adjust-panel">
      <Async state={roster} what="本部门检查人员名录">
        {(people) => {
          const onTeam = new Set(
            visit.team.filter((m) => m.status === 'ACTIVE' && m.department === department).map((m) => m.personId),
          );
          // Hints only: the hub decides who is eligible (R7, R19, R21) and says why when it refuses.
          const candidates = people
            .filter((p) => !onTeam.has(p.id))
            .map((p) => ({
              ...p,
              domainOk: p.domains.some((d) => domains.has(d)),
              jurisdictionOk: covers(p.jurisdiction, visit.regionCode),
            }))
            .sort(
              (a, b) =>
                Number(b.domainOk && b.jurisdictionOk) - Number(a.domainOk && a.jurisdictionOk) ||
                a.id.localeCompare(b.id),
            );
          return (
            <>
              {deputy && active.length > 0 && (
                <ReplaceForm
                  task={task}
                  visit={visit}
                  department={department}
                  active={active}
                  candidates={candidates}
                  onChanged={onChanged}
                />
              )}
              {deputy && vacant > 0 && (
                <FillForm
                  task={task}
                  visit={visit}
                  department={department}
                  vacant={vacant}
                  candidates={candidates}
                  onChanged={onChanged}
                />
              )}
              <ConflictForm visit={visit} department={department} people={people} onChanged={onChanged} />
            </>
          );
        }}
      </Async>
    </div>
  );
}

type Candidate = RosterInspector & { domainOk: boolean; jurisdictionOk: boolean };

function candidateText(c: Candidate): string {
  const notes = [
    !c.domainOk && '执法领域与本计划事项不符（R7）',
    !c.jurisdictionOk && '对该地无管辖权，须有委托（R21）',
  ].filter(Boolean);
  return `${c.name}（${c.id}，执法证 ${c.certificateNo}）${notes.length ? ` · ${notes.join('；')}` : ''}`;
}

function CandidateSelect({
  id,
  candidates,
  value,
  onChange,
  testId,
}: {
  id: string;
  candidates: Candidate[];
  value: string;
  onChange: (v: string) => void;
  testId: string;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testId} required>
      <option value="">请选择</option>
      {candidates.map((c) => (
        <option key={c.id} value={c.id} data-hint-eligible={String(c.domainOk && c.jurisdictionOk)}>
          {candidateText(c)}
        </option>
      ))}
    </select>
  );
}

function ReplaceForm({
  task,
  visit,
  department,
  active,
  candidates,
  onChanged,
}: {
  task: WorkTask;
  visit: TeamVisit;
  department: string;
  active: Member[];
  candidates: Candidate[];
  onChanged: () => void;
}) {
  const action = useAction();
  const [picked, setPersonId] = useState(active[0]?.personId ?? '');
  // After a replacement the team changes: a person no longer on it is not offered.
  const personId = active.some((m) => m.personId === picked) ? picked : (active[0]?.personId ?? '');
  const [reason, setReason] = useState<ReplacementReason | ''>('');
  const [replacementId, setReplacementId] = useState('');
  const [note, setNote] = useState('');
  const prefix = `replace-${visit.key}`;
  return (
    <form
      class="work"
      data-testid="replace-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!reason) return;
        const ok = await action.run(async () => {
          const answer = await run('WorkTaskReplaceInspector', {
            input: { taskId: task.id, targetKey: visit.key, department, personId, reason, replacementId, note },
          });
          const m = answer.data!.jointReplaceInspector;
          return (
            `已更换：${m.name}（${m.personId}）接替，理由“${label(REPLACEMENT_REASON, m.replacementReason)}”，批准人 ` +
            `${m.approvedBy ?? '—'}。`
          );
        });
        if (ok) onChanged();
      }}
    >
      <h4>更换已抽取的检查人员</h4>
      <RuleNote rule="R20">
        只能因岗位调整、工作冲突、健康状况或执法回避更换，由本部门分管负责人批准；接替人员直接从本部门符合条件的检查人员中选定，不再摇号；原人员留档。
      </RuleNote>
      <label for={`${prefix}-person`}>被更换的检查人员</label>
      <select
        id={`${prefix}-person`}
        value={personId}
        onChange={(e) => setPersonId(e.currentTarget.value)}
        data-testid="replace-person"
        required
      >
        {active.map((m) => (
          <option key={m.personId} value={m.personId}>
            {m.name}（{m.personId}）
          </option>
        ))}
      </select>
      <label for={`${prefix}-reason`}>更换理由</label>
      <select
        id={`${prefix}-reason`}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value as ReplacementReason)}
        data-testid="replace-reason"
        required
      >
        <option value="">请选择</option>
        {REASONS.map((r) => (
          <option key={r} value={r}>
            {label(REPLACEMENT_REASON, r)}
          </option>
        ))}
      </select>
      <label for={`${prefix}-by`}>接替人员（本部门具备资格的检查人员）</label>
      <CandidateSelect
        id={`${prefix}-by`}
        candidates={candidates}
        value={replacementId}
        onChange={setReplacementId}
        testId="replace-by"
      />
      <label for={`${prefix}-note`}>情况说明</label>
      <textarea
        id={`${prefix}-note`}
        rows={2}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
        data-testid="replace-note"
        required
      />
      <div class="actions">
        <button type="submit" disabled={action.busy} data-testid="replace-submit">
          批准更换
        </button>
      </div>
      <ActionOutcome action={action} title="未能更换" />
    </form>
  );
}

function FillForm({
  task,
  visit,
  department,
  vacant,
  candidates,
  onChanged,
}: {
  task: WorkTask;
  visit: TeamVisit;
  department: string;
  vacant: number;
  candidates: Candidate[];
  onChanged: () => void;
}) {
  const action = useAction();
  const [inspectorId, setInspectorId] = useState('');
  const [note, setNote] = useState('');
  const prefix = `fill-${visit.key}`;
  return (
    <form
      class="work"
      data-testid="fill-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await action.run(async () => {
          const answer = await run('WorkTaskFillVacantSeat', {
            input: { taskId: task.id, targetKey: visit.key, department, inspectorId, note },
          });
          const m = answer.data!.jointFillVacantSeat;
          return `已补足空缺：${m.name}（${m.personId}）${m.leader ? '，任组长' : ''}。`;
        });
        if (ok) onChanged();
      }}
    >
      <h4>补足空缺席位（空缺 {vacant} 个）</h4>
      <RuleNote rule="R20">
        摇号时无人可抽的席位，由分管负责人从本部门符合条件的检查人员中指定，不再摇号，并记录理由；对该地无管辖权的人员须先登记委托（R21）。
      </RuleNote>
      <label for={`${prefix}-who`}>指定的检查人员</label>
      <CandidateSelect
        id={`${prefix}-who`}
        candidates={candidates}
        value={inspectorId}
        onChange={setInspectorId}
        testId="fill-who"
      />
      <label for={`${prefix}-note`}>理由</label>
      <textarea
        id={`${prefix}-note`}
        rows={2}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
        data-testid="fill-note"
        required
      />
      <div class="actions">
        <button type="submit" disabled={action.busy} data-testid="fill-submit">
          指定并补足
        </button>
      </div>
      <ActionOutcome action={action} title="未能补足空缺" />
    </form>
  );
}

function ConflictForm({
  visit,
  department,
  people,
  onChanged,
}: {
  visit: TeamVisit;
  department: string;
  people: RosterInspector[];
  onChanged: () => void;
}) {
  const action = useAction();
  const [personId, setPersonId] = useState('');
  const [reason, setReason] = useState('');
  const prefix = `conflict-${visit.key}`;
  const onTeam = new Set(visit.team.filter((m) => m.department === department).map((m) => m.personId));
  const ordered = [...people].sort(
    (a, b) => Number(onTeam.has(b.id)) - Number(onTeam.has(a.id)) || a.id.localeCompare(b.id),
  );
  return (
    <form
      class="work"
      data-testid="conflict-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await action.run(async () => {
          await run('WorkTaskDeclareConflict', { input: { department, personId, targetKey: visit.key, reason } });
          return `已登记 ${personId} 与 ${visit.key} 的利害关系：今后不会抽到该对象${onTeam.has(personId) ? '；其已在本组，请以“执法回避”更换' : ''}。`;
        });
        if (ok) onChanged();
      }}
    >
      <h4>登记回避（利害关系）</h4>
      <RuleNote rule="R19">
        与检查对象有利害关系的人员须回避：登记后不会被抽到该对象；已在组内的，由分管负责人以“执法回避”更换（R20）。
      </RuleNote>
      <label for={`${prefix}-who`}>人员</label>
      <select
        id={`${prefix}-who`}
        value={personId}
        onChange={(e) => setPersonId(e.currentTarget.value)}
        data-testid="conflict-person"
        required
      >
        <option value="">请选择</option>
        {ordered.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}（{p.id}）{onTeam.has(p.id) ? ' · 在本组' : ''}
          </option>
        ))}
      </select>
      <label for={`${prefix}-reason`}>利害关系说明</label>
      <textarea
        id={`${prefix}-reason`}
        rows={2}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        data-testid="conflict-reason"
        required
      />
      <div class="actions">
        <button type="submit" class="secondary" disabled={action.busy} data-testid="conflict-submit">
          登记回避
        </button>
      </div>
      <ActionOutcome action={action} title="未能登记回避" />
    </form>
  );
}

/** R21: an entrustment by the higher-level department, for this task. */
function EntrustForm({ task, department, onChanged }: { task: WorkTask; department: string; onChanged: () => void }) {
  const departments = useDepartments();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [inspectorId, setInspectorId] = useState('');
  const [regions, setRegions] = useState('');
  const [unit, setUnit] = useState('');
  const [reason, setReason] = useState('');
  return (
    <details
      class="entrust"
      data-testid="entrust"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>登记委托（{departmentName(departments, department)}，R21）</summary>
      {open && (
        <EntrustBody
          department={department}
          inspectorId={inspectorId}
          setInspectorId={setInspectorId}
          regions={regions}
          setRegions={setRegions}
          unit={unit}
          setUnit={setUnit}
          reason={reason}
          setReason={setReason}
          busy={action.busy}
          onSubmit={async () => {
            const ok = await action.run(async () => {
              await run('WorkTaskEntrustInspector', {
                input: {
                  taskId: task.id,
                  department,
                  inspectorId,
                  regions: regions.split(/[\s,，、]+/).filter(Boolean),
                  entrustedByUnit: unit,
                  reason,
                },
              });
              return `已登记委托：${inspectorId} 可在 ${regions} 执法（本任务）。`;
            });
            if (ok) onChanged();
          }}
        />
      )}
      <ActionOutcome action={action} title="未能登记委托" />
    </details>
  );
}

function EntrustBody(props: {
  department: string;
  inspectorId: string;
  setInspectorId: (v: string) => void;
  regions: string;
  setRegions: (v: string) => void;
  unit: string;
  setUnit: (v: string) => void;
  reason: string;
  setReason: (v: string) => void;
  busy: boolean;
  onSubmit: () => void;
}) {
  const roster = useRoster(props.department);
  return (
    <form
      class="work"
      data-testid="entrust-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <RuleNote rule="R21">
        对检查对象所在地没有管辖权的检查人员，须由有管辖权的上级业务部门委托后方可执法。名录快照前登记的委托进入人员抽取；之后登记的，可用于补足空缺或更换。
      </RuleNote>
      <label for="entrust-who">被委托的检查人员</label>
      <Async state={roster} what="本部门检查人员名录">
        {(people) => (
          <select
            id="entrust-who"
            value={props.inspectorId}
            onChange={(e) => props.setInspectorId(e.currentTarget.value)}
            data-testid="entrust-person"
            required
          >
            <option value="">请选择</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}（{p.id}；管辖 {p.jurisdiction.join('、') || '—'}）
              </option>
            ))}
          </select>
        )}
      </Async>
      <label for="entrust-regions">委托执法的区划代码或前缀（逗号或空格分隔，如 310115 或 3101）</label>
      <input
        id="entrust-regions"
        type="text"
        value={props.regions}
        onInput={(e) => props.setRegions(e.currentTarget.value)}
        data-testid="entrust-regions"
        required
      />
      <label for="entrust-unit">委托单位（上级业务部门）</label>
      <input
        id="entrust-unit"
        type="text"
        value={props.unit}
        onInput={(e) => props.setUnit(e.currentTarget.value)}
        data-testid="entrust-unit"
        required
      />
      <label for="entrust-reason">委托理由</label>
      <textarea
        id="entrust-reason"
        rows={2}
        value={props.reason}
        onInput={(e) => props.setReason(e.currentTarget.value)}
        data-testid="entrust-reason"
        required
      />
      <div class="actions">
        <button type="submit" class="secondary" disabled={props.busy} data-testid="entrust-submit">
          登记委托
        </button>
      </div>
    </form>
  );
}

/**
 * Issue J: the notices of a visit (部门联合检查通知书, Zibo rules art. 17): made by the lead's
 * coordinator with the day of the visit, who to call and what to prepare; the hub makes the PDF
 * (departments and items of the visit) and keeps it. A task not to be announced has none.
 */
function Notices({
  task,
  visit,
  announcer,
  onChanged,
}: {
  task: WorkTask;
  visit: TeamVisit;
  announcer: boolean;
  onChanged: () => void;
}) {
  const action = useAction();
  const [visitOn, setVisitOn] = useState('');
  const [contact, setContact] = useState('');
  const [requirements, setRequirements] = useState(
    '请准备营业执照、相关许可证件及与检查事项有关的台账资料，并安排熟悉情况的人员配合检查。',
  );
  const [opened, setOpened] = useState<Record<string, string>>({});
  const open = async (path: string, id: string) => {
    const url = URL.createObjectURL(await readDocument(path));
    setOpened((o) => ({ ...o, [id]: url }));
  };
  return (
    <div class="notices" data-testid="notices">
      {visit.notices.map((n) => (
        <p key={n.id} data-testid="notice" data-visit-on={n.visitOn} data-sha256={n.pdfSha256}>
          通知书：检查日期 {n.visitOn}（{chinaDateTime(n.issuedAt)} 制作）{' '}
          <code class="meta">{n.pdfSha256.slice(0, 12)}</code>{' '}
          {opened[n.id] ? (
            <a href={opened[n.id]} download={`通知书-${visit.key}-${n.visitOn}.pdf`} data-testid="notice-download">
              保存 PDF
            </a>
          ) : (
            <button
              type="button"
              class="link"
              data-testid="notice-open"
              onClick={() => void action.run(() => open(n.documentPath, n.id))}
            >
              查看
            </button>
          )}
        </p>
      ))}
      {announcer ? (
        <details>
          <summary data-testid="notice-make">制作检查通知书</summary>
          <form
            class="work"
            onSubmit={(e) => {
              e.preventDefault();
              void action.run(async () => {
                const made = (
                  await run('WorkTaskMakeNotice', {
                    input: {
                      taskId: task.id,
                      targetKey: visit.key,
                      visitOn,
                      contact: contact || null,
                      requirements: requirements || null,
                    },
                  })
                ).data!.jointMakeNotice;
                onChanged();
                return `已制作通知书（检查日期 ${made.visitOn}），可下载后送达检查对象。`;
              });
            }}
          >
            <label>
              检查日期
              <input
                type="date"
                required
                data-testid="notice-date"
                value={visitOn}
                onInput={(e) => setVisitOn(e.currentTarget.value)}
              />
            </label>
            <label>
              联系人及电话
              <input
                type="text"
                data-testid="notice-contact"
                value={contact}
                onInput={(e) => setContact(e.currentTarget.value)}
              />
            </label>
            <label>
              配合检查的要求
              <textarea
                rows={2}
                data-testid="notice-requirements"
                value={requirements}
                onInput={(e) => setRequirements(e.currentTarget.value)}
              />
            </label>
            <div class="actions">
              <button type="submit" data-testid="notice-submit" disabled={action.busy}>
                制作通知书
              </button>
            </div>
          </form>
          <RuleNote rule="R16">
            检查前以书面等形式告知检查对象检查时间和配合要求；不宜告知的检查（创建任务时选定）不发放通知书。
          </RuleNote>
        </details>
      ) : null}
      <ActionOutcome action={action} title="通知书未能完成" />
    </div>
  );
}
