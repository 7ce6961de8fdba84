import * as z from 'zod';
import { AccountInputSchema, AccountSchema, ChannelSchema } from '../../schemas/account';
import { AccountPath } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime, Time } from './times';

const Account = AccountSchema.meta({ id: 'Account', description: 'A registered business account' });

const PhoneQuality = z.object({ event: z.string(), messagingLimit: z.string().nullable(), at: MaybeTime });

const AccountEvent = z.object({
  at: MaybeTime,
  restrictions: z.array(z.object({ type: z.string(), expiresAt: MaybeTime })).nullable(),
  violationType: z.string().nullable(),
  banState: z.string().nullable(),
});

const Pause = z.object({ until: Time, code: z.number().nullable() });

/** What Meta said about the account; for a WhatsApp number, its WABA's records too. */
const AccountPolicy = z.object({
  blocked: z.boolean(),
  blockReason: z.string().nullable(),
  blockChangedAt: MaybeTime,
  lastWarningAt: MaybeTime,
  lastWarningReason: z.string().nullable(),
  phoneQuality: z.record(z.string(), PhoneQuality).meta({ description: 'Per display phone number (digits)' }),
  accountEvents: z.record(z.string(), AccountEvent).meta({ description: 'The latest `account_update` per event, e.g. ACCOUNT_RESTRICTION' }),
  sendingPause: Pause.extend({ reason: z.string().nullable() }).nullable().meta({ description: 'The pause an account-wide error set' }),
  marketingMessagesPause: Pause.nullable().meta({ description: 'Meta shut the Marketing Messages API for a day (134102)' }),
  cloudApiMarketingClosed: Pause.nullable().meta({ description: 'Meta shut marketing templates on Cloud API /messages (131063)' }),
  lastMetaError: z.object({ code: z.number(), title: z.string().nullable(), at: MaybeTime }).nullable(),
});

const AccountRef = z.object({ channel: ChannelSchema, accountId: z.string() });

export const accountContract = {
  'GET /admin/accounts': {
    operationId: 'listAccounts',
    summary: 'The registered accounts',
    responses: { 200: z.object({ accounts: z.array(Account) }) },
  },
  'GET /admin/accounts/{channel}/{accountId}': {
    operationId: 'getAccount',
    summary: 'An account’s registration and what Meta said about it',
    path: AccountPath,
    responses: { 200: AccountRef.extend({ registered: z.boolean(), profile: Account.nullable(), policy: AccountPolicy }) },
    errors: { 404: 'neither registered nor heard of' },
  },
  'PUT /admin/accounts/{channel}/{accountId}': {
    operationId: 'putAccount',
    summary: 'Registers an account, or replaces its registration',
    description: '`tokenSecret` must be a Secrets Manager name under the deployment’s TOKEN_SECRET_PREFIX.',
    path: AccountPath,
    body: { name: 'account', schema: AccountInputSchema },
    responses: { 200: Account },
  },
  'DELETE /admin/accounts/{channel}/{accountId}': {
    operationId: 'deleteAccount',
    summary: 'Removes an account’s registration',
    path: AccountPath,
    responses: { 200: z.object({ deleted: AccountRef }) },
    errors: { 404: 'not registered' },
  },
} as const satisfies RouteTable;
