/**
 * The admin routes' path parameters, held to the id rules (lambdas/schemas/ids.ts) before any store
 * sees them: a value no store could hold, or that names nothing afterchat ever stores, answers 400
 * naming the parameter, as a body's issues do (`detail: [{path, message}]`).
 */
import type { AccountRef, Channel, ContactRef } from '../domain/events';
import { errorJson, type HttpResult } from '../http/responses';
import { accountIdIssue, idIssue, type IdKind, messageIdIssue, userIdIssue } from '../schemas/ids';
import { isChannel } from './views';

/** A parameter's value, or the answer refusing it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; answer: HttpResult };

interface FieldIssue {
  path: string;
  message: string;
}

const CHANNELS: readonly Channel[] = ['messenger', 'instagram', 'whatsapp'];

export const unknownChannel = (channel: string | undefined, expected: readonly Channel[] = CHANNELS): HttpResult =>
  errorJson(400, 'unknown channel', { channel, expected });

/** 400 `invalid path`, each issue at its parameter's name. */
export const invalidPath = (issues: readonly FieldIssue[]): HttpResult => errorJson(400, 'invalid path', issues);

const checked = <T>(issues: FieldIssue[], value: T): Checked<T> => (issues.length > 0 ? { ok: false, answer: invalidPath(issues) } : { ok: true, value });

const issue = (path: string, message: string | undefined): FieldIssue[] => (message === undefined ? [] : [{ path, message }]);

/** `{channel}/{accountId}`: a known channel, and an account id of its shape. */
export const accountParams = (channel: string | undefined, accountId: string | undefined): Checked<AccountRef> => {
  if (channel === undefined || !isChannel(channel)) return { ok: false, answer: unknownChannel(channel) };
  return checked(issue('accountId', accountIdIssue(channel, accountId)), { channel, accountId: String(accountId) });
};

/** `{channel}/{accountId}/{userId}`: a known channel, and account and user ids of its shapes. */
export const contactParams = (channel: string | undefined, accountId: string | undefined, userId: string | undefined): Checked<ContactRef> => {
  if (channel === undefined || !isChannel(channel)) return { ok: false, answer: unknownChannel(channel) };
  const issues = [...issue('accountId', accountIdIssue(channel, accountId)), ...issue('userId', userIdIssue(channel, userId))];
  return checked(issues, { channel, accountId: String(accountId), userId: String(userId) });
};

/** One id parameter, named `name` in the answer. */
export const idParam = (name: string, value: string | undefined, ...kinds: IdKind[]): Checked<string> =>
  checked(issue(name, idIssue(value, ...kinds)), String(value));

/** `{messageId}`: any channel's message id shape. */
export const messageIdParam = (value: string | undefined): Checked<string> => checked(issue('messageId', messageIdIssue(value)), String(value));
