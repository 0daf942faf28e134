import { run } from '../api/client';
import { useAsync } from './async';

/*
 * A training hub (培训/演练环境, JOINTCHECK_MODE=training): its plans, tasks, draws and results are
 * practice, never a real inspection, and every page says so; each training record is marked too.
 */

/** The banner every page shows in a training hub (nothing elsewhere). */
export function TrainingBanner() {
  const state = useAsync(async (signal) => (await run('HubMode', {}, { signal })).data!.jointTrainingClock, []);
  if (state.status !== 'done' || !state.value.training) return null;
  return (
    <p class="notice warn training" role="note" data-testid="training-banner">
      培训/演练环境：本站的抽查计划、任务、摇号记录、检查码和检查结果都是演练数据，不是正式的双随机抽查，不能作为执法或信用依据。平台日期：
      {state.value.today}。
    </p>
  );
}

/** The mark of one training record (a plan, a task, a visit checked by its code). */
export function TrainingMark({ training }: { training: boolean }) {
  return training ? (
    <span class="badge training" data-testid="training-mark" title="在培训/演练环境中生成：不是正式抽查">
      演练
    </span>
  ) : null;
}
