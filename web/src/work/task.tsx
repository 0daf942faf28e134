import { useState } from 'preact/hooks';
import { HubError, required, run } from '../api/client';
import { departmentName } from '../api/departments';
import type { SessionIdentity } from '../api/session';
import type { WorkTaskQuery } from '../api/generated';
import { Async, useAsync } from '../components/async';
import { useDepartments } from '../components/department-name';
import { TrainingMark } from '../components/training';
import { chinaDateTime } from '../format';
import { label, STRATUM, TASK_STATUS } from '../labels';
import { DrawRecordView } from '../pages/task';
import type { PublicDrawRecord } from '../../../subgraphs/joint/draw/record';
import { ActionOutcome, CursorPager, RuleNote, SignedIn, useAction, useCursors, useHubToday } from './common';
import { TeamsSection } from './teams';
import { SnapshotProgressView } from './snapshot-progress';

/**
 * The workspace's task screen (issue I, /work/tasks/:id). The lead department's coordinator takes
 * the snapshot (R9, R14), enters the public witness once it is out and draws (R15, R16), locks
 * (R17) or cancels with a reason; everyone the task concerns sees its commitment, witness,
 * snapshot, strata, the drawn list and the draw record with its in-browser verification; once
 * locked, the teams (teams.tsx, R18-R21). The page offers the steps; the hub decides (R30).
 */

export type WorkTask = NonNullable<WorkTaskQuery['jointTask']>;

export function TaskWorkPage({ id }: { id: string }) {
  return <SignedIn>{(session) => <TaskWork id={id} session={session} />}</SignedIn>;
}

function TaskWork({ id, session }: { id: string; session: SessionIdentity }) {
  const departments = useDepartments();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const state = useAsync(
    async (signal) => {
      const answer = await run('WorkTask', { id }, { signal });
      return required(answer, answer.data?.jointTask, '这项抽查任务');
    },
    [id, version],
  );
  return (
    <Async state={state} what="抽查任务">
      {(task) => {
        const lead = session.role === 'COORDINATOR' && session.department === task.leadDepartment;
        const record = task.publicRecord as unknown as PublicDrawRecord;
        return (
          <article class="work-task" data-testid="work-task" data-status={task.status}>
            <p class="crumbs">
              <a href={`/work/plans/${task.planId}`}>← 所属抽查计划</a> · <a href={`/tasks/${task.id}`}>公开页面</a>
            </p>
            <h1>
              {task.name} <TrainingMark training={task.training} />
            </h1>
            <p class="meta">
              {task.year} 年 · 计划：{task.plan?.name ?? task.planId}（第 {task.planRevision} 版） · 牵头：
              {departmentName(departments, task.leadDepartment)} · 参与：
              {(task.plan?.departments ?? []).map((d) => departmentName(departments, d)).join('、')}
            </p>
            <p>
              状态：
              <strong data-testid="task-status" data-status={task.status}>
                {label(TASK_STATUS, task.status)}
              </strong>
              {task.cancelReason && <span data-testid="cancel-reason"> · 取消原因：{task.cancelReason}</span>}
            </p>
            <StepsTrail status={task.status} />
            <TaskFacts task={task} />
            {task.status !== 'CANCELLED' &&
              (lead ? (
                <LeadSteps task={task} onChanged={reload} />
              ) : (
                <p class="notice" data-testid="lead-only">
                  确认名录库、摇号、锁定和取消由牵头部门（{departmentName(departments, task.leadDepartment)}
                  ）的协调员办理（R16）。
                </p>
              ))}
            {task.drawnAt && (
              <DrawnTargets taskId={task.id} total={task.strata.reduce((n, s) => n + s.drawn, 0)} version={version} />
            )}
            <section class="work-panel" data-testid="record-panel">
              <DrawRecordView key={`${task.status}-${version}`} task={task} record={record} />
              <RuleNote rule="R9">抽取记录写明从哪一份名录快照抽取（快照哈希），任何人可用公开记录核验。</RuleNote>
            </section>
            {task.status === 'LOCKED' && task.plan && <TeamsSection task={task} session={session} />}
          </article>
        );
      }}
    </Async>
  );
}

