// One config, five projects (unit, integration, infra, browser, pacing), as in aws-samples' serverless-test-samples.
// @middy/core is ESM-only, so it goes through ts-jest too (allowJs) instead of being ignored.
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  // StrykerJS's sandboxes (npm run test:mutation) hold a copy of the project while it runs.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

const integration = {
  ...base,
  globalSetup: '<rootDir>/test/integration/global-setup.mjs',
  globalTeardown: '<rootDir>/test/integration/global-teardown.mjs',
};

const PACING = ['test/integration/virtual-time-pacing.int.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests drive dynalite, which manages only a few hundred writes per second.
  testTimeout: 60_000,
  // Two suites at once even on 2 cores (jest's default there is one, in band): integration suites
  // spend most of their time waiting on injected latencies, timers and the emulators, not on CPU.
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...integration, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.int.test.ts'], testPathIgnorePatterns: PACING },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    // The console in Chromium against the local stack (npm test builds the console and installs Chromium first).
    { ...integration, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'] },
    // Pacing in virtual time over dynalite's real-time answers: `npm test` runs it alone, after the
    // rest (`--selectProjects pacing --runInBand`). Its figure is the same under any load, but its
    // clock waits while dynalite answers, so a suite beside it would only make it slower.
    { ...integration, displayName: 'pacing', testMatch: PACING.map((file) => `<rootDir>/${file}`) },
  ],
};
