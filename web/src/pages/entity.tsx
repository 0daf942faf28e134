import { entityResults, entryKey, type ResultEntry } from '../api/results';
import { Async, ErrorNotice, useAsync } from '../components/async';
import { FiguresTable } from '../components/figures-table';
import { SearchForm } from '../components/search-form';
import { chinaDate } from '../format';
import { ENTITY_STATUS, industryName, label, METHOD, regionName, TARGET_KIND } from '../labels';

function OutcomeCell({ entry }: { entry: ResultEntry }) {
  return (
    <>
      <span class="outcome">{entry.outcomeLabel}</span>
      {entry.result.dishonesty && (
        <span class="badge danger" title="列入失信记录（R27）">
          失信
        </span>
      )}
      {entry.corrects && (
        <span class="badge" title="此结果更正了此前公示的结果（R28），原结果仍可查看">
          更正后结果
        </span>
      )}
    </>
  );
}

export function EntityPage({ uscc }: { uscc: string }) {
  const state = useAsync(() => entityResults(uscc), [uscc]);
  return (
    <Async state={state} what="检查结果">
      {({ entity, visits, failures }) => (
        <>
          {entity ? (
            <section class="entity" data-testid="entity">
              <h1>{entity.name}</h1>
              <dl class="facts">
                <dt>统一社会信用代码</dt>
                <dd class="uscc">{entity.uscc}</dd>
                <dt>类型</dt>
                <dd>{label(TARGET_KIND, entity.kind)}</dd>
                <dt>登记状态</dt>
                <dd>{label(ENTITY_STATUS, entity.status)}</dd>
                <dt>所在区</dt>
                <dd>{regionName(entity.regionCode)}</dd>
                <dt>行业</dt>
                <dd>{industryName(entity.industryCode)}</dd>
                <dt>成立日期</dt>
                <dd>{entity.registeredOn}</dd>
                {entity.onAbnormalList && (
                  <>
                    <dt>经营异常名录</dt>
                    <dd>
                      <span class="badge danger">列入</span>
                    </dd>
                  </>
                )}
              </dl>
            </section>
          ) : (
            <>
              <h1>{uscc}</h1>
              <p class="empty">未找到统一社会信用代码为 {uscc} 的市场主体登记信息。</p>
            </>
          )}
          {failures.map(({ department, error }) => (
            <ErrorNotice
              key={department.code}
              error={error}
              title={`${department.name ?? department.code}的检查结果暂时无法获取`}
            />
          ))}
          <h2>抽查检查结果</h2>
          {visits.length === 0 ? (
            <p class="empty" data-testid="no-results">
              暂无已公示的抽查检查结果。
            </p>
          ) : (
            visits.map((visit) => (
              <section class="visit" key={`${visit.taskId}-${visit.inspectedOn}`} data-testid="visit">
                <h3>
                  <span class="date">{visit.inspectedOn}</span> {visit.taskName ?? '抽查任务'}
                </h3>
                <FiguresTable
                  className="results"
                  rows={visit.entries}
                  rowKey={(entry) => entryKey(entry.result.department, entry.result.id)}
                  testId="result"
                  attributes={(entry) => ({
                    'data-department': entry.result.department,
                    'data-result-id': entry.result.id,
                  })}
                  columns={[
                    { label: '检查部门', value: (entry) => entry.departmentName },
                    {
                      label: '检查事项',
                      value: (entry) => (
                        <a href={`/entity/${uscc}/${entry.result.department}/${entry.result.id}`}>
                          {entry.itemTitle ?? entry.result.itemCode}
                        </a>
                      ),
                    },
                    { label: '检查结果', value: (entry) => <OutcomeCell entry={entry} /> },
                    { label: '检查方式', value: (entry) => label(METHOD, entry.result.method) },
                    { label: '公示日期', value: (entry) => chinaDate(entry.result.publishedAt) },
                  ]}
                />
              </section>
            ))
          )}
          <SearchForm />
        </>
      )}
    </Async>
  );
}
