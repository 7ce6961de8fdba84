// Stryker only (jest.mutation.config.js's `filter`): for a mutant run, keep only the test files with a
// test that covered the mutant in the initial run (recorded by record-coverage.js). Stryker already
// narrows the tests by name; this saves loading the files none of whose tests would run. A file with no
// record is kept.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, 'coverage-by-file');
let byFile;

const read = () => {
  const map = new Map();
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  for (const name of files) {
    const { testPath, mutants } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    map.set(testPath, new Set(mutants));
  }
  return map;
};

module.exports = async (testPaths) => {
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
  if (mutant === undefined) {
    byFile = undefined;
    return { filtered: testPaths };
  }
  byFile ??= read();
  return { filtered: testPaths.filter((p) => byFile.get(p)?.has(mutant) ?? true) };
};
