import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { HubError, run } from '../api/client';
import { departmentName } from '../api/departments';
import { Async, ErrorNotice, useAsync } from '../components/async';
import { useDepartments } from '../components/department-name';
import { FiguresTable } from '../components/figures-table';
import { TrainingMark } from '../components/training';

/** The form of an inspection code (检查码) as issued: JC- and four groups of four. */
function normaliseCode(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, '');
}

/**
 * R32 (凭码评价): the business rates the visit or complains about it against the code; the lead
 * department's coordinators read it on the visit. Nothing identifies who wrote it.
 */
function Feedback({ code }: { code: string }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [complaint, setComplaint] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const send = async (request: () => Promise<unknown>, done: string) => {
    setProblem(null);
    try {
      await request();
      setSent(done);
    } catch (error) {
      setProblem(error);
    }
  };
  if (sent)
    return (
      <p class="notice" role="status" data-testid="feedback-sent">
        {sent}
      </p>
    );
  return (
    <section class="feedback" data-testid="feedback">
      <h3>评价这次检查</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (rating < 1) return setProblem(new HubError('BAD_USER_INPUT', '请先选择 1 到 5 星。'));
          void send(
            () => run('RateVisit', { code, rating, comment: comment.trim() || null }),
            '感谢评价：牵头部门将看到您的评价。',
          );
        }}
      >
        <fieldset class="stars">
          <legend>满意度</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n}>
              <input
                type="radio"
                name="rating"
                value={String(n)}
                checked={rating === n}
                onChange={() => setRating(n)}
              />
              {n} 星
            </label>
          ))}
        </fieldset>
        <label for="rating-comment">意见（可选）</label>
        <textarea
          id="rating-comment"
          rows={2}
          maxLength={2000}
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <button type="submit">提交评价</button>
      </form>
      <details>
        <summary>投诉这次检查</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!complaint.trim()) return setProblem(new HubError('BAD_USER_INPUT', '请写明投诉内容。'));
            void send(
              () => run('ComplainAboutVisit', { code, text: complaint.trim() }),
              '投诉已提交：牵头部门将看到并处理。',
            );
          }}
        >
          <label for="complaint-text">投诉内容</label>
          <textarea
            id="complaint-text"
            rows={3}
            maxLength={2000}
            value={complaint}
            onInput={(e) => setComplaint(e.currentTarget.value)}
          />
          <button type="submit">提交投诉</button>
        </form>
      </details>
      {problem !== null && <ErrorNotice error={problem} title="未能提交" />}
    </section>
  );
}

function CodeResult({ code }: { code: string }) {
  const departments = useDepartments();
  const state = useAsync(
    async (signal) => (await run('CheckInspectionCode', { code }, { signal })).data!.jointCheckInspectionCode,
    [code],
  );
  return (
    <Async state={state} what="核验结果">
      {(check) =>
        check.genuine ? (
          <section class="verification ok" data-testid="code-result" data-genuine="true">
            <p class="verdict">真实有效</p>
            <p>检查码 {code} 属于平台登记的一次抽查检查。请核对上门人员的姓名和执法证号与下列一致。</p>
            {check.training && (
              <p class="notice warn" data-testid="code-training">
                <TrainingMark training /> 这是培训/演练环境中的一次演练检查，不是正式的行政检查。
              </p>
            )}
            <dl class="facts">
              <dt>抽查任务</dt>
              <dd data-testid="code-task">{check.taskName}</dd>
              <dt>年度</dt>
              <dd>{check.year}</dd>
              <dt>牵头部门</dt>
              <dd>{check.leadDepartment ? departmentName(departments, check.leadDepartment) : '—'}</dd>
              <dt>参与部门</dt>
              <dd>{check.departments.map((d) => departmentName(departments, d)).join('、')}</dd>
            </dl>
            <h3>检查人员</h3>
            <FiguresTable
              className="inspectors"
              rows={check.inspectors}
              rowKey={(i) => `${i.department}-${i.name}-${i.certificateNo}`}
              testId="code-inspector"
              columns={[
                { label: '部门', value: (i) => departmentName(departments, i.department) },
                { label: '姓名', field: 'name', value: (i) => i.name },
                { label: '执法证号', field: 'certificateNo', value: (i) => i.certificateNo ?? '—' },
              ]}
            />
            <h3>检查事项及依据</h3>
            <ul class="code-items">
              {check.items.map((i) => (
                <li key={`${i.department}-${i.code}`} data-testid="code-item">
                  <strong>{i.title}</strong>（{departmentName(departments, i.department)}，{i.code}）
                  <span class="meta">依据：{i.basis}</span>
                </li>
              ))}
            </ul>
            <Feedback code={code} />
          </section>
        ) : (
          <section class="verification failed" data-testid="code-result" data-genuine="false">
            <p class="verdict">未找到此检查码</p>
            <p>
              检查码 {code} 没有对应的登记检查。请核对输入；如确系上门人员出示，请拒绝检查并向所属部门或 12345
              热线反映，警惕冒充执法。
            </p>
          </section>
        )
      }
    </Async>
  );
}

/** Check an inspection code (检查码, R32): is the visit genuine, who, what. */
export function CodePage() {
  const { query, route } = useLocation();
  const code = query.code ? normaliseCode(query.code) : '';
  const [text, setText] = useState(code);
  return (
    <>
      <h1>检查码核验</h1>
      <p>
        执法检查人员上门时应出示检查码。输入检查码，即可核实这次检查是否真实登记、由哪些部门的哪些人员检查、检查哪些事项（R32）。
      </p>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          const value = normaliseCode(text);
          if (value) route(`/code?code=${encodeURIComponent(value)}`);
        }}
      >
        <label for="code-text">检查码</label>
        <div class="row">
          <input
            id="code-text"
            name="code"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            placeholder="JC-XXXX-XXXX-XXXX-XXXX"
            autocomplete="off"
            autocapitalize="characters"
          />
          <button type="submit">核验</button>
        </div>
      </form>
      {code && <CodeResult code={code} />}
    </>
  );
}
