import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { SessionIdentity } from '../api/session';
import { useSession } from '../app';
import { run } from '../api/client';
import { ErrorNotice, useAsync } from '../components/async';
import { label, ROLE } from '../labels';
import './work.css';

/**
 * What every workspace screen (issue I) shares: the rule a step follows, shown where a person
 * would ask why; a step's state while it runs (busy, the hub's own error, what it did); the
 * sign-in the workspace needs. The page asks, the servers decide (R30): a screen offers what a
 * role does, and shows the hub's refusal in its own words when the hub refuses.
 */

/** The rule (DOMAIN.md id) a step follows, in a sentence a person can check. */
export function RuleNote({ rule, children }: { rule: string; children: preact.ComponentChildren }) {
  return (
    <p class="rule-note" data-testid="rule" data-rule={rule}>
      <abbr title="联合抽查规则编号（见平台文档）">{rule}</abbr> {children}
    </p>
  );
}

export interface Action {
  busy: boolean;
  error: unknown;
  /** What the last step did, in words (shown after it succeeded). */
  done: string | null;
  /** Runs a step: nothing else starts while it runs; its refusal is kept with the hub's code and words. */
  run: (step: () => Promise<string | void>) => Promise<boolean>;
  clear: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  return {
    busy,
    error,
    done,
    clear: () => {
      setError(null);
      setDone(null);
    },
    run: async (step) => {
      if (busy) return false;
      setBusy(true);
      setError(null);
      setDone(null);
      try {
        const said = await step();
        setDone(said || null);
        return true;
      } catch (e) {
        setError(e);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A step's outcome under its button: the hub's refusal (code, advice and the hub's words), or what it did. */
export function ActionOutcome({ action, title }: { action: Action; title: string }) {
  if (action.error) return <ErrorNotice error={action.error} title={title} />;
  if (action.done)
    return (
      <p class="notice ok" role="status" data-testid="action-done">
        {action.done}
      </p>
    );
  return null;
}

/** The workspace is for signed-in officials: without a sign-in, a link to sign in and come back here. */
export function SignedIn({ children }: { children: (session: SessionIdentity) => preact.ComponentChildren }) {
  const session = useSession();
  const { path } = useLocation();
  if (!session)
    return (
      <div class="notice" data-testid="needs-signin">
        <p>办理业务需要登录。</p>
        <a href={`/signin?next=${encodeURIComponent(path)}`}>登录</a>
      </div>
    );
  return <>{children(session)}</>;
}

/** The roles a screen is for; another role is told whose screen it is (the servers would refuse the steps anyway). */
export function ForRoles({
  session,
  roles,
  children,
}: {
  session: SessionIdentity;
  roles: readonly string[];
  children: preact.ComponentChildren;
}) {
  if (roles.includes(session.role)) return <>{children}</>;
  return (
    <p class="notice" data-testid="other-role">
      本页面供{roles.map((r) => label(ROLE, r)).join('、')}办理；您的角色是{label(ROLE, session.role)}。
    </p>
  );
}

/**
 * Today by the hub's clock (China date), not the browser's: deadlines, witness dates and the
 * year of a plan are the hub's (a training hub's clock may be moved). Null while loading.
 */
export function useHubToday(): string | null {
  const state = useAsync(async (signal) => (await run('HubMode', {}, { signal })).data!.jointTrainingClock.today, []);
  // Never the browser's date in its place: what depends on it waits (the hub's error shows elsewhere on the page).
  return state.status === 'done' ? state.value : null;
}

/** Keyset paging of a list: the cursors of the pages before are kept, to go back. */
export interface Cursors {
  /** The `after` of the page shown (null: the first). */
  after: string | null;
  pageNumber: number;
  next(endCursor: string | null): void;
  previous(): void;
  reset(): void;
}

export function useCursors(): Cursors {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    pageNumber: cursors.length,
    next: (endCursor) => setCursors([...cursors, endCursor]),
    previous: () => setCursors(cursors.slice(0, -1)),
    reset: () => setCursors([null]),
  };
}

/** 上一页 / 下一页 under a list, as its page says there are more (`nextTestId` names the button for tests). */
export function CursorPager({
  cursors,
  pageInfo,
  nextTestId,
}: {
  cursors: Cursors;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nextTestId: string;
}) {
  return (
    <div class="row wrap">
      {cursors.pageNumber > 1 && (
        <button type="button" class="secondary" onClick={cursors.previous}>
          上一页
        </button>
      )}
      {pageInfo.hasNextPage && (
        <button
          type="button"
          class="secondary"
          data-testid={nextTestId}
          onClick={() => cursors.next(pageInfo.endCursor ?? null)}
        >
          下一页
        </button>
      )}
    </div>
  );
}

/** The hub's year (its clock, not the browser's), or null while it loads. */
export function useHubYear(): number | null {
  const today = useHubToday();
  return today ? Number(today.slice(0, 4)) : null;
}
