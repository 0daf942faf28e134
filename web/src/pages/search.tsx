import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { run } from '../api/client';
import type { PublicEntity } from '../api/types';
import { Async, ErrorNotice, useAsync } from '../components/async';
import { SearchForm } from '../components/search-form';
import { ENTITY_STATUS, label, regionName } from '../labels';

/** A page of `marketSearchPage` as SearchEntities asks for it. */
interface EntityPage {
  nodes: PublicEntity[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

const searchPage = async (name: string, after: string | null, signal?: AbortSignal) =>
  (await run('SearchEntities', { name, after }, { signal })).data!.marketSearchPage;

/** The entities whose name contains the words, 20 a page in USCC order, with "more" while pages follow. */
export function Search() {
  const { query } = useLocation();
  const text = (query.q ?? '').trim();
  const state = useAsync(async (signal) => (text ? searchPage(text, null, signal) : null), [text]);
  const [more, setMore] = useState<{ pages: EntityPage[]; loading: boolean; error: unknown }>({
    pages: [],
    loading: false,
    error: null,
  });
  useEffect(() => setMore({ pages: [], loading: false, error: null }), [text]);
  return (
    <>
      <h1>查询结果</h1>
      <SearchForm initial={text} />
      {text && (
        <Async state={state} what="查询结果">
          {(first) => {
            if (!first || first.nodes.length === 0)
              return <p class="empty">未找到名称包含“{text}”的市场主体。请核对名称，或改用统一社会信用代码查询。</p>;
            const pages = [first, ...more.pages];
            const last = pages.at(-1)!;
            const entities = pages.flatMap((p) => p.nodes);
            const loadMore = () => {
              setMore({ ...more, loading: true, error: null });
              searchPage(text, last.pageInfo.endCursor).then(
                (page) => setMore({ pages: [...more.pages, page], loading: false, error: null }),
                (error: unknown) => setMore({ ...more, loading: false, error }),
              );
            };
            return (
              <>
                <p class="count">
                  名称包含“{text}”的市场主体：{first.totalCount} 个
                  {entities.length < first.totalCount ? `，已显示 ${entities.length} 个` : ''}
                </p>
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
                {more.error !== null && <ErrorNotice error={more.error} title="无法加载更多查询结果" />}
                {last.pageInfo.hasNextPage && (
                  <button type="button" class="more" disabled={more.loading} onClick={loadMore}>
                    {more.loading ? '正在加载…' : '显示更多'}
                  </button>
                )}
              </>
            );
          }}
        </Async>
      )}
    </>
  );
}
