/** The development identity provider's own pages: plain HTML, no script but the logout form's. */

export function htmlEscape(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f3f5f8;margin:0}
main{max-width:360px;margin:8vh auto;background:#fff;padding:24px 28px;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.25em;margin:0 0 4px}p.sub{color:#555;margin:0 0 16px;font-size:.9em}
label{display:block;margin:12px 0 4px;font-size:.95em}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;font-size:1em}
button{margin-top:18px;width:100%;padding:9px;font-size:1em;background:#b71c1c;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fdecea;color:#8a1c1c;padding:8px 10px;border-radius:4px;margin:12px 0}
.note{color:#777;font-size:.8em;margin-top:16px}a{color:#555}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export interface LoginPage {
  uid: string;
  clientName: string;
  username?: string;
  error?: string;
}

/** The sign-in form; posts to /interaction/<uid>/login. */
export function loginPage({ uid, clientName, username, error }: LoginPage): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    '统一身份认证（开发用） · Sign in (development)',
    `<h1>统一身份认证（开发用）</h1>
<p class="sub">Unified identity sign-in (development) · ${htmlEscape(clientName)}</p>
${error ? `<p class="error" role="alert" id="login-error">${htmlEscape(error)}</p>` : ''}
<form method="post" action="${action}/login" autocomplete="off">
<label for="username">用户名 / User name</label>
<input id="username" name="username" type="text" required autofocus value="${htmlEscape(username ?? '')}">
<label for="password">密码 / Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">登录 / Sign in</button>
</form>
<p class="note">开发用身份提供方：演示账号与密码见启动信息。Development identity provider: the demo accounts and their passwords are printed when the hub starts. <a href="${action}/abort">取消 / Cancel</a></p>`,
  );
}

export function errorPage(title: string, detail: string): string {
  return page(title, `<h1>${htmlEscape(title)}</h1><p class="error">${htmlEscape(detail)}</p>`);
}

/**
 * The logout confirmation, submitted at once (a development provider asks nothing): `form` is
 * oidc-provider's form (with its xsrf field); a button remains for a browser without script.
 */
export function logoutPage(form: string): string {
  const withYes = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  return page(
    '退出登录 · Sign out',
    `<h1>正在退出… / Signing out…</h1>${withYes}
<button type="submit" form="op.logoutForm">退出 / Sign out</button>
<script>document.getElementById('op.logoutForm').submit()</script>`,
  );
}

export function loggedOutPage(): string {
  return page(
    '已退出 · Signed out',
    '<h1>已退出 / Signed out</h1><p class="sub">您已退出统一身份认证（开发用）。You have signed out of the development identity ' +
      'provider.</p>',
  );
}
