import { useRef, useState } from 'preact/hooks';
import { HubError, run } from '../api/client';
import type { WebOperationName } from '../api/generated';
import { departmentName } from '../api/departments';
import { useDepartments } from '../components/department-name';
import { ErrorNotice } from '../components/async';
import { CSV_COLUMNS, REJECT_KEY_COLUMNS, type ImportKind } from '../../../subgraphs/department-kernel/csv-columns';
import { ForRoles, RuleNote, SignedIn } from './common';
import { csvParts } from './csv-parts';

/** The import operation of each of the hub's own departments (operations/web/work-import.graphql). */
const IMPORT_OPERATION: Record<string, Extract<WebOperationName, `Import${string}Csv`>> = {
  market: 'ImportMarketCsv',
  tax: 'ImportTaxCsv',
  environment: 'ImportEnvironmentCsv',
  housing: 'ImportHousingCsv',
  fire: 'ImportFireCsv',
};

/** The page's own "stop" while a wait is counted down. */
const STOPPED = Symbol('stopped');

const KIND_NAME: Record<ImportKind, string> = {
  targets: '检查对象名录',
  inspectors: '执法检查人员名录',
  checklist: '抽查事项清单',
};

interface Rejected {
  line: number;
  key: Array<{ column: string; value: string }>;
  reason: string;
}

interface Progress {
  /** What the file holds (the report's columns are this kind's). */
  kind: ImportKind;
  /** Set while the hub's limit on changes is waited out: seconds left. */
  waiting: number | null;
  parts: number;
  partsDone: number;
  rows: number;
  read: number;
  imported: number;
  unchanged: number;
  rejected: Rejected[];
  /** Set when the import stopped before the end: why, and that the parts before were stored. */
  stopped: unknown;
  finished: boolean;
}

