import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { looksLikeUscc, normaliseUscc } from '../format';

/** One box for a USCC or a name: a USCC opens the entity, a name lists the entities that match. */
export function SearchForm({ initial = '' }: { initial?: string }) {
  const [text, setText] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const { route } = useLocation();
  return (
    <form
      class="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const value = text.trim();
        if (value.length < 2) return setProblem('请输入统一社会信用代码（18 位）或至少两个字的名称。');
        setProblem(null);
        route(looksLikeUscc(value) ? `/entity/${normaliseUscc(value)}` : `/search?q=${encodeURIComponent(value)}`);
      }}
    >
      <label for="search-text">统一社会信用代码或名称</label>
      <div class="row">
        <input
          id="search-text"
          name="q"
          type="search"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder="例如 91310104… 或 某某餐饮管理有限公司"
          autocomplete="off"
        />
        <button type="submit">查询</button>
      </div>
      {problem && (
        <p class="field-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
