import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { AccountPath } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime, Time } from './times';

const Template = z.object({
  name: z.string(),
  language: z.string(),
  templateId: z.string().nullable(),
  status: z.string().nullable(),
  statusReason: z.string().nullable(),
  category: z.string().nullable(),
  previousCategory: z.string().nullable(),
  correctCategory: z.string().nullable(),
  quality: z.string().nullable(),
  components: z.unknown().meta({ description: 'Meta’s components as the last listing showed them; null before a sync' }),
  syncedAt: MaybeTime.meta({ description: 'When a listing last showed the template' }),
  updatedAt: MaybeTime,
});

const AccountRef = z.object({ channel: ChannelSchema, accountId: z.string() });

const SyncResult = z.object({
  account: AccountRef.meta({ description: 'Where the templates live: the WABA (WhatsApp) or the Page (Messenger)' }),
  fetchedAt: Time,
  pages: z.number(),
  complete: z.boolean().meta({ description: 'Every page read: only then are missing templates marked DELETED' }),
  counts: z.object({
    listed: z.number(),
    created: z.number(),
    changed: z.number(),
    unchanged: z.number(),
    deleted: z.number(),
    oversizedComponents: z.number(),
    unreadable: z.number(),
  }),
});

export const templateContract = {
  'GET /admin/templates/{channel}/{accountId}': {
    operationId: 'getTemplates',
    summary: 'The templates known for an account (WhatsApp: its WABA id)',
    path: AccountPath,
    responses: { 200: AccountRef.extend({ templates: z.array(Template) }) },
    errors: { 404: 'no templates known for this account' },
  },
  'POST /admin/templates/{channel}/{accountId}/sync': {
    operationId: 'syncTemplates',
    summary: 'Reads the account’s templates from Meta now and reconciles them',
    description: 'WhatsApp: the WABA id or one of its registered numbers; Messenger: the Page id.',
    path: AccountPath,
    responses: { 200: SyncResult },
    errors: {
      400: 'Instagram has no templates (`no_templates_on_channel`)',
      404: 'no registered account can read them (`unknown_account`)',
      502: 'Meta refused or broke off the listing: `error` is its message, `failure` its code or transport, beside the result of what was read (reconciled all the same)',
      503: 'template sync is not configured',
    },
  },
} as const satisfies RouteTable;
