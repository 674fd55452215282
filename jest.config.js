/**
 * Two projects: `unit` (pure code beside its source, *.spec.ts) and `e2e` (real processes over real
 * HTTP against a real database, *.e2e-spec.ts). TEST_DATABASE picks sqlite, mysql or postgres for e2e.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

/** Tests import libraries from source, so they never run against a stale build. */
const moduleNameMapper = {
  '^@your-api/(contracts|billing-math|tokenizer|testing)$': '<rootDir>/libs/$1/src/index.ts',
  '^@your-api/providers-core$': '<rootDir>/libs/providers/core/src/index.ts',
  '^@your-api/provider-adapters$': '<rootDir>/libs/providers/adapters/src/index.ts',
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      // apps/web/src: the web's pure helpers (lib/*.ts); its `@/` alias points at apps/web/src.
      testMatch: ['<rootDir>/libs/**/src/**/*.spec.ts', '<rootDir>/apps/api/src/**/*.spec.ts', '<rootDir>/apps/web/src/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.next/'],
      transform: { '^.+\\.(t|j)s$': swc },
      moduleNameMapper: { ...moduleNameMapper, '^@/(.*)$': '<rootDir>/apps/web/src/$1' },
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/**/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.(t|j)s$': swc },
      moduleNameMapper,
      testTimeout: 60_000,
      slowTestThreshold: 30,
    },
  ],
};
