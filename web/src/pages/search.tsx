import { useLocation } from 'preact-iso';
import { run } from '../api/client';
import type { PublicEntity } from '../api/types';
import { Async, useAsync } from '../components/async';
import { SearchForm } from '../components/search-form';
import { ENTITY_STATUS, label, regionName } from '../labels';

export function Search() {
  const { query } = useLocation();
  const text = (query.q ?? '').trim();
  const state = useAsync(async (signal) => (text ? (await run<{ marketSearch: PublicEntity[] }>('SearchEntities', { name: text }, { signal })).data!.marketSearch : []), [text]);
  return (
    <>
      <h1>查询结果</h1>
      <SearchForm initial={text} />
      {text && (
        <Async state={state} what="查询结果">
          {(entities) =>
            entities.length === 0 ? (
              <p class="empty">未找到名称包含“{text}”的市场主体。请核对名称，或改用统一社会信用代码查询。</p>
            ) : (
              <>
                <p class="count">名称包含“{text}”的市场主体：{entities.length} 个{entities.length === 20 ? '（仅显示前 20 个，请输入更完整的名称）' : ''}</p>
                <ul class="entity-list">
                  {entities.map((e) => (
                    <li key={e.uscc}>
                      <a href={`/entity/${e.uscc}`}>
                        <strong>{e.name}</strong>
                        <span class="uscc">{e.uscc}</span>
                        <span class="meta">
                          {regionName(e.regionCode)} · {label(ENTITY_STATUS, e.status)}
                        </span>
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            )
          }
        </Async>
      )}
    </>
  );
}
