import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// openapi-typescript loads ESM-only parts that jest's CommonJS runtime can't: the check runs as a script.
describe("the console's admin API types", () => {
  it('are generated from the contract as it is now (npm run console:api-types)', () => {
    const root = join(__dirname, '..', '..', '..');
    const run = spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/console-api-types.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});
