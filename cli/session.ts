import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { type AfterchatClient, createAfterchatClient } from './client/afterchat-client';
import { resolveTarget } from './client/target';
import { createTransport } from './client/transport';
import type { CliContext } from './context';
import { UsageError } from './errors';
import { createOutput, type Output } from './output/output';

/** The options every command takes (they may stand before or after the command's name). */
export interface GlobalOptions {
  url?: string;
  json?: boolean;
  region?: string;
}

/** What a command's action works with: the client for the chosen stack, and where to print. */
export interface Session {
  ctx: CliContext;
  client: AfterchatClient;
  out: Output;
}

export const sessionOf = (ctx: CliContext, command: Command): Session => {
  const options = command.optsWithGlobals<GlobalOptions>();
  const target = resolveTarget(options.url, ctx.env);
  const transport = createTransport({ target, env: ctx.env, region: options.region, lookup: ctx.lookup, credentials: ctx.credentials });
  return { ctx, client: createAfterchatClient(transport), out: createOutput(ctx, options.json === true) };
};

/** A file named on the command line, relative to where the CLI was started. */
export const readText = (ctx: CliContext, file: string): string => {
  try {
    return readFileSync(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`can't read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
};

export const readJson = (ctx: CliContext, file: string): unknown => {
  const text = readText(ctx, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
};

/** A word as a shell reads it back: quoted when it would be split or expanded. */
const shellWord = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);

/**
 * The command line a hint tells the person to run next (the next page, the follow-up): `words`,
 * then each option given a value, then the `--url` and `--region` this command was run with, so it
 * asks the same stack for the same things.
 */
export const nextCommand = (command: Command, words: readonly string[], options: Readonly<Record<string, string | number | undefined>> = {}): string => {
  const { url, region } = command.optsWithGlobals<GlobalOptions>();
  const given = Object.entries({ ...options, '--url': url, '--region': region }).flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)]));
  return ['npx', 'afterchat', ...words, ...given].map(shellWord).join(' ');
};

/** `Examples:` under a command's help, each line as typed. */
export const examples = (command: Command, lines: readonly string[]): Command =>
  command.addHelpText('after', `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`);

/** A repeatable option's collector: `--tag a --tag b`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `key=value` pairs of a repeatable option, the value may hold `=`. */
export const pairs = (values: readonly string[], option: string): [string, string][] =>
  values.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`${option} takes name=value, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });

/** A positive whole number option such as --limit or --timeout. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1.');
  return n;
};
