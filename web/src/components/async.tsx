import { useEffect, useState } from 'preact/hooks';
import { HubError } from '../api/client';
import { ERROR_ADVICE } from '../labels';

export type AsyncState<T> = { status: 'loading' } | { status: 'done'; value: T } | { status: 'error'; error: unknown };

/**
 * Runs a load when its inputs change and keeps the latest answer; an answer to older inputs is
 * dropped (the signal aborts its request).
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, inputs: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    load(controller.signal).then(
      (value) => !controller.signal.aborted && setState({ status: 'done', value }),
      (error: unknown) => !controller.signal.aborted && setState({ status: 'error', error }),
    );
    return () => controller.abort();
  }, inputs);
  return state;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      正在加载{what}…
    </p>
  );
}

/** An error in words a person can act on: the advice for its code, and the hub's own words. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const code = error instanceof HubError ? error.code : 'ERROR';
  const detail = error instanceof HubError ? error.detail : error instanceof Error ? error.message : String(error);
  return (
    <div class="notice error" role="alert" data-code={code}>
      <strong>{title ?? '出错了'}</strong>
      <p>{ERROR_ADVICE[code] ?? '请求未能完成，请稍后重试。'}</p>
      <p class="detail">
        {code}：{detail}
      </p>
    </div>
  );
}

/**
 * Renders a load's state: a spinner, the error, or the content. `refused` is shown instead of an
 * error when the hub refuses the caller (FORBIDDEN): the servers decide who sees what (R30), and
 * the page says so in place of the part it may not show, without keeping a copy of the rules.
 */
export function Async<T>({
  state,
  what,
  refused,
  children,
}: {
  state: AsyncState<T>;
  what: string;
  refused?: preact.ComponentChildren;
  children: (value: T) => preact.ComponentChildren;
}) {
  if (state.status === 'loading') return <Loading what={what} />;
  if (
    state.status === 'error' &&
    refused !== undefined &&
    state.error instanceof HubError &&
    state.error.code === 'FORBIDDEN'
  )
    return <>{refused}</>;
  if (state.status === 'error') return <ErrorNotice error={state.error} title={`无法加载${what}`} />;
  return <>{children(state.value)}</>;
}
