import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
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
        if (!template && text.toLowerCase().includes(DEPARTMENT_PLACEHOLDER)) throw new Error(`${operation.file}: ${operation.name} uses the placeholder name ${DEPARTMENT_PLACEHOLDER}`);
        // What public.graphql holds the page sends as the public, whoever is signed in: the public
        // page shows what the public sees (a signed-in official's token would show drafts).
        operations[operation.name] = { text, template, public: operation.file === 'web/public.graphql' };
      }
      return `export const operations = ${JSON.stringify(operations)};`;
    },
  };
}

/** The public page and the dashboard, built into dist/web and served by the gateway at `/`. */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  plugins: [storedOperations()],
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
