import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { publicPage } from '../../gateway/public-page';
import { createLogger } from '../../kernel/log';
import { createHttpApp, listen } from '../../kernel/server';

/** A server with the page on a folder of its own, as the gateway mounts it (after /graphql). */
async function serve(webDir: string): Promise<{ url: string; server: Server }> {
  const { app, httpServer } = createHttpApp('gateway');
  app.post('/graphql', (_req, res) => void res.json({ data: { ok: true } }));
  app.use(publicPage(webDir, createLogger('silent', 'gateway')));
  const port = await listen(httpServer, '127.0.0.1', 0);
  return { url: `http://127.0.0.1:${port}`, server: httpServer };
}

/** A GET with the path exactly as given, not normalised by a URL parser. */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: hostname, port, path: rawPath, headers: { accept: 'text/html' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

describe('the gateway serves the built page at / (issue G)', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-web-'));
  const dir = path.join(parent, 'web');
  let url: string;
  let server: Server;
  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>page</title><div id="app"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, '.source-hash'), 'secret-ish');
    fs.writeFileSync(path.join(dir, '..', 'outside.txt'), 'outside'); // beside the folder: never served
    ({ url, server } = await serve(dir));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it(
    'answers / and every page route with the page, never ' + 'cached, with a policy that allows only its own origin',
    async () => {
      for (const route of ['/', '/entity/91310110142383190T', '/plans?year=2026', '/tasks/abc', '/dashboard']) {
        const response = await fetch(url + route, { headers: { accept: 'text/html' } });
        expect([route, response.status]).toEqual([route, 200]);
        expect(await response.text()).toContain('<div id="app">');
        expect(response.headers.get('cache-control')).toBe('no-cache');
        const policy = response.headers.get('content-security-policy')!;
        expect(policy).toContain("script-src 'self'");
        expect(policy).toContain("connect-src 'self'");
        expect(policy).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      }
    },
  );

  it(
    'serves hashed assets for a year, and a missing asset is a plain 404 (never the page, nor where it was ' +
      'looked for)',
    async () => {
      const asset = await fetch(`${url}/assets/index-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const missing = await fetch(`${url}/assets/missing.js`, { headers: { accept: 'text/html' } });
      expect(missing.status).toBe(404);
      const body = await missing.text();
      expect(body).toContain('not part of the current build');
      expect(body).not.toContain(dir);
      expect(body).not.toContain('<div id="app">');
    },
  );

  it(
    'leaves /graphql and /health to their handlers, and ' + 'serves no dot-file or anything outside the folder',
    async () => {
      const api = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await api.json()).toEqual({ data: { ok: true } });
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok', service: 'gateway' });
      expect((await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(404);
      // Paths sent as they are (fetch would tidy the dots away): nothing outside the folder, no dot-file.
      for (const raw of [
        '/.source-hash',
        '/../outside.txt',
        '/assets/../../outside.txt',
        '/%2e%2e/outside.txt',
        '/assets/..%2f.source-hash',
        '/assets/..%2f..%2foutside.txt',
      ]) {
        const answer = await rawGet(url, raw);
        expect([raw, answer.body.includes('secret-ish') || answer.body.includes('outside')]).toEqual([raw, false]);
      }
      // A client that does not want HTML (a script) is not given the page for a path that is not a file.
      expect((await fetch(`${url}/nothing-here`, { headers: { accept: 'application/json' } })).status).toBe(404);
    },
  );

  it('says how to build the page when the folder holds none, and the API still answers', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-web-empty-'));
    const bare = await serve(empty);
    try {
      const response = await fetch(`${bare.url}/`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('npm run build:web');
      expect(
        await (
          await fetch(`${bare.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).json(),
      ).toEqual({ data: { ok: true } });
    } finally {
      await new Promise((resolve) => bare.server.close(resolve));
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
