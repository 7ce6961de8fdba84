/**
 * `PUT /admin/accounts/{channel}/{accountId}`: a registration as the admin API accepts it. Stored
 * registrations are read with AccountSchema (account.ts), which stays as lenient as what was
 * stored before; new input must also name its token secret under the deployment's token prefix.
 */
import * as z from 'zod';
import { AccountInputSchema } from './account';

/** Secrets Manager: names of 1–512 characters of these. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const SECRET_NAME_MAX = 512;

/**
 * `undefined` when `name` is a secret the sender may read: under `prefix` (the sender's
 * TOKEN_SECRET_PREFIX, e.g. `afterchat/dev/tokens/`, the only names its role may read), a valid
 * Secrets Manager name, with no empty, `.` or `..` segment after the prefix.
 */
export const tokenSecretIssue = (prefix: string | undefined, name: string): string | undefined => {
  if (prefix === undefined || prefix.length === 0) return 'this admin API has no token secret prefix configured (TOKEN_SECRET_PREFIX), so it accepts no token secret';
  const expected = `a Secrets Manager secret name under ${prefix}, e.g. ${prefix}whatsapp/109876543210987`;
  if (name.length > SECRET_NAME_MAX) return `at most ${SECRET_NAME_MAX} characters (got ${name.length})`;
  if (!name.startsWith(prefix) || name.length === prefix.length) return expected;
  if (!SECRET_NAME.test(name)) return `${expected}: letters, digits and /_+=.@- only`;
  if (name.slice(prefix.length).split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return `${expected}, without empty, . or .. segments`;
  }
  return undefined;
};

/** The registration body, with `tokenSecret` held to this deployment's prefix. */
export const accountInputSchema = (tokenSecretPrefix: string | undefined) =>
  AccountInputSchema.extend({
    tokenSecret: z.string().superRefine((name, ctx) => {
      const issue = tokenSecretIssue(tokenSecretPrefix, name);
      if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
    }),
  });
