// Test tiers by file name: *.unit.test.ts (pure, no I/O), *.int.test.ts (one adapter against real
// Kafka and the real store), tests/**/*.e2e.test.ts (whole platform through its public API).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  // oidc-provider (identity) and its jose are ES modules only: compiled to CommonJS like the sources.
  transform: { '^.+\\.ts$': swc, '/node_modules/(oidc-provider|jose)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(oidc-provider|jose)/)'],
  testEnvironment: 'node',
  // Tests run against the sources; the workspace packages resolve to src/ without a build.
  // Subpath entries (package.json "exports", e.g. @lienket/platform/errors) resolve to their source file.
  moduleNameMapper: {
    '^@lienket/([a-z-]+)$': '<rootDir>/packages/$1/src',
    '^@lienket/platform/errors$': '<rootDir>/packages/platform/src/errors',
    '^@lienket/contracts/messages$': '<rootDir>/packages/contracts/src/messages',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/packages/testkit/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages,services,infra,tools}/**/*.unit.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,services,infra,tests,tools}/**/*.{int,e2e}.test.ts'],
      globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
      globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/packages/testkit/jest-integration-setup.js'],
      slowTestThreshold: 20,
    },
  ],
};
