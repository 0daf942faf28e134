import { useEffect, useState } from 'preact/hooks';
import { run, type ResultOf } from '../api/client';
import { departmentName } from '../api/departments';
import { useDepartments } from '../components/department-name';

type Progress = NonNullable<NonNullable<ResultOf<'TaskSnapshotProgress'>['jointTask']>['snapshotProgress']>;

/**
 * While a snapshot is being taken (`running`): the rows of each department's roster read so far,
 * asked of the hub every second (R9), and the time it has taken. The joint service taking it knows
 * the counts (and keeps the final ones a minute); when another one answers (several joint services,
 * issue L) the page says the work is under way without them.
 */
export function SnapshotProgressView({ taskId, running }: { taskId: string; running: boolean }) {
  const departments = useDepartments();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setProgress(null);
    setSeconds(0);
    const started = Date.now();
    let stopped = false;
    const ask = async () => {
      try {
        const answer = await run('TaskSnapshotProgress', { id: taskId });
        if (!stopped && answer.data?.jointTask?.snapshotProgress) setProgress(answer.data.jointTask.snapshotProgress);
      } catch {
        // Progress is a courtesy: the snapshot's own answer says how it ended.
      }
    };
    const timer = setInterval(() => {
      setSeconds(Math.round((Date.now() - started) / 1000));
      void ask();
    }, 1000);
    void ask();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [running, taskId]);
  if (!running) return null;
  return (
    <div class="work-panel" role="status" aria-live="polite" data-testid="snapshot-progress">
      <p>
        {progress?.finishedAt
          ? '各部门名录已读取完毕，正在保存快照…'
          : '正在从各部门名录库分页读取检查对象、排除本年度已抽查两次和近期已检查的对象、冻结各部门检查人员名录…'}
        已用时 <span data-testid="snapshot-elapsed">{seconds}</span> 秒
      </p>
      {progress ? (
        <ul>
          {progress.departments.map((d) => (
            <li
              key={d.department}
              data-testid="snapshot-progress-department"
              data-department={d.department}
              data-rows={d.rowsRead}
              data-done={String(d.done)}
            >
              {departmentName(departments, d.department)}：已读取 {d.rowsRead.toLocaleString('zh-CN')} 条
              {d.done ? '（完成）' : '…'}
            </li>
          ))}
        </ul>
      ) : (
        <p class="meta">正在等待平台报告读取进度（名录较大时可能需要几分钟，请勿关闭页面）。</p>
      )}
      <progress data-testid="snapshot-progress-bar" />
    </div>
  );
}
