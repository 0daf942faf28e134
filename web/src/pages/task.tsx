import { useState } from 'preact/hooks';
import { HubError, run } from '../api/client';
import { departmentName } from '../api/departments';
import { currentSession } from '../api/session';
import type { TaskSummary } from '../api/types';
import { Async, ErrorNotice, useAsync } from '../components/async';
import { useDepartments } from '../components/department-name';
import { FiguresTable } from '../components/figures-table';
import { CHECK_LABEL, NotARecord, verifyRecord, type BrowserVerification, type Verdict } from '../draw/verify';
import { chinaDateTime } from '../format';
import { label, STRATUM, TASK_STATUS } from '../labels';
import type { PublicDrawRecord } from '../../../subgraphs/joint/draw/record';
import { TrainingMark } from '../components/training';

function download(name: string, record: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const VERDICTS: Record<Verdict, { cls: string; text: string; detail: (kind: BrowserVerification['kind']) => string }> =
  {
    verified: {
      cls: 'ok',
      text: '已验证',
      detail: (kind) =>
        kind === 'teams'
          ? '重演得到的检查组与记录完全一致，且是本任务的抽取。'
          : '在浏览器中重演抽取，得到的名单和检查批次与本任务公布的完全一致。',
    },
    public: {
      cls: 'partial',
      text: '公开记录核验通过',
      detail: () =>
        '承诺值、见证号码、批次和计数均一致。完整重演需要含每户信用风险类别的完整记录（内部信息，由审计人员持有）：审计人员登录后可在本页重演，或载入已保存的完整记录文件。',
    },
    'awaiting-lock': {
      cls: 'partial',
      text: '待锁定后核验',
      detail: () => '抽取结果已公布，未发现不一致；随机数在名单锁定后公开（R17），届时即可核验承诺值并重演。',
    },
    failed: { cls: 'failed', text: '核验未通过', detail: () => '下列标 ✗ 的项目不一致，请注意差异所在。' },
  };

/** The verdict and every check, ✓ or ✗ (! for a warning), with where a re-play differs. */
export function VerificationReport({ result, source }: { result: BrowserVerification; source: string }) {
  const verdict = VERDICTS[result.verdict];
  return (
    <section
      class={`verification ${verdict.cls}`}
      data-testid="verification"
      data-verdict={result.verdict}
      aria-live="polite"
    >
      <p class="verdict" data-testid="verification-status">
        {verdict.text}
      </p>
      <p>
        {verdict.detail(result.kind)}（核验对象：{source}）
      </p>
      <ul class="checks">
        {result.checks.map((c) => (
          <li
            key={c.check}
            class={c.ok ? 'pass' : 'fail'}
            data-testid="check"
            data-check={c.check}
            data-ok={String(c.ok)}
          >
            <span aria-hidden="true">{c.ok ? (c.warning ? '!' : '✓') : '✗'}</span> {CHECK_LABEL[c.check] ?? c.check}
            <span class="detail">{c.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DrawRecordView({ task, record }: { task: TaskSummary; record: PublicDrawRecord }) {
  const departments = useDepartments();
  const [result, setResult] = useState<{ verification: BrowserVerification; source: string } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const session = currentSession();
  const auditor = session?.role === 'AUDITOR' || session?.role === 'HUB_ADMIN';
  // What the record holds depends on how far the task went: committed, snapshot, drawn, locked (or cancelled on the
  // way).
  const snapshotTaken = record.snapshot.hash !== '';
  const drawn = record.drawnAt !== null;
  const cancelled = task.status === 'CANCELLED';
  const verify = (value: unknown, source: string) => {
    try {
      setProblem(null);
      setResult({ verification: verifyRecord(value, record), source });
    } catch (error) {
      setResult(null);
      setProblem(error instanceof NotARecord ? new HubError('BAD_USER_INPUT', error.message) : error);
    }
  };
  const replayFull = async () => {
    setBusy(true);
    try {
      const answer = await run('TaskFullDrawRecord', { id: task.id });
      verify(answer.data!.jointTask!.fullRecord, '完整记录（审计）');
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h2>抽取记录</h2>
      <dl class="facts record" data-testid="record">
        <dt>算法</dt>
        <dd>{record.algorithm}</dd>
        <dt>随机数承诺值（SHA-256）</dt>
        <dd class="hash">{record.commitment}</dd>
        <dt>随机数</dt>
        <dd class="hash" data-testid="secret">
          {record.secret ?? '锁定名单后公开'}
        </dd>
        <dt>公开见证来源</dt>
        <dd>
          {record.witness.source}（{record.witness.availableOn} 公布，{record.witness.numbers} 个号码）
        </dd>
        <dt>见证号码</dt>
        <dd data-testid="witness">{record.witness.value ?? '尚未录入'}</dd>
        <dt>名录快照哈希</dt>
        <dd class="hash" data-testid="snapshot-hash">
          {snapshotTaken ? record.snapshot.hash : '尚未确认名录库（摇号前确认并公布其哈希值，R9）'}
        </dd>
        <dt>名录户数</dt>
        <dd>{snapshotTaken ? record.snapshot.size : '—'}</dd>
        <dt>快照时间</dt>
        <dd>{snapshotTaken ? chinaDateTime(record.snapshot.takenAt) : '—'}</dd>
        <dt>排除对象（R14）</dt>
        <dd>
          本年度已被抽查两次 {record.exclusions?.inspectedTwiceThisYear ?? 0} 户；近期已检查{' '}
          {record.exclusions?.recentlyInspected ?? 0} 户
          {record.exclusions?.overLimitReason && `；超出上限的理由：${record.exclusions.overLimitReason}`}
        </dd>
        <dt>摇号时间</dt>
        <dd>{chinaDateTime(record.drawnAt)}</dd>
        <dt>锁定时间</dt>
        <dd>{chinaDateTime(record.lockedAt)}</dd>
      </dl>
      {!drawn ? (
        <p class="notice" data-testid="not-drawn">
          {cancelled
            ? '此任务在摇号前已取消，没有抽取结果可核验；承诺值和取消原因保留在记录中。'
            : `尚未摇号：见证号码将于 ${record.witness.availableOn} ` +
              `由“${record.witness.source}”公布，摇号后在此公示抽取结果并可核验。请记下上面的承诺值${snapshotTaken ? '和名录快照哈希值' : ''}：它们在见证号码公布之前就已确定。`}
        </p>
      ) : (
        <>
          <FiguresTable
            className="strata"
            rows={record.strata}
            rowKey={(s) => s.stratum}
            testId="stratum"
            columns={[
              { label: '信用风险类别', value: (s) => label(STRATUM, s.stratum) },
              { label: '名录户数', field: 'eligible', value: (s) => s.eligible },
              { label: '抽查比例', value: (s) => `${s.ratioBasisPoints / 100}%` },
              { label: '抽中户数', field: 'drawn', value: (s) => s.drawn },
            ]}
          />
          <section class="verify-actions">
            <h2>在浏览器中重演核验</h2>
            <p>
              核验在您的浏览器中完成，使用与命令 <code>npm run verify-draw</code> 相同的算法（{record.algorithm}
              ）：随机数与承诺值是否一致、名单与批次是否由公布的输入得出。
            </p>
            <div class="row wrap">
              <button type="button" onClick={() => verify(record, '公开记录')} data-testid="verify-public">
                核验公开记录
              </button>
              {auditor && (
                <button type="button" onClick={replayFull} disabled={busy} data-testid="verify-full">
                  载入完整记录并重演
                </button>
              )}
              <button type="button" class="secondary" onClick={() => download(`draw-record-${task.id}.json`, record)}>
                下载公开记录（JSON）
              </button>
              <label class="file-button">
                核验已保存的记录文件…
                <input
                  class="visually-hidden"
                  type="file"
                  accept="application/json,.json"
                  data-testid="record-file"
                  onChange={async (e) => {
                    const file = e.currentTarget.files?.[0];
                    if (!file) return;
                    try {
                      verify(JSON.parse(await file.text()), `文件 ${file.name}`);
                    } catch (error) {
                      setResult(null);
                      setProblem(
                        error instanceof SyntaxError
                          ? new HubError('BAD_USER_INPUT', `文件 ${file.name} 不是有效的 JSON。`)
                          : error,
                      );
                    }
                  }}
                />
              </label>
            </div>
            {problem !== null && <ErrorNotice error={problem} title="无法核验" />}
            {result && <VerificationReport result={result.verification} source={result.source} />}
          </section>
          <h2>抽中名单（按检查批次，R15）</h2>
          <p class="meta">
            共 {record.drawn.length} 户，{record.batches.length} 个批次，每批 {record.batchSize} 户；牵头部门：
            {departmentName(departments, record.task.leadDepartment)}。
          </p>
          <DrawnList batches={record.batches} />
        </>
      )}
    </>
  );
}

/** The batches with each target's registered name (public registration data). */
function DrawnList({ batches }: { batches: string[][] }) {
  const keys = batches.flat();
  const state = useAsync(
    async (signal) => {
      const usccs = keys.filter((k) => /^[0-9A-Z]{18}$/.test(k)).slice(0, 1000);
      if (usccs.length === 0) return new Map<string, string>();
      const answer = await run('EntitiesByUscc', { usccs }, { signal });
      return new Map(answer.data!.marketEntities.map((e) => [e.uscc, e.name]));
    },
    [keys.join(',')],
  );
  const named = state.status === 'done' ? state.value : new Map<string, string>();
  return (
    <ol class="batches" data-testid="batches">
      {batches.map((batch, i) => (
        <li key={i}>
          <details open={i === 0}>
            <summary>
              第 {i + 1} 批（{batch.length} 户）
            </summary>
            <ul>
              {batch.map((key) => (
                <li key={key} data-testid="drawn">
                  {/^[0-9A-Z]{18}$/.test(key) ? <a href={`/entity/${key}`}>{named.get(key) ?? key}</a> : key}
                  <span class="uscc">{key}</span>
                </li>
              ))}
            </ul>
          </details>
        </li>
      ))}
    </ol>
  );
}

/** A task: its status, its public draw record, and the re-play (R9, R15, R16, R17). */
export function TaskPage({ id }: { id: string }) {
  const departments = useDepartments();
  const state = useAsync(
    async (signal) => {
      const task = (await run('TaskDrawRecord', { id }, { signal })).data!.jointTask;
      // publicRecord is a JSONObject in the schema: what it holds is the draw's own type.
      return task && { ...task, publicRecord: task.publicRecord as unknown as PublicDrawRecord };
    },
    [id],
  );
  return (
    <Async state={state} what="抽查任务">
      {(task) =>
        !task ? (
          <p class="empty">未找到这项抽查任务。</p>
        ) : (
          <article data-testid="task-detail">
            <p class="crumbs">
              <a href={`/plans/${task.planId}`}>← 所属抽查计划</a>
            </p>
            <h1>
              {task.name} <TrainingMark training={task.training} />
            </h1>
            <p class="meta">
              {task.year} 年 · 牵头：{departmentName(departments, task.leadDepartment)} · 状态：
              <span data-testid="task-status">{label(TASK_STATUS, task.status)}</span>
              {task.cancelReason && ` · 取消原因：${task.cancelReason}`}
            </p>
            <DrawRecordView task={task} record={task.publicRecord} />
          </article>
        )
      }
    </Async>
  );
}
