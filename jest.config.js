/** Jest: TypeScript through @swc/jest, which does not read tsconfig, so decorators are set here. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    // jose, @noble/hashes, oauth4webapi and auto-bind (GraphQL Code Generator's) are published as ES modules only; Node 20 loads them natively, Jest needs them compiled.
    // OpenTelemetry's OTLP exporter loads node:http with import(), which Jest's CommonJS sandbox refuses: compiled, it is a require.
    '/node_modules/(jose|@noble/hashes|oauth4webapi|auto-bind|@opentelemetry/otlp-exporter-base)/.+\\.js$': [
      '@swc/jest',
      { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } },
    ],
  },
  // Only the last node_modules of a path names the package (the OTLP exporter's own copy is nested in another's).
  transformIgnorePatterns: [
    '/node_modules/(?!.*/node_modules/)(?!(jose|@noble/hashes|oauth4webapi|auto-bind|@opentelemetry/otlp-exporter-base)/)',
  ],
  // The public page is built once before the workers start (browser tests load it from the gateway).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  // Integration tests start servers and databases; two workers fit the 2-core machines.
  maxWorkers: 2,
};
