import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Router, Route, lazy, useLocation } from 'preact-iso';
import { currentSession, expiredNoticeWaiting, onSessionChange, signOut, type SessionIdentity } from './api/session';
import { departmentName } from './api/departments';
import { useDepartments } from './components/department-name';
import { label, ROLE } from './labels';
import { Home } from './pages/home';
import { Search } from './pages/search';
import { EntityPage } from './pages/entity';
import { ResultPage } from './pages/result';
import { PlansPage } from './pages/plans';
import { PlanPage } from './pages/plan';
import { TaskPage } from './pages/task';
import { CodePage } from './pages/code';
import { SignInCallbackPage, SignInPage } from './pages/signin';
import { CALLBACK_PATH, endSessionUrl } from './api/oidc';
import { NotFound } from './pages/not-found';
import { TrainingBanner } from './components/training';

// The dashboard (and its charts) is loaded only when an official opens it: the public pages stay small for phones.
const Dashboard = lazy(() => import('./pages/dashboard').then((m) => m.Dashboard));
// The officials' workspace (issue I), loaded only when an official opens it.
const WorkHome = lazy(() => import('./work/home').then((m) => m.WorkHome));
const WorkPlansPage = lazy(() => import('./work/plans').then((m) => m.WorkPlansPage));
const PlanWorkPage = lazy(() => import('./work/plans').then((m) => m.PlanWorkPage));
const TaskWorkPage = lazy(() => import('./work/task').then((m) => m.TaskWorkPage));
const ResultsWorkPage = lazy(() => import('./work/results').then((m) => m.ResultsWorkPage));
const ImportWorkPage = lazy(() => import('./work/import').then((m) => m.ImportWorkPage));
const VisitsWorkPage = lazy(() => import('./work/visits').then((m) => m.VisitsWorkPage));

/** The signed-in official, kept in step with sign-in and sign-out. */
export function useSession(): SessionIdentity | null {
  const [session, setSession] = useState(currentSession);
  useEffect(() => onSessionChange(setSession), []);
  // Expiry while the page is open (issue I): read the session again when the token expires.
  useEffect(() => {
    if (!session?.expiresAt) return;
    const timer = setTimeout(
      () => setSession(currentSession()),
      Math.min(2 ** 31 - 1, Math.max(0, session.expiresAt * 1000 - Date.now()) + 250),
    );
    return () => clearTimeout(timer);
  }, [session]);
  return session;
}

/** When the sign-in expires while the page is open, the official is sent to sign in again, back to where they were. */
function ExpiryWatch() {
  const session = useSession();
  const { path, route } = useLocation();
  const [was, setWas] = useState(session !== null);
  useEffect(() => {
    if (session) return void setWas(true);
    if (was) {
      setWas(false);
      // The inspector's phone (issue J) keeps working on what it holds; it asks to sign in before sending.
      if (expiredNoticeWaiting() && !path.startsWith('/work/visits')) route(`/signin?next=${encodeURIComponent(path)}`);
    }
  }, [session]);
  return null;
}

function Header() {
  const session = useSession();
  const departments = useDepartments();
  const { path, route } = useLocation();
  const link = (href: string, text: string) => (
    <a href={href} class={path === href || (href !== '/' && path.startsWith(href)) ? 'active' : undefined}>
      {text}
    </a>
  );
  return (
    <header class="site">
      <a class="brand" href="/">
        双随机、一公开
        <small>部门联合抽查公示</small>
      </a>
      <nav aria-label="主菜单">
        {link('/', '结果查询')}
        {link('/plans', '抽查计划')}
        {link('/code', '检查码核验')}
        {link('/dashboard', '工作台')}
        {session ? link('/work', '业务办理') : null}
        {session ? (
          <span class="who" data-testid="session">
            {label(ROLE, session.role)}
            {session.department ? ` · ${departmentName(departments, session.department)}` : ''}
            <button
              type="button"
              class="link"
              onClick={async () => {
                signOut();
                // Signed in at the identity provider: end that session too, then back to the public page.
                const end = await endSessionUrl().catch(() => null);
                if (end) location.assign(end);
                else route('/');
              }}
            >
              退出
            </button>
          </span>
        ) : (
          link('/signin', '登录')
        )}
      </nav>
    </header>
  );
}

export function App() {
  return (
    <LocationProvider>
      <Header />
      <ExpiryWatch />
      <TrainingBanner />
      <main>
        <Router>
          <Route path="/" component={Home} />
          <Route path="/search" component={Search} />
          <Route path="/entity/:uscc" component={EntityPage} />
          <Route path="/entity/:uscc/:department/:id" component={ResultPage} />
          <Route path="/plans" component={PlansPage} />
          <Route path="/plans/:id" component={PlanPage} />
          <Route path="/tasks/:id" component={TaskPage} />
          <Route path="/code" component={CodePage} />
          <Route path="/signin" component={SignInPage} />
          <Route path={CALLBACK_PATH} component={SignInCallbackPage} />
          <Route path="/dashboard" component={Dashboard} />
          <Route path="/work" component={WorkHome} />
          <Route path="/work/plans" component={WorkPlansPage} />
          <Route path="/work/plans/:id" component={PlanWorkPage} />
          <Route path="/work/tasks/:id" component={TaskWorkPage} />
          <Route path="/work/results" component={ResultsWorkPage} />
          <Route path="/work/import" component={ImportWorkPage} />
          <Route path="/work/visits" component={VisitsWorkPage} />
          <Route path="/work/visits/:taskId/:target" component={VisitsWorkPage} />
          <Route default component={NotFound} />
        </Router>
      </main>
      <footer class="site">
        <p>
          本页面只公示依法应当公开的信息：抽查计划、抽取记录和检查结果。商业秘密、个人信息和内部信用风险分类不予公示（R25、R30）。
        </p>
        <p>
          数据来自各部门系统，经联合抽查平台汇集；开发者可使用同一 GraphQL 接口：<code>/graphql</code>。
        </p>
      </footer>
    </LocationProvider>
  );
}
