// One config, three projects (unit, integration, infra), as in aws-samples' serverless-test-samples.
// @middy/core is ESM-only, so it goes through ts-jest too (allowJs) instead of being ignored.
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  // StrykerJS's sandboxes (npm run test:mutation) hold a copy of the project while it runs.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests drive dynalite, which manages only a few hundred writes per second.
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.mjs',
      globalTeardown: '<rootDir>/test/integration/global-teardown.mjs',
    },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
  ],
};
