// ESLint (flat config) with typescript-eslint's recommended rules, and the tree's own: no `as never`
// (use the typed helpers of kernel/rows.ts), and the layers of the joint service.
// Formatting is Prettier's (.prettierrc.json); `npm test` runs both before the tests (`npm run lint`).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      '.data/',
      '.bench-data/',
      'test-artifacts/',
      'web/src/api/generated.ts',
      'subgraphs/joint/calendar/data/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The few CommonJS files (jest.config.js).
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    plugins: { '@stylistic': stylistic },
    rules: {
      // Prettier breaks code at 120 columns but never a string or a comment: these are kept short by
      // hand (a long message is a concatenation). Left alone: URLs, regular expressions, template
      // literals (SQL, GraphQL and HTML written as they are read), unbroken tokens such as base64, and
      // an import of one long path (which Prettier cannot break).
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignoreTemplateLiterals: true,
          ignorePattern: "^(\\s*'[^ ']{60,}',?|import .* from '[^']*';)$",
        },
      ],
      // TypeScript checks these (tsc runs with noUnusedLocals and the compiler's own undefined names).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      // It misreads values used only inside decorators (type-graphql's options) as never read.
      'no-useless-assignment': 'off',
      // The papers and pages set Chinese text with the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']",
          message:
            '`as never` hides a type error: use a typed helper (kernel/rows.ts for TypeORM payloads) or a precise type.',
        },
      ],
    },
  },
  {
    // Issue K: in the joint service, only repositories (and its store and entities, migrations and
    // the entry point that opens the database) touch the database; resolvers call services,
    // services call repositories (subgraphs/joint/README.md).
    files: ['subgraphs/joint/**/*.ts'],
    ignores: [
      'subgraphs/joint/**/*-repository.ts',
      'subgraphs/joint/**/entities.ts',
      'subgraphs/joint/entities.ts',
      'subgraphs/joint/migrations/**',
      'subgraphs/joint/store.ts',
      'subgraphs/joint/index.ts',
      'subgraphs/joint/**/*.test.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typeorm',
              message: 'Only repositories (…-repository.ts) touch the database: add a method to one.',
            },
          ],
          patterns: [
            {
              group: ['typeorm/*', 'better-sqlite3', 'mysql2', 'mysql2/*'],
              message: 'Only repositories touch the database.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression[typeAnnotation.type='TSNeverKeyword']",
          message:
            '`as never` hides a type error: use a typed helper (kernel/rows.ts for TypeORM payloads) or a precise type.',
        },
        {
          selector: 'MemberExpression[property.name=/^(manager|dataSource)$/]',
          message: "Only repositories touch the database: go through the store (deps.store, or the transaction's tx).",
        },
      ],
    },
  },
);
