import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { HubError, run } from '../api/client';
import { readToken, signIn, signOut } from '../api/session';
import { ErrorNotice } from '../components/async';
import { chinaYear } from '../format';

/**
 * Sign-in for officials: paste the token (JWT) the hub's operator issued. The page checks it
 * with the hub at once (a signed-in read) and keeps it for this tab only.
 */
export function SignInPage() {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { route, query } = useLocation();
  return (
    <>
      <h1>工作人员登录</h1>
      <p>协调员、部门管理员等工作人员使用平台签发的令牌登录，查看工作台。令牌只保存在本浏览器标签页中，关闭标签页即退出。</p>
      <form
        class="signin"
        onSubmit={async (e) => {
          e.preventDefault();
          const identity = readToken(text);
          if (!identity) return setProblem(new HubError('BAD_USER_INPUT', '这不是平台签发的令牌：令牌由三段以“.”分隔的字符组成。'));
          if (identity.expiresAt && identity.expiresAt * 1000 <= Date.now()) return setProblem(new HubError('UNAUTHENTICATED', '令牌已过期，请向平台管理员申请新令牌。'));
          setBusy(true);
          signIn(identity);
          try {
            await run('DashboardStatistics', { year: chinaYear() });
            route(query.next && query.next.startsWith('/') ? query.next : '/dashboard');
          } catch (error) {
            if (error instanceof HubError && error.code === 'UNAUTHENTICATED') {
              signOut();
              setProblem(error);
            } else route('/dashboard');
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="token">令牌</label>
        <textarea id="token" name="token" rows={5} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} autocomplete="off" />
        <button type="submit" disabled={busy}>
          登录
        </button>
      </form>
      {problem !== null && <ErrorNotice error={problem} title="无法登录" />}
      <p class="meta">
        令牌由平台运营方签发，请向本单位的平台管理员申请。（开发者在本机的演示环境中可运行 <code>npm run token -- --role COORDINATOR --dept market</code> 获取。）
      </p>
    </>
  );
}
