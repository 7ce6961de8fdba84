/**
 * `npx afterchat` and the npm aliases, as processes: package.json's `bin` runs the CLI through tsx
 * in a checkout, and what a person sees there is what the in-process runs in test/unit/cli see.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runAfterchat } from '../helpers/cli-run';

const ROOT = join(__dirname, '..', '..');

/** The machine's environment, without a stack chosen for it. */
const environment = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env = { ...process.env, ...extra };
  if (extra.AFTERCHAT_URL === undefined) delete env.AFTERCHAT_URL;
  if (extra.PORT === undefined) delete env.PORT;
  return env;
};

const closedPort = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return String(port);
};

describe('the afterchat command', () => {
  it('npx afterchat --help prints the help, exit 0', async () => {
    const ran = spawnSync('npx', ['afterchat', '--help'], { cwd: ROOT, env: environment({}), encoding: 'utf8' });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe((await runAfterchat(['--help'])).stdout);
  });

  it('an npm alias with the old argument shape reaches the CLI, which names the stopped stack and exits 3', async () => {
    const port = await closedPort();
    const ran = spawnSync('npm', ['run', '-s', 'campaigns', '--', 'list'], { cwd: ROOT, env: environment({ PORT: port }), encoding: 'utf8' });
    expect(ran.status).toBe(3);
    expect(ran.stderr).toBe(`afterchat: no afterchat at http://127.0.0.1:${port} — start it with \`PORT=${port} npm run local\`\n`);
  });

  it('afterchat local starts the stack, prints where it is on the port it really got, and stops when the person does', async () => {
    // PORT=0: whatever port is free; Ctrl+C comes as soon as the banner is out.
    const { code, stdout } = await runAfterchat(['local', '--memory'], { env: { PORT: '0' }, cwd: ROOT, interrupted: () => Promise.resolve() });
    expect(code).toBe(0);
    const url = /webhook \(callback URL\) {2}(http:\/\/127\.0\.0\.1:\d+)\/webhooks\/meta/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(stdout).toContain('  accounts                3 sample accounts registered from events/admin/accounts.json');
    expect(stdout).toContain(`  export AFTERCHAT_URL=${url}`);
  });
});
