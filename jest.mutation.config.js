// The jest config `npm run test:mutation` (StrykerJS) runs: the unit project, flat (Stryker's jest
// runner can't take `projects`), plus the DynamoDB contract suites — the only tests of the DynamoDB
// outbox (its pending-work methods included) and marketing ledger — on one dynalite the integration project's global setup starts.
const { projects, testTimeout } = require('./jest.config.js');

const unit = projects.find((p) => p.displayName === 'unit');
const { displayName: _unused, ...base } = unit;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: __dirname,
  testTimeout,
  testMatch: [
    ...unit.testMatch,
    '<rootDir>/test/integration/contract-outbox.int.test.ts',
    '<rootDir>/test/integration/contract-marketing-ledger.int.test.ts',
    '<rootDir>/test/integration/contract-pending-work.int.test.ts',
  ],
  // Two simulations that send thousands of messages per test (20 s and 8 s on an idle machine) and
  // cover nearly every sender and policy mutant; they check pacing and local-time reads, which the
  // mutated modules don't hold, and would take most of a run.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/send/virtual-time-pacing.test.ts', '<rootDir>/test/unit/campaign/local-time-reads.test.ts'],
  globalSetup: '<rootDir>/test/integration/global-setup.mjs',
  globalTeardown: '<rootDir>/test/integration/global-teardown.mjs',
  // Under Stryker, run a mutant only through the test files whose tests covered it (test/mutation/).
  setupFilesAfterEnv: ['<rootDir>/test/mutation/record-coverage.js'],
  filter: '<rootDir>/test/mutation/filter.js',
};
