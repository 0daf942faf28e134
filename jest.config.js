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
    '/node_modules/(jose|@noble/hashes|oauth4webapi|auto-bind)/.+\\.js$': [
      '@swc/jest',
      { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@noble/hashes|oauth4webapi|auto-bind)/)'],
  // The public page is built once before the workers start (browser tests load it from the gateway).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  // Integration tests start servers and databases; two workers fit the 2-core machines.
  maxWorkers: 2,
};
