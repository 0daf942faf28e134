import { RECORD_FORMAT, verifyDrawRecord, type FullDrawRecord, type PublicDrawRecord, type VerificationCheck } from '../../../subgraphs/joint/draw/record';
import { verifyTeamDrawRecord, type TeamDrawRecord } from '../../../subgraphs/joint/draw/teams';

/**
 * Re-plays a draw record in the browser with the modules `npm run verify-draw` uses
 * (subgraphs/joint/draw/record.ts and teams.ts, bundled as they are): a full target-draw record
 * re-plays the lottery, a public one gets every check that needs no internal class, and a team
 * record re-plays the inspector draw.
 */
export interface BrowserVerification {
  kind: 'targets' | 'teams';
  ok: boolean;
  /** Whether the lottery itself was re-played (a full record, or a team record). */
  replayed: boolean;
  checks: VerificationCheck[];
}

export function verifyRecord(record: unknown): BrowserVerification {
  if (!record || typeof record !== 'object') throw new Error('这不是一份抽取记录（应为 JSON 对象）。');
  const format = (record as { format?: unknown }).format;
  if (format === 'jointcheck-team-record/1') {
    const result = verifyTeamDrawRecord(record as TeamDrawRecord);
    return { kind: 'teams', ok: result.ok, replayed: true, checks: result.checks };
  }
  if (format !== RECORD_FORMAT) throw new Error(`不认识的记录格式：${String(format)}（本页面核验 ${RECORD_FORMAT} 和 jointcheck-team-record/1）。`);
  const result = verifyDrawRecord(record as PublicDrawRecord | FullDrawRecord);
  return { kind: 'targets', ...result };
}

/** What each check means, in Chinese; the verifier's own detail is shown beside it. */
export const CHECK_LABEL: Record<string, string> = {
  format: '记录格式与算法版本',
  'secret revealed': '随机数已公开',
  commitment: '随机数与事先公布的承诺值一致',
  'witness entered': '公开见证号码完整',
  'batches hold the list': '批次恰好包含全部抽中对象',
  'counts add up': '各类别抽中数之和等于名单数',
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

/** Only the checks a public record cannot pass (it names no internal class) failed. */
export function onlyNeedsFullRecord(result: BrowserVerification): boolean {
  return result.kind === 'targets' && !result.replayed && result.checks.every((c) => c.ok || c.check === 'replay');
}