/** A CSV cell, quoted when it holds a comma, a quote or a line break. */
const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function downloadRejects(kind: ImportKind, rejected: Rejected[]) {
  const header = ['line', ...REJECT_KEY_COLUMNS[kind], 'reason'].join(',');
  const lines = rejected.map((r) =>
    [
      String(r.line),
      ...REJECT_KEY_COLUMNS[kind].map((c) => cell(r.key.find((k) => k.column === c)?.value ?? '')),
      cell(r.reason),
    ].join(','),
  );
  const url = URL.createObjectURL(new Blob([[header, ...lines].join('\n') + '\n'], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${kind}.rejects.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * R6 batch import in the workspace: a department admin chooses what the file holds and the file;
 * the page sends it in parts (each with the header) and shows the progress part by part, then the
 * report row by row: each rejected row with its line in the file, its key and the hub's reason. A
 * rejected row does not stop the others; sending the same file again stores nothing twice.
 */
function ImportForm({ department }: { department: string }) {
  const [kind, setKind] = useState<ImportKind>('targets');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const stop = useRef(false);
  const operation = IMPORT_OPERATION[department];
  const running = progress !== null && !progress.finished;

  const start = async () => {
    if (!file || !operation) return;
    setProblem(null);
    const { parts, rows } = csvParts(file.text);
    if (parts.length === 0) {
      setProblem(new HubError('BAD_USER_INPUT', '文件没有数据行：第一行是列名，其后每行一条记录。'));
      return;
    }
    stop.current = false;
    let state: Progress = {
      kind,
      waiting: null,
      parts: parts.length,
      partsDone: 0,
      rows,
      read: 0,
      imported: 0,
      unchanged: 0,
      rejected: [],
      stopped: null,
      finished: false,
    };
    setProgress(state);
    const stopped = () =>
      new HubError(
        'STOPPED',
        `已按您的要求停止：前 ${state.partsDone} 部分（${state.read} 行）已处理，其余未发送。再次导入同一文件不会重复保存。`,
      );
    for (const part of parts) {
      if (stop.current) {
        state = { ...state, stopped: stopped() };
        break;
      }
      try {
        const answer = await sendPart(part, (seconds) => {
          state = { ...state, waiting: seconds };
          setProgress(state);
        });
        state = { ...state, waiting: null };
        const report = Object.values(answer.data!)[0]!;
        state = {
          ...state,
          partsDone: state.partsDone + 1,
          read: state.read + report.read,
          imported: state.imported + report.imported,
          unchanged: state.unchanged + report.unchanged,
          rejected: [...state.rejected, ...report.rejected],
        };
      } catch (error) {
        state = { ...state, waiting: null, stopped: error === STOPPED ? stopped() : error };
        break;
      }
      setProgress(state);
    }
    setProgress({ ...state, finished: true });
  };

  /**
   * Sends one part. The hub limits each caller's changes a minute (a large file is many parts):
   * when it says to wait (RATE_LIMITED, with the seconds), the page waits that long, counting
   * down, and sends the same part again; nothing of a refused call was stored.
   */
  const sendPart = async (part: { csv: string; lineOffset: number }, onWait: (seconds: number) => void) => {
    for (;;) {
      try {
        return await run(operation!, { kind, csv: part.csv, lineOffset: part.lineOffset });
      } catch (error) {
        if (!(error instanceof HubError) || error.code !== 'RATE_LIMITED') throw error;
        const after = Number(error.errors[0]?.extensions?.retryAfterSeconds ?? 10);
        for (let left = Math.max(1, Math.ceil(after)); left > 0; left--) {
          if (stop.current) throw STOPPED;
          onWait(left);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    }
  };

  const columns = CSV_COLUMNS[kind];
  return (
    <form
      class="work"
      data-testid="import-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <label for="import-kind">文件内容</label>
      <select
        id="import-kind"
        data-testid="import-kind"
        value={kind}
        disabled={running}
        onChange={(e) => {
          setKind((e.target as HTMLSelectElement).value as ImportKind);
          setProgress(null);
        }}
      >
        {(Object.keys(KIND_NAME) as ImportKind[]).map((k) => (
          <option key={k} value={k}>
            {KIND_NAME[k]}（{k}）
          </option>
        ))}
      </select>
      <p class="meta" data-testid="import-columns">
        第一行为列名，顺序不限。必填列：<code>{columns.required.join(', ')}</code>；可选列：
        <code>{columns.optional.join(', ')}</code>。单元格内的多个值用“;”分隔。
      </p>
      <label for="import-file">CSV 文件（UTF-8）</label>
      <input
        id="import-file"
        type="file"
        accept=".csv,text/csv"
        data-testid="import-file"
        disabled={running}
        onChange={async (e) => {
          const chosen = (e.target as HTMLInputElement).files?.[0];
          setProgress(null);
          setFile(chosen ? { name: chosen.name, text: await chosen.text() } : null);
        }}
      />
      <div class="actions">
        <button type="submit" data-testid="import-start" disabled={!file || running}>
          {running ? '正在导入…' : '开始导入'}
        </button>
        {running ? (
          <button type="button" class="secondary" data-testid="import-stop" onClick={() => (stop.current = true)}>
            停止
          </button>
        ) : null}
      </div>
      {problem ? <ErrorNotice error={problem} title="无法导入" /> : null}
      {progress ? <ImportReportView fileName={file?.name ?? ''} progress={progress} /> : null}
    </form>
  );
}

function ImportReportView({ fileName, progress }: { fileName: string; progress: Progress }) {
  const { kind, waiting, parts, partsDone, rows, read, imported, unchanged, rejected, stopped, finished } = progress;
  return (
    <section class="work-panel" data-testid="import-report" data-finished={String(finished)} aria-live="polite">
      <h2>导入结果：{fileName}</h2>
      <progress max={parts} value={partsDone} data-testid="import-progress" />
      <p data-testid="import-progress-text">
        已处理 {partsDone}/{parts} 部分，{read}/{rows} 行{finished ? (stopped ? '（已停止）' : '，完成') : '…'}
      </p>
      {waiting !== null && !finished ? (
        <p class="notice" data-testid="import-waiting">
          平台限制每人每分钟提交的次数：{waiting} 秒后继续发送下一部分（已发送的部分已保存）。
        </p>
      ) : null}
      <dl class="figures">
        <dt>读取</dt>
        <dd data-testid="import-read">{read}</dd>
        <dt>已保存</dt>
        <dd data-testid="import-imported">{imported}</dd>
        <dt>已是最新（未重复保存）</dt>
        <dd data-testid="import-unchanged">{unchanged}</dd>
        <dt>被拒绝</dt>
        <dd data-testid="import-rejected">{rejected.length}</dd>
      </dl>
      {stopped ? <ErrorNotice error={stopped} title="导入未完成" /> : null}
      {rejected.length ? (
        <>
          <RuleNote rule="R6">
            每一行都按平台接口的同一规则核对；被拒绝的行不影响其他行，修改后可重新导入整个文件，已保存的行不会重复保存。
          </RuleNote>
          <div class="table-scroll">
            <table data-testid="import-rejects">
              <thead>
                <tr>
                  <th>行号</th>
                  {REJECT_KEY_COLUMNS[kind].map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                  <th>原因</th>
                </tr>
              </thead>
              <tbody>
                {rejected.map((r) => (
                  <tr key={r.line} data-testid="import-reject" data-line={r.line}>
                    <td>{r.line}</td>
                    {REJECT_KEY_COLUMNS[kind].map((c) => (
                      <td key={c}>{r.key.find((k) => k.column === c)?.value ?? ''}</td>
                    ))}
                    <td data-testid="import-reject-reason">{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {finished ? (
            <button
              type="button"
              class="secondary"
              data-testid="import-download-rejects"
              onClick={() => downloadRejects(kind, rejected)}
            >
              下载被拒绝的行（CSV）
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** /work/import: a department admin's CSV import (R6). */
export function ImportWorkPage() {
  const departments = useDepartments();
  return (
    <SignedIn>
      {(session) => (
        <section>
          <p class="crumbs">
            <a href="/work">业务办理</a> › 数据导入
          </p>
          <h1>数据导入{session.department ? `（${departmentName(departments, session.department)}）` : ''}</h1>
          <RuleNote rule="R6">
            检查对象名录按“谁审批、谁监管，谁主管、谁监管”由各部门维护，支持批量导入；执法检查人员和抽查事项清单同样由本部门导入。
          </RuleNote>
          <ForRoles session={session} roles={['DEPT_ADMIN']}>
            {session.department && IMPORT_OPERATION[session.department] ? (
              <ImportForm department={session.department} />
            ) : (
              <p class="notice" data-testid="import-elsewhere">
                本部门的名录和清单保存在本部门自己的业务系统中，平台通过接口读取：请在该系统中导入（R6）。
              </p>
            )}
          </ForRoles>
        </section>
      )}
    </SignedIn>
  );
}
