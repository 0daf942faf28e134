import {
  RECORD_FORMAT,
  verifyDrawRecord,
  type FullDrawRecord,
  type PublicDrawRecord,
  type Verdict,
  type VerificationCheck,
} from '../../../subgraphs/joint/draw/record';
import { verifyTeamDrawRecord, type TeamDrawRecord } from '../../../subgraphs/joint/draw/teams';

/**
 * Re-plays a draw record in the browser with the modules `npm run verify-draw` uses
 * (subgraphs/joint/draw/record.ts and teams.ts, bundled as they are): a full target-draw record
 * re-plays the lottery, a public one gets every check that needs no internal class, and a team
 * record re-plays the inspector draw. On a task's page the record is also held to what the hub
 * published for that task: a record that checks out by itself but is another task's, or made up,
 * is not this task's draw.
 */
export interface BrowserVerification {
  kind: 'targets' | 'teams';
  /** Every check, the page's own first ("this task"), then the verifier's. */
  checks: VerificationCheck[];
  verdict: Verdict;
}

/**
 * The verifier's verdicts (subgraphs/joint/draw/README.md, "What the verifier says"); a record not this task's is
 * `failed`.
 */
export type { Verdict };

/**
 * The page's check: the record is the one published for this task (same task, commitment, snapshot, witness, counts,
 * list, batches).
 */
export const THIS_TASK = 'this task';

/** Fields of a target-draw record that the published record fixes, with how they read to a person. */
const FIXED: Array<[string, (r: PublicDrawRecord) => unknown]> = [
  ['任务', (r) => r.task?.id],
  ['承诺值', (r) => r.commitment],
  ['名录快照', (r) => [r.snapshot?.hash, r.snapshot?.size]],
  ['见证号码', (r) => r.witness?.value],
  ['各类别计数', (r) => r.strata],
  ['抽中名单', (r) => r.drawn],
  ['批次', (r) => r.batches],
];

function thisTask(record: PublicDrawRecord, published: PublicDrawRecord): VerificationCheck {
  const differs = FIXED.filter(([, read]) => JSON.stringify(read(record)) !== JSON.stringify(read(published))).map(
    ([name]) => name,
  );
  // The secret is revealed at the lock: a record that has one must have this task's.
  if (published.secret && record.secret !== published.secret) differs.push('随机数');
  return {
    check: THIS_TASK,
    ok: differs.length === 0,
    detail:
      differs.length === 0
        ? `the record is task ${published.task.id}'s as published`
        : `differs from what the hub published for task ${published.task.id}: ${differs.join('、')}`,
  };
}

/** Something the page was given that is not a record it can check: its words for the person. */
export class NotARecord extends Error {}

/** Verifies a record (parsed JSON) against the record the hub published for the task on the page. */
export function verifyRecord(record: unknown, published: PublicDrawRecord): BrowserVerification {
  if (!record || typeof record !== 'object' || Array.isArray(record))
    throw new NotARecord('这不是一份抽取记录（应为 JSON 对象）。');
  const format = (record as { format?: unknown }).format;
  try {
    if (format === 'jointcheck-team-record/1') {
      const team = record as TeamDrawRecord;
      const same = team.input?.taskId === published.task.id;
      const result = verifyTeamDrawRecord(team);
      const checks = [
        {
          check: THIS_TASK,
          ok: same,
          detail: same
            ? `a team draw of task ${published.task.id}`
            : `a team draw of task ${String(team.input?.taskId)}, not of task ${published.task.id}`,
        },
        ...result.checks,
      ];
      return { kind: 'teams', checks, verdict: checks.every((c) => c.ok) ? 'verified' : 'failed' };
    }
    if (format !== RECORD_FORMAT)
      throw new NotARecord(
        `不认识的记录格式：${String(format)}（本页面核验 ${RECORD_FORMAT} 和 jointcheck-team-record/1）。`,
      );
    const target = record as PublicDrawRecord | FullDrawRecord;
    const result = verifyDrawRecord(target);
    const checks = [thisTask(target, published), ...result.checks];
    return { kind: 'targets', checks, verdict: checks[0]!.ok ? result.verdict : 'failed' };
  } catch (error) {
    if (error instanceof NotARecord) throw error;
    // A file with fields missing or of the wrong kind: the verifier cannot read it.
    throw new NotARecord(
      `记录缺少必需的字段或格式不对，无法核验（${(error as Error).message}）。请使用从本平台下载的记录文件。`,
    );
  }
}

/** What each check means, in Chinese; the verifier's own detail is shown beside it. */
export const CHECK_LABEL: Record<string, string> = {
  [THIS_TASK]: '是本任务公布的记录',
  format: '记录格式与算法版本',
  training: '培训/演练环境的抽取（演练数据，不是正式抽取）',
  'secret revealed': '随机数已公开',
  commitment: '随机数与事先公布的承诺值一致',
  'hash forms': '承诺值、随机数和快照哈希均为64位小写十六进制',
  'witness entered': '公开见证号码完整',
  'witness spelling': '见证号码写法（非规范写法，仅提示）',
  'batches hold the list': '名单按代码排序，批次恰好包含全部抽中对象',
  'counts add up': '各类别抽中数符合比例，合计与快照和名单一致',
  replay: '重演抽取',
  snapshot: '名录快照与公布的哈希值一致',
  strata: '各类别名录数和抽中数一致',
  'drawn list': '抽中名单与公布名单一致',
  'batch order': '检查批次顺序与公布顺序一致',
  'frozen rosters': '人员名录、回避和委托与快照时冻结的一致',
  'input hash': '抽取输入的哈希值一致',
  seed: '随机种子一致',
  teams: '各检查组人员与记录一致',
};
