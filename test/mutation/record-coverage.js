// Stryker only (jest.mutation.config.js): during Stryker's initial run, record which mutants each test
// file's tests cover, so that filter.js can leave out the files that can't kill a mutant. Jest would
// otherwise load every test file related to the mutated module for every mutant, only to skip their tests.
const fs = require('node:fs');
const path = require('node:path');

const context = globalThis[globalThis.__strykerGlobalNamespace__ ?? '__stryker__'];

if (context && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
  const names = new Set();
  beforeEach(() => {
    if (context.currentTestId) names.add(context.currentTestId);
  });
  afterAll(() => {
    const perTest = context.mutantCoverage?.perTest ?? {};
    const mutants = new Set();
    for (const name of names) for (const id of Object.keys(perTest[name] ?? {})) mutants.add(id);
    const { testPath } = expect.getState();
    const dir = path.join(__dirname, 'coverage-by-file');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${Buffer.from(testPath).toString('base64url')}.json`);
    fs.writeFileSync(file, JSON.stringify({ testPath, mutants: [...mutants] }));
  });
}
