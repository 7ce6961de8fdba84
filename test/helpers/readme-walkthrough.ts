/**
 * The README's local walk-through as data: every ```sh block that follows a `<!-- walkthrough`
 * comment, line by line, split into the commands a shell would run and the `# → …` text the line
 * promises to print.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface WalkthroughLine {
  /** The line as the README shows it (continuations joined). */
  text: string;
  /** Each command of the line (`a && b` is two), as argv. */
  commands: string[][];
  /** What the line's `# → …` comment says its output holds. */
  expect?: string;
}

export const walkthroughBlocks = (readme: string): string[][] => {
  const lines = readme.split('\n');
  const blocks: string[][] = [];
  lines.forEach((line, i) => {
    if (!line.startsWith('<!-- walkthrough')) return;
    if (lines[i + 1] !== '```sh') throw new Error(`README line ${i + 1}: a walkthrough marker must stand right above a \`\`\`sh block`);
    const end = lines.indexOf('```', i + 2);
    blocks.push(lines.slice(i + 2, end));
  });
  return blocks;
};

/** Joins `\` continuations and parses each line; blank lines and whole-line comments are skipped. */
export const walkthroughLines = (block: readonly string[]): WalkthroughLine[] => {
  const joined: string[] = [];
  let pending = '';
  for (const line of block) {
    if (line.trimEnd().endsWith('\\')) pending += `${line.trimEnd().slice(0, -1)} `;
    else {
      joined.push(pending + line.trim());
      pending = '';
    }
  }
  return joined.filter((line) => line !== '' && !line.startsWith('#')).map(parseLine);
};

/** Quotes, backslashes, `&&` and comments as sh reads them; anything else a shell would expand is refused. */
export const parseLine = (text: string): WalkthroughLine => {
  const commands: string[][] = [[]];
  let word: string | null = null;
  let comment: string | undefined;
  let i = 0;
  const push = () => {
    if (word !== null) (commands.at(-1) as string[]).push(word);
    word = null;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${text}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && '"\\$`'.includes(text[j + 1] ?? '')) {
          value += text[j + 1];
          j += 2;
        } else value += text[j++];
      }
      if (j >= text.length) throw new Error(`unterminated " in: ${text}`);
      word = (word ?? '') + value;
      i = j + 1;
    } else if (c === '\\') {
      word = (word ?? '') + (text[i + 1] ?? '');
      i += 2;
    } else if (/\s/.test(c)) {
      push();
      i += 1;
    } else if (c === '#' && word === null) {
      comment = text.slice(i + 1).trim();
      break;
    } else if (c === '&' && text[i + 1] === '&' && word === null) {
      commands.push([]);
      i += 2;
    } else if ('$`|;<>&()'.includes(c)) {
      throw new Error(`the walk-through runs plain commands only; "${c}" in: ${text}`);
    } else {
      word = (word ?? '') + c;
      i += 1;
    }
  }
  push();
  const arrow = comment?.indexOf('→') ?? -1;
  return { text, commands, ...(comment !== undefined && arrow >= 0 ? { expect: comment.slice(arrow + 1).trim() } : {}) };
};

/** `events/campaigns/*.json` as sh expands it (a pattern in the file name only), sorted; no match leaves it as it is. */
export const expandGlob = (root: string, arg: string): string[] => {
  if (!arg.includes('*')) return [arg];
  const slash = arg.lastIndexOf('/');
  const dir = arg.slice(0, slash + 1);
  const pattern = new RegExp(`^${arg.slice(slash + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const matches = readdirSync(join(root, dir)).filter((name) => pattern.test(name)).sort().map((name) => dir + name);
  return matches.length > 0 ? matches : [arg];
};

/** Table rules and padding aside, so `# → marketingOptOut true` matches a `marketingOptOut   true` row. */
export const normalise = (text: string): string => text.replace(/[─│┌┐└┘├┤┬┴┼]/g, ' ').replace(/\s+/g, ' ').trim();
