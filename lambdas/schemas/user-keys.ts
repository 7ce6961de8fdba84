/**
 * Names a caller chooses that end up as keys (a contact's attribute names, tags) and free-form JSON
 * stored as it came (interactive message content). None may be `__proto__`, `constructor` or
 * `prototype`: the first silently changes an object's prototype (zod's records and the DynamoDB
 * document client both drop it), the second makes the DynamoDB marshaller refuse the whole item. Pure.
 */
import * as z from 'zod';

export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

export const ATTRIBUTE_NAME_MAX = 100;
export const TAG_MAX = 100;

/** ASCII control characters (including NUL): invisible, and no legitimate name holds one. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Half a UTF-16 surrogate pair: no UTF-8 spelling, so a store can't encode it. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const nameIssue = (name: string, max: number): string | undefined => {
  if (name.length === 0) return 'must not be empty';
  if (name.length > max) return `at most ${max} characters (got ${name.length})`;
  if (RESERVED_KEYS.includes(name)) return reserved(name);
  if (CONTROL.test(name)) return 'no control characters';
  if (LONE_SURROGATE.test(name)) return 'well-formed Unicode (no lone surrogates)';
  return undefined;
};

const reserved = (name: string): string => `${name} is reserved: ${RESERVED_KEYS.join(', ')} can't be used as names`;

/** `undefined` when `name` may name a contact attribute (also in audience filters and `fromAttribute`). */
export const attributeNameIssue = (name: string): string | undefined => nameIssue(name, ATTRIBUTE_NAME_MAX);

/** `undefined` when `tag` may be a tag (its audience index key is `…#tag#<tag>`, so no `#`). */
export const tagIssue = (tag: string): string | undefined => nameIssue(tag, TAG_MAX) ?? (tag.includes('#') ? 'a tag cannot contain #' : undefined);

const checked = (issueOf: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const issue = issueOf(value);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
  });

export const AttributeNameSchema = checked(attributeNameIssue);
export const TagSchema = checked(tagIssue);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A key as an issue path shows it: an over-long one is cut, so the answer stays small. */
const shownKey = (key: string): string => (key.length > 64 ? `${key.slice(0, 64)}…` : key);

/** An object without a prototype, so no key a caller sends can reach one. */
export const prototypeless = <V>(entries: Iterable<[string, V]>): Record<string, V> => {
  const map = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) map[key] = value;
  return map;
};

/**
 * A record whose keys a caller names: each key checked with `keyIssue` (on the raw input, so
 * `__proto__`, which zod's record never sees, is refused too), at most `maxEntries` of them, parsed
 * into a prototype-less object.
 */
export const userKeyedRecord = <V extends z.ZodType>(
  value: V,
  options: { keyIssue: (key: string) => string | undefined; maxEntries: number; tooMany: string },
) =>
  z
    .preprocess((raw, ctx) => {
      if (!isPlainObject(raw)) return raw;
      const keys = Object.keys(raw);
      if (keys.length > options.maxEntries) ctx.issues.push({ code: 'custom', message: options.tooMany, input: raw, path: [] });
      for (const key of keys) {
        const issue = options.keyIssue(key);
        if (issue !== undefined) ctx.issues.push({ code: 'custom', message: issue, input: raw, path: [shownKey(key)] });
      }
      return raw;
    }, z.record(z.string(), value).overwrite((record) => prototypeless(Object.entries(record) as [string, z.output<V>][])));

const STORABLE_NUMBER = `a number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, and 0 or at least 1e-130 in size`;

/** What DynamoDB's document client stores as a number: beyond the safe integers it refuses, below 1e-130 DynamoDB does. */
const isStorableNumber = (n: number): boolean => Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-130);

/**
 * A JSON object stored as it came (an interactive message's content): no reserved key at any
 * depth, numbers DynamoDB can store, at most `maxDepth` levels and `maxBytes` bytes as JSON, so it
 * always fits the item it is stored on. Checked on the raw input, where an own `__proto__` key is still visible.
 */
export const jsonObjectSchema = (options: { maxBytes: number; maxDepth: number }) =>
  z.preprocess((raw, ctx) => {
    if (!isPlainObject(raw)) return raw;
    const refuse = (message: string, path: (string | number)[]): false => {
      ctx.issues.push({ code: 'custom', message, input: raw, path });
      return false;
    };
    const visit = (node: unknown, path: (string | number)[]): boolean => {
      if (path.length > options.maxDepth) return refuse(`at most ${options.maxDepth} levels deep`, path.slice(0, options.maxDepth));
      if (typeof node === 'number' && !isStorableNumber(node)) return refuse(STORABLE_NUMBER, path);
      if (Array.isArray(node)) return node.every((item, i) => visit(item, [...path, i]));
      if (!isPlainObject(node)) return true;
      for (const key of Object.keys(node)) {
        if (RESERVED_KEYS.includes(key)) return refuse(reserved(key), [...path, key]);
        if (!visit(node[key], [...path, shownKey(key)])) return false;
      }
      return true;
    };
    if (visit(raw, [])) {
      const bytes = Buffer.byteLength(JSON.stringify(raw), 'utf8');
      if (bytes > options.maxBytes) refuse(`at most ${options.maxBytes} bytes as JSON (got ${bytes})`, []);
    }
    return raw;
  }, z.record(z.string(), z.unknown()));
