import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { print } from 'graphql';
import { forDepartment, isDepartmentTemplate, loadStoredOperations } from '../operations';
import { DEPARTMENT_PLACEHOLDER } from './src/api/placeholder';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/**
 * `virtual:stored-operations`: the page's operations, read from `operations/web/` at build time.
 * The page sends these and nothing else (issue G); the registry checks the same files. A
 * department template is printed for a placeholder code that the page swaps for each real code,
 * so the renaming is the registry's own (`forDepartment`), not a second copy of it.
 */
function storedOperations(): Plugin {
  const id = 'virtual:stored-operations';
  return {
    name: 'jointcheck-stored-operations',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(loaded) {
      if (loaded !== `\0${id}`) return null;
      const dir = path.join(root, 'operations');
      const operations: Record<string, { text: string; template: boolean; public: boolean }> = {};
      for (const operation of loadStoredOperations(dir).filter((o) => o.target === 'web')) {
        this.addWatchFile(path.join(dir, operation.file));
        const template = isDepartmentTemplate(operation.document);
        const text = print(template ? forDepartment(operation.document, DEPARTMENT_PLACEHOLDER) : operation.document);
        if (!template && text.toLowerCase().includes(DEPARTMENT_PLACEHOLDER))
          throw new Error(`${operation.file}: ${operation.name} uses the placeholder name ${DEPARTMENT_PLACEHOLDER}`);
        // What public.graphql holds the page sends as the public, whoever is signed in: the public
        // page shows what the public sees (a signed-in official's token would show drafts).
        operations[operation.name] = { text, template, public: operation.file === 'web/public.graphql' };
      }
      return `export const operations = ${JSON.stringify(operations)};`;
    },
  };
}

/**
 * Issue J: the page is kept on the phone by a service worker (Workbox, through vite-plugin-pwa), so
 * an inspector opens the visits with no network: every built file is precached, and a page
 * (`/work/visits/...`) opened offline is answered with index.html, which routes in the browser.
 * The API (`/graphql`), the evidence and sign-in are never answered by it: they go to the network.
 * The Workbox runtime is inlined (one sw.js), and the manifest makes the page installable.
 * Top-level files (sw.js, manifest.webmanifest, icon.svg) are served by gateway/public-page.ts.
 */
const pwa = VitePWA({
  registerType: 'autoUpdate',
  injectRegister: null,
  manifest: {
    name: '双随机、一公开 联合抽查',
    short_name: '联合抽查',
    description: '检查人员的今日检查：离线填写、签字，联网后自动发送',
    lang: 'zh-CN',
    start_url: '/work/visits',
    scope: '/',
    display: 'standalone',
    theme_color: '#0b1f44',
    background_color: '#ffffff',
    icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,woff2}'],
    navigateFallback: '/index.html',
    navigateFallbackDenylist: [/^\/graphql/, /^\/evidence/, /^\/auth\//, /^\/health/, /^\/metrics/],
    inlineWorkboxRuntime: true,
    sourcemap: false,
    cleanupOutdatedCaches: true,
    // The page's chunks (the draw verifier, charts) are a few hundred KB each.
    maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
  },
});

/** The public page and the dashboard, built into dist/web and served by the gateway at `/`. */
export default defineConfig({
  root: here,
  base: '/',
  // Only the installable page's icon (issue J); everything else is built from src/.
  publicDir: path.join(here, 'public'),
  plugins: [storedOperations(), pwa],
  resolve: {
    // The draw verifier (subgraphs/joint/draw/) runs in the browser unchanged; only its SHA-256
    // comes from @noble/hashes there instead of Node's crypto module.
    alias: { 'node:crypto': path.join(here, 'src/draw/node-crypto.ts') },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(root, 'dist/web'),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    chunkSizeWarningLimit: 300,
  },
});
