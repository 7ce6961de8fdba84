/** `afterchat --help` and every command's help, as a new user reads them, and usage mistakes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createProgram } from '../../../cli/program';
import { capturedContext, runAfterchat } from '../../helpers/cli-run';

const ROOT = join(__dirname, '..', '..', '..');

/** Every command under `afterchat`, as the words that name it: `campaigns put-event`. */
const commandPaths = (command: Command, prefix: string[] = []): string[][] =>
  command.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);

const program = createProgram(capturedContext().ctx);
const paths = commandPaths(program);

const commandAt = (path: string): Command => path.split(' ').reduce<Command>((parent, name) => parent.commands.find((c) => c.name() === name) as Command, program);

describe('afterchat --help', () => {
  it('lists every command the issue names', async () => {
    const { code, stdout } = await runAfterchat(['--help']);
    expect(code).toBe(0);
    for (const name of ['local', 'send-event', 'sends', 'campaigns', 'accounts', 'templates', 'contacts', 'import', 'report', 'console']) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('says what each option and argument is for', () => {
    const commands = [program, ...paths.map((path) => commandAt(path.join(' ')))];
    const undescribed = commands.flatMap((command) => [
      ...command.options.filter((option) => option.description === '').map((option) => `${command.name()} ${option.flags}`),
      ...command.registeredArguments.filter((argument) => argument.description === '').map((argument) => `${command.name()} <${argument.name()}>`),
    ]);
    expect(undescribed).toEqual([]);
  });

  it('prints the version of the package, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await runAfterchat(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('is what the README shows under "CLI"', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('```text\n', readme.indexOf('<!-- cli-help')) + '```text\n'.length;
    const shown = readme.slice(start, readme.indexOf('```', start));
    expect(shown).toBe((await runAfterchat(['--help'])).stdout);
  });

  it.each(paths.map((path) => [path.join(' ')]))('afterchat %s --help shows its options and an example', async (path) => {
    const { code, stdout } = await runAfterchat([...path.split(' '), '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: afterchat ${path}`);
    expect(stdout).toContain('--url <url>');
    for (const option of commandAt(path).options) expect(stdout).toContain(option.flags);
    expect(stdout).toMatch(new RegExp(`Examples:\\n(  \\$ .*\\n)*  \\$ (npx afterchat|npm run) ${path}( |\\n)`));
  });
});

describe('usage mistakes', () => {
  it('an unknown command exits 2 and points to --help', async () => {
    const { code, stderr } = await runAfterchat(['campaign', 'list']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown command 'campaign'");
    expect(stderr).toContain('(add --help for usage)');
  });

  it('a missing argument exits 2 and names it', async () => {
    const { code, stderr } = await runAfterchat(['campaigns', 'show']);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'campaignId'");
  });

  it('an id of . or .. exits 2 and says why, before any request', async () => {
    // No stack listens on port 9: a request made would exit 3.
    const { code, stderr } = await runAfterchat(['campaigns', 'delete', '..'], { env: { PORT: '9' } });
    expect(code).toBe(2);
    expect(stderr).toBe('afterchat: campaignId can\'t be "..": as a URL path segment it would name another route\n');
  });

  it('a channel that is none exits 2 and lists the channels', async () => {
    const { code, stderr } = await runAfterchat(['contacts', 'show', 'telegram', '1', '2']);
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are messenger, instagram, whatsapp');
  });

  it('a group without its subcommand shows the group’s help and exits 2', async () => {
    const { code, stderr } = await runAfterchat(['campaigns']);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: afterchat campaigns [options] [command]');
  });

  it('a file that is not there exits 2 and names it', async () => {
    const { code, stderr } = await runAfterchat(['campaigns', 'apply', 'events/campaigns/no-such.json']);
    expect(code).toBe(2);
    expect(stderr).toBe("afterchat: can't read events/campaigns/no-such.json: no such file\n");
  });
});