const STEPS: Array<{ status: string; text: string }> = [
  { status: 'COMMITTED', text: '承诺随机数' },
  { status: 'SNAPSHOT_TAKEN', text: '确认名录库' },
  { status: 'DRAWN', text: '录入见证号码并摇号' },
  { status: 'LOCKED', text: '锁定名单' },
];

/** Where the task stands among its steps. */
function StepsTrail({ status }: { status: string }) {
  const at = STEPS.findIndex((s) => s.status === status);
  return (
    <ol class="steps-trail" aria-label="任务进度">
      {STEPS.map((s, i) => (
        <li
          key={s.status}
          class={status === 'CANCELLED' ? 'cancelled' : i <= at ? 'done' : i === at + 1 ? 'next' : undefined}
        >
          {s.text}
        </li>
      ))}
    </ol>
  );
}

/** The task's commitment, witness, snapshot and strata, as the hub answered. */
function TaskFacts({ task }: { task: WorkTask }) {
  return (
    <section class="work-panel" data-testid="task-facts">
      <h2>承诺、见证与名录快照</h2>
      <dl class="facts">
        <dt>随机数承诺值（SHA-256）</dt>
        <dd class="hash" data-testid="commitment">
          {task.commitment}
        </dd>
        <dt>公开见证来源</dt>
        <dd data-testid="witness-source">{task.witnessSource}</dd>
        <dt>见证号码公布日期</dt>
        <dd data-testid="witness-date">{task.witnessAvailableOn}</dd>
        <dt>见证号码个数</dt>
        <dd data-testid="witness-numbers">{task.witnessNumbers}</dd>
        <dt>见证号码</dt>
        <dd data-testid="witness-value">{task.witnessValue ?? '尚未录入'}</dd>
        <dt>名录快照户数</dt>
        <dd data-testid="snapshot-size">{task.snapshotSize ?? '尚未确认'}</dd>
        <dt>名录快照哈希</dt>
        <dd class="hash" data-testid="snapshot-hash-work">
          {task.snapshotHash ?? '尚未确认'}
        </dd>
        <dt>快照时间</dt>
        <dd>{chinaDateTime(task.snapshotTakenAt)}</dd>
        <dt>排除对象（R14）</dt>
        <dd data-testid="exclusions">
          {task.exclusions ? (
            <>
              本年度已被抽查两次 <span data-testid="excluded-twice">{task.exclusions.inspectedTwiceThisYear}</span>{' '}
              户；近期已检查 <span data-testid="excluded-recent">{task.exclusions.recentlyInspected}</span> 户
              {task.exclusions.overLimitReason && <>；超出上限的理由：{task.exclusions.overLimitReason}</>}
            </>
          ) : (
            '确认名录库时计算'
          )}
        </dd>
        <dt>摇号时间</dt>
        <dd>{chinaDateTime(task.drawnAt)}</dd>
        <dt>锁定时间</dt>
        <dd data-testid="locked-at">{chinaDateTime(task.lockedAt)}</dd>
      </dl>
      <RuleNote rule="R15">
        随机数在创建任务时已承诺（只公布其哈希值），见证号码是创建任务时尚未开出的公开开奖结果；种子由随机数、名录快照哈希和见证号码共同得出，任何一方都无法预先挑选结果。
      </RuleNote>
      {task.strata.length > 0 && (
        <div class="table-scroll">
          <table class="figures-table" data-testid="work-strata">
            <thead>
              <tr>
                <th>信用风险类别</th>
                <th>名录户数</th>
                <th>抽查比例</th>
                <th>抽中户数</th>
              </tr>
            </thead>
            <tbody>
              {task.strata.map((s) => (
                <tr key={s.stratum} data-testid="work-stratum" data-stratum={s.stratum}>
                  <td data-label="信用风险类别">{label(STRATUM, s.stratum)}</td>
                  <td data-label="名录户数" data-field="eligible">
                    {s.eligible}
                  </td>
                  <td data-label="抽查比例">{s.ratioBasisPoints / 100}%</td>
                  <td data-label="抽中户数" data-field="drawn">
                    {s.drawn}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The lead coordinator's next step by the task's status, and cancelling. */
function LeadSteps({ task, onChanged }: { task: WorkTask; onChanged: () => void }) {
  return (
    <section class="work-panel" data-testid="lead-steps">
      <h2>牵头部门办理</h2>
      {task.status === 'COMMITTED' && <SnapshotStep task={task} onChanged={onChanged} />}
      {task.status === 'SNAPSHOT_TAKEN' && <WitnessStep task={task} onChanged={onChanged} />}
      {task.status === 'DRAWN' && <LockStep task={task} onChanged={onChanged} />}
      {task.status === 'LOCKED' && (
        <p class="notice ok" data-testid="locked-note">
          名单已锁定，不再改变，已分派给各参与部门（R17）。各部门协调员在下方抽取本部门检查人员。
        </p>
      )}
      <CancelStep task={task} onChanged={onChanged} />
    </section>
  );
}

function SnapshotStep({ task, onChanged }: { task: WorkTask; onChanged: () => void }) {
  const action = useAction();
  const [reason, setReason] = useState('');
  const askedForReason =
    action.error instanceof HubError && action.error.errors.some((e) => e.extensions?.rule === 'R14');
  return (
    <form
      class="work"
      data-testid="snapshot-step"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await action.run(async () => {
          const answer = await run('WorkTaskTakeSnapshot', {
            taskId: task.id,
            overLimitReason: reason.trim() ? reason.trim() : null,
          });
          const t = answer.data!.jointTakeSnapshot;
          return `名录库已确认：${t.snapshotSize} 户，快照哈希 ${t.snapshotHash}。`;
        });
        if (ok) onChanged();
      }}
    >
      <h3>第一步：确认名录库（生成快照）</h3>
      <RuleNote rule="R9">
        摇号前确认名录库：平台通过牵头部门接口读取符合计划范围的全部检查对象，保存快照并公布其哈希值；同时冻结各参与部门的检查人员名录。快照须在见证号码公布日（
        {task.witnessAvailableOn}）之前生成。
      </RuleNote>
      <details open={askedForReason || reason !== ''}>
        <summary>需要超过每年两次的上限时，记录理由（R14）</summary>
        <RuleNote rule="R14">
          原则上同一对象一年最多抽查两次：本年度已被抽查两次的对象不进入快照，除非在此记录超出上限的理由（理由随记录公布）。
        </RuleNote>
        <label for="over-limit">超出上限的理由（一般留空）</label>
        <textarea
          id="over-limit"
          rows={2}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          data-testid="over-limit-reason"
        />
      </details>
      <div class="actions">
        <button type="submit" disabled={action.busy} data-testid="take-snapshot">
          确认名录库
        </button>
      </div>
      <SnapshotProgressView taskId={task.id} running={action.busy} />
      <ActionOutcome action={action} title="未能确认名录库" />
    </form>
  );
}

function WitnessStep({ task, onChanged }: { task: WorkTask; onChanged: () => void }) {
  const today = useHubToday();
  const action = useAction();
  const [value, setValue] = useState('');
  const out = today !== null && today >= task.witnessAvailableOn;
  return (
    <form
      class="work"
      data-testid="witness-step"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await action.run(async () => {
          const answer = await run('WorkTaskDrawTargets', { taskId: task.id, witnessValue: value });
          return `已摇号：见证号码 ${answer.data!.jointDrawTargets.witnessValue}。请核对抽取结果后锁定名单。`;
        });
        if (ok) onChanged();
      }}
    >
      <h3>第二步：录入见证号码并摇号</h3>
      <RuleNote rule="R16">牵头部门按计划比例从确认的名录库中公开、公平地抽取检查对象。</RuleNote>
      <RuleNote rule="R15">
        见证号码是“{task.witnessSource}”在 {task.witnessAvailableOn}{' '}
        公布的开奖结果：创建任务、承诺随机数和确认名录库时还无人知道它，因此谁也无法挑选抽取结果；检查批次的顺序也由同一种子随机排定。
      </RuleNote>
      {today === null ? (
        <p class="loading">正在读取平台日期…</p>
      ) : !out ? (
        <p class="notice" data-testid="witness-not-yet">
          今天是 {today}（平台日期）。见证号码将于 {task.witnessAvailableOn} 公布，届时在此录入并摇号。
        </p>
      ) : (
        <>
          <label for="witness">见证号码（共 {task.witnessNumbers} 个，按公布的号码录入，不含期号）</label>
          <input
            id="witness"
            type="text"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            placeholder="例如 05 11 16 23 28 32 + 07"
            data-testid="witness-input"
            required
          />
          <div class="actions">
            <button type="submit" disabled={action.busy} data-testid="draw-targets">
              {action.busy ? '正在摇号…' : '摇号'}
            </button>
          </div>
        </>
      )}
      <ActionOutcome action={action} title="未能摇号" />
    </form>
  );
}

function LockStep({ task, onChanged }: { task: WorkTask; onChanged: () => void }) {
  const action = useAction();
  return (
    <div data-testid="lock-step">
      <h3>第三步：锁定名单</h3>
      <RuleNote rule="R17">
        锁定后名单永不改变，并分派给各参与部门；同时公开随机数，任何人可据此重演摇号。锁定前请核对下方抽中名单和核验结果。
      </RuleNote>
      <div class="actions">
        <button
          type="button"
          disabled={action.busy}
          data-testid="lock-task"
          onClick={async () => {
            const ok = await action.run(async () => {
              const answer = await run('WorkTaskLock', { taskId: task.id });
              return `名单已锁定（${chinaDateTime(answer.data!.jointLockTask.lockedAt)}）。`;
            });
            if (ok) onChanged();
          }}
        >
          锁定名单
        </button>
      </div>
      <ActionOutcome action={action} title="未能锁定" />
    </div>
  );
}

function CancelStep({ task, onChanged }: { task: WorkTask; onChanged: () => void }) {
  const action = useAction();
  const [reason, setReason] = useState('');
  return (
    <details class="cancel-step" data-testid="cancel-step">
      <summary>取消任务（须说明理由）</summary>
      <form
        class="work"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = await action.run(async () => {
            await run('WorkTaskCancel', { taskId: task.id, reason });
            return '任务已取消，原因已记录。';
          });
          if (ok) onChanged();
        }}
      >
        <RuleNote rule="R17">
          取消不会抹去记录：承诺值、快照和已有的摇号结果保留并公开随机数。见证号码可能已公布时，须先摇号（摇号结果入档）再取消，不能借取消重新摇号。
        </RuleNote>
        <label for="cancel-reason">取消原因</label>
        <textarea
          id="cancel-reason"
          rows={2}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
          data-testid="cancel-reason-input"
          required
        />
        <div class="actions">
          <button type="submit" class="danger" disabled={action.busy} data-testid="cancel-task">
            取消任务
          </button>
        </div>
        <ActionOutcome action={action} title="未能取消" />
      </form>
    </details>
  );
}

const DRAWN_PAGE = 50;

/** The drawn targets in the drawn order (R15), a page at a time. */
function DrawnTargets({ taskId, total, version }: { taskId: string; total: number; version: number }) {
  // Cursors of the pages seen so far: the first page has none.
  const cursors = useCursors();
  const after = cursors.after;
  const state = useAsync(
    async (signal) => {
      const answer = await run('WorkTaskDrawn', { id: taskId, first: DRAWN_PAGE, after }, { signal });
      return required(answer, answer.data?.jointTask?.drawnPage, '抽中名单');
    },
    [taskId, after, version],
  );
  return (
    <section class="work-panel" data-testid="drawn-targets">
      <h2>抽中名单（按检查顺序，R15）</h2>
      <p class="meta">
        共 <span data-testid="drawn-total">{state.status === 'done' ? state.value.totalCount : total}</span> 户；第{' '}
        {cursors.pageNumber} 页，每页 {DRAWN_PAGE} 户。
      </p>
      <Async state={state} what="抽中名单">
        {(page) => (
          <>
            <div class="table-scroll">
              <table class="figures-table">
                <thead>
                  <tr>
                    <th>顺序</th>
                    <th>批次</th>
                    <th>检查对象</th>
                    <th>区划</th>
                  </tr>
                </thead>
                <tbody>
                  {page.nodes.map((t) => (
                    <tr key={t.key} data-testid="drawn-target" data-key={t.key}>
                      <td data-label="顺序">{t.position}</td>
                      <td data-label="批次">第 {t.batch} 批</td>
                      <td data-label="检查对象">
                        {t.uscc ? <a href={`/entity/${t.uscc}`}>{t.entity?.name ?? t.uscc}</a> : t.key}
                        <span class="uscc">{t.key}</span>
                      </td>
                      <td data-label="区划">{t.regionCode}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <CursorPager cursors={cursors} pageInfo={page.pageInfo} nextTestId="drawn-next" />
          </>
        )}
      </Async>
    </section>
  );
}
