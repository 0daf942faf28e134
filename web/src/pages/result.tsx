import { entityResults, entryKey, history } from '../api/results';
import { Async, useAsync } from '../components/async';
import { chinaDate } from '../format';
import { label, METHOD } from '../labels';

/** One published result with its legal basis and its correction history (R25, R28). */
export function ResultPage({ uscc, department, id }: { uscc: string; department: string; id: string }) {
  const state = useAsync(() => entityResults(uscc), [uscc]);
  return (
    <Async state={state} what="检查结果">
      {({ entity, byId }) => {
        const entry = byId.get(entryKey(department, id));
        if (!entry) return <p class="empty">未找到这条已公示的检查结果。</p>;
        const chain = history(entry);
        return (
          <article class="result-detail" data-testid="result-detail">
            <p class="crumbs">
              <a href={`/entity/${uscc}`}>← {entity?.name ?? uscc}</a>
            </p>
            <h1>{entry.itemTitle ?? entry.result.itemCode}</h1>
            {entry.correctedBy && (
              <p class="notice warn">
                此结果已被更正，现行结果见下方更正记录（R28：已公示的结果不作修改，更正以新记录公示，原记录保留）。
              </p>
            )}
            <dl class="facts">
              <dt>检查部门</dt>
              <dd>{entry.departmentName}</dd>
              <dt>检查事项</dt>
              <dd>
                {entry.itemTitle ?? '—'}（{entry.result.itemCode}，第 {entry.result.itemVersion} 版）
              </dd>
              <dt>抽查依据</dt>
              <dd>{entry.itemBasis ?? '—'}</dd>
              <dt>检查内容</dt>
              <dd>{entry.itemContent ?? '—'}</dd>
              <dt>检查方式</dt>
              <dd>{label(METHOD, entry.result.method)}</dd>
              <dt>检查结果</dt>
              <dd data-testid="outcome">
                {entry.outcomeLabel}
                {entry.result.dishonesty && <span class="badge danger">失信记录</span>}
              </dd>
              <dt>结果说明</dt>
              <dd data-testid="notes">{entry.result.notes ?? '—'}</dd>
              <dt>检查完成日期</dt>
              <dd>{entry.result.inspectedOn}</dd>
              <dt>公示日期</dt>
              <dd>{chinaDate(entry.result.publishedAt)}</dd>
            </dl>
            {chain.length > 1 && (
              <section data-testid="history">
                <h2>更正记录</h2>
                <ol class="history">
                  {chain.map((h) => (
                    <li key={h.result.id} class={h.correctedBy ? 'superseded' : 'current'} data-testid="history-entry">
                      <strong>{h.correctedBy ? '原结果（已被更正）' : '现行结果'}</strong>：{h.outcomeLabel}
                      <span class="meta">公示于 {chinaDate(h.result.publishedAt)}</span>
                      {h.result.correctionReason && <p class="reason">更正原因：{h.result.correctionReason}</p>}
                      {h.result.notes && <p class="meta">说明：{h.result.notes}</p>}
                    </li>
                  ))}
                </ol>
              </section>
            )}
          </article>
        );
      }}
    </Async>
  );
}
