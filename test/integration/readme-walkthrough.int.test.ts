/**
 * The README's local walk-through, as a new user types it: every line of every block marked
 * `<!-- walkthrough -->`, in order, on a fresh local stack started as `npm run local -- --memory`
 * starts it: today, and again on a later date (the samples carry no date that passes, and the stack's
 * and the CLI's clocks move together). `npx afterchat …` and
 * `npm run <alias> -- …` run the CLI in-process; `curl` is a plain GET. Each line must succeed and
 * print what its `# → …` comment says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalStack } from '../../lambdas/local/local-stack';
import { businessEventSendKey } from '../../lambdas/domain/campaign/business-event-key';
import { outboxIdFor } from '../../lambdas/domain/send/outbox-id';
import { createAfterchatClient } from '../../cli/client/afterchat-client';
import { resolveTarget } from '../../cli/client/target';
import { createTransport } from '../../cli/client/transport';
import type { CliContext } from '../../cli/context';
import { localSettings } from '../../cli/local/settings';
import { startAfterchatLocal } from '../../cli/local/start-local';
import { runCli } from '../../cli/run';
import { expandGlob, normalise, walkthroughBlocks, walkthroughLines } from '../helpers/readme-walkthrough';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const lines = walkthroughBlocks(readme).flatMap(walkthroughLines);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Today, and a day years ahead that passes Meta's dated rules the stack knows (Cloud API marketing closing, the Graph API version ending). */
const DATES: [string, () => number][] = [
  ['today', () => 0],
  ['on 2031-06-02', () => Date.UTC(2031, 5, 2, 10) - Date.now()],
];

describe.each(DATES)('README local walk-through, %s', (_when, offsetOf) => {
  let stack: LocalStack;
  let port: string;
  const offset = offsetOf();
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    // Port 0: a free one, as a second `npm run local` with PORT set would; the CLI finds it through PORT.
    ({ stack } = await startAfterchatLocal({ ...localSettings({}, ROOT, { memory: true }), port: 0 }, { clock: now }));
    port = new URL(stack.url).port;
  }, 60_000);

  afterAll(async () => {
    await stack.close();
  });

  const cli = async (args: readonly string[]): Promise<Ran> => {
    let stdout = '';
    let stderr = '';
    const ctx: CliContext = {
      // Nothing of this machine's environment: the walk-through runs as on a fresh checkout.
      env: { PORT: port },
      cwd: ROOT,
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      interrupted: () => new Promise(() => undefined),
    };
    const code = await runCli(args.flatMap((arg) => expandGlob(ROOT, arg)), ctx);
    return { code, stdout, stderr };
  };

  /** One command of a README line, run as a shell in a checkout would run it. */
  const run = async ([program, ...args]: string[]): Promise<Ran> => {
    if (program === 'npx' && args[0] === 'afterchat') return cli(args.slice(1));
    if (program === 'npm' && args[0] === 'run') {
      const [, name, separator, ...rest] = args;
      const script = scripts[name as string];
      const alias = /^tsx cli\/afterchat\.ts(?: (.*))?$/.exec(script ?? '');
      if (!alias) throw new Error(`npm run ${name}: not an alias of the CLI (${script})`);
      if (separator !== undefined && separator !== '--') throw new Error(`npm run ${name}: arguments go after --`);
      return cli([...(alias[1]?.split(' ') ?? []), ...rest]);
    }
    if (program === 'curl') {
      const url = args.find((arg) => arg.startsWith('http'));
      if (url === undefined) throw new Error(`curl without a URL: ${args.join(' ')}`);
      const response = await fetch(url.replace('//127.0.0.1:3000', `//127.0.0.1:${port}`));
      return { code: response.ok ? 0 : 22, stdout: await response.text(), stderr: '' };
    }
    throw new Error(`the walk-through test runs npx afterchat, npm run and curl, not ${program}`);
  };

  it('is there: lines in several marked blocks, aliases among them', () => {
    expect(walkthroughBlocks(readme).length).toBeGreaterThanOrEqual(3);
    expect(lines.some((line) => line.text.startsWith('npm run '))).toBe(true);
    expect(lines.filter((line) => line.expect !== undefined).length).toBeGreaterThanOrEqual(5);
  });

  it.each(lines.map((line) => [line.text, line] as const))('%s', async (_text, line) => {
    for (const command of line.commands) {
      const ran = await run(command);
      if (ran.code !== 0) throw new Error(`exit ${ran.code}\n${ran.stderr}${ran.stdout}`);
      if (line.expect !== undefined) expect(normalise(ran.stdout)).toContain(normalise(line.expect));
    }
  });

  it('left what it describes: the fired occurrence done, the order.shipped event and the agent reply sent', async () => {
    const client = createAfterchatClient(createTransport({ target: resolveTarget(undefined, { PORT: port }), env: {} }));
    const campaign = await client.getCampaign('weekly-deals');
    expect(campaign.occurrences[0]?.status).toBe('done');

    const orderShipped = JSON.parse(readFileSync(join(ROOT, 'events', 'eventbridge', 'order-shipped.json'), 'utf8')) as Parameters<typeof businessEventSendKey>[0];
    const shipped = await client.getSend(outboxIdFor(businessEventSendKey(orderShipped)));
    expect(shipped).toMatchObject({ senderStatus: 'sent', route: expect.any(String) as unknown });

    const reply = await client.getSend(outboxIdFor('ticket-42'));
    expect(reply.senderStatus).toBe('sent');
  });
});
