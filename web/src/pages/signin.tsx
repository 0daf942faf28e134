import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { HubError, run } from '../api/client';
import { authConfig, finishSignIn, pagePath, startSignIn, type AuthConfig } from '../api/oidc';
import { readToken, signIn, signOut, takeExpiredNotice } from '../api/session';
import { ErrorNotice } from '../components/async';
import { chinaYear } from '../format';

/** Checks a new sign-in with the hub at once (a signed-in read): a token the hub refuses signs out again. */
async function confirmWithHub(): Promise<void> {
  try {
    await run('DashboardStatistics', { year: chinaYear() });
  } catch (error) {
    if (error instanceof HubError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) {
      signOut();
      throw error;
    }
    // Anything else (a department down) is not about the sign-in: go on.
  }
}

/**
 * Sign-in for officials (issue I): at the identity provider (统一身份认证) when the hub has one,
 * by the authorization code flow with PKCE (api/oidc.ts); or, for scripts and operators, by pasting
 * a token the hub issued. The token is kept for this browser tab only.
 */
export function SignInPage() {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [expired] = useState(takeExpiredNotice);
  const { route, query } = useLocation();
  const next = pagePath(query.next);
  useEffect(() => {
    authConfig().then(setConfig, setProblem);
  }, []);
  return (
    <>
      <h1>工作人员登录</h1>
      {expired && (
        <p class="notice" role="status" data-testid="expired">
          您的登录已失效（已过期或不再被平台接受），请重新登录。
        </p>
      )}
      {config?.issuer && (
        <section class="signin-provider">
          <p>协调员、检查人员、部门负责人等工作人员通过统一身份认证登录，登录后进入工作台。</p>
          <button
            type="button"
            class="primary"
            data-testid="signin-provider"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setProblem(null);
              try {
                await startSignIn(next);
              } catch (error) {
                setProblem(
                  new HubError('UNAVAILABLE', `无法连接统一身份认证（${(error as Error).message}），请稍后重试。`),
                );
                setBusy(false);
              }
            }}
          >
            使用统一身份认证登录
          </button>
        </section>
      )}
      <details open={config !== null && !config.issuer}>
        <summary>使用平台签发的令牌登录</summary>
        <p>
          脚本、运维人员或未接入统一身份认证的环境，可粘贴平台签发的令牌登录。令牌只保存在本浏览器标签页中，关闭标签页即退出。
        </p>
        <form
          class="signin"
          onSubmit={async (e) => {
            e.preventDefault();
            const identity = readToken(text, { role: 'role', dept: 'dept' });
            if (!identity)
              return setProblem(
                new HubError('BAD_USER_INPUT', '这不是平台签发的令牌：令牌由三段以“.”分隔的字符组成。'),
              );
            if (identity.expiresAt && identity.expiresAt * 1000 <= Date.now())
              return setProblem(new HubError('UNAUTHENTICATED', '令牌已过期，请向平台管理员申请新令牌。'));
            setBusy(true);
            signIn(identity);
            try {
              await confirmWithHub();
              route(next);
            } catch (error) {
              setProblem(error);
            } finally {
              setBusy(false);
            }
          }}
        >
          <label for="token">令牌</label>
          <textarea
            id="token"
            name="token"
            rows={5}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            spellcheck={false}
            autocomplete="off"
          />
          <button type="submit" disabled={busy}>
            登录
          </button>
        </form>
        <p class="meta">
          令牌由平台运营方签发，请向本单位的平台管理员申请。（开发者在本机的演示环境中可运行{' '}
          <code>npm run token -- --role COORDINATOR --dept market</code> 获取。）
        </p>
      </details>
      {problem !== null && <ErrorNotice error={problem} title="无法登录" />}
    </>
  );
}

/** Where the identity provider sends the official back: the code is exchanged for the tokens here. */
export function SignInCallbackPage() {
  const [problem, setProblem] = useState<unknown>(null);
  const { route } = useLocation();
  useEffect(() => {
    (async () => {
      const settings = await authConfig();
      const { accessToken, next } = await finishSignIn(new URL(location.href));
      const identity = readToken(accessToken, { role: settings.roleClaim, dept: settings.deptClaim });
      if (!identity)
        throw new HubError(
          'FORBIDDEN',
          `统一身份认证的令牌中没有本平台的角色（${settings.roleClaim}），请联系统一身份认证的管理员授予角色。`,
        );
      signIn(identity, { role: settings.roleClaim, dept: settings.deptClaim });
      await confirmWithHub();
      route(next, true);
    })().catch(setProblem);
  }, []);
  return (
    <>
      <h1>正在登录…</h1>
      {problem === null ? <p>正在向统一身份认证确认您的登录。</p> : <ErrorNotice error={problem} title="无法登录" />}
      {problem !== null && (
        <p>
          <a href="/signin">重新登录</a>
        </p>
      )}
    </>
  );
}
